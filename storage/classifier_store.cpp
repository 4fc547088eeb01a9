#include "storage/classifier_store.h"

#include <cmath>

#include "core/common/error.h"

namespace dynamax {

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
  Statement q = db.prepare("SELECT kind, model_id, depths_json, weights, record_json FROM classifiers WHERE name = ?");
  q.bind(1, name);
  if (!q.step()) throw Error(db.path().string() + ": there is no classifier named '" + name + "'");
  StoredClassifier c;
  c.name = name;
  c.kind = q.text(0);
  c.model_id = q.is_null(1) ? 0 : q.int64(1);
  c.depths = nlohmann::json::parse(q.text(2)).get<std::vector<int>>();
  c.file_bytes = q.text(3);
  c.record = nlohmann::json::parse(q.text(4));
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
    const nlohmann::json depths = nlohmann::json::parse(q.text(6), nullptr, false);
    if (depths.is_array()) c.depths = depths.get<std::vector<int>>();
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
