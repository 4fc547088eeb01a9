// dynamax demo [--headless] [--workspace FILE] [--screenshot PNG]: the built-in demo. With a display, the
// workbench window (on FILE, else the last or default workspace); without one, a headless tour: the two tiny
// demo models' summaries, where each token's prediction settles across depths, and a greedy continuation with
// its speed.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli/cli_args.h"
#include "app/analysis/loaded_run.h"
#include "app/cli/commands.h"
#include "app/jobs/record_job.h"
#include "app/demo_paths.h"
#include "app/main_window_launcher.h"
#include "core/analysis/operating_points.h"
#include "core/analysis/run_analysis.h"
#include "core/exits/logit_lens.h"
#include "core/io/model_summary.h"
#include "core/models/greedy.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax::cli {

namespace fs = std::filesystem;

static bool display_available() {
  const char* platform = std::getenv("QT_QPA_PLATFORM");
  if (platform && std::string(platform) == "offscreen") return false;
  return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
}

// A piece as a reader sees it, padded to `width` columns: "▁" is a space, byte pieces like <0x0A> stay visible.
static std::string shown(const std::string& piece, size_t width) {
  std::string text = "'";
  for (size_t i = 0; i < piece.size(); ++i) {
    const bool space_mark = piece.compare(i, 3, "\xE2\x96\x81") == 0;
    text += space_mark ? ' ' : piece[i];
    if (space_mark) i += 2;
  }
  text += "'";
  size_t columns = 0;  // code points, not bytes
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (columns < width) text.append(width - columns, ' ');
  return text;
}

// The shallowest depth from which the exit's top-1 equals the final top-1 at every deeper depth.
static int settled_depth(const LensResult& lens, int position) {
  const int final_id = lens.id(lens.depths, position, 0);
  int settled = lens.depths;
  for (int d = lens.depths; d >= 1 && lens.id(d, position, 0) == final_id; --d) settled = d;
  return settled;
}

static void tour_model(const fs::path& folder, const std::string& prompt) {
  std::cout << summary_to_text(summarize_model_folder(folder));
  auto tokenizer = load_tokenizer(folder);
  auto model = load_model(folder);
  std::vector<int32_t> ids{tokenizer->bos_id};
  for (int32_t id : tokenizer->encode(prompt)) ids.push_back(id);
  const LensResult lens = logit_lens(*model, ids, 1);
  std::cout << "  prompt        \"" << prompt << "\" (" << ids.size() << " tokens)\n";
  std::cout << "  settles at    depth at which each next-token prediction stops changing (of " << lens.depths << "):\n";
  double sum = 0;
  for (int t = 0; t < lens.positions; ++t) {
    const int d = settled_depth(lens, t);
    sum += d;
    std::printf("    %s -> %s depth %2d\n", shown(tokenizer->piece(ids[size_t(t)]), 14).c_str(),
                shown(tokenizer->piece(lens.id(lens.depths, t, 0)), 14).c_str(), d);
  }
  std::printf("  oracle exits  mean depth %.1f of %d: %.0f%% of the blocks could be skipped\n", sum / lens.positions,
              lens.depths, 100.0 * (1.0 - sum / lens.positions / lens.depths));
  GreedyOptions options;
  options.max_new_tokens = 24;
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<int32_t> out = greedy_generate(*model, ids, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  continuation  \"%s\"\n                (%zu tokens greedy, %.0f tokens/s)\n\n",
              tokenizer->decode(out).c_str(), out.size(), out.size() / seconds);
}

// Both demo models recorded on the built-in prompts, and what a max-prob threshold saves at three consistency
// targets: the workbench's central question, answered headless.
static void tradeoff_tour(const std::vector<fs::path>& models) {
  const fs::path db = fs::temp_directory_path() / ("dynamax-demo-" + std::to_string(::getpid()) + ".db");
  const std::string spec = "text:" + (app::resources_dir() / "prompts" / "demo_prompts.txt").string() + "#window=32";
  std::atomic<bool> never{false};
  std::vector<int64_t> runs;
  for (const fs::path& model : models) {
    app::RecordOptions o;
    o.model_dir = model;
    o.dataset_spec = spec;
    o.db_path = db;
    runs.push_back(app::run_record_job(o, never).run_id);
  }
  std::cout << "trade-off on the built-in prompts (max-prob threshold, every depth allowed):\n";
  std::printf("  %-16s %8s %7s %12s %10s\n", "model", "target", "tau", "blocks saved", "accuracy");
  Database database(db, Database::Mode::ReadOnly);
  for (int64_t id : runs) {
    const app::LoadedRun run = app::load_run(database, id);
    const RunAnalysis analysis = analyse_run(run.run, run.config, AnalysisOptions{}, run.info.model_name);
    for (double target : {0.9, 0.95, 0.99}) {
      auto index = cheapest_point_reaching(analysis.threshold, QualityAxis::Consistency, target, ComputeAxis::Blocks);
      if (!index) continue;
      const TradeoffPoint& p = analysis.threshold.points[*index];
      std::printf("  %-16s %7.0f%% %7.3f %11.1f%% %9.1f%%\n", run.info.model_name.c_str(), 100 * target, p.parameter,
                  100 * (1 - p.block_fraction), 100 * p.accuracy);
    }
  }
  std::cout << "  (recorded into " << db.string() << "; try: dynamax plot --db " << db.string()
            << " --runs 1,2 --out demo.pdf)\n";
}

int run_demo(const Argv& argv) {
  Args args("demo", argv, {"screenshot", "workspace"}, {"headless"});
  const std::string workspace = args.value_or("workspace", "");
  if (auto png = args.value("screenshot")) return app::launch_main_window(*png, workspace);
  if (!args.flag("headless") && display_available()) return app::launch_main_window({}, workspace);
  const auto models = app::demo_model_folders();
  const auto prompts = app::demo_prompts();
  std::cout << "DYNAMAX Workbench: headless demo (no display; `dynamax demo` opens the window when one exists)\n\n";
  for (size_t i = 0; i < models.size(); ++i) tour_model(models[i], prompts.empty() ? "The" : prompts[0]);
  tradeoff_tour(models);
  return 0;
}

}  // namespace dynamax::cli
