#include "app/jobs/sample_recorder.h"

#include <algorithm>
#include <chrono>

namespace dynamax::app {

using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

SampleRecorder::SampleRecorder(Database& db, int64_t run_id, Model& model, int top_k,
                               std::span<const ExitScorer* const> scorers, ExitHead head,
                               const std::atomic<bool>& cancel)
    : db_(db), run_id_(run_id), model_(model), top_k_(top_k), head_(head), scorers_(scorers), samples_(db), prefixes_(db) {
  hooks_.cancel = &cancel;
}

void SampleRecorder::record_all(const Dataset& dataset, size_t first, size_t end, const std::set<int64_t>& stored,
                                bool share) {
  std::vector<SharedPrefix> groups;
  if (share) {
    // Grouped over the whole dataset, not only what is left or this shard's slice, so that a resumed run finds the
    // prefixes it stored and every sample of a shard is split into prefix and continuation as in an unsharded run.
    groups = find_dataset_prefixes(dataset);
    stored_prefixes_ = load_stored_prefixes(db_, run_id_);
  }
  std::vector<const SharedPrefix*> group_of(dataset.size(), nullptr);
  for (const SharedPrefix& g : groups)
    for (size_t i : g.members) group_of[i] = &g;
  std::set<const SharedPrefix*> recorded;  // a group is recorded whole where its first unstored member comes
  for (size_t i = first; i < end; ++i) {
    if (stored.count(int64_t(i))) continue;
    if (!group_of[i])
      record(dataset, i, start_recording(model_, scorers_), 0);
    else if (recorded.insert(group_of[i]).second)
      record_group(dataset, *group_of[i], first, end, stored);
  }
}

void SampleRecorder::record_group(const Dataset& dataset, const SharedPrefix& group, size_t first, size_t end,
                                  const std::set<int64_t>& stored) {
  int64_t prefix_id = 0;
  const RecordingState prefix = prefix_state(dataset.sample(group.members.front()), group.length, prefix_id);
  for (size_t i : group.members)
    if (i >= first && i < end && !stored.count(int64_t(i))) record(dataset, i, prefix.clone(), prefix_id);
}

RecordingState SampleRecorder::prefix_state(const Sample& first, int length, int64_t& prefix_id) {
  const std::span<const int32_t> tokens(first.ids.data(), size_t(length));
  RecordingState state = start_recording(model_, scorers_);
  for (const StoredPrefix& p : stored_prefixes_)
    if (std::equal(p.token_ids.begin(), p.token_ids.end(), tokens.begin(), tokens.end()) &&
        p.last_target == first.ids[size_t(length)]) {
      advance_recording(model_, state, first.ids, length, hooks_, scorers_);
      prefix_id = p.id;
      return state;
    }
  const auto t0 = Clock::now();
  const SampleRecord record = record_span(model_, state, first.ids, length, top_k_, hooks_, scorers_, head_);
  prefix_id = prefixes_.write(run_id_, record, seconds_since(t0));
  stored_prefixes_.push_back({prefix_id, std::vector<int32_t>(tokens.begin(), tokens.end()), first.ids[size_t(length)]});
  return state;
}

void SampleRecorder::record(const Dataset& dataset, size_t index, RecordingState state, int64_t prefix_id) {
  if (hooks_.cancel->load()) throw Cancelled();
  const Sample sample = dataset.sample(index);
  const auto t0 = Clock::now();
  const SampleRecord record = record_span(model_, state, sample.ids, int(sample.ids.size()), top_k_, hooks_, scorers_, head_);
  const SampleText text{int64_t(index), sample.key,         sample.prompt,   sample.answer,
                        sample.prompt_tokens, sample.gold, seconds_since(t0)};
  samples_.write(run_id_, text, record, prefix_id);
  if (on_sample) on_sample(int(sample.ids.size()));
}

}  // namespace dynamax::app
