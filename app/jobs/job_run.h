#pragma once
// What every job that writes a run (record, evaluate, train-exits) does the same way: register its model,
// create or claim its run, and leave the run's status right however the work ends.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/io/model_config.h"
#include "core/tasks/dataset_spec.h"
#include "core/tasks/shard.h"
#include "storage/run_store.h"

namespace dynamax::app {

// The model folder in the workspace (by absolute path, with its config.json as written); returns its id.
int64_t register_model(RunStore& store, const std::filesystem::path& model_dir, const ModelConfig& config);

// Reads a resumed run's options from its stored config with `read`; a value of the wrong type (a damaged or
// hand-edited workspace) becomes one message naming the file and the run's row.
void read_stored_config(const Database& db, const RunInfo& info, const std::function<void()>& read);

// A new run of `kind` over the model and dataset when `resumed_run` is 0, else that run, which the job claimed
// (RunStore::claim_run) before its work began.
int64_t create_or_claim_run(RunStore& store, int64_t resumed_run, const std::string& kind,
                            const std::filesystem::path& model_dir, const ModelConfig& config, const DatasetSpec& spec,
                            const std::string& spec_text, const nlohmann::json& run_config, int64_t sample_target);

// What a run's config carries so workspaces can be merged by content: the model's and the dataset's fingerprints,
// and the shard when the run is one part of a sharded run.
nlohmann::json content_identity(const std::filesystem::path& model_dir, const DatasetSpec& spec, const Shard& shard);
// The shard a run's config names (1/1 when it names none).
Shard shard_of_run(const nlohmann::json& config);

// Runs `work` and records how it ended: returns "done" or "cancelled" (on Cancelled); on any other error marks
// the run 'failed' with the message and throws dynamax::Error "run N failed: …".
std::string run_to_completion(RunStore& store, int64_t run_id, const std::function<void()>& work);

}  // namespace dynamax::app
