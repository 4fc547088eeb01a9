#pragma once
// The comparison dock's numbers, from the runs the trade-off panel shows. What stays fixed while τ moves is worked
// out once per analysed run (ComparedRun: whether each exit keeps the full model's token, the samples' excerpts);
// at a τ, each token's exit depth comes from the run's own sweep, and the histograms and per-sample rows from them.
#include <QColor>
#include <QString>
#include <QVector>
#include <memory>
#include <vector>

#include "app/ui/analysed_run.h"
#include "core/analysis/exit_outcomes.h"
#include "views/exit_depth_histogram_data.h"
#include "views/sample_agreement_data.h"

namespace dynamax::app {

class ComparedRun {
 public:
  // O(tokens × depths): once per analysed run, not per τ. Throws dynamax::Error for an empty run.
  explicit ComparedRun(AnalysedRunPtr run);

  const AnalysedRun& analysed() const { return *run_; }
  const AnalysedRunPtr& pointer() const { return run_; }
  const ExitOutcomes& outcomes() const { return outcomes_; }
  const QString& excerpt(size_t sample) const { return excerpts_[sample]; }  // in the run's sample order
  std::vector<int> exit_depths(double tau) const;  // one per token

 private:
  AnalysedRunPtr run_;
  ExitOutcomes outcomes_;
  std::vector<QString> excerpts_;
};
using ComparedRunPtr = std::shared_ptr<const ComparedRun>;

struct Comparison {
  QVector<views::RunExitHistogram> histograms;
  views::SampleAgreementData agreement;
};

// The histograms and agreement rows at τ; `colors` holds each run's curve colour, in `runs` order. Runs of
// different datasets get histograms and, instead of rows, a message saying why samples are not paired.
Comparison compare_runs(const std::vector<ComparedRunPtr>& runs, const QVector<QColor>& colors, double tau);

}  // namespace dynamax::app
