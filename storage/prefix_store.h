#pragma once
// Shared prompt prefixes of a run (schema version 3): written once, in one transaction, before the samples that
// continue them; read back when a run resumes, so a stored prefix is neither recorded nor stored twice.
#include <cstdint>
#include <vector>

#include "core/exits/exit_record.h"
#include "storage/exit_rows_writer.h"
#include "storage/sqlite_db.h"

namespace dynamax {

class PrefixWriter {
 public:
  explicit PrefixWriter(Database& db);
  // Stores the prefix's row and its positions 0..record.positions−1; returns the prefix id.
  int64_t write(int64_t run_id, const SampleRecord& record, double seconds);

 private:
  Database& db_;
  Statement insert_prefix_;
  ExitRowsWriter rows_;
};

struct StoredPrefix {
  int64_t id = 0;
  std::vector<int32_t> token_ids;  // the input at positions 0..length−1
  int32_t last_target = -1;        // the token after them (the same for every sample that continues it)
};

// The run's prefixes, by id. Throws dynamax::Error for a prefix whose token rows do not match its token_count.
std::vector<StoredPrefix> load_stored_prefixes(Database& db, int64_t run_id);

}  // namespace dynamax
