#pragma once
// Trained exit classifiers in the workspace database (`classifiers` table): the classifier file's bytes as the
// weights blob, its depths and its training record, keyed by name (saving a name again replaces it).
#include <cstdint>
#include <nlohmann/json.hpp>
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

// Returns the row id.
int64_t store_classifier(Database& db, const StoredClassifier& classifier);
// Throws dynamax::Error when there is no classifier of that name.
StoredClassifier stored_classifier(Database& db, const std::string& name);

// A classifier as the workspace lists it: no weights, its model's name and folder (empty when not tied to one).
struct ClassifierListing {
  int64_t id = 0;
  std::string name, kind, model_name, model_path, created_at;
  std::vector<int> depths;
  nlohmann::json record;

  double mean_validation_auroc() const;  // over the exits of its training record; NaN when it has none
};

// Every classifier of the workspace, oldest first.
std::vector<ClassifierListing> list_classifiers(Database& db);
// Throws dynamax::Error when there is no classifier of that name.
void delete_classifier(Database& db, const std::string& name);

}  // namespace dynamax
