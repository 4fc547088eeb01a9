#pragma once
// Runs on the same dataset compared sample by sample at one threshold: where each sample's tokens exit, whether
// its scored tokens keep the full model's token, and which runs keep a sample that another run changes.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/analysis/exit_outcomes.h"
#include "core/analysis/recorded_run.h"

namespace dynamax {

// One sample of one run at τ.
struct SampleExits {
  int64_t sample_index = 0;    // in the dataset: what pairs samples across runs
  size_t tokens = 0;
  double mean_depth = 0;       // blocks, over all of the sample's own tokens (after its shared prefix, if any)
  size_t scored = 0;           // tokens that predict a scored token (the answer; all but the last of a text window)
  size_t scored_agreeing = 0;  // of those, exits whose top-1 equals the full model's
  std::vector<bool> kept;      // [scored]: whether each scored token's exit keeps the full model's token

  double consistency() const;  // scored_agreeing / scored; NaN when nothing is scored
  bool keeps() const { return scored_agreeing == scored; }  // every scored token keeps the full model's token
};

// One entry per sample of the run, in the run's (ascending sample index) order; `exit_depths` has one depth per
// row. Throws dynamax::Error when the sizes of run, outcomes and depths differ.
std::vector<SampleExits> sample_exits(const RecordedRun& run, const ExitOutcomes& outcomes,
                                      std::span<const int> exit_depths);

// A sample every run holds: its position in each run's list.
struct PairedSample {
  int64_t sample_index = 0;
  std::vector<size_t> in_run;  // [runs]
};
// The samples all runs hold, by ascending sample index (each run's list ascending, as sample_exits gives it).
std::vector<PairedSample> pair_samples(std::span<const std::vector<SampleExits>> runs);

// Which runs keep a sample: "both keep", "both change", "only A keeps" for two runs; "all keep", "all change",
// "only A keeps", "only A, B keep" for more; "keeps" or "changes" for one.
std::string agreement_label(const std::vector<bool>& keeps, std::span<const std::string> run_names);
// Some runs keep the sample and others change it.
bool runs_differ(const std::vector<bool>& keeps);

// The share of scored tokens on which every run does the same (all keep the full model's token or all change it);
// -1 when the runs' scored tokens do not line up (a different tokenizer) or fewer than two runs are given.
double token_agreement(std::span<const SampleExits* const> samples);

}  // namespace dynamax
