#include "app/ui/tradeoff_controller.h"

#include <QtConcurrent>
#include <cmath>

#include "views/tradeoff_plot.h"

namespace dynamax::app {

TradeoffController::TradeoffController(views::TradeoffPlot* plot, views::OperatingPointTable* table, QObject* parent)
    : QObject(parent), plot_(plot), table_(table) {
  connect(&watcher_, &QFutureWatcher<AnalysisResult>::finished, this, &TradeoffController::analysis_finished);
}

TradeoffController::~TradeoffController() { watcher_.waitForFinished(); }

std::pair<double, double> TradeoffController::threshold_range(const QString& measure) {
  if (measure == "entropy") return {-6.0, 0.0};  // the score is −entropy (nats)
  if (measure == "saturation") return {-1.0, 1.0};
  return {0.0, 1.0};
}

void TradeoffController::set_workspace(const QString& db_path) {
  db_path_ = db_path;
  runs_.clear();
  calibration_.reset();
  run_ids_.clear();
  redraw();
  emit runs_analysed();
}

void TradeoffController::set_runs(const QVector<qint64>& run_ids) {
  if (run_ids == run_ids_) return;
  run_ids_ = run_ids;
  reanalyse();
}

void TradeoffController::set_measure(const QString& measure) {
  if (measure == measure_) return;
  measure_ = measure;
  calibration_.reset();  // it certified another measure's τ
  reanalyse();
}

void TradeoffController::set_axes(FigureAxes axes) {
  axes_ = axes;
  redraw();
}

void TradeoffController::set_threshold(double tau) {
  if (tau == tau_) return;
  tau_ = tau;
  move_markers();
  emit threshold_moved(tau);
}

void TradeoffController::set_calibration(std::shared_ptr<const CertifiedRun> calibration) {
  calibration_ = std::move(calibration);
  redraw();
}

void TradeoffController::runs_updated(const std::vector<RunInfo>& runs) {
  bool grew = false;
  for (const RunInfo& info : runs) {
    if (!run_ids_.contains(info.id)) continue;
    const auto shown = std::find_if(runs_.begin(), runs_.end(), [&](const AnalysedRunPtr& r) { return r->loaded.info.id == info.id; });
    grew |= shown == runs_.end() ? info.samples_done > 0 : (*shown)->loaded.info.samples_done != info.samples_done;
  }
  if (grew) reanalyse();
}

void TradeoffController::reanalyse() {
  if (db_path_.isEmpty()) return;
  if (analysing_) {
    pending_ = true;
    return;
  }
  pending_ = false;
  analysing_ = true;
  AnalysisRequest request;
  request.db = db_path_.toStdString();
  request.run_ids.assign(run_ids_.begin(), run_ids_.end());
  request.measure = measure_.toStdString();
  request.previous = runs_;
  watcher_.setFuture(QtConcurrent::run([request] { return analyse_runs(request); }));
}

void TradeoffController::analysis_finished() {
  const AnalysisResult result = watcher_.result();
  analysing_ = false;
  if (pending_) {
    reanalyse();  // inputs moved meanwhile: this result is already stale
    return;
  }
  runs_ = result.runs;
  // A calibration holds while its run is shown as it was calibrated, under the same measure.
  if (calibration_ && std::none_of(runs_.begin(), runs_.end(), [&](const AnalysedRunPtr& r) {
        return r->loaded.info.id == calibration_->run_id && r->loaded.info.samples_done == calibration_->samples_done &&
               r->measure == calibration_->calibration.measure;
      }))
    calibration_.reset();
  redraw();
  emit runs_analysed();
  if (!result.errors.empty()) {
    QString message;
    for (const std::string& e : result.errors) message += QString::fromStdString(e) + "\n";
    emit failed(message.trimmed());
  }
}

std::vector<const RunAnalysis*> TradeoffController::analyses() const {
  std::vector<const RunAnalysis*> out;
  for (const AnalysedRunPtr& r : runs_) out.push_back(&r->analysis);
  return out;
}

views::PlotData TradeoffController::plot_data() const {
  views::PlotData data = tradeoff_plot_data(analyses(), axes_);
  data.markers = markers_at(analyses(), axes_, tau_);
  for (size_t i = 0; i < runs_.size(); ++i)
    if (calibration_ && runs_[i]->loaded.info.id == calibration_->run_id)
      data.curves.push_back(certified_region(runs_[i]->analysis, calibration_->calibration, axes_, int(i)));
  return data;
}

void TradeoffController::redraw() {
  plot_->set_data(plot_data());
  table_->set_rows(table_rows());
}

void TradeoffController::move_markers() {
  plot_->set_markers(markers_at(analyses(), axes_, tau_));
  table_->set_rows(table_rows());
}

QVector<views::OperatingPointRow> TradeoffController::table_rows() const {
  QVector<views::OperatingPointRow> rows;
  for (size_t i = 0; i < runs_.size(); ++i) {
    const RunAnalysis& a = runs_[i]->analysis;
    const TradeoffPoint p = a.sweep->at(tau_);
    views::OperatingPointRow row;
    row.run = QString::fromStdString(a.run_name);
    row.color = run_color(i);
    row.tau = tau_;
    row.mean_depth = p.mean_depth;
    row.depths = a.threshold.depths;
    row.block_savings = 1.0 - p.block_fraction;
    row.flop_savings = 1.0 - p.flop_fraction;
    row.consistency = p.consistency;
    row.accuracy = p.accuracy;
    if (calibration_ && runs_[i]->loaded.info.id == calibration_->run_id) {
      const ThresholdCalibration& c = calibration_->calibration;
      row.delta = c.options.delta;
      row.epsilon = c.options.epsilon;
      row.certified_tau = c.threshold();
      row.held_out_risk = c.certified().held_out_risk;
    }
    rows.push_back(row);
  }
  return rows;
}

QColor TradeoffController::run_color(size_t run) const {
  return plot_->curve_color(int(run) * 3);  // a run's threshold curve comes first, then its two baselines
}

std::vector<OperatingPoint> TradeoffController::operating_points() const {
  std::vector<OperatingPoint> out;
  for (const AnalysedRunPtr& r : runs_)
    out.push_back({r->analysis.run_name, r->analysis.threshold.label, CurveKind::Threshold, r->analysis.sweep->at(tau_)});
  return out;
}

}  // namespace dynamax::app
