#pragma once
// Writes one recorded sample — its row, its tokens and one row per (token, depth) — in a single transaction,
// so a run killed at any moment never leaves a half-written sample. Exit classifiers' scores, when the record
// has them, go to `classifier_scores`, one row per (classifier, token, exit depth).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/exits/exit_record.h"
#include "storage/sample_row.h"
#include "storage/sqlite_db.h"

namespace dynamax {

class SampleWriter {
 public:
  explicit SampleWriter(Database& db);
  // Returns the new sample id.
  int64_t write(int64_t run_id, const SampleText& text, const SampleRecord& record);

 private:
  // One statement inserts all depths of a token: far fewer VM round trips than a statement per row.
  Statement& insert_exits_for(int depths);

  Database& db_;
  SampleRowWriter sample_row_;
  Statement insert_token_, insert_topk_, insert_score_;
  std::optional<Statement> insert_exits_;
  int insert_exits_depths_ = 0;
};

}  // namespace dynamax
