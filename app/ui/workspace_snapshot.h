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

// Creates or migrates the workspace; a workspace without models gets the demo's (the tiny models and the built-in
// prompt set). Throws dynamax::Error for a database of a newer workbench or a file that is not one.
void prepare_workspace(const std::filesystem::path& path);

WorkspaceSnapshot read_workspace(const std::filesystem::path& path);

// The built-in prompt set as a dataset spec: `text:<resources>/prompts/demo_passages.txt#window=64`.
std::string demo_dataset_spec();

}  // namespace dynamax::app
