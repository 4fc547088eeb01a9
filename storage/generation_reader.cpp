#include "storage/generation_reader.h"

#include <cmath>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

std::vector<int64_t> generation_sample_indices(Database& db, int64_t run_id) {
  Statement q = db.prepare("SELECT DISTINCT sample_index FROM generations WHERE run_id = ? ORDER BY sample_index");
  q.bind(1, run_id);
  std::vector<int64_t> out;
  while (q.step()) out.push_back(q.int64(0));
  return out;
}

std::vector<StoredGeneration> load_sample_generations(Database& db, int64_t run_id, int64_t sample_index) {
  Statement q = db.prepare(
      "SELECT id, policy, output_text, blocks_executed, blocks_full, metrics_json FROM generations "
      "WHERE run_id = ? AND sample_index = ? ORDER BY id");
  q.bind(1, run_id).bind(2, sample_index);
  Statement steps = db.prepare(
      "SELECT token_id, exit_depth, score, extra_blocks FROM generation_steps WHERE generation_id = ? ORDER BY step");
  std::vector<StoredGeneration> out;
  while (q.step()) {
    StoredGeneration g;
    g.sample_index = sample_index;
    g.policy = q.text(1);
    g.output_text = q.text(2);
    g.blocks_executed = q.real(3);
    g.blocks_full = q.real(4);
    g.metrics_json = q.text(5);
    steps.reset();
    steps.bind(1, q.int64(0));
    while (steps.step()) {
      const std::string row = "generation_steps row of generation " + std::to_string(q.int64(0));
      const int64_t token = steps.int64(0), depth = steps.int64(1);
      if (token < 0 || token >= kMaxVocabulary)
        throw Error(db.path().string() + ": " + row + ": " + out_of_range("token_id", token, 0, kMaxVocabulary - 1));
      if (depth < 0 || depth > kMaxDepths)
        throw Error(db.path().string() + ": " + row + ": " + out_of_range("exit_depth", depth, 0, kMaxDepths));
      g.steps.push_back({int32_t(token), int(depth), steps.is_null(2) ? std::nanf("") : float(steps.real(2)),
                         steps.real(3)});
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::string sample_prompt(Database& db, int64_t run_id, int64_t sample_index) {
  Statement q = db.prepare("SELECT prompt FROM samples WHERE run_id = ? AND sample_index = ?");
  q.bind(1, run_id).bind(2, sample_index);
  return q.step() ? q.text(0) : std::string();
}

}  // namespace dynamax
