#include "app/jobs/job_run.h"

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/io/content_fingerprint.h"
#include "core/io/hf_cache.h"
#include "core/models/model.h"

namespace dynamax::app {

namespace fs = std::filesystem;

int64_t register_model(RunStore& store, const fs::path& model_dir, const ModelConfig& config) {
  std::ifstream in(model_dir / "config.json");
  std::ostringstream text;
  text << in.rdbuf();
  return store.upsert_model(model_display_name(model_dir), fs::absolute(model_dir).string(), config, text.str());
}

void read_stored_config(const Database& db, const RunInfo& info, const std::function<void()>& read) {
  try {
    read();
  } catch (const nlohmann::json::exception&) {
    throw Error(db.path().string() + ": runs row " + std::to_string(info.id) +
                ": config_json holds a value of the wrong type; the run cannot be resumed");
  }
}

int64_t create_or_claim_run(RunStore& store, int64_t resumed_run, const std::string& kind, const fs::path& model_dir,
                            const ModelConfig& config, const DatasetSpec& spec, const std::string& spec_text,
                            const nlohmann::json& run_config, int64_t sample_target) {
  if (resumed_run != 0) return resumed_run;
  const int64_t model_id = register_model(store, model_dir, config);
  const int64_t dataset_id = store.upsert_dataset(spec.kind, fs::absolute(spec.path).string(), spec_text);
  return store.create_run(kind, model_id, dataset_id, run_config, sample_target);
}

nlohmann::json content_identity(const fs::path& model_dir, const DatasetSpec& spec, const Shard& shard) {
  nlohmann::json identity = {{"model_fingerprint", model_fingerprint(model_dir)},
                             {"dataset_fingerprint", data_fingerprint(spec.path)}};
  if (!shard.whole()) identity["shard"] = shard.text();
  return identity;
}

Shard shard_of_run(const nlohmann::json& config) {
  const auto shard = config.find("shard");
  if (shard == config.end()) return {};
  if (!shard->is_string()) throw Error("the run's config has a shard that is not text");
  return parse_shard(shard->get<std::string>());
}

std::string run_to_completion(RunStore& store, int64_t run_id, const std::function<void()>& work) {
  try {
    work();
    store.finish_run(run_id, "done");
    return "done";
  } catch (const Cancelled&) {
    store.finish_run(run_id, "cancelled");
    return "cancelled";
  } catch (const std::exception& e) {
    try {
      store.finish_run(run_id, "failed", e.what());
    } catch (const Error&) {
      // The database itself failed (disk full, removed): the run stays 'running' and shows as interrupted.
    }
    throw Error(std::string("run ") + std::to_string(run_id) + " failed: " + e.what());
  }
}

}  // namespace dynamax::app
