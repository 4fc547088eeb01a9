#pragma once
// Records a dataset's samples into a run: one teacher-forced pass each, or — for samples that share a prompt
// prefix — the prefix once (stored once, in prefix_* tables) and every sample continued from a copy of its state.
#include <atomic>
#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <vector>

#include "core/exits/exit_record.h"
#include "core/tasks/dataset.h"
#include "core/tasks/shared_prefixes.h"
#include "storage/prefix_store.h"
#include "storage/sample_writer.h"

namespace dynamax::app {

class SampleRecorder {
 public:
  SampleRecorder(Database& db, int64_t run_id, Model& model, int top_k, std::span<const ExitScorer* const> scorers,
                 ExitHead head, const std::atomic<bool>& cancel);

  // Called after each stored sample with its token count (prefix included).
  std::function<void(int tokens)> on_sample;

  // Records the samples [first, end) of `dataset` whose index is not in `stored`; `share` groups them by shared
  // prefixes. Throws Cancelled between blocks when `cancel` is set.
  void record_all(const Dataset& dataset, size_t first, size_t end, const std::set<int64_t>& stored, bool share);

 private:
  void record_group(const Dataset& dataset, const SharedPrefix& group, size_t first, size_t end,
                    const std::set<int64_t>& stored);
  // The state after the group's prefix: from the stored prefix of the same tokens, else recorded and stored now.
  RecordingState prefix_state(const Sample& first, int length, int64_t& prefix_id);
  void record(const Dataset& dataset, size_t index, RecordingState state, int64_t prefix_id);

  Database& db_;
  int64_t run_id_;
  Model& model_;
  int top_k_;
  ExitHead head_;
  std::span<const ExitScorer* const> scorers_;
  ForwardHooks hooks_;
  SampleWriter samples_;
  PrefixWriter prefixes_;
  std::vector<StoredPrefix> stored_prefixes_;
};

}  // namespace dynamax::app
