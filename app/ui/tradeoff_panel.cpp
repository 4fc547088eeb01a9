#include "app/ui/tradeoff_panel.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "app/ui/tradeoff_controller.h"
#include "views/operating_point_table.h"
#include "views/threshold_controls.h"
#include "views/tradeoff_plot.h"

namespace dynamax::app {

TradeoffPanel::TradeoffPanel(QWidget* parent)
    : QWidget(parent), controls_(new views::ThresholdControls(this)), plot_(new views::TradeoffPlot),
      table_(new views::OperatingPointTable), controller_(new TradeoffController(plot_, table_, this)) {
  // The table under the plot rather than beside it: the plot keeps the panel's full width for the curves.
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(plot_);
  splitter->addWidget(table_);
  splitter->setSizes({560, 110});
  splitter->setChildrenCollapsible(false);
  table_->setMinimumHeight(70);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(controls_);
  layout->addWidget(splitter, 1);

  connect(controls_, &views::ThresholdControls::threshold_changed, controller_, &TradeoffController::set_threshold);
  connect(controls_, &views::ThresholdControls::measure_changed, this, &TradeoffPanel::measure_changed);
  connect(controls_, &views::ThresholdControls::axes_changed, this, [this](int compute, int quality) {
    controller_->set_axes({compute == 1 ? ComputeAxis::Flops : ComputeAxis::Blocks,
                           quality == 1 ? QualityAxis::Accuracy : QualityAxis::Consistency});
  });
  measure_changed(controls_->measure());
  controller_->set_threshold(controls_->threshold());
}

void TradeoffPanel::measure_changed(const QString& measure) {
  const auto [lo, hi] = TradeoffController::threshold_range(measure);
  controls_->set_range(lo, hi);
  controller_->set_measure(measure);
}

}  // namespace dynamax::app
