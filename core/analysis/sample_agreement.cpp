#include "core/analysis/sample_agreement.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace dynamax {

double SampleExits::consistency() const { return scored ? double(scored_agreeing) / double(scored) : NAN; }

std::vector<SampleExits> sample_exits(const RecordedRun& run, const ExitOutcomes& outcomes,
                                      std::span<const int> exit_depths) {
  if (run.tokens != outcomes.tokens() || exit_depths.size() != outcomes.tokens())
    throw Error("sample exits: " + std::to_string(exit_depths.size()) + " exit depths for a run of " +
                std::to_string(run.tokens) + " tokens with outcomes of " + std::to_string(outcomes.tokens()));
  const std::vector<size_t>& starts = outcomes.sample_starts();
  std::vector<SampleExits> out;
  out.reserve(starts.size() - 1);
  for (size_t s = 0; s + 1 < starts.size(); ++s) {
    SampleExits e;
    e.sample_index = run.sample_index[starts[s]];
    e.tokens = starts[s + 1] - starts[s];
    int64_t depth_sum = 0;
    for (size_t row = starts[s]; row < starts[s + 1]; ++row) {
      const int d = exit_depths[row];
      depth_sum += d;
      if (!outcomes.is_answer(row)) continue;
      ++e.scored;
      e.kept.push_back(outcomes.agrees(row, d));
      e.scored_agreeing += e.kept.back();
    }
    e.mean_depth = double(depth_sum) / double(e.tokens);
    out.push_back(e);
  }
  return out;
}

std::vector<PairedSample> pair_samples(std::span<const std::vector<SampleExits>> runs) {
  std::vector<PairedSample> out;
  if (runs.empty()) return out;
  std::vector<size_t> cursor(runs.size(), 0);
  for (size_t first = 0; first < runs[0].size(); ++first) {
    if (RecordedRun::is_prefix(runs[0][first].sample_index)) continue;  // a shared prefix, not a sample
    PairedSample pair{runs[0][first].sample_index, {first}};
    for (size_t r = 1; r < runs.size(); ++r) {
      const std::vector<SampleExits>& run = runs[r];
      while (cursor[r] < run.size() && run[cursor[r]].sample_index < pair.sample_index) ++cursor[r];
      if (cursor[r] == run.size() || run[cursor[r]].sample_index != pair.sample_index) break;
      pair.in_run.push_back(cursor[r]);
    }
    if (pair.in_run.size() == runs.size()) out.push_back(std::move(pair));
  }
  return out;
}

std::string agreement_label(const std::vector<bool>& keeps, std::span<const std::string> run_names) {
  if (keeps.size() != run_names.size())
    throw Error("agreement label: " + std::to_string(keeps.size()) + " runs but " + std::to_string(run_names.size()) +
                " names");
  const size_t keeping = size_t(std::count(keeps.begin(), keeps.end(), true));
  if (keeps.size() == 1) return keeping ? "keeps" : "changes";
  const std::string all = keeps.size() == 2 ? "both" : "all";
  if (keeping == keeps.size()) return all + " keep";
  if (keeping == 0) return all + " change";
  std::string names;
  for (size_t r = 0; r < keeps.size(); ++r)
    if (keeps[r]) names += (names.empty() ? "" : ", ") + run_names[r];
  return "only " + names + (keeping == 1 ? " keeps" : " keep");
}

double token_agreement(std::span<const SampleExits* const> samples) {
  if (samples.size() < 2) return -1;
  const SampleExits& first = *samples[0];
  for (const SampleExits* s : samples)
    if (s->tokens != first.tokens || s->kept.size() != first.kept.size()) return -1;
  if (first.kept.empty()) return -1;
  size_t same = 0;
  for (size_t t = 0; t < first.kept.size(); ++t)
    same += std::all_of(samples.begin(), samples.end(), [&](const SampleExits* s) { return s->kept[t] == first.kept[t]; });
  return double(same) / double(first.kept.size());
}

bool runs_differ(const std::vector<bool>& keeps) {
  return std::find(keeps.begin(), keeps.end(), true) != keeps.end() &&
         std::find(keeps.begin(), keeps.end(), false) != keeps.end();
}

}  // namespace dynamax
