#pragma once
// The top-k tokens every exit of one sample would have said (`exit_topk`, stored by `record --top-k K`), for the
// token inspector's hover. A run recorded without top-k gives k = 0.
#include <cstdint>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

struct SampleTopK {
  int positions = 0, depths = 0, k = 0;
  // [positions × depths × k], position-major, best first; ids −1 and log-probs −inf where a rank is missing
  std::vector<int32_t> ids;
  std::vector<float> logprobs;

  size_t at(int position, int depth, int rank) const {
    return (size_t(position) * size_t(depths) + size_t(depth - 1)) * size_t(k) + size_t(rank);
  }
};

// The top-k of the run's sample with `sample_index` (or of a shared prefix: its negative RecordedRun key), shaped to
// positions 0..positions−1 × `depths`; rows outside that shape are ignored (a damaged database must not crash the
// hover), a rank above kMaxTopK throws dynamax::Error. A sample that continues a prefix has rows from the prefix's
// length on only.
SampleTopK load_sample_topk(Database& db, int64_t run_id, int64_t sample_index, int positions, int depths);

}  // namespace dynamax
