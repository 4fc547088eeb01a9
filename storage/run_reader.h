#pragma once
// Loads a recorded run into memory as columnar arrays (one load per run; analyses then run on the arrays).
#include <cstdint>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

struct RunColumns {
  int depths = 0;
  size_t tokens = 0;  // rows, in (sample_index, position) order
  std::vector<int64_t> sample_index;
  std::vector<int32_t> position, token_id, target_id, final_top1;
  std::vector<uint8_t> predicts_answer;
  // [tokens × depths], token-major: column[row * depths + (depth − 1)]
  std::vector<int32_t> top1;
  std::vector<float> prob, margin, entropy, saturation;
};

// Throws dynamax::Error when the run does not exist or its (token, depth) rows are incomplete.
RunColumns load_run_columns(Database& db, int64_t run_id);

}  // namespace dynamax
