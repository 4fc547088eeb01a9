#pragma once
// Exit-depth histograms side by side: one small plot per run (x = exit depth over the run's own 1..L, y = share of
// tokens on one scale for all), bars in the run's curve colour, the run and its mean exit depth as the title.
// Hover a bar for its share and count.
#include <QWidget>

#include "views/exit_depth_histogram_data.h"

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPMarginGroup;
class QCPTextElement;

namespace dynamax::views {

class ExitDepthHistogram : public QWidget {
  Q_OBJECT
 public:
  explicit ExitDepthHistogram(QWidget* parent = nullptr);

  // Cheap when only the shares change (the slider): the plots are rebuilt only when runs or depths change.
  void set_data(const QVector<RunExitHistogram>& runs);
  void set_dark(bool dark);

  const QVector<RunExitHistogram>& data() const { return runs_; }
  int run_count() const { return int(panels_.size()); }
  QCPAxisRect* axis_rect(int run) const { return panels_.value(run).rect; }
  QCPBars* bars(int run) const { return panels_.value(run).bars; }
  QString title(int run) const;
  QCustomPlot* plot() const { return plot_; }
  // What the hover tooltip says at a widget-pixel position of the plot; empty away from a bar's column.
  QString hover_text_at(QPoint pixel) const;

  static QString title_text(const RunExitHistogram& run);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Panel {
    QCPTextElement* title = nullptr;
    QCPAxisRect* rect = nullptr;
    QCPBars* bars = nullptr;
  };

  void rebuild_panels();
  void fit_depth_ticks();  // as many depth ticks as the panels' width has room for
  void fill_panels();
  void style();

  QCustomPlot* plot_;
  QVector<RunExitHistogram> runs_;
  QVector<Panel> panels_;
  QCPTextElement* placeholder_ = nullptr;
  QCPMarginGroup* margins_ = nullptr;
  bool dark_ = false;
};

}  // namespace dynamax::views
