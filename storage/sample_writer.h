#pragma once
// Writes one recorded sample — its row, its tokens and one row per (token, depth) — in a single transaction,
// so a run killed at any moment never leaves a half-written sample. Exit classifiers' scores, when the record
// has them, go to `classifier_scores`, one row per (classifier, token, exit depth). A sample continued from a
// shared prefix (storage/prefix_store.h) references it and stores only its own positions.
#include <cstdint>

#include "core/exits/exit_record.h"
#include "storage/exit_rows_writer.h"
#include "storage/sample_row.h"
#include "storage/sqlite_db.h"

namespace dynamax {

class SampleWriter {
 public:
  explicit SampleWriter(Database& db);
  // Returns the new sample id. `prefix_id` (0 = none): the stored prefix whose length is record.start.
  int64_t write(int64_t run_id, const SampleText& text, const SampleRecord& record, int64_t prefix_id = 0);

 private:
  Database& db_;
  SampleRowWriter sample_row_;
  ExitRowsWriter rows_;
};

}  // namespace dynamax
