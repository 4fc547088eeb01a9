#include "app/ui/comparison_panel.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

#include "app/ui/tradeoff_controller.h"
#include "views/exit_depth_histogram.h"
#include "views/sample_agreement_table.h"

namespace dynamax::app {

ComparisonPanel::ComparisonPanel(TradeoffController* analyses, QWidget* parent)
    : QWidget(parent), analyses_(analyses), caption_(new QLabel(this)), histograms_(new views::ExitDepthHistogram),
      table_(new views::SampleAgreementTable) {
  caption_->setEnabled(false);  // a quiet line above the views
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(histograms_);
  splitter->addWidget(table_);
  splitter->setSizes({520, 920});  // the table's columns need more width than the small multiples
  splitter->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(caption_);
  layout->addWidget(splitter, 1);
  connect(analyses_, &TradeoffController::runs_analysed, this, &ComparisonPanel::runs_analysed);
  connect(analyses_, &TradeoffController::threshold_moved, this, &ComparisonPanel::refresh);
  connect(table_, &views::SampleAgreementTable::sample_activated, this, [this](qint64 sample) {
    if (!runs_.empty()) emit sample_activated(runs_.front()->analysed().loaded.info.id, sample);
  });
  runs_analysed();
}

void ComparisonPanel::set_dark(bool dark) {
  histograms_->set_dark(dark);
  refresh();  // the runs' colours follow the plot's theme
}

void ComparisonPanel::set_in_view(bool in_view) {
  in_view_ = in_view;
  if (in_view_ && stale_) refresh();
}

void ComparisonPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) refresh();
}

// What does not depend on τ is worked out once per analysed run; runs analysed before are reused as they are.
void ComparisonPanel::runs_analysed() {
  std::vector<ComparedRunPtr> compared;
  QStringList errors;
  for (const AnalysedRunPtr& run : analyses_->runs()) {
    const auto same = std::find_if(runs_.begin(), runs_.end(), [&](const ComparedRunPtr& c) { return c->pointer() == run; });
    try {
      compared.push_back(same != runs_.end() ? *same : std::make_shared<const ComparedRun>(run));
    } catch (const std::exception& e) {
      errors << QString::fromStdString(run->loaded.name + ": " + e.what());
    }
  }
  runs_ = std::move(compared);
  not_compared_ = errors.isEmpty() ? QString() : "Not compared: " + errors.join("; ");
  refresh();
}

void ComparisonPanel::refresh() {
  if (!in_view_ || !isVisible()) {
    stale_ = true;  // the slider moves at screen rate: nothing to compute for a panel out of sight
    return;
  }
  stale_ = false;
  const double tau = analyses_->threshold();
  QVector<QColor> colors;
  const std::vector<AnalysedRunPtr>& shown = analyses_->runs();
  for (const ComparedRunPtr& run : runs_)
    colors.push_back(analyses_->run_color(size_t(std::find(shown.begin(), shown.end(), run->pointer()) - shown.begin())));
  try {
    const Comparison c = compare_runs(runs_, colors, tau);
    histograms_->set_data(c.histograms);
    table_->set_data(c.agreement);
    caption_->setText(QString("At τ = %1 (%2): where each run's tokens exit, and per sample its mean exit depth and "
                              "consistency with its own full model on the scored tokens.")
                          .arg(tau, 0, 'g', 3)
                          .arg(analyses_->measure()) +
                      (not_compared_.isEmpty() ? QString() : "\n" + not_compared_));
  } catch (const std::exception& e) {
    histograms_->set_data({});
    table_->set_data({});
    caption_->setText(QString("Cannot compare the runs: %1").arg(e.what()));
  }
}

}  // namespace dynamax::app
