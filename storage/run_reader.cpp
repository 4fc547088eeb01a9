#include "storage/run_reader.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

namespace {

// Where the run's rows come from, to name a damaged one.
struct RunRows {
  Database& db;
  int64_t run_id;
  std::vector<int64_t> sample_id;  // per token row: its samples.id, to name exits rows

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

std::string token_row(int64_t sample_id, int64_t position) {
  return "tokens row (sample_id " + std::to_string(sample_id) + ", position " + std::to_string(position) + ")";
}

std::string exit_key(int64_t sample_id, int64_t position, int64_t depth) {
  return "(sample_id " + std::to_string(sample_id) + ", position " + std::to_string(position) + ", depth " +
         std::to_string(depth) + ")";
}

// FLOPs per token of each classifier, kept with the run's options.
void read_classifier_flops(const RunRows& rows, const std::string& config_json, RecordedRun& c) {
  const std::string row = "runs row " + std::to_string(rows.run_id);
  const auto config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_object()) rows.damaged(row, "config_json is not a JSON object");
  if (!config.contains("classifier_flops")) return;
  if (!config["classifier_flops"].is_object()) rows.damaged(row, "config_json: classifier_flops is not an object");
  for (const auto& [name, flops] : config["classifier_flops"].items()) {
    if (!flops.is_number_integer() || flops.get<int64_t>() < 0)
      rows.damaged(row, "config_json: classifier_flops of '" + shortened(name) + "' is not a count of FLOPs");
    c.classifier_flops[name] = flops.get<int64_t>();
  }
}

void read_tokens(RunRows& rows, RecordedRun& c) {
  Statement tokens = rows.db.prepare(
      "SELECT s.id, s.sample_index, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1 "
      "FROM samples s JOIN tokens t ON t.sample_id = s.id WHERE s.run_id = ? ORDER BY s.sample_index, t.position");
  tokens.bind(1, rows.run_id);
  while (tokens.step()) {
    const int64_t sample_id = tokens.int64(0), position = tokens.int64(2);
    const std::string row = token_row(sample_id, position);
    const int64_t sample_index =
        rows.check("samples row " + std::to_string(sample_id), "sample_index", tokens.int64(1), 0, INT64_MAX);
    const bool first_of_sample = rows.sample_id.empty() || rows.sample_id.back() != sample_id;
    const int64_t expected = first_of_sample ? 0 : int64_t(c.position.back()) + 1;
    if (position != expected)
      rows.damaged(row, "position " + std::to_string(position) + " where " + std::to_string(expected) +
                            " was expected (a sample's positions run 0, 1, 2, …)");
    rows.sample_id.push_back(sample_id);
    c.sample_index.push_back(sample_index);
    c.position.push_back(int32_t(rows.check(row, "position", position, 0, kMaxPositions - 1)));
    c.token_id.push_back(rows.token_id(row, "token_id", tokens.int64(3)));
    c.target_id.push_back(rows.token_id(row, "target_id", tokens.int64(4), -1));
    c.predicts_answer.push_back(uint8_t(rows.check(row, "predicts_answer", tokens.int64(5), 0, 1)));
    c.final_top1.push_back(rows.token_id(row, "final_top1", tokens.int64(6)));
  }
  c.tokens = c.position.size();
}

// Exactly one row per (token, depth), in token order: checked row by row, so the columns only grow with real rows.
void read_exits(const RunRows& rows, RecordedRun& c) {
  const size_t cells = c.tokens * size_t(c.depths);
  for (auto* column : {&c.prob, &c.margin, &c.entropy, &c.saturation}) column->reserve(cells);
  c.top1.reserve(cells);
  Statement exits = rows.db.prepare(
      "SELECT e.sample_id, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM samples s "
      "JOIN exits e ON e.sample_id = s.id WHERE s.run_id = ? ORDER BY s.sample_index, e.position, e.depth");
  exits.bind(1, rows.run_id);
  size_t n = 0;
  while (exits.step()) {
    const int64_t sample_id = exits.int64(0), position = exits.int64(1), depth = exits.int64(2);
    const std::string row = "exits row " + exit_key(sample_id, position, depth);
    rows.check(row, "depth", depth, 1, c.depths);
    if (n >= cells) rows.damaged(row, "the run has more (token, depth) rows than its " + std::to_string(c.tokens) +
                                          " tokens × " + std::to_string(c.depths) + " depths");
    const size_t token = n / size_t(c.depths);
    const int expected_depth = int(n % size_t(c.depths)) + 1;
    if (sample_id != rows.sample_id[token] || position != c.position[token] || depth != expected_depth)
      rows.damaged(row, "the row " + exit_key(rows.sample_id[token], c.position[token], expected_depth) +
                            " was expected here: the run's (token, depth) rows are incomplete");
    c.top1.push_back(rows.token_id(row, "top1", exits.int64(3)));
    c.prob.push_back(float(exits.real(4)));
    c.margin.push_back(float(exits.real(5)));
    c.entropy.push_back(float(exits.real(6)));
    c.saturation.push_back(float(exits.real(7)));
    ++n;
  }
  if (n != cells)
    throw Error(rows.db.path().string() + ": run " + std::to_string(rows.run_id) + " has " + std::to_string(n) +
                " (token, depth) rows where " + std::to_string(cells) + " were expected");
}

// Each classifier's scores as a [tokens × depths] column, NaN where it has no exit.
void read_classifier_scores(const RunRows& rows, RecordedRun& c) {
  std::map<int64_t, std::pair<size_t, size_t>> sample_rows;  // samples.id → its first token row and token count
  for (size_t row = 0; row < c.tokens; ++row) {
    auto [it, fresh] = sample_rows.try_emplace(rows.sample_id[row], row, 0);
    ++it->second.second;
  }
  Statement scores = rows.db.prepare(
      "SELECT cs.sample_id, cs.classifier, cs.position, cs.depth, cs.score FROM samples s "
      "JOIN classifier_scores cs ON cs.sample_id = s.id WHERE s.run_id = ?");
  scores.bind(1, rows.run_id);
  while (scores.step()) {
    const int64_t sample_id = scores.int64(0), position = scores.int64(2), depth = scores.int64(3);
    const std::string name = scores.text(1);
    const std::string row = "classifier_scores row (sample_id " + std::to_string(sample_id) + ", classifier '" +
                            shortened(name) + "', position " + std::to_string(position) + ", depth " +
                            std::to_string(depth) + ")";
    const auto sample = sample_rows.find(sample_id);
    if (sample == sample_rows.end()) rows.damaged(row, "its sample has no tokens");
    rows.check(row, "position", position, 0, int64_t(sample->second.second) - 1);
    rows.check(row, "depth", depth, 1, c.depths);
    auto [column, fresh] = c.classifier_scores.try_emplace(name);
    if (fresh) {
      if (c.classifier_scores.size() > size_t(kMaxClassifiers))
        rows.damaged(row, "the run has scores of more than " + std::to_string(kMaxClassifiers) + " classifiers");
      column->second.assign(c.tokens * size_t(c.depths), std::nanf(""));
    }
    column->second[c.cell(sample->second.first + size_t(position), int(depth))] = float(scores.real(4));
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
  read_tokens(rows, c);
  read_exits(rows, c);
  read_classifier_scores(rows, c);
  return c;
}

}  // namespace dynamax
