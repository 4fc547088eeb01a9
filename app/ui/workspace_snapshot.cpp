#include "app/ui/workspace_snapshot.h"

#include <fstream>
#include <sstream>

#include "app/demo_paths.h"
#include "app/ui/read_snapshot.h"
#include "core/io/model_config.h"
#include "core/tasks/dataset_spec.h"
#include "storage/classifier_store.h"
#include "core/common/error.h"
#include "storage/schema.h"
#include "storage/workspace_access.h"

namespace dynamax::app {

namespace fs = std::filesystem;

std::string demo_dataset_spec() {
  return "text:" + (resources_dir() / "prompts" / "demo_passages.txt").string() + "#window=64";
}

static std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

static bool has_models(Database& db) {
  Statement q = db.prepare("SELECT COUNT(*) FROM models");
  return q.step() && q.int64(0) > 0;
}

bool prepare_workspace(const fs::path& path) {
  const std::string read_only = read_only_reason(path);
  std::error_code ec;
  if (fs::exists(path, ec) && fs::file_size(path, ec) > 0) {
    Database existing(path, Database::Mode::ReadOnly);
    if (!read_only.empty()) {
      check_readable_workspace(existing);  // as it is: an older or empty one cannot be upgraded here
      return true;
    }
    if (stored_schema_version(existing) == current_schema_version() && has_models(existing)) return false;
  } else if (!read_only.empty()) {
    throw Error(path.string() + ": cannot create a workspace here (" + read_only + ")");
  }
  if (!path.parent_path().empty() && (fs::create_directories(path.parent_path(), ec), ec))
    throw Error(path.string() + ": cannot make its folder (" + ec.message() + ")");
  Database db(path);
  open_workspace(db);
  if (has_models(db)) return false;
  RunStore store(db);
  for (const fs::path& folder : demo_model_folders()) {
    const fs::path dir = fs::absolute(folder).lexically_normal();
    store.upsert_model(dir.filename().string(), dir.string(), load_model_config(dir), read_text(dir / "config.json"));
  }
  const DatasetSpec spec = parse_dataset_spec(demo_dataset_spec());
  store.upsert_dataset(spec.kind, fs::absolute(spec.path).string(), demo_dataset_spec());
  return false;
}

// The mean of the defined per-depth validation AUROCs that training recorded (result.validation[].auroc).
WorkspaceSnapshot read_workspace(const fs::path& path) {
  WorkspaceSnapshot s;
  s.path = path;
  Database db(path, Database::Mode::ReadOnly);
  check_readable_workspace(db);
  ReadSnapshot snapshot(db);
  for (Statement q = db.prepare("SELECT id, name, path, architecture, depths FROM models ORDER BY id"); q.step();)
    s.models.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.integer(4)});
  for (Statement q = db.prepare("SELECT id, kind, spec FROM datasets ORDER BY id"); q.step();)
    s.datasets.push_back({q.int64(0), q.text(1), q.text(2)});
  s.runs = RunStore(db).list_runs();
  for (const ClassifierListing& c : list_classifiers(db))
    s.classifiers.push_back({c.id, c.name, c.kind, c.model_name, c.model_path, c.depths, c.mean_validation_auroc()});
  return s;
}

}  // namespace dynamax::app
