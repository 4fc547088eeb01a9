#include "app/ui/token_inspector.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/ui/token_heatmap_builder.h"
#include "app/ui/tradeoff_controller.h"
#include "views/token_heatmap.h"

namespace dynamax::app {

TokenInspector::TokenInspector(TradeoffController* analyses, QWidget* parent)
    : QWidget(parent), analyses_(analyses), run_(new QComboBox(this)), sample_(new QSpinBox(this)),
      hint_(new QLabel(this)), heatmap_(new views::TokenHeatmap) {
  run_->setMinimumContentsLength(18);
  run_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  sample_->setPrefix("sample ");
  hint_->setText("Bold: the exit already agrees with the full model.  Red line: where each token exits at τ.  "
                 "Hover a cell for its measures.");
  hint_->setEnabled(false);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel("Run", this));
  bar->addWidget(run_);
  bar->addWidget(sample_);
  bar->addSpacing(12);
  bar->addWidget(hint_, 1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(heatmap_);
  scroll->setWidgetResizable(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(scroll, 1);
  connect(analyses_, &TradeoffController::runs_analysed, this, &TokenInspector::runs_changed);
  connect(analyses_, &TradeoffController::threshold_moved, this, &TokenInspector::threshold_moved);
  connect(run_, &QComboBox::currentIndexChanged, this, &TokenInspector::rebuild);
  connect(sample_, &QSpinBox::valueChanged, this, &TokenInspector::rebuild);
  runs_changed();
}

qint64 TokenInspector::run_id() const { return run_->currentData().toLongLong(); }

void TokenInspector::show_run(qint64 run_id) {
  const int index = run_->findData(run_id);
  if (index >= 0) run_->setCurrentIndex(index);
}

void TokenInspector::show_sample(int sample) { sample_->setValue(sample); }

void TokenInspector::set_dark(bool dark) { heatmap_->set_dark(dark); }

void TokenInspector::runs_changed() {
  const qint64 current = run_id();
  {
    const QSignalBlocker block(run_);
    run_->clear();
    for (const AnalysedRunPtr& r : analyses_->runs())
      run_->addItem(QString::fromStdString(r->loaded.name), qint64(r->loaded.info.id));
    const int index = run_->findData(current);
    run_->setCurrentIndex(index >= 0 ? index : 0);
  }
  rebuild();
}

void TokenInspector::rebuild() {
  const int index = run_->currentIndex();
  if (index < 0 || index >= int(analyses_->runs().size())) {
    heatmap_->set_data({});
    return;
  }
  const AnalysedRun& run = *analyses_->runs()[size_t(index)];
  {
    const QSignalBlocker block(sample_);
    sample_->setRange(0, std::max(0, sample_count(run) - 1));
  }
  heatmap_->set_data(token_heatmap_data(run, sample_->value(), analyses_->threshold()));
}

void TokenInspector::threshold_moved(double tau) {
  const int index = run_->currentIndex();
  if (index < 0 || index >= int(analyses_->runs().size())) return;
  heatmap_->set_exit_depths(exit_depths(*analyses_->runs()[size_t(index)], sample_->value(), tau));
}

}  // namespace dynamax::app
