#include "app/analysis/loaded_run.h"

#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "storage/run_reader.h"

namespace dynamax::app {

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
  r.name = r.info.model_name + " #" + std::to_string(run_id);
  return r;
}

}  // namespace dynamax::app
