#include "storage/exit_topk_reader.h"

#include <algorithm>
#include <limits>
#include <string>

#include "core/analysis/recorded_run.h"
#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

SampleTopK load_sample_topk(Database& db, int64_t run_id, int64_t sample_index, int positions, int depths) {
  SampleTopK out;
  out.positions = positions;
  out.depths = depths;
  // A negative index is a shared prefix's rows (RecordedRun's key −prefix id).
  const bool prefix = RecordedRun::is_prefix(sample_index);
  const std::string rows_of = prefix ? "prefixes s JOIN prefix_exit_topk x ON x.prefix_id = s.id WHERE s.run_id = ? AND s.id = ?"
                                     : "samples s JOIN exit_topk x ON x.sample_id = s.id WHERE s.run_id = ? AND s.sample_index = ?";
  const int64_t owner = prefix ? -sample_index : sample_index;
  Statement k = db.prepare("SELECT max(x.rank) FROM " + rows_of);
  k.bind(1, run_id).bind(2, owner);
  if (!k.step() || k.is_null(0) || positions <= 0 || depths <= 0) return out;
  const int64_t max_rank = k.int64(0);
  if (max_rank < 1 || max_rank > kMaxTopK)
    throw Error(db.path().string() + ": exit_topk rows of run " + std::to_string(run_id) + ", sample " +
                std::to_string(sample_index) + ": " + out_of_range("rank", max_rank, 1, kMaxTopK));
  out.k = int(max_rank);
  out.ids.assign(size_t(positions) * size_t(depths) * size_t(out.k), -1);
  out.logprobs.assign(out.ids.size(), -std::numeric_limits<float>::infinity());
  Statement rows = db.prepare("SELECT x.position, x.depth, x.rank, x.token_id, x.logprob FROM " + rows_of);
  rows.bind(1, run_id).bind(2, owner);
  while (rows.step()) {
    const int64_t position = rows.int64(0), depth = rows.int64(1), rank = rows.int64(2);
    if (position < 0 || position >= positions || depth < 1 || depth > depths || rank < 1 || rank > out.k) continue;
    const size_t at = out.at(int(position), int(depth), int(rank) - 1);
    out.ids[at] = rows.integer(3);
    out.logprobs[at] = float(rows.real(4));
  }
  return out;
}

}  // namespace dynamax
