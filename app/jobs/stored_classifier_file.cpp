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

fs::path export_stored_classifier(const fs::path& db_path, const std::string& name) {
  StoredClassifier stored;
  {
    Database db(db_path, Database::Mode::ReadOnly);
    stored = stored_classifier(db, name);
  }
  const fs::path dir = fs::path(db_path.string() + ".classifiers");
  fs::create_directories(dir);
  const fs::path file = dir / (file_stem(name) + ".safetensors");
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(stored.file_bytes.data(), std::streamsize(stored.file_bytes.size()));
  if (!out.flush()) throw Error(file.string() + ": cannot write the classifier '" + name + "'");
  return file;
}

}  // namespace dynamax::app
