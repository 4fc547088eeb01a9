// The transformer engine on 7B-shaped blocks (Mistral-7B: hidden 4096, MLP 14336, 32 heads of 128, 8 KV heads,
// vocab 32000), random bf16 weights: prefill GFLOP/s against sgemm on the same shapes, and decode speed against
// the bound of streaming each block's weights once per token at the machine's read bandwidth.
// Run it twice: as is, and with OPENBLAS_CORETYPE=SkylakeX (Debian's OpenBLAS picks slow kernels without it).
#include <cblas.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/kernels/convert.h"
#include "core/models/model.h"

extern "C" void openblas_set_num_threads(int);

namespace fs = std::filesystem;

namespace {

constexpr int kHidden = 4096, kMlp = 14336, kHeads = 32, kKvHeads = 8, kHeadDim = 128, kVocab = 32000, kBlocks = 2;
constexpr int kPrefillTokens = 256, kDecodeTokens = 16;

struct Shape {
  int out, in;
};
// The block's matrices: q, k, v, o, gate, up, down.
const std::vector<Shape> kBlockShapes = {{kHeads * kHeadDim, kHidden},   {kKvHeads * kHeadDim, kHidden},
                                         {kKvHeads * kHeadDim, kHidden}, {kHidden, kHeads * kHeadDim},
                                         {kMlp, kHidden},                {kMlp, kHidden},
                                         {kHidden, kMlp}};

const char* const kMatrixNames[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                                    "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

double block_weight_bytes() {
  double n = 0;
  for (Shape s : kBlockShapes) n += double(s.out) * s.in;
  return 2.0 * n;  // bf16
}

// FLOPs of one block for T new tokens after `past` cached ones (matmuls + causal attention, no window in reach).
double block_flops(int T, int past) {
  double f = 0;
  for (Shape s : kBlockShapes) f += 2.0 * T * s.out * s.in;
  const double keys_seen = double(T) * past + double(T) * (T + 1) / 2;
  return f + 4.0 * keys_seen * kHeads * kHeadDim;  // Q·Kᵀ and P·V
}

// Seconds to run `tokens` (at positions pos0..) through every block, continuing `state`.
double run_blocks(dynamax::Model& model, const std::vector<int32_t>& tokens, dynamax::ModelState& state) {
  std::vector<float> h(tokens.size() * size_t(kHidden));
  model.embed(tokens, h.data());
  const double t0 = bench::now_seconds();
  for (int d = 1; d <= model.depth(); ++d) model.run_block(d, h.data(), int(tokens.size()), state.position, state);
  const double seconds = bench::now_seconds() - t0;
  state.position += int(tokens.size());
  return seconds;
}

// sgemm on the block's shapes with fp32 weights: the yardstick for prefill, measured now.
double sgemm_block_gflops(int T) {
  double flops = 0, seconds = 0;
  for (Shape s : kBlockShapes) {
    const double gflops = bench::sgemm_gflops(T, s.out, s.in);
    flops += 2.0 * T * s.out * s.in;
    seconds += 2.0 * T * s.out * s.in / (gflops * 1e9);
  }
  return flops / seconds / 1e9;
}

// Read bandwidth over the block's own mapped weights, on the engine's threads (as many as BLAS has), best of 3:
// the streaming bound a one-token step is held to. Summing 64-bit words keeps the loop far below memory speed.
double weights_read_gbps(const dynamax::Model& model) {
  std::vector<const dynamax::TensorView*> views;
  for (const char* name : kMatrixNames)
    views.push_back(&model.weights().require(std::string("model.layers.0.") + name + ".weight"));
  const unsigned threads = unsigned(std::max(1, bench::openblas_threads()));
  std::vector<uint64_t> sums(threads);
  double best = 1e30, bytes = 0;
  for (const auto* v : views) bytes += double(v->nbytes);
  for (int rep = 0; rep < 4; ++rep) {
    const double t0 = bench::now_seconds();
    auto part = [&](unsigned k) {
      uint64_t acc[8] = {};
      for (const auto* v : views) {
        const auto* words = reinterpret_cast<const uint64_t*>(v->data);
        const size_t n = v->nbytes / 8, lo = n * k / threads / 8 * 8, hi = n * (k + 1) / threads / 8 * 8;
        for (size_t i = lo; i < hi; i += 8)
          for (int j = 0; j < 8; ++j) acc[j] += words[i + j];
      }
      for (uint64_t a : acc) sums[k] += a;
    };
    std::vector<std::thread> helpers;
    for (unsigned k = 1; k < threads; ++k) helpers.emplace_back(part, k);
    part(0);
    for (auto& t : helpers) t.join();
    if (rep) best = std::min(best, bench::now_seconds() - t0);  // the first pass pages the weights in
  }
  return bytes / best / 1e9;
}

// The design's first plan for one token, for comparison: convert bf16 panels to fp32, then sgemv, on as many
// threads as BLAS has (each converting and multiplying its share of rows, BLAS itself single-threaded).
double convert_sgemv_block_seconds(const dynamax::Model& model) {
  const int threads = bench::openblas_threads();
  std::vector<float> x(kMlp, 0.01f), y(kMlp);
  std::vector<std::vector<float>> panels(size_t(threads), std::vector<float>(size_t(32) * kMlp));
  openblas_set_num_threads(1);
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = bench::now_seconds();
    for (const char* name : kMatrixNames) {
      const dynamax::TensorView& W = model.weights().require(std::string("model.layers.0.") + name + ".weight");
      const int rows = int(W.shape[0]), in = int(W.shape[1]);
      auto part = [&](int k) {
        for (int r = rows * k / threads; r < rows * (k + 1) / threads; r += 32) {
          const int n = std::min(32, rows * (k + 1) / threads - r);
          dynamax::to_f32(W.dtype, W.data + size_t(r) * in * 2, panels[size_t(k)].data(), size_t(n) * in);
          cblas_sgemv(CblasRowMajor, CblasNoTrans, n, in, 1.0f, panels[size_t(k)].data(), in, x.data(), 1, 0.0f,
                      y.data() + r, 1);
        }
      };
      std::vector<std::thread> helpers;
      for (int k = 1; k < threads; ++k) helpers.emplace_back(part, k);
      part(0);
      for (auto& t : helpers) t.join();
    }
    best = std::min(best, bench::now_seconds() - t0);
  }
  openblas_set_num_threads(threads);
  return best;
}

}  // namespace

