#pragma once
// Writes one recorded sample — its row, its tokens and one row per (token, depth) — in a single transaction,
// so a run killed at any moment never leaves a half-written sample. Exit classifiers' scores, when the record
// has them, go to `classifier_scores`, one row per (classifier, token, exit depth).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/exits/exit_record.h"
#include "storage/sqlite_db.h"

namespace dynamax {

struct SampleText {
  int64_t index = 0;  // position in the dataset
  std::string key, prompt, answer;
  int prompt_tokens = 0;  // ids[0, prompt_tokens) are the prompt
  std::vector<std::string> gold;
  double seconds = 0;  // wall time of the pass
};

class SampleWriter {
 public:
  explicit SampleWriter(Database& db);
  // Returns the new sample id.
  int64_t write(int64_t run_id, const SampleText& text, const SampleRecord& record);

 private:
  // One statement inserts all depths of a token: far fewer VM round trips than a statement per row.
  Statement& insert_exits_for(int depths);

  Database& db_;
  Statement insert_sample_, insert_token_, insert_topk_, insert_score_, touch_run_;
  std::optional<Statement> insert_exits_;
  int insert_exits_depths_ = 0;
};

}  // namespace dynamax
