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

// Written beside the target and checked as a whole classifier file before it takes the target's name: a reader
// never sees half a file, and damaged bytes in the workspace never become a file anyone relies on.
static void write_bytes(const fs::path& file, const std::string& bytes, const std::string& name) {
  const fs::path part = fs::path(file.string() + ".part");
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.flush()) throw Error(file.string() + ": cannot write the classifier '" + name + "'");
  }
  try {
    load_classifier(part);
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(part, ignored);
    throw Error("classifiers row '" + name + "': its weights are not a classifier file (" + e.what() + ")");
  }
  fs::rename(part, file);
}

// Named by content: an existing file has the same bytes.
static fs::path keep_by_content(const fs::path& db_path, const std::string& name, const std::string& bytes) {
  const fs::path dir = fs::path(db_path.string() + ".classifiers");
  fs::create_directories(dir);
  const fs::path file = dir / (file_stem(name) + "-" + classifier_content_hash(bytes) + ".safetensors");
  if (!fs::exists(file)) write_bytes(file, bytes, name);
  return file;
}

static StoredClassifier current_version(const fs::path& db_path, const std::string& name) {
  Database db(db_path, Database::Mode::ReadOnly);
  check_readable_workspace(db);
  return stored_classifier(db, name);
}

void write_stored_classifier(const fs::path& db_path, const std::string& name, const fs::path& file) {
  write_bytes(file, current_version(db_path, name).file_bytes, name);
}

fs::path export_stored_classifier(const fs::path& db_path, const std::string& name) {
  return keep_by_content(db_path, name, current_version(db_path, name).file_bytes);
}

fs::path pin_classifier(const fs::path& db_path, const ExitClassifier& classifier) {
  return keep_by_content(db_path, classifier.name(), classifier_file_bytes(classifier));
}

fs::path pinned_classifier_file(const fs::path& db_path, const fs::path& file) {
  if (fs::exists(file)) return file;
  const std::string stem = file.stem().string();
  const size_t dash = stem.rfind('-');
  if (dash != std::string::npos && fs::exists(db_path)) {
    Database db(db_path, Database::Mode::ReadOnly);
    check_readable_workspace(db);
    if (auto stored = stored_classifier_with_hash(db, stem.substr(dash + 1))) {
      write_bytes(file, stored->file_bytes, stored->name);
      return file;
    }
  }
  throw Error(file.string() + ": the classifier file this run used is gone, and the workspace has no copy of it");
}

fs::path classifier_file_or_stored(const fs::path& db_path, const std::string& item) {
  if (fs::exists(item)) return item;
  bool stored = false;
  std::error_code ec;
  if (fs::exists(db_path) && fs::file_size(db_path, ec) > 0) {  // a workspace still to be made has no classifiers
    Database db(db_path, Database::Mode::ReadOnly);
    check_readable_workspace(db);
    stored = classifier_name_taken(db, item);
  }
  if (!stored) throw Error(item + ": no such classifier file, and the workspace has no classifier of that name");
  return export_stored_classifier(db_path, item);
}

}  // namespace dynamax::app
