#pragma once
// A recording run: every sample of a dataset through one teacher-forced pass with the exit head at every depth,
// written sample by sample to the workspace database. Synchronous; the caller owns the thread (the CLI runs it
// directly, the window in a worker). Resumable: a resumed run skips the samples already stored, and continues the
// samples of a stored shared prefix from it (its state rebuilt by the blocks alone, no rows written again).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/tasks/shard.h"
#include "core/kernels/precision.h"
#include "core/exits/exit_head.h"

namespace dynamax::app {

struct RecordOptions {
  std::filesystem::path model_dir;
  std::string dataset_spec;  // kind:path[#options]
  std::filesystem::path db_path;
  size_t limit = 0;          // samples (text windows for `text`); 0 = all
  Shard shard;               // this process's slice of the (limited) dataset
  int threads = 0;           // BLAS threads; 0 = OpenBLAS default
  Precision precision = Precision::FP32;  // the matmuls'; bf16 falls back to fp32 where the CPU cannot serve it
  int top_k = 0;             // also store the top-k ids/log-probs per (token, depth); 0 = off
  bool shared_prefixes = true;  // samples that share a prompt prefix continue from one computed, once-stored copy
  ExitHead exit_head = ExitHead::Direct;  // how exits below L read their token (core/exits/exit_head.h)
  std::optional<int64_t> resume_run;  // continue this run instead of starting a new one
  bool force = false;                 // resume even though the run's owner seems alive (the user says it is gone)
  std::vector<std::filesystem::path> classifiers;  // exit classifier files whose scores are recorded too
  std::vector<std::string> stored_classifiers;      // and the workspace's classifiers of these names
};

struct RecordProgress {
  int64_t run_id = 0;
  size_t samples_done = 0, samples_total = 0;  // done includes samples stored before a resume
  int64_t tokens_done = 0;  // tokens of the samples recorded by this process (a shared prefix counts in each)
  double tokens_per_second = 0, eta_seconds = 0;
};

struct RecordResult {
  int64_t run_id = 0;
  std::string status;  // done | cancelled
  size_t samples = 0;
  int64_t tokens = 0;
  std::vector<std::string> warnings;  // malformed records skipped under on_error=skip, "file:line: why"
};

// What to tell the user when more samples were asked for (`limit`) than the dataset has; empty otherwise.
std::string fewer_samples_note(size_t limit, size_t dataset_samples);

// Runs to completion or cancellation. Errors after the run exists mark it 'failed' (with the message) and are
// rethrown as dynamax::Error; `cancel` marks it 'cancelled' (resumable).
RecordResult run_record_job(const RecordOptions& options, const std::atomic<bool>& cancel,
                            const std::function<void(const RecordProgress&)>& progress = {});

}  // namespace dynamax::app
