// Exit classifier cost per token per exit as a fraction of one backbone block, for each kind at the 7B widths
// (default sizes: linear; ffn 256 wide, SiLU; mamba inner 64, 4 heads, state 16): FLOPs from the counting
// convention of core/analysis/compute_cost.h, and wall time of a 512-token sequence against one block of the
// 7B-shaped synthetic checkpoints (bench/synthetic_models.h) on the same sequence. Target: linear and mamba ≤ 2 %.
// Then generation's case: one token at a time (ClassifierStream::advance_one, the Mamba state carried) against one
// block decoding one token after the 512-token prefix.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/analysis/compute_cost.h"
#include "core/exits/classifier_stream.h"
#include "core/exits/exit_classifier.h"
#include "core/io/model_config.h"
#include "core/models/model.h"

using namespace dynamax;

static constexpr int kTokens = 512;

static void compare(const char* label, const std::filesystem::path& folder) {
  const ModelConfig config = load_model_config(folder);
  auto model = load_model(folder);
  const int H = model->hidden_size();
  std::vector<int32_t> ids(kTokens);
  for (int i = 0; i < kTokens; ++i) ids[size_t(i)] = (i * 7919) % model->vocab_size();
  std::vector<float> embedded(size_t(kTokens) * H), h;
  model->embed(ids, embedded.data());
  auto state = model->new_state();
  const double block_seconds = bench::best_seconds([&] {
    h = embedded;
    state->reset();
    model->run_block(1, h.data(), kTokens, 0, *state);
  });
  // A block's FLOPs at the sequence's mean position (attention grows with it; Mamba2's does not).
  double block_flops = 0;
  for (int t = 0; t < kTokens; ++t) block_flops += double(dynamax::block_flops(config, t)) / kTokens;
  std::printf("\n%s: one block %.3g GFLOP/token, %.2f ms/token over %d tokens\n", label, block_flops / 1e9,
              block_seconds / kTokens * 1e3, kTokens);
  // Decoding: each call one new token at the next position, as generation feeds a block; the first steps warm the
  // decode path's weights up and are not timed.
  constexpr int kWarm = 4, kSteps = 16;
  std::vector<float> row(h.begin(), h.begin() + H);
  double decode_seconds = 0;
  for (int s = 0; s < kWarm + kSteps; ++s) {
    std::vector<float> x = row;
    const auto t0 = std::chrono::steady_clock::now();
    model->run_block(1, x.data(), 1, kTokens + s, *state);
    if (s >= kWarm) decode_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / kSteps;
  }
  std::printf("  one block decoding one token: %.2f ms\n", decode_seconds * 1e3);
  std::printf("  %-7s %11s %11s %9s %12s %9s %14s %11s\n", "kind", "params/exit", "FLOP/token", "FLOP frac", "us/token",
              "time frac", "step us/token", "step frac");
  for (const char* kind : {"linear", "ffn", "mamba"}) {
    ClassifierSpec spec;
    spec.kind = parse_classifier_kind(kind);
    spec.width = H;
    const ExitClassifier c(kind, spec, {1}, model->depth(), 1);
    std::vector<float> scores(kTokens);
    const double seconds = bench::best_seconds([&] { c.score(1, h.data(), kTokens, scores.data()); }, 5);
    ClassifierStream stream(c);
    const double step_seconds = bench::best_seconds([&] {
      for (int t = 0; t < kTokens; ++t) stream.advance_one(1, h.data() + size_t(t) * H);
    }) / kTokens;
    std::printf("  %-7s %11lld %11lld %8.3f%% %12.2f %8.3f%% %14.2f %10.3f%%\n", kind, (long long)c.parameters_per_exit(),
                (long long)c.flops_per_token(), 100.0 * double(c.flops_per_token()) / block_flops,
                seconds / kTokens * 1e6, 100.0 * seconds / block_seconds, step_seconds * 1e6,
                100.0 * step_seconds / decode_seconds);
  }
}

int main() {
  bench::print_machine_header();
  {
    bench::TemporaryFolder folder("dynamax_bench_classifier_mistral");
    bench::write_mistral_7b_shaped(folder.path, 2);
    compare("Mistral-7B-shaped", folder.path);
  }
  {
    bench::TemporaryFolder folder("dynamax_bench_classifier_codestral");
    bench::write_codestral_7b_shaped(folder.path, 2);
    compare("Codestral-7B-shaped", folder.path);
  }
  return 0;
}
