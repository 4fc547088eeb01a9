#include "app/jobs/stored_classifier_file.h"

#include <cctype>
#include <fstream>

#include "core/common/error.h"
#include "storage/classifier_store.h"

namespace dynamax::app {

namespace fs = std::filesystem;

// Names are free text; the file name keeps only characters every file system accepts.
static std::string file_stem(const std::string& name) {
  std::string stem = name;
  for (char& c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return stem.empty() ? "classifier" : stem;
}

void write_stored_classifier(const fs::path& db_path, const std::string& name, const fs::path& file) {
  StoredClassifier stored;
  {
    Database db(db_path, Database::Mode::ReadOnly);
    stored = stored_classifier(db, name);
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(stored.file_bytes.data(), std::streamsize(stored.file_bytes.size()));
  if (!out.flush()) throw Error(file.string() + ": cannot write the classifier '" + name + "'");
}

fs::path export_stored_classifier(const fs::path& db_path, const std::string& name) {
  const fs::path dir = fs::path(db_path.string() + ".classifiers");
  fs::create_directories(dir);
  const fs::path file = dir / (file_stem(name) + ".safetensors");
  write_stored_classifier(db_path, name, file);
  return file;
}

fs::path classifier_file_or_stored(const fs::path& db_path, const std::string& item) {
  if (fs::exists(item)) return item;
  bool stored = false;
  if (fs::exists(db_path)) {
    Database db(db_path, Database::Mode::ReadOnly);
    for (const ClassifierListing& c : list_classifiers(db)) stored = stored || c.name == item;
  }
  if (!stored) throw Error(item + ": no such classifier file, and the workspace has no classifier of that name");
  return export_stored_classifier(db_path, item);
}

}  // namespace dynamax::app
