#pragma once
// The comparison dock: the runs the trade-off panel shows, side by side at its threshold and measure — where their
// tokens exit (histograms) and, sample by sample, how deep each run goes and whether it keeps its full model's
// tokens (table). It follows the trade-off controller: new analyses, the slider, and the measure (a new analysis).
#include <QWidget>
#include <vector>

#include "app/ui/run_comparison.h"

class QLabel;

namespace dynamax::views {
class ExitDepthHistogram;
class SampleAgreementTable;
}  // namespace dynamax::views

namespace dynamax::app {

class TradeoffController;

class ComparisonPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ComparisonPanel(TradeoffController* analyses, QWidget* parent = nullptr);

  void set_dark(bool dark);
  // Whether the panel can be seen: a dock behind another tab stays "visible" to Qt, only moved out of sight
  // (QDockWidget::visibilityChanged says it). Out of sight, moving the slider computes nothing.
  void set_in_view(bool in_view);
  views::ExitDepthHistogram* histograms() const { return histograms_; }
  views::SampleAgreementTable* table() const { return table_; }
  const std::vector<ComparedRunPtr>& runs() const { return runs_; }

 signals:
  void sample_activated(qint64 run_id, qint64 sample_index);  // the first compared run's sample, double-clicked

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void runs_analysed();
  void refresh();

  TradeoffController* analyses_;
  QLabel* caption_;
  views::ExitDepthHistogram* histograms_;
  views::SampleAgreementTable* table_;
  std::vector<ComparedRunPtr> runs_;
  QString not_compared_;  // runs that could not be compared, and why
  bool in_view_ = true;
  bool stale_ = false;  // τ or runs moved while the panel was out of sight
};

}  // namespace dynamax::app
