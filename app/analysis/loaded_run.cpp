#include "app/analysis/loaded_run.h"

#include <filesystem>

#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "storage/run_reader.h"

namespace dynamax::app {

// "text:/data/wikitext2_test.txt#window=64" → "wikitext2_test": what a legend can say about the data.
std::string dataset_short_name(const std::string& spec) {
  std::string path = spec.substr(0, spec.find('#'));
  if (const size_t colon = path.find(':'); colon != std::string::npos) path = path.substr(colon + 1);
  const std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? spec : stem;
}

LoadedRun load_run(Database& db, int64_t run_id) {
  LoadedRun r;
  r.info = RunStore(db).run(run_id);
  if (r.info.kind != "record")
    throw Error("run " + std::to_string(run_id) + " is a '" + r.info.kind + "' run; trade-offs need a recording");
  if (r.info.samples_done == 0) throw Error("run " + std::to_string(run_id) + " has no recorded samples yet");
  const std::string where = db.path().string() + ": the config.json recorded for model '" + r.info.model_name + "'";
  nlohmann::json config;
  try {
    config = parse_lenient_json(r.info.model_config_json, where);
  } catch (const Error&) {
    throw Error(where + " is not valid JSON");  // the parser's own words would quote the damaged text
  }
  r.config = parse_model_config(config, where);
  r.run = load_recorded_run(db, run_id);
  r.name = r.info.model_name + " · " + dataset_short_name(r.info.dataset_spec) + " #" + std::to_string(run_id);
  return r;
}

}  // namespace dynamax::app
