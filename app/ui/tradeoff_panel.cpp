#include "app/ui/tradeoff_panel.h"

#include <QLabel>
#include <QSplitter>
#include <cmath>
#include <QVBoxLayout>

#include "app/ui/tradeoff_controller.h"
#include "views/operating_point_table.h"
#include "views/threshold_controls.h"
#include "views/tradeoff_plot.h"

namespace dynamax::app {

TradeoffPanel::TradeoffPanel(QWidget* parent)
    : QWidget(parent), controls_(new views::ThresholdControls(this)), plot_(new views::TradeoffPlot),
      table_(new views::OperatingPointTable), controller_(new TradeoffController(plot_, table_, this)),
      info_(new QLabel(this)) {
  // The table under the plot rather than beside it: the plot keeps the panel's full width for the curves.
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(plot_);
  splitter->addWidget(table_);
  splitter->setSizes({520, 150});  // the header and three runs
  splitter->setChildrenCollapsible(false);
  table_->setMinimumHeight(70);
  info_->setWordWrap(true);
  info_->setContentsMargins(6, 2, 6, 4);
  info_->setMinimumHeight(3 * info_->fontMetrics().lineSpacing() + 8);  // never cut: the splitter gives way
  info_->setObjectName("tradeoff_info");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(controls_);
  layout->addWidget(splitter, 1);
  layout->addWidget(info_);

  connect(controls_, &views::ThresholdControls::threshold_changed, controller_, &TradeoffController::set_threshold);
  connect(controls_, &views::ThresholdControls::measure_changed, this, &TradeoffPanel::measure_changed);
  connect(controls_, &views::ThresholdControls::axes_changed, this, [this](int compute, int quality) {
    controller_->set_axes({compute == 1 ? ComputeAxis::Flops : ComputeAxis::Blocks,
                           quality == 1 ? QualityAxis::Accuracy : QualityAxis::Consistency});
    explain();
  });
  connect(controller_, &TradeoffController::runs_analysed, this, &TradeoffPanel::runs_analysed);
  connect(controller_, &TradeoffController::runs_analysed, this, &TradeoffPanel::explain);
  connect(controller_, &TradeoffController::threshold_moved, this, &TradeoffPanel::explain);
  measure_ = controls_->measure();
  const auto [lo, hi] = TradeoffController::threshold_range(measure_);
  controls_->set_range(lo, hi);
  controller_->set_measure(measure_);
  controller_->set_threshold(controls_->threshold());
}

void TradeoffPanel::measure_changed(const QString& measure) {
  thresholds_[measure_] = controls_->threshold();
  measure_ = measure;
  const auto [lo, hi] = TradeoffController::threshold_range(measure);
  controls_->set_range(lo, hi);
  start_from_data_ = !thresholds_.contains(measure);
  controls_->set_threshold(start_from_data_ ? (lo + hi) / 2 : thresholds_.value(measure));
  controller_->set_measure(measure);
}

void TradeoffPanel::runs_analysed() {
  if (!start_from_data_ || controller_->runs().empty() || controller_->measure() != measure_) return;
  start_from_data_ = false;
  const RunAnalysis& run = controller_->runs().front()->analysis;
  double best = 0;  // the full model's quality, as the run's threshold curve reaches it
  for (const TradeoffPoint& p : run.threshold.points)
    if (const double q = quality_of(p, controller_->axes().quality); std::isfinite(q)) best = std::max(best, q);
  const auto tau = cheapest_tau(run, controller_->axes(), kStartQuality * best);
  if (tau) controls_->set_threshold(*tau);
}

QString TradeoffPanel::info() const { return info_->text(); }

void TradeoffPanel::explain() {
  if (controller_->runs().empty()) {  // the empty plot says what to do
    info_->clear();
    return;
  }
  QStringList lines{"Dashed: the oracle, each token exiting at the first depth that already gives the full model's "
                    "token (the best any exit rule could do). Hollow points: static exits, every token at one depth."};
  bool negative = false;
  for (const views::OperatingPointRow& row : controller_->table_rows()) negative = negative || row.flop_savings < 0;
  if (negative)
    lines << "Negative saved FLOPs: the exit heads checked cost more than the blocks skipped.";
  bool above = false;
  for (const RunAnalysis* a : controller_->analyses())
    for (const TradeoffPoint& p : a->threshold.points) above = above || p.flop_fraction > 1.0;
  if (above && controller_->axes().compute == ComputeAxis::Flops)
    lines << "Compute above 100 %: checking exit heads costs more than the full model alone.";
  info_->setText(lines.join(" "));
}

QMap<QString, double> TradeoffPanel::thresholds() const {
  QMap<QString, double> all = thresholds_;
  all[measure_] = controls_->threshold();
  return all;
}

void TradeoffPanel::set_thresholds(const QMap<QString, double>& thresholds) {
  thresholds_ = thresholds;
  if (thresholds_.contains(measure_)) {
    start_from_data_ = false;
    controls_->set_threshold(thresholds_.value(measure_));
  }
}

}  // namespace dynamax::app
