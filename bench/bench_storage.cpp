// Insert throughput of (token, depth) rows into the workspace database, one transaction per sample as recording
// writes them, next to the machine's limits. Target: >= 500k rows/s.
#include <cstdio>
#include <filesystem>

#include "bench/machine_limits.h"
#include "core/io/lenient_json.h"
#include "storage/run_reader.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"

using namespace dynamax;
namespace fs = std::filesystem;

static SampleRecord synthetic_record(int T, int L) {
  SampleRecord r;
  r.positions = T;
  r.depths = L;
  for (int t = 0; t < T; ++t) {
    r.token_ids.push_back(t % 32000);
    r.target_ids.push_back((t + 1) % 32000);
    r.final_top1.push_back((t * 7) % 32000);
    for (int d = 1; d <= L; ++d) r.exits.push_back({(t * d) % 32000, 0.5f, 0.25f, 2.0f, 0.9f});
  }
  return r;
}

int main() {
  bench::print_machine_header();
  const fs::path path = fs::temp_directory_path() / "dynamax_bench_storage.db";
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
  Database db(path);
  open_workspace(db);
  RunStore store(db);
  const ModelConfig config = parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"],
      "hidden_size": 4096, "num_hidden_layers": 32, "vocab_size": 32000, "num_attention_heads": 32,
      "num_key_value_heads": 8, "intermediate_size": 14336})", "bench"), "bench");
  const int64_t run = store.create_run("record", store.upsert_model("bench", "/bench", config, "{}"),
                                       store.upsert_dataset("text", "/bench.txt", "text:/bench.txt"), {}, 0);
  const int samples = 200, T = 256, L = 32;  // 1.6 M (token, depth) rows, Mistral-7B depth, 256-token windows
  const SampleRecord record = synthetic_record(T, L);
  SampleWriter writer(db);
  const double t0 = bench::now_seconds();
  for (int i = 0; i < samples; ++i) writer.write(run, SampleText{i, std::to_string(i), "prompt", "", 1, {}, 0}, record);
  const double seconds = bench::now_seconds() - t0;
  const double rows = double(samples) * T * L;
  std::printf("storage: %.0f (token, depth) rows + %d token rows in %.2f s: %.0f k rows/s (target >= 500 k/s)\n", rows,
              samples * T, seconds, rows / seconds / 1e3);
  const double r0 = bench::now_seconds();
  const RecordedRun columns = load_recorded_run(db, run);
  const double read = bench::now_seconds() - r0;
  std::printf("storage: loading the run into columns: %.2f s, %.0f k rows/s\n", read, double(columns.tokens) * L / read / 1e3);
  std::printf("storage: database size %.1f MiB (%.1f bytes per (token, depth) row incl. WAL)\n",
              (fs::file_size(path) + (fs::exists(path.string() + "-wal") ? fs::file_size(path.string() + "-wal") : 0)) / 1048576.0,
              (fs::file_size(path) + (fs::exists(path.string() + "-wal") ? fs::file_size(path.string() + "-wal") : 0)) / rows);
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
  return 0;
}
