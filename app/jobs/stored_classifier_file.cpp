#include "app/jobs/stored_classifier_file.h"

#include <cctype>
#include <fstream>

#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "storage/classifier_store.h"
#include "storage/schema.h"

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
    check_readable_workspace(db);
    stored = stored_classifier(db, name);
  }
  // Written beside the target and checked as a whole classifier file before it takes the target's name: damaged
  // bytes in the workspace never become a file anyone relies on.
  const fs::path part = fs::path(file.string() + ".part");
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(stored.file_bytes.data(), std::streamsize(stored.file_bytes.size()));
    if (!out.flush()) throw Error(file.string() + ": cannot write the classifier '" + name + "'");
  }
  try {
    load_classifier(part);
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(part, ignored);
    throw Error(db_path.string() + ": classifiers row '" + name + "': its weights are not a classifier file (" +
                e.what() + ")");
  }
  fs::rename(part, file);
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
  std::error_code ec;
  if (fs::exists(db_path) && fs::file_size(db_path, ec) > 0) {  // a workspace still to be made has no classifiers
    Database db(db_path, Database::Mode::ReadOnly);
    check_readable_workspace(db);
    for (const ClassifierListing& c : list_classifiers(db)) stored = stored || c.name == item;
  }
  if (!stored) throw Error(item + ": no such classifier file, and the workspace has no classifier of that name");
  return export_stored_classifier(db_path, item);
}

}  // namespace dynamax::app
