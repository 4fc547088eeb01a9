#pragma once
// Models, datasets and runs in the workspace database: registration, status, listing, deletion.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/io/model_config.h"
#include "storage/sqlite_db.h"

namespace dynamax {

struct RunInfo {
  int64_t id = 0;
  std::string kind, status, model_name, model_path, architecture, dataset_kind, dataset_spec;
  std::string created_at, updated_at, finished_at, error;
  int depths = 0;
  int64_t sample_target = 0, samples_done = 0, tokens = 0;
  bool interrupted = false;  // status 'running' but its process is gone (killed or crashed): resumable
  nlohmann::json config;       // an empty object when the stored config_json is not a JSON object:
  std::string config_problem;  // then this says so, naming the file and row
  std::string model_config_json;  // the model's config.json as recorded

  // 'interrupted' for a dead running run, else the stored status.
  std::string shown_status() const { return interrupted ? "interrupted" : status; }
};

class RunStore {
 public:
  explicit RunStore(Database& db) : db_(db) {}

  int64_t upsert_model(const std::string& name, const std::string& path, const ModelConfig& config,
                       const std::string& config_json);
  int64_t upsert_dataset(const std::string& kind, const std::string& path, const std::string& spec);
  // A new run with status 'running', owned by this process.
  int64_t create_run(const std::string& kind, int64_t model_id, int64_t dataset_id, const nlohmann::json& config,
                     int64_t sample_target);
  // Checks that the run can be resumed (resumable_run) and marks it 'running' and owned by this process, in one
  // transaction: of two processes resuming one run, the second is refused here, before it does any work.
  RunInfo claim_run(int64_t run_id, const std::string& kind, bool force = false);
  // Status 'done', 'cancelled' or 'failed' (with an error message), and the finish time.
  void finish_run(int64_t run_id, const std::string& status, const std::string& error = {});
  std::set<int64_t> finished_sample_indices(int64_t run_id);
  std::vector<RunInfo> list_runs();
  RunInfo run(int64_t run_id);  // throws dynamax::Error when there is no such run
  // The run, when it can be resumed as a run of `kind` ("record", "evaluate"): not done, its config readable, and
  // not owned by a live process (unless `force`: the user says the owner is gone). Throws dynamax::Error saying why not.
  RunInfo resumable_run(int64_t run_id, const std::string& kind, bool force = false);
  // Refuses a run that a live process is writing, unless `force`.
  void delete_run(int64_t run_id, bool force = false);

 private:
  Database& db_;
};

}  // namespace dynamax
