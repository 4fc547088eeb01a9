#include "storage/classifier_store.h"

#include <cmath>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

// `[16, 20]` → {16, 20}; false (and no depths) unless it is a JSON list of depths in range.
static bool read_depths(const std::string& json, std::vector<int>& out) {
  out.clear();
  const nlohmann::json depths = nlohmann::json::parse(json, nullptr, false);
  if (!depths.is_array() || depths.size() > size_t(kMaxDepths)) return false;
  for (const nlohmann::json& d : depths) {
    if (!d.is_number_integer() || d.get<int64_t>() < 1 || d.get<int64_t>() > kMaxDepths) {
      out.clear();
      return false;
    }
    out.push_back(d.get<int>());
  }
  return true;
}

int64_t store_classifier(Database& db, const StoredClassifier& c) {
  Transaction tx(db);
  Statement insert = db.prepare(
        "INSERT INTO classifiers (name, kind, model_id, depths_json, weights, record_json) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, model_id = excluded.model_id, "
        "depths_json = excluded.depths_json, weights = excluded.weights, record_json = excluded.record_json, "
        "created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
  insert.bind(1, c.name)
      .bind(2, c.kind)
      .bind(4, nlohmann::json(c.depths).dump())
      .bind_blob(5, c.file_bytes.data(), c.file_bytes.size())
      .bind(6, c.record.dump());
  if (c.model_id)
    insert.bind(3, c.model_id);
  else
    insert.bind_null(3);
  insert.run();
  Statement id = db.prepare("SELECT id FROM classifiers WHERE name = ?");
  id.bind(1, c.name).step();
  const int64_t row = id.int64(0);
  tx.commit();
  return row;
}

StoredClassifier stored_classifier(Database& db, const std::string& name) {
  Statement q = db.prepare(
      "SELECT kind, model_id, depths_json, weights, record_json, id FROM classifiers WHERE name = ?");
  q.bind(1, name);
  if (!q.step()) throw Error(db.path().string() + ": there is no classifier named '" + name + "'");
  const std::string row = db.path().string() + ": classifiers row " + std::to_string(q.int64(5)) + ": ";
  StoredClassifier c;
  c.name = name;
  c.kind = q.text(0);
  c.model_id = q.is_null(1) ? 0 : q.int64(1);
  if (!read_depths(q.text(2), c.depths)) throw Error(row + "depths_json is not a list of depths in 1.." +
                                                     std::to_string(kMaxDepths));
  c.file_bytes = q.text(3);
  c.record = nlohmann::json::parse(q.text(4), nullptr, false);
  if (!c.record.is_object()) throw Error(row + "record_json is not a JSON object");
  return c;
}

double ClassifierListing::mean_validation_auroc() const {
  double sum = 0;
  int count = 0;
  if (record.is_object() && record.contains("result") && record["result"].is_object())
    for (const nlohmann::json& exit : record["result"].value("validation", nlohmann::json::array()))
      if (exit.is_object() && exit.contains("auroc") && exit["auroc"].is_number()) sum += exit["auroc"].get<double>(), ++count;
  return count ? sum / count : std::nan("");
}

std::vector<ClassifierListing> list_classifiers(Database& db) {
  std::vector<ClassifierListing> out;
  Statement q = db.prepare(
      "SELECT c.id, c.name, c.kind, COALESCE(m.name, ''), COALESCE(m.path, ''), c.created_at, c.depths_json, "
      "c.record_json FROM classifiers c LEFT JOIN models m ON m.id = c.model_id ORDER BY c.id");
  while (q.step()) {
    ClassifierListing c{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), {}, {}};
    read_depths(q.text(6), c.depths);  // a listing shows what it can: damaged depths list as none
    c.record = nlohmann::json::parse(q.text(7), nullptr, false);
    out.push_back(std::move(c));
  }
  return out;
}

void delete_classifier(Database& db, const std::string& name) {
  Statement q = db.prepare("DELETE FROM classifiers WHERE name = ?");
  q.bind(1, name).run();
  if (db.changes() == 0) throw Error(db.path().string() + ": there is no classifier named '" + name + "'");
}

}  // namespace dynamax
