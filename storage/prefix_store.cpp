#include "storage/prefix_store.h"

#include <limits>
#include <map>

#include "core/common/error.h"

namespace dynamax {

PrefixWriter::PrefixWriter(Database& db)
    : db_(db),
      insert_prefix_(db.prepare("INSERT INTO prefixes (run_id, token_count, seconds) VALUES (?, ?, ?)")),
      rows_(db, ExitRowsWriter::Owner::Prefix) {}

int64_t PrefixWriter::write(int64_t run_id, const SampleRecord& r, double seconds) {
  if (r.start != 0) throw Error("prefix writer: a prefix starts at position 0, not " + std::to_string(r.start));
  Transaction tx(db_);
  insert_prefix_.bind(1, run_id).bind(2, r.positions).bind(3, seconds).run();
  const int64_t id = db_.last_insert_id();
  rows_.write(id, r, std::numeric_limits<int>::max());
  tx.commit();
  return id;
}

std::vector<StoredPrefix> load_stored_prefixes(Database& db, int64_t run_id) {
  std::vector<StoredPrefix> out;
  std::map<int64_t, int64_t> expected;  // id → token_count
  Statement prefixes = db.prepare("SELECT id, token_count FROM prefixes WHERE run_id = ? ORDER BY id");
  prefixes.bind(1, run_id);
  while (prefixes.step()) {
    out.push_back({prefixes.int64(0), {}, -1});
    expected[prefixes.int64(0)] = prefixes.int64(1);
  }
  Statement tokens = db.prepare(
      "SELECT t.prefix_id, t.position, t.token_id, t.target_id FROM prefixes p JOIN prefix_tokens t ON t.prefix_id = p.id "
      "WHERE p.run_id = ? ORDER BY t.prefix_id, t.position");
  tokens.bind(1, run_id);
  size_t at = 0;
  while (tokens.step()) {
    while (at < out.size() && out[at].id != tokens.int64(0)) ++at;
    if (at == out.size()) break;
    StoredPrefix& p = out[at];
    if (tokens.int64(1) != int64_t(p.token_ids.size())) break;  // a gap: reported below
    p.token_ids.push_back(tokens.integer(2));
    p.last_target = tokens.integer(3);
  }
  for (const StoredPrefix& p : out)
    if (int64_t(p.token_ids.size()) != expected[p.id] || p.token_ids.empty())
      throw Error(db.path().string() + ": shared prefix " + std::to_string(p.id) + " of run " + std::to_string(run_id) +
                  " has " + std::to_string(p.token_ids.size()) + " token rows in order where its token_count says " +
                  std::to_string(expected[p.id]));
  return out;
}

}  // namespace dynamax
