#include "storage/generation_summary.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

std::vector<PolicySummary> summarize_generations(Database& db, int64_t run_id) {
  Statement q = db.prepare(
      "SELECT id, policy, output_ids_json, blocks_executed, blocks_full, flops_executed, flops_full, seconds, metrics_json "
      "FROM generations WHERE run_id = ? ORDER BY id");
  q.bind(1, run_id);
  std::vector<PolicySummary> out;
  std::map<std::string, size_t> index;
  std::vector<std::map<std::string, int64_t>> counts;
  while (q.step()) {
    const std::string row = "generations row " + std::to_string(q.int64(0));
    const std::string policy = q.text(1);
    auto [it, fresh] = index.try_emplace(policy, out.size());
    if (fresh) {
      out.push_back({});
      out.back().policy = policy;
      counts.emplace_back();
    }
    const size_t at = it->second;  // (clang 14 cannot capture a structured binding in the lambda below)
    PolicySummary& s = out[at];
    ++s.samples;
    const nlohmann::json ids = parse_stored_json(q.text(2));
    if (!ids.is_array()) throw Error(db.path().string() + ": " + row + ": output_ids_json is not a JSON array");
    s.tokens += int64_t(ids.size());
    s.blocks_executed += q.real(3);
    s.blocks_full += q.real(4);
    s.flops_executed += q.real(5);
    s.flops_full += q.real(6);
    s.seconds += q.real(7);
    const nlohmann::json metrics = parse_stored_json(q.text(8));
    if (!metrics.is_object()) throw Error(db.path().string() + ": " + row + ": metrics_json is not a JSON object");
    auto add = [&](const std::string& name, double value) {
      s.metrics[name] += value;
      ++counts[at][name];
    };
    for (const auto& [name, value] : metrics.items()) {
      if (!value.is_number() && !value.is_boolean()) continue;
      const double x = value.is_boolean() ? double(value.get<bool>()) : value.get<double>();
      if (name == kFirstDivergence) {
        // −1 marks an answer identical to the full model's: counted as such, never averaged as an index.
        add(kIdenticalAnswers, x < 0 ? 1.0 : 0.0);
        if (x >= 0) add(name, x);
      } else {
        add(name, x);
      }
    }
  }
  for (size_t i = 0; i < out.size(); ++i)
    for (auto& [name, sum] : out[i].metrics) sum /= double(counts[i][name]);
  return out;
}

}  // namespace dynamax
