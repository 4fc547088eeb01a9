#pragma once
// A recorded run held in memory as columnar arrays: what every analysis (sweeps, baselines, plots) reads.
// Loaded once per run from the workspace database (storage/run_reader.h) or built by hand in tests.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dynamax {

// Shared prompt prefixes (recorded once, continued by several samples) are rows of their own, once each, so that
// statistics over all positions count them once: they come first, under the negative sample_index −(prefix id),
// and the samples that continue one hold only their positions from its length on.
struct RecordedRun {
  int depths = 0;
  size_t tokens = 0;  // rows, in (sample_index, position) order
  std::vector<int64_t> sample_index;
  std::vector<int32_t> position, token_id, target_id, final_top1;
  std::vector<uint8_t> predicts_answer;  // the next token belongs to the reference answer
  // [tokens × depths], token-major: column[row * depths + (depth − 1)]
  std::vector<int32_t> top1;
  std::vector<float> prob, margin, entropy, saturation;
  // Exit classifiers' scores by classifier name, same layout; NaN at depths where the classifier has no exit.
  std::map<std::string, std::vector<float>> classifier_scores;
  // FLOPs of one evaluation of each classifier on one token at one depth (what its measure's compute adds).
  std::map<std::string, int64_t> classifier_flops;
  // Recorded with the last-block exit head (core/exits/exit_head.h): an exit's top1 is what block L + head read from
  // h_d, and a token leaving below L pays block L too.
  bool last_block = false;

  // sample_index → the sample_index of the shared prefix it continues (samples without one are absent).
  std::map<int64_t, int64_t> prefix_of;

  size_t cell(size_t row, int depth) const { return row * size_t(depths) + size_t(depth - 1); }
  static bool is_prefix(int64_t sample_index) { return sample_index < 0; }
};

}  // namespace dynamax
