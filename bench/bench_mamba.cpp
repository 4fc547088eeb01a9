// The Mamba-1 engine on a mamba-2.8b-shaped synthetic checkpoint (hidden 2560, d_inner 5120, state 16, dt rank 160,
// conv 4, 3 blocks of random bf16 weights in a temporary folder): the sequence path (prefill) and its projections
// against cblas_sgemm on the same shapes, the selective scan's share, the bf16 precision path, and decode against
// the bf16 weight-streaming bound at the measured read bandwidth.
#include <cblas.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/selective_scan.h"
#include "core/models/model.h"

using namespace dynamax;

namespace {

constexpr int kHidden = 2560, kInner = 5120, kState = 16, kRank = 160, kVocab = 50280;
constexpr int kBlocks = 3, kPrefill = 512, kDecodeTokens = 16;
constexpr int kXDim = kRank + 2 * kState;

// fp32 copy of a mapped weight: the operand cblas_sgemm gets in the comparison.
std::vector<float> f32_copy(const TensorView& w) {
  std::vector<float> out(size_t(w.numel()));
  to_f32(w.dtype, w.data, out.data(), out.size());
  return out;
}

// Seconds of the whole sequence path over every block for kPrefill tokens, from a fresh state.
double prefill_seconds(Model& model, const std::vector<float>& embedded) {
  return bench::best_seconds([&] {
    std::vector<float> h = embedded;
    auto state = model.new_state();
    for (int d = 1; d <= kBlocks; ++d) model.run_block(d, h.data(), kPrefill, 0, *state);
  });
}

// Seconds a token takes to decode through every block, continuing a state.
double decode_seconds(Model& model, const std::vector<int32_t>& ids) {
  auto state = model.new_state();
  std::vector<float> token(kHidden);
  return bench::best_seconds([&] {
           for (int i = 0; i < kDecodeTokens; ++i) {
             model.embed(std::span(&ids[size_t(i)], 1), token.data());
             for (int d = 1; d <= kBlocks; ++d) model.run_block(d, token.data(), 1, 0, *state);
           }
         }) /
         kDecodeTokens;
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

  // ---- the sequence path and its projections
  const double t_seq = prefill_seconds(*model, embedded);
  std::printf("\nsequence path (T = %d, %d blocks, fp32): %.1f ms, %.0f tokens/s (%.1f ms a block)\n", kPrefill,
              kBlocks, t_seq * 1e3, kPrefill / t_seq, t_seq * 1e3 / kBlocks);
  struct Projection {
    const char* name;
    int out, in;
  };
  double t_engine = 0, t_sgemm = 0, flops = 0;
  for (const Projection& p : {Projection{"in_proj", 2 * kInner, kHidden}, Projection{"x_proj", kXDim, kInner},
                              Projection{"dt_proj", kInner, kRank}, Projection{"out_proj", kHidden, kInner}}) {
    const TensorView& w = model->weights().require(std::string("backbone.layers.0.mixer.") + p.name + ".weight");
    const std::vector<float> w32 = f32_copy(w), x(size_t(kPrefill) * p.in, 0.5f);
    std::vector<float> y(size_t(kPrefill) * p.out);
    const double t = bench::best_seconds([&] { matmul(w, x.data(), kPrefill, y.data()); });
    const double s = bench::best_seconds([&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kPrefill, p.out, p.in, 1.0f, x.data(), p.in, w32.data(),
                  p.in, 0.0f, y.data(), p.out);
    });
    const double f = 2.0 * kPrefill * p.out * p.in;
    std::printf("  %-8s %4d x %5d x %4d: engine %6.1f GFLOP/s, cblas_sgemm fp32 %6.1f GFLOP/s (%3.0f %%)\n", p.name,
                kPrefill, p.out, p.in, f / t / 1e9, f / s / 1e9, 100.0 * s / t);
    t_engine += t, t_sgemm += s, flops += f;
  }
  std::printf("  projections together: engine %.1f GFLOP/s = %.0f %% of cblas_sgemm\n", flops / t_engine / 1e9,
              100.0 * t_sgemm / t_engine);

  // ---- the scan, on inputs of the engine's layout
  std::vector<float> x(size_t(kPrefill) * kInner, 0.3f), dt(size_t(kPrefill) * kInner, 0.02f);
  std::vector<float> bc(size_t(kPrefill) * kXDim, 0.1f), A(size_t(kInner) * kState, -4.0f), D(kInner, 1.0f);
  std::vector<float> ssm(size_t(kInner) * kState, 0.0f), y(size_t(kPrefill) * kInner);
  SelectiveScanArgs scan;
  scan.T = kPrefill, scan.channels = kInner, scan.state_size = kState;
  scan.x = x.data(), scan.ld_x = kInner, scan.dt = dt.data();
  scan.B = bc.data() + kRank, scan.C = bc.data() + kRank + kState, scan.ld_bc = kXDim;
  scan.A = A.data(), scan.D = D.data(), scan.state = ssm.data(), scan.y = y.data(), scan.ld_y = kInner;
  const double t_scan = bench::best_seconds([&] { selective_scan(scan); });
  const double t_block = t_seq / kBlocks;
  std::printf("  a block's time: projections %.0f %%, scan %.0f %% (%.2f ms, one thread), the rest %.0f %%\n",
              100.0 * t_engine / t_block, 100.0 * t_scan / t_block, t_scan * 1e3,
              100.0 * (1.0 - (t_engine + t_scan) / t_block));

  // ---- bf16 precision, where this CPU has a bf16 matmul
  std::string notice;
  if (effective_precision(Precision::BF16, notice) == Precision::BF16) {
    model->set_precision(Precision::BF16);
    const double t_bf16 = prefill_seconds(*model, embedded);
    std::printf("sequence path in bf16 precision: %.1f ms, %.0f tokens/s (%.2fx fp32)\n", t_bf16 * 1e3,
                kPrefill / t_bf16, t_seq / t_bf16);
    model->set_precision(Precision::FP32);
  } else {
    std::printf("bf16 precision: %s\n", notice.c_str());
  }

  // ---- decode
  const double t_decode = decode_seconds(*model, ids), read_gbps = bench::stream_read_gbps();
  double bytes_per_token = 0;
  for (const char* name : {"in_proj", "x_proj", "dt_proj", "out_proj"})
    bytes_per_token += double(model->weights().require(std::string("backbone.layers.0.mixer.") + name + ".weight").nbytes);
  bytes_per_token *= kBlocks;
  const double bound = read_gbps * 1e9 / bytes_per_token;
  std::printf("\ndecode (%d blocks, %.0f MB of bf16 projections a token): %.2f ms a token, %.1f tokens/s\n", kBlocks,
              bytes_per_token / 1e6, t_decode * 1e3, 1.0 / t_decode);
  std::printf("  weight-streaming bound at %.1f GB/s read: %.1f tokens/s; reached %.0f %%\n", read_gbps, bound,
              100.0 / t_decode / bound);
  std::printf("  a 64-block mamba-2.8b at this rate: %.1f tokens/s decode, %.0f tokens/s prefill\n",
              1.0 / (t_decode * 64 / kBlocks), kPrefill / (t_seq * 64 / kBlocks));
  return 0;
}
