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
      "SELECT -p.id, cs.classifier, cs.position, cs.depth, cs.score FROM prefixes p "
      "JOIN prefix_classifier_scores cs ON cs.prefix_id = p.id WHERE p.run_id = ?1 UNION ALL "
      "SELECT s.sample_index, cs.classifier, cs.position, cs.depth, cs.score FROM samples s "
      "JOIN classifier_scores cs ON cs.sample_id = s.id WHERE s.run_id = ?1");
  scores.bind(1, run_id);
  while (scores.step()) {
    const auto start = first_row.find(scores.int64(0));
    const int position = scores.integer(2), depth = scores.integer(3);
    // A sample's rows begin at its first own position (after its shared prefix, if any).
    const size_t row = start == first_row.end() ? c.tokens : start->second + size_t(position - c.position[start->second]);
    if (depth < 1 || depth > c.depths || position < c.position[start->second] || row >= c.tokens ||
        c.sample_index[row] != start->first)
      throw Error(db.path().string() + ": run " + std::to_string(run_id) + " has a classifier score outside its tokens");
    auto [column, fresh] = c.classifier_scores.try_emplace(scores.text(1));
    if (fresh) column->second.assign(c.tokens * size_t(c.depths), std::nanf(""));
    column->second[c.cell(row, depth)] = float(scores.real(4));
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
  // Shared prefixes that some stored sample continues, first (keys −id < 0), then the samples.
  const std::string continued = "p.run_id = ?1 AND EXISTS (SELECT 1 FROM samples s WHERE s.prefix_id = p.id)";
  Statement tokens = db.prepare(
      "SELECT -p.id, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1 "
      "FROM prefixes p JOIN prefix_tokens t ON t.prefix_id = p.id WHERE " + continued + " UNION ALL "
      "SELECT s.sample_index, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1 "
      "FROM samples s JOIN tokens t ON t.sample_id = s.id WHERE s.run_id = ?1 ORDER BY 1, 2");
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
      "SELECT -p.id, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM prefixes p "
      "JOIN prefix_exits e ON e.prefix_id = p.id WHERE " + continued + " UNION ALL "
      "SELECT s.sample_index, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM samples s "
      "JOIN exits e ON e.sample_id = s.id WHERE s.run_id = ?1 ORDER BY 1, 2, 3");
  exits.bind(1, run_id);
  size_t n = 0;
  while (exits.step()) {
    if (n >= cells) break;
    const size_t row = n / size_t(c.depths);
    const size_t at = row * size_t(c.depths) + size_t(exits.integer(2) - 1);
    c.top1[at] = exits.integer(3);
    c.prob[at] = float(exits.real(4));
    c.margin[at] = float(exits.real(5));
    c.entropy[at] = float(exits.real(6));
    c.saturation[at] = float(exits.real(7));
    ++n;
  }
  if (n != cells)
    throw Error(db.path().string() + ": run " + std::to_string(run_id) + " has " + std::to_string(n) +
                " (token, depth) rows where " + std::to_string(cells) + " were expected");
  Statement prefixes = db.prepare("SELECT sample_index, prefix_id FROM samples WHERE run_id = ? AND prefix_id IS NOT NULL");
  prefixes.bind(1, run_id);
  while (prefixes.step()) c.prefix_of[prefixes.int64(0)] = -prefixes.int64(1);
  load_classifier_scores(db, run_id, c);
  return c;
}

}  // namespace dynamax
