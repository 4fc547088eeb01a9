#include "app/ui/workspace_snapshot.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/demo_paths.h"
#include "app/ui/read_snapshot.h"
#include "core/io/model_config.h"
#include "core/tasks/dataset_spec.h"
#include "storage/schema.h"

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

void prepare_workspace(const fs::path& path) {
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
  Database db(path);
  open_workspace(db);
  if (has_models(db)) return;
  RunStore store(db);
  for (const fs::path& folder : demo_model_folders()) {
    const fs::path dir = fs::absolute(folder).lexically_normal();
    store.upsert_model(dir.filename().string(), dir.string(), load_model_config(dir), read_text(dir / "config.json"));
  }
  const DatasetSpec spec = parse_dataset_spec(demo_dataset_spec());
  store.upsert_dataset(spec.kind, fs::absolute(spec.path).string(), demo_dataset_spec());
}

// The mean of the defined per-depth validation AUROCs that training recorded (result.validation[].auroc).
static double mean_validation_auroc(const std::string& record_json) {
  const nlohmann::json record = nlohmann::json::parse(record_json, nullptr, false);
  double sum = 0;
  int count = 0;
  if (record.is_object() && record.contains("result"))
    for (const nlohmann::json& exit : record["result"].value("validation", nlohmann::json::array()))
      if (exit.contains("auroc") && exit["auroc"].is_number()) sum += exit["auroc"].get<double>(), ++count;
  return count ? sum / count : std::nan("");
}

WorkspaceSnapshot read_workspace(const fs::path& path) {
  WorkspaceSnapshot s;
  s.path = path;
  Database db(path, Database::Mode::ReadOnly);
  if (stored_schema_version(db) > current_schema_version()) migrate_schema(db);  // refuses with a clear message
  ReadSnapshot snapshot(db);
  for (Statement q = db.prepare("SELECT id, name, path, architecture, depths FROM models ORDER BY id"); q.step();)
    s.models.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.integer(4)});
  for (Statement q = db.prepare("SELECT id, kind, spec FROM datasets ORDER BY id"); q.step();)
    s.datasets.push_back({q.int64(0), q.text(1), q.text(2)});
  s.runs = RunStore(db).list_runs();
  for (Statement q = db.prepare("SELECT c.id, c.name, c.kind, COALESCE(m.name, ''), COALESCE(m.path, ''), c.depths_json, "
                                "c.record_json FROM classifiers c LEFT JOIN models m ON m.id = c.model_id ORDER BY c.id");
       q.step();) {
    const nlohmann::json depths = nlohmann::json::parse(q.text(5), nullptr, false);
    s.classifiers.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4),
                             depths.is_array() ? depths.get<std::vector<int>>() : std::vector<int>{},
                             mean_validation_auroc(q.text(6))});
  }
  return s;
}

}  // namespace dynamax::app
