#include "storage/classifier_store.h"

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

}  // namespace dynamax
