// Merging shard workspaces: 4 shards of one recording, 1 M (token, depth) rows in all (Mistral-7B depth, 256-token
// samples), joined into one run by merge_workspaces. Yardstick: copying the same files with the file system.
// Target: <= 10 s.
#include <cstdio>
#include <filesystem>

#include "bench/machine_limits.h"
#include "core/io/lenient_json.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"
#include "storage/workspace_merge.h"

using namespace dynamax;
namespace fs = std::filesystem;

static SampleRecord synthetic_record(int T, int L, int seed) {
  SampleRecord r;
  r.positions = T;
  r.depths = L;
  for (int t = 0; t < T; ++t) {
    r.token_ids.push_back((t + seed) % 32000);
    r.target_ids.push_back((t + seed + 1) % 32000);
    r.final_top1.push_back((t * 7 + seed) % 32000);
    for (int d = 1; d <= L; ++d) r.exits.push_back({(t * d + seed) % 32000, 0.5f, 0.25f, 2.0f, 0.9f});
  }
  return r;
}

static uint64_t workspace_bytes(const fs::path& path) {
  uint64_t bytes = 0;
  for (const char* suffix : {"", "-wal"})
    if (fs::exists(path.string() + suffix)) bytes += fs::file_size(path.string() + suffix);
  return bytes;
}

static void remove_workspace(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

int main() {
  bench::print_machine_header();
  const fs::path dir = fs::temp_directory_path() / "dynamax_bench_merge";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const ModelConfig config = parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"],
      "hidden_size": 4096, "num_hidden_layers": 32, "vocab_size": 32000, "num_attention_heads": 32,
      "num_key_value_heads": 8, "intermediate_size": 14336})", "bench"), "bench");
  const int shards = 4, samples_per_shard = 32, T = 256, L = 32;
  std::vector<fs::path> inputs;
  uint64_t input_bytes = 0;
  for (int k = 1; k <= shards; ++k) {
    inputs.push_back(dir / ("shard" + std::to_string(k) + ".db"));
    Database db(inputs.back());
    open_workspace(db);
    RunStore store(db);
    const nlohmann::json run_config = {{"dataset", "text:/bench.txt#window=256"}, {"model_fingerprint", "m"},
                                       {"dataset_fingerprint", "d"}, {"shard", std::to_string(k) + "/" + std::to_string(shards)}};
    const int64_t run = store.create_run("record", store.upsert_model("bench", "/bench", config, "{}"),
                                         store.upsert_dataset("text", "/bench.txt", "text:/bench.txt#window=256"), run_config,
                                         samples_per_shard);
    SampleWriter writer(db);
    for (int i = 0; i < samples_per_shard; ++i) {
      const int index = (k - 1) * samples_per_shard + i;
      writer.write(run, SampleText{index, std::to_string(index), "prompt", "", 1, {}, 0}, synthetic_record(T, L, index));
    }
    store.finish_run(run, "done");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    input_bytes += workspace_bytes(inputs.back());
  }
  const double rows = double(shards) * samples_per_shard * T * L;

  const double c0 = bench::now_seconds();
  for (const fs::path& input : inputs) fs::copy_file(input, dir / (input.filename().string() + ".copy"));
  const double copy_seconds = bench::now_seconds() - c0;

  const fs::path out = dir / "merged.db";
  const double t0 = bench::now_seconds();
  const MergeReport report = merge_workspaces(out, inputs);
  const double seconds = bench::now_seconds() - t0;
  std::printf("merge: %d shards, %.0f (token, depth) rows, %.1f MiB: %.2f s, %.0f k rows/s (target <= 10 s); %d run joined\n",
              shards, rows, input_bytes / 1048576.0, seconds, rows / seconds / 1e3, report.shard_runs_joined);
  std::printf("merge: yardstick: copying the shard files takes %.2f s (%.0f MB/s); the merge is %.1fx that\n", copy_seconds,
              input_bytes / copy_seconds / 1e6, seconds / copy_seconds);
  for (const fs::path& input : inputs) remove_workspace(input);
  remove_workspace(out);
  fs::remove_all(dir);
  return 0;
}
