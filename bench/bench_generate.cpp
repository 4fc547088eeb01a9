// Early-exit decoding against full decoding: wall-clock speedup next to the ideal the executed work implies, per
// skipped-block strategy. Every token exits at depth L/2 (a forced policy), so the ideal is fixed: blocks L/(L/2)
// and FLOPs (blocks + exit head) full/executed. Decode steps only (the prompt always runs the full model).
// Models: the 7B-shaped synthetic Mistral and Codestral (8 random bf16 blocks) and the tiny fixtures. One more row
// lets a Mamba exit classifier decide (its output bias makes it fire at L/2): the cost of its stateful rows at every
// exit depth, counted in its FLOPs, shows next to the forced exit's.
// Run it twice: as is, and with OPENBLAS_CORETYPE=SkylakeX.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/exits/classifier_stream.h"
#include "core/exits/early_exit_decoder.h"
#include "core/exits/exit_placement.h"

namespace fs = std::filesystem;
using namespace dynamax;

namespace {

constexpr int kSyntheticBlocks = 8, kRounds = 3;
const std::vector<int32_t> kPrompt = {1, 415, 5565, 302, 4843, 349, 264, 1179};

struct Run {
  double seconds = 0, blocks_full = 0, blocks_executed = 0, flops_full = 0, flops_executed = 0;
};

// Decode steps of one generation: everything after the first token, which comes from the prompt.
Run decode_part(const Generation& g) {
  Run r;
  r.seconds = g.decode_seconds;
  for (size_t i = 1; i < g.tokens.size(); ++i) {
    r.blocks_executed += g.tokens[i].exit_depth + g.tokens[i].extra_blocks;
    r.flops_executed += double(g.tokens[i].flops);
  }
  const int L = g.tokens.front().exit_depth;
  r.blocks_full = double(L) * double(g.tokens.size() - 1);
  r.flops_full = g.flops_full - double(g.tokens.front().flops);
  return r;
}

Run generate(Model& model, const ExitRule& rule, const SkipStrategy& skip, int tokens,
             ClassifierStream* classifier = nullptr) {
  EarlyExitStepper stepper(model, rule, skip, classifier);
  GenerationOptions options;
  options.max_new_tokens = tokens;
  return decode_part(generate_early_exit(stepper, kPrompt, options));
}

std::vector<SkipStrategy> strategies_for(const Model& model) {
  if (model.config().is_transformer())
    return {{KvStrategy::CopyExit, {}}, {KvStrategy::CopyPrev, {}}, {KvStrategy::Mask, {}}, {KvStrategy::Recompute, {}}};
  return {{{}, StateStrategy::Keep}, {{}, StateStrategy::Update}};
}

void bench_model(const std::string& label, const fs::path& folder, int tokens) {
  auto model = load_model(folder);
  const int L = model->depth(), d = L / 2;
  const std::vector<int> full_depth = {L}, exit_depth = {d};
  const ExitRule full{parse_measure("max-prob"), std::numeric_limits<double>::infinity(), make_exit_policy(L, full_depth)};
  const ExitRule forced{parse_measure("max-prob"), -std::numeric_limits<double>::infinity(), make_exit_policy(L, exit_depth)};
  const std::vector<SkipStrategy> strategies = strategies_for(*model);
  ClassifierSpec spec;
  spec.kind = ClassifierKind::Mamba;
  spec.width = model->hidden_size();
  ExitClassifier gate("gate", spec, default_exit_depths(L), L, 1);
  for (size_t e = 0; e < gate.depths().size(); ++e) gate.weights()[e][gate.net().output_bias()] = e == 0 ? 30.0f : -30.0f;
  ClassifierStream stream(gate);
  const ExitRule by_classifier{parse_measure("classifier:gate"), 0.5, make_exit_policy(L, exit_depth)};
  const std::string classifier_row = "mamba-classifier, " + skip_strategy_name(strategies.front(), model->config());
  // Rounds interleave every configuration, so each sees the same machine conditions; the best time counts.
  Run best_full;
  best_full.seconds = 1e30;
  std::map<std::string, Run> best;
  generate(*model, full, {}, 2);  // warm the mapped weights and the workspaces
  for (int round = 0; round < kRounds; ++round) {
    const Run f = generate(*model, full, {}, tokens);
    if (f.seconds < best_full.seconds) best_full = f;
    for (const SkipStrategy& s : strategies) {
      const std::string name = skip_strategy_name(s, model->config());
      const Run r = generate(*model, forced, s, tokens);
      auto [it, fresh] = best.emplace(name, r);
      if (!fresh && r.seconds < it->second.seconds) it->second = r;
    }
    const Run c = generate(*model, by_classifier, strategies.front(), tokens, &stream);
    auto [it, fresh] = best.emplace(classifier_row, c);
    if (!fresh && c.seconds < it->second.seconds) it->second = c;
  }
  std::printf("\n%s: %d blocks, exit at %d, %d decode steps; full decode %.1f ms/token\n", label.c_str(), L, d,
              tokens - 1, 1e3 * best_full.seconds / (tokens - 1));
  std::printf("  %-26s %9s %10s %11s %10s %12s %12s\n", "strategy", "ms/token", "speedup", "ideal(blk)", "ideal(FLOP)",
              "of ideal blk", "of ideal FLOP");
  std::vector<std::string> rows;
  for (const SkipStrategy& s : strategies) rows.push_back(skip_strategy_name(s, model->config()));
  rows.push_back(classifier_row);
  for (const std::string& name : rows) {
    const Run& r = best.at(name);
    const double speedup = best_full.seconds / r.seconds;
    const double ideal_blocks = r.blocks_full / r.blocks_executed, ideal_flops = r.flops_full / r.flops_executed;
    std::printf("  %-26s %9.2f %9.2fx %10.2fx %10.2fx %11.0f%% %12.0f%%\n", name.c_str(), 1e3 * r.seconds / (tokens - 1),
                speedup, ideal_blocks, ideal_flops, 100 * speedup / ideal_blocks, 100 * speedup / ideal_flops);
  }
}

// The demo models shipped in resources/ ($DYNAMAX_RESOURCES overrides the source tree's).
fs::path demo_models() {
  if (const char* v = std::getenv("DYNAMAX_RESOURCES"); v && *v) return fs::path(v) / "models";
  return fs::path(DYNAMAX_BENCH_RESOURCES) / "models";
}

}  // namespace

int main() {
  bench::print_machine_header();
  {
    bench::TemporaryFolder mistral("dynamax-bench-generate-mistral");
    bench::write_mistral_7b_shaped(mistral.path, kSyntheticBlocks);
    bench_model("Mistral-7B-shaped (synthetic)", mistral.path, 9);
  }
  {
    bench::TemporaryFolder codestral("dynamax-bench-generate-codestral");
    bench::write_codestral_7b_shaped(codestral.path, kSyntheticBlocks);
    bench_model("Codestral-7B-shaped (synthetic)", codestral.path, 9);
  }
  const fs::path tiny = demo_models();
  for (const char* name : {"tiny-mistral", "tiny-codestral"})
    if (fs::exists(tiny / name)) bench_model(name, tiny / name, 65);
  std::printf("\nspeedup: full decode time / early-exit decode time; ideal(blk) = blocks full / blocks executed (incl.\n"
              "the strategy's blocks-equivalents); ideal(FLOP) adds the exit head to both sides.\n");
  return 0;
}
