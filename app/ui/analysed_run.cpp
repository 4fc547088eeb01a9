#include "app/ui/analysed_run.h"

#include "app/ui/read_snapshot.h"
#include "storage/schema.h"

namespace dynamax::app {

std::string AnalysedRun::piece(int32_t id) const {
  if (tokenizer && id >= 0 && id < tokenizer->vocab_size()) return tokenizer->readable_piece(id);
  return "#" + std::to_string(id);
}

static AnalysedRunPtr reusable(const AnalysisRequest& request, const RunInfo& info) {
  for (const AnalysedRunPtr& r : request.previous)
    if (r->loaded.info.id == info.id && r->loaded.info.samples_done == info.samples_done &&
        r->measure == request.measure)
      return r;
  return nullptr;
}

static std::shared_ptr<const Tokenizer> tokenizer_of(const RunInfo& info) {
  try {
    return load_tokenizer(info.model_path);
  } catch (const std::exception&) {
    return nullptr;  // the inspector still works, showing ids
  }
}

AnalysisResult analyse_runs(const AnalysisRequest& request) {
  AnalysisResult out;
  try {
    Database db(request.db, Database::Mode::ReadOnly);
    check_readable_workspace(db);
    AnalysisOptions options;
    options.measure = request.measure;
    // The random baseline is not drawn, but File → Export data writes it, as `sweep --csv` does.
    for (int64_t id : request.run_ids) {
      try {
        std::shared_ptr<AnalysedRun> run;
        {
          ReadSnapshot snapshot(db);  // samples committed mid-load must not tear the run
          const RunInfo info = RunStore(db).run(id);
          if (info.samples_done == 0 || info.kind != "record") continue;  // an evaluation has no trade-off curve
          if (AnalysedRunPtr same = reusable(request, info)) {
            out.runs.push_back(same);
            continue;
          }
          run = std::make_shared<AnalysedRun>();
          run->loaded = load_run(db, id);
        }
        run->analysis = analyse_run(run->loaded.run, run->loaded.config, options, run->loaded.name);
        run->measure = request.measure;
        run->tokenizer = tokenizer_of(run->loaded.info);
        out.runs.push_back(std::move(run));
      } catch (const std::exception& e) {
        out.errors.push_back("run " + std::to_string(id) + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    out.errors.push_back(e.what());
  }
  return out;
}

}  // namespace dynamax::app
