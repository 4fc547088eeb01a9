#pragma once
// The rows of one recorded span — tokens, one row per (token, depth), top-k, classifier scores — into the tables of
// their owner: a sample (tokens, exits, exit_topk, classifier_scores) or a shared prefix (prefix_tokens, ...).
// Rows are written at positions record.start + row. The caller holds the transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "core/exits/exit_record.h"
#include "storage/sqlite_db.h"

namespace dynamax {

class ExitRowsWriter {
 public:
  enum class Owner { Sample, Prefix };
  ExitRowsWriter(Database& db, Owner owner);
  // A position predicts an answer token when its next token is at or after `prompt_tokens` (prefixes: never).
  void write(int64_t owner_id, const SampleRecord& record, int prompt_tokens);

 private:
  // One statement inserts all depths of a token: far fewer VM round trips than a statement per row.
  Statement& insert_exits_for(int depths);

  Database& db_;
  std::string table_prefix_, owner_column_;
  Statement insert_token_, insert_topk_, insert_score_;
  std::optional<Statement> insert_exits_;
  int insert_exits_depths_ = 0;
};

}  // namespace dynamax
