#pragma once
// An evaluation run: every sample of a dataset answered once by the full model and once per early-exit policy
// (one per threshold), scored against the ground truth and against the full model's answer, and written sample
// by sample to the workspace database (run kind 'evaluate', tables generations + generation_steps). Both are
// timed in the same process, one after the other, for the tokens/s comparison. Synchronous and resumable like
// the recording job; `cancel` is honoured between tokens.
//   triviaqa, coqa, truthfulqa  greedy answers until a stop string ("\n" unless given), EOS or the token limit
//   truthfulqa-mc               MC1/MC2 from each choice's log-likelihood, teacher-forced through the policy
//   text                        next-token accuracy and perplexity, teacher-forced through the policy
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/exits/early_exit_decoder.h"
#include "core/tasks/shard.h"
#include "core/kernels/precision.h"
#include "core/tasks/metric_conventions.h"
#include "storage/generation_summary.h"

namespace dynamax::app {

struct EvaluateOptions {
  std::filesystem::path model_dir;
  std::string dataset_spec;
  std::filesystem::path db_path;
  size_t limit = 0;  // samples; 0 = all
  Shard shard;       // this process's slice of the (limited) dataset
  int max_new_tokens = 32;
  int threads = 0;  // BLAS threads; 0 = OpenBLAS default
  Precision precision = Precision::FP32;  // the matmuls'; bf16 falls back to fp32 where the CPU cannot serve it
  ConfidenceMeasure measure;
  std::filesystem::path classifier_file;  // the exit classifier of a classifier:NAME measure; empty: the workspace's
  std::vector<double> thresholds = {0.9};
  std::vector<int> depths;  // empty: every depth (a classifier's own exits for a classifier measure)
  int min_depth = 1;
  SkipStrategy skip;
  ExitHead exit_head = ExitHead::Direct;
  std::vector<std::string> stop_strings;  // empty: "\n" for the QA kinds
  RepetitionPenalty repetition;
  MetricConventions metrics = MetricConventions::Official;  // where TruthfulQA's official script and lm-eval differ
  std::optional<int64_t> resume_run;
  bool shared_prefixes = true;  // the policies (and a question's choices) continue one prefill of the prompt
  bool force = false;  // resume even though the run's owner seems alive (the user says it is gone)
};

struct EvaluateProgress {
  int64_t run_id = 0;
  size_t samples_done = 0, samples_total = 0;
};

struct EvaluateResult {
  int64_t run_id = 0;
  std::string status;  // done | cancelled
  std::string dataset_kind, strategy;
  std::vector<PolicySummary> policies;  // "full" first
  std::vector<std::string> warnings;  // malformed records skipped under on_error=skip, "file:line: why"
};

// The policy names of a run: "full", then "<measure>@<threshold>" per threshold.
std::string policy_name(const ConfidenceMeasure& measure, double threshold);

EvaluateResult run_evaluate_job(const EvaluateOptions& options, const std::atomic<bool>& cancel,
                                const std::function<void(const EvaluateProgress&)>& progress = {});

}  // namespace dynamax::app
