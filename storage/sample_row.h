#pragma once
// The `samples` row every run kind writes for a finished sample (recordings and evaluations alike), and the
// touch of its run's updated_at. Callers write it inside their sample's transaction.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

struct SampleText {
  int64_t index = 0;  // position in the dataset
  std::string key, prompt, answer;
  int prompt_tokens = 0;  // ids[0, prompt_tokens) are the prompt
  std::vector<std::string> gold;
  double seconds = 0;  // wall time of the pass
};

class SampleRowWriter {
 public:
  explicit SampleRowWriter(Database& db);
  // Inserts the samples row and marks the run updated; returns the sample id. `prefix_id` (0 = none): the shared
  // prefix the sample continues.
  int64_t write(int64_t run_id, const SampleText& text, int token_count, int64_t prefix_id = 0);

 private:
  Database& db_;
  Statement insert_sample_, touch_run_;
};

}  // namespace dynamax
