#include "storage/run_reader.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace dynamax {

// Each classifier's scores as a [tokens × depths] column, NaN where it has no exit.
static void load_classifier_scores(Database& db, int64_t run_id, RecordedRun& c) {
  std::map<int64_t, size_t> first_row;  // sample_index → its first row
  for (size_t row = c.tokens; row-- > 0;) first_row[c.sample_index[row]] = row;
  Statement scores = db.prepare(
      "SELECT s.sample_index, cs.classifier, cs.position, cs.depth, cs.score FROM samples s "
      "JOIN classifier_scores cs ON cs.sample_id = s.id WHERE s.run_id = ?");
  scores.bind(1, run_id);
  while (scores.step()) {
    const auto start = first_row.find(scores.int64(0));
    const int position = scores.integer(2), depth = scores.integer(3);
    if (start == first_row.end() || depth < 1 || depth > c.depths || start->second + size_t(position) >= c.tokens)
      throw Error(db.path().string() + ": run " + std::to_string(run_id) + " has a classifier score outside its tokens");
    auto [column, fresh] = c.classifier_scores.try_emplace(scores.text(1));
    if (fresh) column->second.assign(c.tokens * size_t(c.depths), std::nanf(""));
    column->second[c.cell(start->second + size_t(position), depth)] = float(scores.real(4));
  }
}

RecordedRun load_recorded_run(Database& db, int64_t run_id) {
  RecordedRun c;
  Statement run = db.prepare(
      "SELECT m.depths, r.config_json FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?");
  run.bind(1, run_id);
  if (!run.step()) throw Error(db.path().string() + ": there is no run " + std::to_string(run_id));
  c.depths = run.integer(0);
  const auto config = nlohmann::json::parse(run.text(1), nullptr, false);
  if (config.is_object() && config.contains("classifier_flops") && config["classifier_flops"].is_object())
    for (const auto& [name, flops] : config["classifier_flops"].items())
      if (flops.is_number_integer()) c.classifier_flops[name] = flops.get<int64_t>();
  c.last_block = config.is_object() && config.value("exit_head", std::string()) == "last-block";
  Statement tokens = db.prepare(
      "SELECT s.sample_index, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1 "
      "FROM samples s JOIN tokens t ON t.sample_id = s.id WHERE s.run_id = ? ORDER BY s.sample_index, t.position");
  tokens.bind(1, run_id);
  while (tokens.step()) {
    c.sample_index.push_back(tokens.int64(0));
    c.position.push_back(tokens.integer(1));
    c.token_id.push_back(tokens.integer(2));
    c.target_id.push_back(tokens.integer(3));
    c.predicts_answer.push_back(uint8_t(tokens.integer(4)));
    c.final_top1.push_back(tokens.integer(5));
  }
  c.tokens = c.position.size();
  const size_t cells = c.tokens * size_t(c.depths);
  c.top1.resize(cells);
  c.prob.resize(cells);
  c.margin.resize(cells);
  c.entropy.resize(cells);
  c.saturation.resize(cells);
  Statement exits = db.prepare(
      "SELECT e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM samples s "
      "JOIN exits e ON e.sample_id = s.id WHERE s.run_id = ? ORDER BY s.sample_index, e.position, e.depth");
  exits.bind(1, run_id);
  size_t n = 0;
  while (exits.step()) {
    if (n >= cells) break;
    const size_t row = n / size_t(c.depths);
    const size_t at = row * size_t(c.depths) + size_t(exits.integer(0) - 1);
    c.top1[at] = exits.integer(1);
    c.prob[at] = float(exits.real(2));
    c.margin[at] = float(exits.real(3));
    c.entropy[at] = float(exits.real(4));
    c.saturation[at] = float(exits.real(5));
    ++n;
  }
  if (n != cells)
    throw Error(db.path().string() + ": run " + std::to_string(run_id) + " has " + std::to_string(n) +
                " (token, depth) rows where " + std::to_string(cells) + " were expected");
  load_classifier_scores(db, run_id, c);
  return c;
}

}  // namespace dynamax
