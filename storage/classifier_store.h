#pragma once
// Trained exit classifiers in the workspace database (`classifiers` table): the classifier file's bytes as the
// weights blob, its depths and its training record. A name has one current version; replacing it keeps the earlier
// version (marked replaced), so that the runs that used it can still find it by its content hash.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

struct StoredClassifier {
  std::string name, kind;
  int64_t model_id = 0;  // 0: not tied to a model of the workspace
  std::vector<int> depths;
  std::string file_bytes;  // a whole classifier file (core/exits/classifier_file.h)
  nlohmann::json record;
};

// Returns the row id. A taken name throws dynamax::Error unless `replace`, which keeps the earlier version.
int64_t store_classifier(Database& db, const StoredClassifier& classifier, bool replace = false);
bool classifier_name_taken(Database& db, const std::string& name);
// The current version. Throws dynamax::Error when there is no classifier of that name.
StoredClassifier stored_classifier(Database& db, const std::string& name);
// Any version, current or replaced, whose file bytes have this content hash; nullopt when none has.
std::optional<StoredClassifier> stored_classifier_with_hash(Database& db, const std::string& hash);

// A short hex digest of a classifier file's bytes (FNV-1a, 64 bits): names the exact version a run used.
std::string classifier_content_hash(const std::string& file_bytes);

// A classifier as the workspace lists it: no weights, its model's name and folder (empty when not tied to one).
struct ClassifierListing {
  int64_t id = 0;
  std::string name, kind, model_name, model_path, created_at;
  std::vector<int> depths;
  nlohmann::json record;

  double mean_validation_auroc() const;  // over the exits of its training record; NaN when it has none
};

// The current version of every classifier of the workspace, oldest first.
std::vector<ClassifierListing> list_classifiers(Database& db);
// Removes the name with its earlier versions. Throws dynamax::Error when there is no classifier of that name.
void delete_classifier(Database& db, const std::string& name);

}  // namespace dynamax
