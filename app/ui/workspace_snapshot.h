#pragma once
// What the side panel lists, read from the workspace database in one go: models, datasets, runs and classifiers.
// Plain functions run off the GUI thread (they open their own connection).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/run_store.h"

namespace dynamax::app {

struct WorkspaceModel {
  int64_t id = 0;
  std::string name, path, architecture;
  int depths = 0;
};

struct WorkspaceDataset {
  int64_t id = 0;
  std::string kind, spec;
};

struct WorkspaceClassifier {
  int64_t id = 0;
  std::string name, kind, model_name, model_path;  // model: empty when not tied to one of the workspace
  std::vector<int> depths;
  double mean_auroc = 0;  // over the exit depths of its validation record; NaN when it has none
};

struct WorkspaceSnapshot {
  std::filesystem::path path;
  std::vector<WorkspaceModel> models;
  std::vector<WorkspaceDataset> datasets;
  std::vector<RunInfo> runs;
  std::vector<WorkspaceClassifier> classifiers;
};

// Makes a workspace ready to view: creates a missing (or 0-byte) one, migrates an older one, and gives one without
// models the demo's (the tiny models and the built-in prompt set). A current workspace with models is not written
// at all, and a read-only one never: then it returns true. Throws dynamax::Error, changing nothing, for a file that
// is not a workspace, one of a newer workbench, and an older one that is read-only.
bool prepare_workspace(const std::filesystem::path& path);

WorkspaceSnapshot read_workspace(const std::filesystem::path& path);

// The built-in prompt set as a dataset spec: `text:<resources>/prompts/demo_passages.txt#window=64`.
std::string demo_dataset_spec();

}  // namespace dynamax::app
