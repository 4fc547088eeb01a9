// The Mamba-1 engine on a mamba-2.8b-shaped synthetic checkpoint (hidden 2560, d_inner 5120, state 16, dt rank 160,
// conv 4, 8 blocks of random bf16 weights, more than the caches hold, in a temporary folder): the sequence path
// (prefill) and its projections against cblas_sgemm on the same shapes, the selective scan's share, the bf16
// precision path, and decode against the bf16 weight-streaming bound at the measured read bandwidth.
#include <cblas.h>

#include <cstdio>
#include <tuple>
#include <string>
#include <vector>

#include "bench/best_times.h"
#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/selective_scan.h"
#include "core/models/model.h"

using namespace dynamax;

namespace {

constexpr int kHidden = 2560, kInner = 5120, kState = 16, kRank = 160, kVocab = 50280;
constexpr int kBlocks = 8, kPrefill = 512, kDecodeTokens = 16;
constexpr int kXDim = kRank + 2 * kState;

// fp32 copy of a mapped weight: the operand cblas_sgemm gets in the comparison.
std::vector<float> f32_copy(const TensorView& w) {
  std::vector<float> out(size_t(w.numel()));
  to_f32(w.dtype, w.data, out.data(), out.size());
  return out;
}

}  // namespace

int main() {
  bench::print_machine_header();
  bench::TemporaryFolder folder("dynamax_bench_mamba");
  const double t0 = bench::now_seconds();
  bench::write_mamba_2_8b_shaped(folder.path, kBlocks);
  auto model = load_model(folder.path);
  std::printf("checkpoint: mamba-2.8b-shaped, %d blocks, %.2f GB bf16, written and loaded in %.1f s\n", kBlocks,
              double(model->weights().bytes_on_disk()) / 1e9, bench::now_seconds() - t0);

  std::vector<int32_t> ids(kPrefill);
  for (int i = 0; i < kPrefill; ++i) ids[size_t(i)] = (i * 7919) % kVocab;
  std::vector<float> embedded(size_t(kPrefill) * kHidden);
  model->embed(ids, embedded.data());

  // ---- the projections' operands and the scan's inputs, in the engine's layouts
  struct Projection {
    const char* name;
    int out, in;
    const TensorView* weight;
    std::vector<float> w32, x, y;  // fp32 weight for cblas_sgemm, input and output rows
  };
  std::vector<Projection> projections;
  for (auto [name, out, in] : {std::tuple{"in_proj", 2 * kInner, kHidden}, {"x_proj", kXDim, kInner},
                               {"dt_proj", kInner, kRank}, {"out_proj", kHidden, kInner}}) {
    const TensorView& w = model->weights().require(std::string("backbone.layers.0.mixer.") + name + ".weight");
    projections.push_back({name, out, in, &w, f32_copy(w), std::vector<float>(size_t(kPrefill) * in, 0.5f),
                           std::vector<float>(size_t(kPrefill) * out)});
  }
  std::vector<float> x(size_t(kPrefill) * kInner, 0.3f), dt(size_t(kPrefill) * kInner, 0.02f);
  std::vector<float> bc(size_t(kPrefill) * kXDim, 0.1f), A(size_t(kInner) * kState, -4.0f), D(kInner, 1.0f);
  std::vector<float> ssm(size_t(kInner) * kState, 0.0f), y(size_t(kPrefill) * kInner);
  SelectiveScanArgs scan;
  scan.T = kPrefill, scan.channels = kInner, scan.state_size = kState;
  scan.x = x.data(), scan.ld_x = kInner, scan.dt = dt.data();
  scan.B = bc.data() + kRank, scan.C = bc.data() + kRank + kState, scan.ld_bc = kXDim;
  scan.A = A.data(), scan.D = D.data(), scan.state = ssm.data(), scan.y = y.data(), scan.ld_y = kInner;
  std::string notice;
  const bool bf16 = effective_precision(Precision::BF16, notice) == Precision::BF16;

  // ---- everything, in interleaved rounds
  bench::BestTimes best;
  std::vector<float> h, token(kHidden);
  for (int round = 0; round < 4; ++round) {
    for (Precision precision : {Precision::FP32, Precision::BF16}) {
      if (precision == Precision::BF16 && !bf16) continue;
      model->set_precision(precision);
      const std::string p = precision_name(precision);
      h = embedded;  // the sequence path, block after block, then decode continuing that state
      auto state = model->new_state();
      best.add("prefill " + p, bench::seconds_of([&] {
                 for (int d = 1; d <= kBlocks; ++d) model->run_block(d, h.data(), kPrefill, 0, *state);
               }));
      best.add("decode " + p, bench::seconds_of([&] {
                 for (int i = 0; i < kDecodeTokens; ++i) {
                   model->embed(std::span(&ids[size_t(i)], 1), token.data());
                   for (int d = 1; d <= kBlocks; ++d) model->run_block(d, token.data(), 1, 0, *state);
                 }
               }) / kDecodeTokens);
    }
    model->set_precision(Precision::FP32);
    best.add("read", 1.0 / bench::stream_read_gbps());  // as a time, so that the best is the smallest
    for (Projection& p : projections) {
      best.add(p.name, bench::seconds_of([&] { matmul(*p.weight, p.x.data(), kPrefill, p.y.data()); }));
      best.add(std::string("sgemm ") + p.name, bench::seconds_of([&] {
                 cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kPrefill, p.out, p.in, 1.0f, p.x.data(), p.in,
                             p.w32.data(), p.in, 0.0f, p.y.data(), p.out);
               }));
    }
    best.add("scan", bench::seconds_of([&] { selective_scan(scan); }));
  }

  // ---- the sequence path and its projections
  const double t_seq = best["prefill fp32"];
  std::printf("\nsequence path (T = %d, %d blocks, fp32): %.1f ms, %.0f tokens/s (%.1f ms a block)\n", kPrefill,
              kBlocks, t_seq * 1e3, kPrefill / t_seq, t_seq * 1e3 / kBlocks);
  double t_engine = 0, t_sgemm = 0, flops = 0;
  for (const Projection& p : projections) {
    const double t = best[p.name], s = best[std::string("sgemm ") + p.name], f = 2.0 * kPrefill * p.out * p.in;
    std::printf("  %-8s %4d x %5d x %4d: engine %6.1f GFLOP/s, cblas_sgemm fp32 %6.1f GFLOP/s (%3.0f %%)\n", p.name,
                kPrefill, p.out, p.in, f / t / 1e9, f / s / 1e9, 100.0 * s / t);
    t_engine += t, t_sgemm += s, flops += f;
  }
  std::printf("  projections together: engine %.1f GFLOP/s = %.0f %% of cblas_sgemm\n", flops / t_engine / 1e9,
              100.0 * t_sgemm / t_engine);
  const double t_block = t_seq / kBlocks, t_scan = best["scan"];
  std::printf("  a block's time: projections %.0f %%, scan %.0f %% (%.2f ms, %s, one thread), the rest %.0f %%\n",
              100.0 * t_engine / t_block, 100.0 * t_scan / t_block, t_scan * 1e3, selective_scan_kernel_name(scan),
              100.0 * (1.0 - (t_engine + t_scan) / t_block));
  if (bf16)
    std::printf("sequence path in bf16 precision: %.1f ms, %.0f tokens/s (%.2fx fp32)\n", best["prefill bf16"] * 1e3,
                kPrefill / best["prefill bf16"], t_seq / best["prefill bf16"]);
  else
    std::printf("bf16 precision: %s\n", notice.c_str());

  // ---- decode
  const double t_decode = best["decode fp32"], read_gbps = 1.0 / best["read"];
  double bytes_per_token = 0;
  for (const Projection& p : projections) bytes_per_token += double(p.weight->nbytes);
  bytes_per_token *= kBlocks;
  const double bound = read_gbps * 1e9 / bytes_per_token;
  std::printf("\ndecode (%d blocks, %.0f MB of bf16 projections a token): %.2f ms a token, %.1f tokens/s\n", kBlocks,
              bytes_per_token / 1e6, t_decode * 1e3, 1.0 / t_decode);
  std::printf("  weight-streaming bound at %.1f GB/s read: %.1f tokens/s; reached %.0f %%\n", read_gbps, bound,
              100.0 / t_decode / bound);
  if (bf16) std::printf("  in bf16 precision: %.2f ms a token\n", best["decode bf16"] * 1e3);
  std::printf("  a 64-block mamba-2.8b at these rates: %.1f tokens/s decode, %.0f tokens/s prefill (fp32)\n",
              1.0 / (t_decode * 64 / kBlocks), kPrefill / (t_seq * 64 / kBlocks));
  return 0;
}
