// The Mamba2 engine on a Codestral-shaped synthetic checkpoint (hidden 4096, 128 heads of 64, 8 groups, state 128,
// conv 4, vocab 32768, 3 blocks of random bf16 weights in a temporary folder): the sequence path and its
// projections against cblas_sgemm on the same shapes, the scan's share and its two forms, and decode against
// the bf16 weight-streaming bound at the measured read bandwidth.
#include <cblas.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench/best_times.h"
#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/ssm_scan.h"
#include "core/models/mamba2.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

constexpr int kHidden = 4096, kHeads = 128, kHeadDim = 64, kGroups = 8, kState = 128, kVocab = 32768;
constexpr int kBlocks = 3;
constexpr int kDInner = kHeads * kHeadDim, kConvDim = kDInner + 2 * kGroups * kState;
constexpr int kInDim = 2 * kDInner + 2 * kGroups * kState + kHeads;
constexpr int kPrefill = 512, kDecodeTokens = 8;

// fp32 copy of a mapped weight: the operand cblas_sgemm gets in the comparison.
std::vector<float> f32_copy(const TensorView& w) {
  std::vector<float> out(size_t(w.numel()));
  to_f32(w.dtype, w.data, out.data(), out.size());
  return out;
}

// Scan inputs at Codestral's shapes, laid out as the engine lays them out.
struct ScanInputs {
  std::vector<float> xbc, dt, A, D, state, y;
  SsmScanArgs args;
  explicit ScanInputs(int T) {
    std::mt19937 rng(1);
    auto uniform = [&](float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); };
    xbc.resize(size_t(T) * kConvDim);
    for (float& v : xbc) v = uniform(-1, 1);
    dt.resize(size_t(T) * kHeads);
    for (float& v : dt) v = uniform(0.002f, 0.08f);
    A.resize(kHeads);
    for (float& v : A) v = -uniform(1, 16);
    D.assign(kHeads, 1.0f);
    state.assign(size_t(kHeads) * kHeadDim * kState, 0.0f);
    y.resize(size_t(T) * kDInner);
    args.T = T, args.heads = kHeads, args.head_dim = kHeadDim, args.groups = kGroups, args.state_size = kState;
    args.x = xbc.data(), args.B = xbc.data() + kDInner, args.C = xbc.data() + kDInner + kGroups * kState;
    args.ld_in = kConvDim;
    args.dt = dt.data(), args.A = A.data(), args.D = D.data(), args.state = state.data();
    args.y = y.data(), args.ld_y = kDInner;
  }
};

}  // namespace

