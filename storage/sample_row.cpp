#include "storage/sample_row.h"

#include <nlohmann/json.hpp>

namespace dynamax {

SampleRowWriter::SampleRowWriter(Database& db)
    : db_(db),
      insert_sample_(db.prepare(
          "INSERT INTO samples (run_id, sample_index, key, prompt, answer, prompt_tokens, token_count, gold_json, seconds, "
          "prefix_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      touch_run_(db.prepare("UPDATE runs SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?")) {}

int64_t SampleRowWriter::write(int64_t run_id, const SampleText& text, int token_count, int64_t prefix_id) {
  insert_sample_.bind(1, run_id)
      .bind(2, text.index)
      .bind(3, text.key)
      .bind(4, text.prompt)
      .bind(5, text.answer)
      .bind(6, text.prompt_tokens)
      .bind(7, token_count)
      .bind(8, nlohmann::json(text.gold).dump())
      .bind(9, text.seconds);
  if (prefix_id)
    insert_sample_.bind(10, prefix_id);
  else
    insert_sample_.bind_null(10);
  insert_sample_.run();
  const int64_t sample_id = db_.last_insert_id();
  touch_run_.bind(1, run_id).run();
  return sample_id;
}

}  // namespace dynamax
