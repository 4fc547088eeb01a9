#include "storage/run_reader.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

namespace {

// Who a token row belongs to: a sample (samples.id) or a shared prompt prefix (prefixes.id).
struct RowOwner {
  bool prefix = false;
  int64_t id = 0;
  bool operator==(const RowOwner&) const = default;
  bool operator<(const RowOwner& o) const { return prefix != o.prefix ? prefix : id < o.id; }
};

// Where the run's rows come from, to name a damaged one.
struct RunRows {
  Database& db;
  int64_t run_id;
  std::vector<RowOwner> owner;  // per token row

  [[noreturn]] void damaged(const std::string& row, const std::string& what) const {
    throw Error(db.path().string() + ": " + row + ": " + what);
  }
  int64_t check(const std::string& row, const char* column, int64_t value, int64_t lo, int64_t hi) const {
    if (value < lo || value > hi) damaged(row, out_of_range(column, value, lo, hi));
    return value;
  }
  // Ids only label tokens here (a tokenizer checks them against its vocabulary when it decodes them).
  int32_t token_id(const std::string& row, const char* column, int64_t value, int64_t lowest = 0) const {
    return int32_t(check(row, column, value, lowest, kMaxVocabulary - 1));
  }
};

// The key of a row: "(sample_id 3, position 7" or "(prefix_id 1, position 2", its table named before it.
std::string row_start(const char* table, const RowOwner& o) {
  return std::string(o.prefix ? "prefix_" : "") + table + " row (" + (o.prefix ? "prefix_id " : "sample_id ") +
         std::to_string(o.id);
}

// "tokens row (sample_id 3, position 7)"
std::string row_name(const char* table, const RowOwner& o, int64_t position) {
  return row_start(table, o) + ", position " + std::to_string(position) + ")";
}

// "prefix_exits row (prefix_id 1, position 2, depth 5)"
std::string row_name(const char* table, const RowOwner& o, int64_t position, int64_t depth) {
  return row_start(table, o) + ", position " + std::to_string(position) + ", depth " + std::to_string(depth) + ")";
}

// "(sample_id 2, position 4, depth 4)", the key alone
std::string row_key(const RowOwner& o, int64_t position, int64_t depth) {
  return std::string("(") + (o.prefix ? "prefix_id " : "sample_id ") + std::to_string(o.id) + ", position " +
         std::to_string(position) + ", depth " + std::to_string(depth) + ")";
}

// Shared prefixes of the run that a stored sample continues: their rows come first, under the key −id.
const std::string kContinued = "p.run_id = ?1 AND EXISTS (SELECT 1 FROM samples s WHERE s.prefix_id = p.id)";

// FLOPs per token of each classifier and the exit head, kept with the run's options.
void read_classifier_flops(const RunRows& rows, const std::string& config_json, RecordedRun& c) {
  const std::string row = "runs row " + std::to_string(rows.run_id);
  const auto config = parse_stored_json(config_json);
  if (!config.is_object()) rows.damaged(row, "config_json is not a JSON object");
  c.last_block = config.value("exit_head", std::string()) == "last-block";
  if (!config.contains("classifier_flops")) return;
  if (!config["classifier_flops"].is_object()) rows.damaged(row, "config_json: classifier_flops is not an object");
  for (const auto& [name, flops] : config["classifier_flops"].items()) {
    if (!flops.is_number_integer() || flops.get<int64_t>() < 0)
      rows.damaged(row, "config_json: classifier_flops of '" + shortened(name) + "' is not a count of FLOPs");
    c.classifier_flops[name] = flops.get<int64_t>();
  }
}

// A sample's own positions start where its prefix ends (0 without one), and run on one by one.
void read_tokens(RunRows& rows, RecordedRun& c) {
  Statement tokens = rows.db.prepare(
      "SELECT 1, p.id, -p.id, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1, 0 "
      "FROM prefixes p JOIN prefix_tokens t ON t.prefix_id = p.id WHERE " + kContinued + " UNION ALL "
      "SELECT 0, s.id, s.sample_index, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1, "
      "coalesce((SELECT q.token_count FROM prefixes q WHERE q.id = s.prefix_id), 0) "
      "FROM samples s JOIN tokens t ON t.sample_id = s.id WHERE s.run_id = ?1 ORDER BY 3, 4");
  tokens.bind(1, rows.run_id);
  while (tokens.step()) {
    const RowOwner owner{tokens.int64(0) != 0, tokens.int64(1)};
    const int64_t position = tokens.int64(3);
    const std::string row = row_name("tokens", owner, position);
    const int64_t key = owner.prefix ? tokens.int64(2)
                                     : rows.check("samples row " + std::to_string(owner.id), "sample_index",
                                                  tokens.int64(2), 0, INT64_MAX);
    const bool first_of_owner = rows.owner.empty() || !(rows.owner.back() == owner);
    const int64_t start = rows.check("prefixes row of " + row, "token_count", tokens.int64(8), 0, kMaxPositions - 1);
    const int64_t expected = first_of_owner ? start : int64_t(c.position.back()) + 1;
    if (position != expected)
      rows.damaged(row, "position " + std::to_string(position) + " where " + std::to_string(expected) +
                            " was expected (a sample's positions run on one by one from its shared prefix's end)");
    rows.owner.push_back(owner);
    c.sample_index.push_back(key);
    c.position.push_back(int32_t(rows.check(row, "position", position, 0, kMaxPositions - 1)));
    c.token_id.push_back(rows.token_id(row, "token_id", tokens.int64(4)));
    c.target_id.push_back(rows.token_id(row, "target_id", tokens.int64(5), -1));
    c.predicts_answer.push_back(uint8_t(rows.check(row, "predicts_answer", tokens.int64(6), 0, 1)));
    c.final_top1.push_back(rows.token_id(row, "final_top1", tokens.int64(7)));
  }
  c.tokens = c.position.size();
}

// Exactly one row per (token, depth), in token order: checked row by row, so the columns only grow with real rows.
void read_exits(const RunRows& rows, RecordedRun& c) {
  const size_t cells = c.tokens * size_t(c.depths);
  for (auto* column : {&c.prob, &c.margin, &c.entropy, &c.saturation}) column->reserve(cells);
  c.top1.reserve(cells);
  Statement exits = rows.db.prepare(
      "SELECT 1, p.id, -p.id, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM prefixes p "
      "JOIN prefix_exits e ON e.prefix_id = p.id WHERE " + kContinued + " UNION ALL "
      "SELECT 0, s.id, s.sample_index, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation "
      "FROM samples s JOIN exits e ON e.sample_id = s.id WHERE s.run_id = ?1 ORDER BY 3, 4, 5");
  exits.bind(1, rows.run_id);
  size_t n = 0;
  while (exits.step()) {
    const RowOwner owner{exits.int64(0) != 0, exits.int64(1)};
    const int64_t position = exits.int64(3), depth = exits.int64(4);
    const std::string row = row_name("exits", owner, position, depth);
    rows.check(row, "depth", depth, 1, c.depths);
    if (n >= cells) rows.damaged(row, "the run has more (token, depth) rows than its " + std::to_string(c.tokens) +
                                          " tokens × " + std::to_string(c.depths) + " depths");
    const size_t token = n / size_t(c.depths);
    const int expected_depth = int(n % size_t(c.depths)) + 1;
    if (!(owner == rows.owner[token]) || position != c.position[token] || depth != expected_depth)
      rows.damaged(row, "the row " + row_key(rows.owner[token], c.position[token], expected_depth) +
                            " was expected here: the run's (token, depth) rows are incomplete");
    c.top1.push_back(rows.token_id(row, "top1", exits.int64(5)));
    c.prob.push_back(float(exits.real(6)));
    c.margin.push_back(float(exits.real(7)));
    c.entropy.push_back(float(exits.real(8)));
    c.saturation.push_back(float(exits.real(9)));
    ++n;
  }
  if (n != cells)
    throw Error(rows.db.path().string() + ": run " + std::to_string(rows.run_id) + " has " + std::to_string(n) +
                " (token, depth) rows where " + std::to_string(cells) + " were expected");
}

// Each classifier's scores as a [tokens × depths] column, NaN where it has no exit.
void read_classifier_scores(const RunRows& rows, RecordedRun& c) {
  struct Span {
    size_t first_row = 0, count = 0;
  };
  std::map<RowOwner, Span> spans;  // each owner's token rows
  for (size_t row = 0; row < c.tokens; ++row) {
    auto [it, fresh] = spans.try_emplace(rows.owner[row], Span{row, 0});
    ++it->second.count;
  }
  Statement scores = rows.db.prepare(
      "SELECT 1, cs.prefix_id, cs.classifier, cs.position, cs.depth, cs.score FROM prefixes p "
      "JOIN prefix_classifier_scores cs ON cs.prefix_id = p.id WHERE " + kContinued + " UNION ALL "
      "SELECT 0, cs.sample_id, cs.classifier, cs.position, cs.depth, cs.score FROM samples s "
      "JOIN classifier_scores cs ON cs.sample_id = s.id WHERE s.run_id = ?1");
  scores.bind(1, rows.run_id);
  while (scores.step()) {
    const RowOwner owner{scores.int64(0) != 0, scores.int64(1)};
    const int64_t position = scores.int64(3), depth = scores.int64(4);
    const std::string name = scores.text(2);
    const std::string row = row_start("classifier_scores", owner) + ", classifier '" + shortened(name) + "', position " +
                            std::to_string(position) + ", depth " + std::to_string(depth) + ")";
    const auto span = spans.find(owner);
    if (span == spans.end()) rows.damaged(row, "its sample has no tokens");
    const int64_t first = c.position[span->second.first_row];
    rows.check(row, "position", position, first, first + int64_t(span->second.count) - 1);
    rows.check(row, "depth", depth, 1, c.depths);
    auto [column, fresh] = c.classifier_scores.try_emplace(name);
    if (fresh) {
      if (c.classifier_scores.size() > size_t(kMaxClassifiers))
        rows.damaged(row, "the run has scores of more than " + std::to_string(kMaxClassifiers) + " classifiers");
      column->second.assign(c.tokens * size_t(c.depths), std::nanf(""));
    }
    column->second[c.cell(span->second.first_row + size_t(position - first), int(depth))] = float(scores.real(5));
  }
}

// Which prefix each sample continues; a prefix of another run (or none) is damage.
void read_prefix_links(const RunRows& rows, RecordedRun& c) {
  Statement links = rows.db.prepare(
      "SELECT s.id, s.sample_index, s.prefix_id, (SELECT count(*) FROM prefixes p WHERE p.id = s.prefix_id AND p.run_id = ?1) "
      "FROM samples s WHERE s.run_id = ?1 AND s.prefix_id IS NOT NULL");
  links.bind(1, rows.run_id);
  while (links.step()) {
    if (links.int64(3) == 0)
      rows.damaged("samples row " + std::to_string(links.int64(0)),
                   "prefix_id " + std::to_string(links.int64(2)) + " is not a prefix of run " + std::to_string(rows.run_id));
    c.prefix_of[links.int64(1)] = -links.int64(2);
  }
}

}  // namespace

RecordedRun load_recorded_run(Database& db, int64_t run_id) {
  RecordedRun c;
  RunRows rows{db, run_id, {}};
  Statement run = db.prepare(
      "SELECT m.id, m.depths, r.config_json FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?");
  run.bind(1, run_id);
  if (!run.step()) throw Error(db.path().string() + ": there is no run " + std::to_string(run_id));
  const std::string model_row = "models row " + std::to_string(run.int64(0));
  c.depths = int(rows.check(model_row, "depths", run.int64(1), 1, kMaxDepths));
  read_classifier_flops(rows, run.text(2), c);
  read_prefix_links(rows, c);
  read_tokens(rows, c);
  read_exits(rows, c);
  read_classifier_scores(rows, c);
  return c;
}

}  // namespace dynamax
