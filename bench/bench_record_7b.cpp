// The whole recording job at 7B, fp32 against bf16: prefill tokens/s, decode ms/token and recording tokens/s on a
// TruthfulQA-shaped sample (about 245 tokens, every depth's exit head and measures), peak RSS, and the hours a
// full TruthfulQA, TriviaQA and CoQA recording would take, from the datasets' real token counts under Mistral's
// tokenizer. The product of the MLP's shape alone is timed too, beside sgemm and the memory bandwidth.
//
// usage: bench_record_7b [--blocks N] [--threads N]
//   --blocks: blocks written per synthetic folder (default 8); the figures are extrapolated per block to the full
//             depth (32 Mistral blocks, 64 Codestral blocks). --blocks 0 writes the full depth (about 15 GB each).
//   --threads: the engine's threads (default: all cores).
// Samples run one by one (no shared prefixes): a shared-prefix recording is the same loop over the samples'
// unshared suffixes once the prefix has run, so its time follows from these per-token figures.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/machine_limits.h"
#include "bench/synthetic_models.h"
#include "core/exits/exit_record.h"
#include "core/kernels/bf16_matmul.h"
#include "core/kernels/matmul.h"
#include "core/models/model.h"
#include "core/tasks/dataset.h"
#include "core/tokenize/tokenizer.h"

extern "C" void openblas_set_num_threads(int);

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

constexpr int kPrefillTokens = 128, kDecodePrompt = 32, kDecodeTokens = 4, kRecordTokens = 245;

std::vector<int32_t> random_ids(int n, int vocab) {
  std::mt19937 rng(7);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (int32_t& id : ids) id = int32_t(rng() % uint32_t(vocab));
  return ids;
}

double peak_rss_gb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / (1 << 20);  // kB
}

struct Figures {
  double prefill_tokens_per_s, decode_ms_per_token, record_tokens_per_s;
};

// Measured on the folder's `blocks`, extrapolated per block to `full_depth` (the embedding is negligible; one
// exit head per pass for prefill and decode, one per depth for recording).
Figures measure(Model& model, int full_depth) {
  const int L = model.depth(), V = model.vocab_size();
  const double scale = double(full_depth) / L;
  std::vector<float> logits(size_t(kPrefillTokens) * V);

  const auto prefill_ids = random_ids(kPrefillTokens, V);
  double blocks = 1e30;
  for (int r = 0; r < 2; ++r) {
    auto state = model.new_state();
    const double t0 = bench::now_seconds();
    const std::vector<float> h = forward(model, prefill_ids, *state);
    blocks = std::min(blocks, bench::now_seconds() - t0);
    if (r == 0) model.exit_head(h.data(), kPrefillTokens, logits.data());
  }
  std::vector<float> h(size_t(kPrefillTokens) * model.hidden_size());
  const double head = bench::best_seconds([&] { model.exit_head(h.data(), kPrefillTokens, logits.data()); }, 1);

  auto state = model.new_state();
  forward(model, random_ids(kDecodePrompt, V), *state);
  const int32_t next = 1;
  double decode = 0;
  for (int i = 0; i < kDecodeTokens; ++i) {
    const double t0 = bench::now_seconds();
    const std::vector<float> h1 = forward(model, std::span(&next, 1), *state);
    model.exit_head(h1.data(), 1, logits.data());
    decode += bench::now_seconds() - t0;
  }
  decode /= kDecodeTokens;
  const double head1 = bench::best_seconds([&] { model.exit_head(h.data(), 1, logits.data()); }, 2);

  const auto sample = random_ids(kRecordTokens, V);
  const double record = bench::best_seconds([&] { record_sample(model, sample); }, 1);
  return {kPrefillTokens / (blocks * scale + head), 1e3 * ((decode - head1) * scale + head1),
          kRecordTokens / (record * scale)};
}

// Tokens of every sample of a dataset under Mistral-7B's tokenizer (0 when the file is absent).
double dataset_tokens(const Tokenizer& tokenizer, const std::string& spec, size_t& samples) {
  try {
    auto dataset = open_dataset(parse_dataset_spec(spec), tokenizer);
    double tokens = 0;
    samples = dataset->size();
    for (size_t i = 0; i < samples; ++i) tokens += double(dataset->sample(i).ids.size());
    return tokens;
  } catch (const std::exception& e) {
    std::printf("record-7b: %s: %s\n", spec.c_str(), e.what());
    samples = 0;
    return 0;
  }
}