int main() {
  bench::print_machine_header();
  bench::TemporaryFolder folder("dynamax_bench_mamba2");
  double t0 = bench::now_seconds();
  bench::write_codestral_7b_shaped(folder.path, kBlocks);
  auto loaded = load_model(folder.path);
  auto& model = dynamic_cast<Mamba2Model&>(*loaded);
  std::printf("checkpoint: Codestral-shaped, %d blocks, %.2f GB bf16, written and loaded in %.1f s\n", kBlocks,
              double(model.weights().bytes_on_disk()) / 1e9, bench::now_seconds() - t0);

  // ---- everything, in interleaved rounds
  std::vector<int32_t> ids(kPrefill);
  for (int i = 0; i < kPrefill; ++i) ids[size_t(i)] = (i * 7919) % kVocab;
  std::vector<float> embedded(size_t(kPrefill) * kHidden), h, token(kHidden);
  model.embed(ids, embedded.data());
  const TensorView& in_proj = model.weights().require("backbone.layers.0.mixer.in_proj.weight");
  const TensorView& out_proj = model.weights().require("backbone.layers.0.mixer.out_proj.weight");
  const std::vector<float> w_in = f32_copy(in_proj), w_out = f32_copy(out_proj);  // for cblas_sgemm
  std::vector<float> x_in(size_t(kPrefill) * kHidden, 0.5f), x_out(size_t(kPrefill) * kDInner, 0.25f);
  std::vector<float> y_in(size_t(kPrefill) * kInDim), y_out(size_t(kPrefill) * kHidden);
  ScanInputs scan(kPrefill);
  auto state = model.new_state();
  bench::BestTimes best;
  for (int round = 0; round < 5; ++round) {
    h = embedded;  // the sequence path, block by block
    state->reset();
    for (int d = 1; d <= kBlocks; ++d)
      best.add("block " + std::to_string(d),
               bench::seconds_of([&] { model.run_block(d, h.data(), kPrefill, 0, *state); }));
    best.add("decode", bench::seconds_of([&] {  // then decode, continuing that state
                         for (int i = 0; i < kDecodeTokens; ++i) {
                           model.embed(std::span(&ids[size_t(i)], 1), token.data());
                           for (int d = 1; d <= kBlocks; ++d) model.run_block(d, token.data(), 1, 0, *state);
                         }
                       }) / kDecodeTokens);
    best.add("read", 1.0 / bench::stream_read_gbps());  // as a time, so that the best is the smallest
    best.add("in_proj", bench::seconds_of([&] { matmul(in_proj, x_in.data(), kPrefill, y_in.data()); }));
    best.add("out_proj", bench::seconds_of([&] { matmul(out_proj, x_out.data(), kPrefill, y_out.data()); }));
    best.add("sgemm in_proj", bench::seconds_of([&] {
               cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kPrefill, kInDim, kHidden, 1.0f, x_in.data(),
                           kHidden, w_in.data(), kHidden, 0.0f, y_in.data(), kInDim);
             }));
    best.add("sgemm out_proj", bench::seconds_of([&] {
               cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kPrefill, kHidden, kDInner, 1.0f, x_out.data(),
                           kDInner, w_out.data(), kDInner, 0.0f, y_out.data(), kHidden);
             }));
    best.add("sequential", bench::seconds_of([&] { ssm_scan_sequential(scan.args); }));
    for (int chunk : {64, 128, 256})
      best.add("chunked " + std::to_string(chunk), bench::seconds_of([&] { ssm_scan_chunked(scan.args, chunk); }));
  }

  // ---- the sequence path and its projections
  double t_seq = 0.0;
  for (int d = 1; d <= kBlocks; ++d) t_seq += best["block " + std::to_string(d)];
  std::printf("\nsequence path (T = %d, %d blocks): %.1f ms, %.0f tokens/s (%.1f ms a block)\n", kPrefill, kBlocks,
              t_seq * 1e3, kPrefill / t_seq, t_seq * 1e3 / kBlocks);
  const double f_in = 2.0 * kPrefill * kInDim * kHidden, f_out = 2.0 * kPrefill * kHidden * kDInner;
  const double t_in = best["in_proj"], t_out = best["out_proj"];
  const double s_in = best["sgemm in_proj"], s_out = best["sgemm out_proj"];
  std::printf("  in_proj  %5d x %5d x %4d: engine %6.1f GFLOP/s, cblas_sgemm fp32 %6.1f GFLOP/s (%3.0f %%)\n", kPrefill,
              kInDim, kHidden, f_in / t_in / 1e9, f_in / s_in / 1e9, 100.0 * s_in / t_in);
  std::printf("  out_proj %5d x %5d x %4d: engine %6.1f GFLOP/s, cblas_sgemm fp32 %6.1f GFLOP/s (%3.0f %%)\n", kPrefill,
              kHidden, kDInner, f_out / t_out / 1e9, f_out / s_out / 1e9, 100.0 * s_out / t_out);
  std::printf("  projections together: engine %.1f GFLOP/s = %.0f %% of cblas_sgemm (target >= 70 %%)\n",
              (f_in + f_out) / (t_in + t_out) / 1e9, 100.0 * (s_in + s_out) / (t_in + t_out));
  const double t_block = t_seq / kBlocks, t_scan = best["sequential"];
  std::printf(
      "  a block's time: projections %.0f %%, scan %.1f %%, the rest (conv, norms, gate; the remainder) %.0f %%\n",
      100.0 * (t_in + t_out) / t_block, 100.0 * t_scan / t_block, 100.0 * (1.0 - (t_in + t_out + t_scan) / t_block));

  // ---- the scan's two forms
  std::printf(
      "\nscan (T = %d, %d heads of %d, state %d); the engine runs the sequential form, on one thread:\n"
      "  sequential (%s) %.2f ms\n",
      kPrefill, kHeads, kHeadDim, kState, ssm_scan_kernel_name(scan.args), t_scan * 1e3);
  for (int chunk : {64, 128, 256}) {
    const double t_chunked = best["chunked " + std::to_string(chunk)];
    std::printf("  chunked, chunk %3d (BLAS products) %.2f ms (%.2fx the sequential time)\n", chunk, t_chunked * 1e3,
                t_chunked / t_scan);
  }

  // ---- decode
  const double t_decode = best["decode"], read_gbps = 1.0 / best["read"];
  const double bytes_per_token = double(in_proj.nbytes + out_proj.nbytes) * kBlocks;
  const double bound = read_gbps * 1e9 / bytes_per_token;
  std::printf("\ndecode (%d blocks, %.0f MB of bf16 projections a token): %.2f ms a token, %.1f tokens/s\n", kBlocks,
              bytes_per_token / 1e6, t_decode * 1e3, 1.0 / t_decode);
  std::printf("  weight-streaming bound at %.1f GB/s read: %.1f tokens/s; reached %.0f %% (target >= 60 %%)\n",
              read_gbps, bound, 100.0 / t_decode / bound);
  return 0;
}
