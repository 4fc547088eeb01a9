#include "storage/classifier_store.h"

#include <cmath>
#include <cstdio>

#include "core/common/error.h"
#include "storage/workspace_limits.h"

namespace dynamax {

// `[16, 20]` → {16, 20}; false (and no depths) unless it is a JSON list of depths in range.
static bool read_depths(const std::string& json, std::vector<int>& out) {
  out.clear();
  const nlohmann::json depths = parse_stored_json(json);
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

bool classifier_name_taken(Database& db, const std::string& name) {
  Statement q = db.prepare("SELECT count(*) FROM classifiers WHERE name = ? AND replaced_at IS NULL");
  q.bind(1, name).step();
  return q.int64(0) > 0;
}

int64_t store_classifier(Database& db, const StoredClassifier& c, bool replace) {
  Transaction tx(db);
  if (classifier_name_taken(db, c.name)) {
    if (!replace)
      throw Error(db.path().string() + ": the workspace already has a classifier named '" + c.name +
                  "'; choose another name, or replace it (its earlier version stays for the runs that used it)");
    db.prepare("UPDATE classifiers SET replaced_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
               "WHERE name = ? AND replaced_at IS NULL")
        .bind(1, c.name)
        .run();
  }
  Statement insert = db.prepare(
      "INSERT INTO classifiers (name, kind, model_id, depths_json, weights, record_json) VALUES (?, ?, ?, ?, ?, ?)");
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
  const int64_t row = db.last_insert_id();
  tx.commit();
  return row;
}

// A row of kClassifierColumns, checked: depths in range and a JSON record.
static StoredClassifier classifier_of_row(Database& db, Statement& q) {
  const std::string row = db.path().string() + ": classifiers row " + std::to_string(q.int64(6)) + ": ";
  StoredClassifier c;
  c.name = q.text(0);
  c.kind = q.text(1);
  c.model_id = q.is_null(2) ? 0 : q.int64(2);
  if (!read_depths(q.text(3), c.depths))
    throw Error(row + "depths_json is not a list of depths in 1.." + std::to_string(kMaxDepths));
  c.file_bytes = q.text(4);
  c.record = parse_stored_json(q.text(5));
  if (!c.record.is_object()) throw Error(row + "record_json is not a JSON object");
  return c;
}

static const char* kClassifierColumns =
    "SELECT name, kind, model_id, depths_json, weights, record_json, id FROM classifiers ";

StoredClassifier stored_classifier(Database& db, const std::string& name) {
  Statement q = db.prepare(std::string(kClassifierColumns) + "WHERE name = ? AND replaced_at IS NULL");
  q.bind(1, name);
  if (!q.step()) throw Error(db.path().string() + ": there is no classifier named '" + name + "'");
  return classifier_of_row(db, q);
}

std::optional<StoredClassifier> stored_classifier_with_hash(Database& db, const std::string& hash) {
  Statement q = db.prepare(std::string(kClassifierColumns) + "ORDER BY id DESC");
  while (q.step())
    if (classifier_content_hash(q.text(4)) == hash) return classifier_of_row(db, q);
  return std::nullopt;
}

std::string classifier_content_hash(const std::string& bytes) {
  uint64_t h = 14695981039346656037ull;
  for (const unsigned char b : bytes) h = (h ^ b) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
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
      "c.record_json FROM classifiers c LEFT JOIN models m ON m.id = c.model_id WHERE c.replaced_at IS NULL ORDER BY c.id");
  while (q.step()) {
    ClassifierListing c{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), {}, {}};
    read_depths(q.text(6), c.depths);  // a listing shows what it can: damaged depths list as none
    c.record = parse_stored_json(q.text(7));
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
