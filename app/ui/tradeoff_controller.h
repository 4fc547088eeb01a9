#pragma once
// Drives the trade-off plot and the operating-point table: which runs, which measure and axes, which threshold.
// Runs are loaded and analysed off the GUI thread (QtConcurrent + QFutureWatcher); inputs that change while an
// analysis runs start one more when it is done (the latest inputs win, as in Qt's Mandelbrot example). Moving the
// threshold only re-reads each sweep at τ: markers and table follow at slider rate.
#include <QFutureWatcher>
#include <QObject>
#include <QVector>

#include "app/analysis/certified_region.h"
#include "app/analysis/tradeoff_figure.h"
#include "app/ui/analysed_run.h"
#include "core/analysis/operating_points.h"
#include "views/operating_point_table.h"

namespace dynamax::views {
class TradeoffPlot;
}

namespace dynamax::app {

class TradeoffController : public QObject {
  Q_OBJECT
 public:
  TradeoffController(views::TradeoffPlot* plot, views::OperatingPointTable* table, QObject* parent = nullptr);
  ~TradeoffController() override;

  void set_workspace(const QString& db_path);
  void set_runs(const QVector<qint64>& run_ids);
  void set_measure(const QString& measure);
  void set_axes(FigureAxes axes);
  void set_threshold(double tau);
  // A run's calibration, shown on its curve and in the table until the runs or the measure change (null: none).
  void set_calibration(std::shared_ptr<const CertifiedRun> calibration);
  // The workspace changed (a run grew or finished): re-analyse the shown runs whose sample counts moved.
  void runs_updated(const std::vector<RunInfo>& runs);

  double threshold() const { return tau_; }
  QString measure() const { return measure_; }
  FigureAxes axes() const { return axes_; }
  const std::vector<AnalysedRunPtr>& runs() const { return runs_; }
  const CertifiedRun* calibration() const { return calibration_.get(); }
  bool is_busy() const { return analysing_ || pending_; }
  views::PlotData plot_data() const;  // what the plot shows, with the markers at τ
  std::vector<const RunAnalysis*> analyses() const;  // of runs(), in order
  QVector<views::OperatingPointRow> table_rows() const;
  std::vector<OperatingPoint> operating_points() const;  // for the LaTeX table
  QColor run_color(size_t run) const;  // the colour of runs()[run]'s curves in the plot

  // The τ range the slider covers for a measure (scores are "higher = more confident").
  static std::pair<double, double> threshold_range(const QString& measure);

 signals:
  void runs_analysed();  // runs() changed
  void threshold_moved(double tau);
  void failed(const QString& message);

 private:
  void reanalyse();
  void analysis_finished();
  void redraw();
  void move_markers();

  views::TradeoffPlot* plot_;
  views::OperatingPointTable* table_;
  QString db_path_;
  QVector<qint64> run_ids_;
  QString measure_ = "max-prob";
  FigureAxes axes_;
  double tau_ = 0.5;
  std::vector<AnalysedRunPtr> runs_;
  std::shared_ptr<const CertifiedRun> calibration_;
  QFutureWatcher<AnalysisResult> watcher_;
  bool pending_ = false;
  bool analysing_ = false;  // until its result is handed over: the future ends before analysis_finished runs
};

}  // namespace dynamax::app