int main() {
  bench::print_machine_header();
  std::printf("transformer: writing a %d-block 7B-shaped bf16 checkpoint...\n", kBlocks);
  bench::TemporaryFolder synthetic("dynamax-bench-transformer");
  bench::write_mistral_7b_shaped(synthetic.path, kBlocks);
  auto model = dynamax::load_model(synthetic.path);
  std::vector<int32_t> prompt(kPrefillTokens);
  for (int i = 0; i < kPrefillTokens; ++i) prompt[size_t(i)] = (i * 7919) % kVocab;

  // Prefill: best of 3 on a fresh state (the first run also pages the weights in).
  auto state = model->new_state();
  double prefill = 1e30;
  for (int rep = 0; rep < 4; ++rep) {
    state->reset();
    const double s = run_blocks(*model, prompt, *state);
    if (rep) prefill = std::min(prefill, s);
  }
  const double prefill_gflops = kBlocks * block_flops(kPrefillTokens, 0) / prefill / 1e9;
  const double sgemm = sgemm_block_gflops(kPrefillTokens);
  std::printf("prefill %d tokens: %.1f ms/block, %.1f GFLOP/s; sgemm on the same shapes %.1f GFLOP/s -> %.0f %%\n",
              kPrefillTokens, prefill / kBlocks * 1e3, prefill_gflops, sgemm, 100 * prefill_gflops / sgemm);

  // Decode: one token at a time after the prompt, best of the steps.
  double step = 1e30;
  for (int i = 0; i < kDecodeTokens; ++i) step = std::min(step, run_blocks(*model, {int32_t(i + 1)}, *state));
  const double per_block = step / kBlocks;
  const double stream = bench::stream_read_gbps(), weights = weights_read_gbps(*model);
  const double read_gbps = std::max(stream, weights);  // the stricter bound
  const double bound = block_weight_bytes() / (read_gbps * 1e9);
  std::printf("read bandwidth: stream read %.1f GB/s, reading the block's mapped weights %.1f GB/s\n", stream, weights);
  std::printf("decode (context %d): %.2f ms/block = %.1f block-tokens/s; streaming bound %.2f ms/block at %.1f GB/s "
              "-> %.0f %% (%.1f GB/s of weights)\n",
              kPrefillTokens, per_block * 1e3, 1.0 / per_block, bound * 1e3, read_gbps, 100 * bound / per_block,
              block_weight_bytes() / per_block / 1e9);
  const double plain = convert_sgemv_block_seconds(*model);
  std::printf("decode matmuls as convert + sgemv instead (%d threads): %.2f ms/block -> %.0f %% of the bound\n",
              bench::openblas_threads(), plain * 1e3, 100 * bound / plain);
  return 0;
}
