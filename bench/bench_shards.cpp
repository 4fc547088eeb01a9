// Sharded recording on one machine: N processes with `--shard K/N --threads 1` against one process with
// `--threads 1` (the unit) and one with `--threads N`, over the same samples. Target: N shards reach >= 0.9 N times
// the single-threaded throughput. Usage: bench_shards [N] [MODEL_DIR] [DATASET_SPEC] [LIMIT]
// (default: every core, the tiny-mistral demo model, 256-token windows of WikiText from ../shared).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/machine_limits.h"

namespace fs = std::filesystem;

static double run(const std::string& command) {
  const double t0 = bench::now_seconds();
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "bench_shards: failed: %s\n", command.c_str());
    std::exit(1);
  }
  return bench::now_seconds() - t0;
}

int main(int argc, char** argv) {
  bench::print_machine_header();
  const int n = argc > 1 ? std::atoi(argv[1]) : int(sysconf(_SC_NPROCESSORS_ONLN));
  const std::string model = argc > 2 ? argv[2] : std::string(DYNAMAX_BENCH_RESOURCES) + "/models/tiny-mistral";
  const std::string dataset = argc > 3 ? argv[3] : "text:" + std::string(DYNAMAX_BENCH_SHARED) + "/data/text/wikitext2_test.txt#window=256";
  const int limit = argc > 4 ? std::atoi(argv[4]) : 8 * n;
  const fs::path dir = fs::temp_directory_path() / ("dynamax_bench_shards_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string record = std::string(DYNAMAX_BIN) + " record --model '" + model + "' --dataset '" + dataset +
                             "' --limit " + std::to_string(limit) + " --json";
  auto db = [&](const std::string& name) { return " --db " + (dir / name).string() + " >/dev/null 2>&1"; };

  const double single = run(record + " --threads 1" + db("single.db"));
  const double threaded = run(record + " --threads " + std::to_string(n) + db("threaded.db"));
  std::string shards;
  for (int k = 1; k <= n; ++k)
    shards += record + " --threads 1 --shard " + std::to_string(k) + "/" + std::to_string(n) + db("shard" + std::to_string(k) + ".db") + " & ";
  const double sharded = run(shards + "wait");
  std::printf("shards: %d samples of %s on %s\n", limit, dataset.c_str(), model.c_str());
  std::printf("shards: 1 process x 1 thread   %.2f s (1.00x)\n", single);
  std::printf("shards: 1 process x %d threads  %.2f s (%.2fx)\n", n, threaded, single / threaded);
  std::printf("shards: %d processes x 1 thread %.2f s (%.2fx; target >= %.2fx)\n", n, sharded, single / sharded, 0.9 * n);
  fs::remove_all(dir);
  return 0;
}