// The MLP's up projection (4096 → 14336) alone, fp32 path against bf16, at decode and prefill row counts.
void time_products() {
  const int rows = 14336, in = 4096;
  std::vector<uint16_t> bits(size_t(rows) * in);
  std::mt19937 rng(1);
  for (uint16_t& b : bits) b = uint16_t(0x3c00 | (rng() & 0x7f));  // bf16 values in [2^-7, 2^-6)
  TensorView W;
  W.name = "up_proj";
  W.dtype = DType::BF16;
  W.shape = {rows, in};
  W.data = reinterpret_cast<const std::byte*>(bits.data());
  W.nbytes = bits.size() * 2;
  for (int T : {1, 2, 4, 16, 64, 245}) {
    std::vector<float> X(size_t(T) * in, 0.01f), Y(size_t(T) * rows);
    const double flops = 2.0 * T * rows * in;
    const double fp32 = bench::best_seconds([&] { matmul(W, X.data(), T, Y.data(), false, Precision::FP32); }, 2);
    const double bf16 = bench::best_seconds([&] { matmul(W, X.data(), T, Y.data(), false, Precision::BF16); }, 2);
    std::printf("record-7b: product %3d x %d x %d: fp32 path %7.1f ms (%6.1f GFLOP/s), bf16 %7.1f ms (%6.1f GFLOP/s)\n",
                T, in, rows, 1e3 * fp32, flops / fp32 / 1e9, 1e3 * bf16, flops / bf16 / 1e9);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int blocks = 8, threads = int(std::thread::hardware_concurrency());
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--blocks")) blocks = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else return std::fprintf(stderr, "usage: bench_record_7b [--blocks N] [--threads N]\n"), 2;
  }
  openblas_set_num_threads(std::max(1, threads));
  bench::print_machine_header();
  std::printf("record-7b: %d threads of %u cores; oneDNN bf16 kernel: %s (%s)\n", threads,
              std::thread::hardware_concurrency(), bf16_matmul_kernel().c_str(),
              bf16_matmul_available() ? "used for bf16" : "not usable: bf16 runs as fp32");
  time_products();

  const fs::path shared = std::getenv("DYNAMAX_SHARED") ? fs::path(std::getenv("DYNAMAX_SHARED")) : fs::path("../shared");
  auto tokenizer = load_tokenizer(shared / "fixtures/tokenizers/mistral-7b-v0.1");
  struct Job {
    const char* name;
    std::string spec;
    double full_samples;  // the full dataset's size where the file holds only part of it
  };
  const Job jobs[] = {{"TruthfulQA", "truthfulqa:" + (shared / "data/truthfulqa/TruthfulQA.csv").string(), 0},
                      {"TriviaQA", "triviaqa:" + (shared / "data/triviaqa/triviaqa_sm_sub.jsonl").string(), 0},
                      {"CoQA dev", "coqa:" + (shared / "data/coqa/coqa-dev-v1.0.json").string(), 7983}};
  double job_tokens[3];
  for (int j = 0; j < 3; ++j) {
    size_t samples = 0;
    const double tokens = dataset_tokens(*tokenizer, jobs[j].spec, samples);
    const double scale = jobs[j].full_samples > 0 && samples ? jobs[j].full_samples / double(samples) : 1.0;
    job_tokens[j] = tokens * scale;
    std::printf("record-7b: %-10s %zu samples in the file, %.0f tokens each on average%s\n", jobs[j].name, samples,
                samples ? tokens / double(samples) : 0.0,
                scale != 1.0 ? " (scaled to the full dev set's 7,983 turns)" : "");
  }

  struct Shape {
    const char* name;
    int full_depth;
    void (*write)(const fs::path&, int);
  };
  for (const Shape& shape : {Shape{"mistral-7b-like", 32, bench::write_mistral_7b_shaped},
                             Shape{"codestral-7b-like", 64, bench::write_codestral_7b_shaped}}) {
    bench::TemporaryFolder dir(std::string("dynamax-bench-record-7b-") + shape.name);
    const int written = blocks > 0 ? std::min(blocks, shape.full_depth) : shape.full_depth;
    shape.write(dir.path, written);
    auto model = load_model(dir.path);
    const double weights_gb = double(fs::file_size(dir.path / "model.safetensors")) / (1 << 30);
    Figures f[2];
    for (Precision p : {Precision::FP32, Precision::BF16}) {
      model->set_precision(p);
      f[int(p)] = measure(*model, shape.full_depth);
      std::printf("record-7b: %-17s %-4s (%d of %d blocks, extrapolated): prefill %6.1f tokens/s, decode %6.1f "
                  "ms/token, recording %5.1f tokens/s\n",
                  shape.name, precision_name(p), written, shape.full_depth, f[int(p)].prefill_tokens_per_s,
                  f[int(p)].decode_ms_per_token, f[int(p)].record_tokens_per_s);
      for (int j = 0; j < 3; ++j)
        std::printf("record-7b: %-17s %-4s   full %-10s recording: %6.1f hours\n", shape.name, precision_name(p),
                    jobs[j].name, job_tokens[j] / f[int(p)].record_tokens_per_s / 3600);
    }
    std::printf("record-7b: %-17s bf16/fp32: prefill %.2fx, decode %.2fx (time), recording %.2fx\n", shape.name,
                f[1].prefill_tokens_per_s / f[0].prefill_tokens_per_s, f[1].decode_ms_per_token / f[0].decode_ms_per_token,
                f[1].record_tokens_per_s / f[0].record_tokens_per_s);
    std::printf("record-7b: %-17s peak RSS so far %.2f GB; weights of this folder %.2f GB (target: weights + 2 GB)\n",
                shape.name, peak_rss_gb(), weights_gb);
  }
  return 0;
}
