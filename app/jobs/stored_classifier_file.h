#pragma once
// The classifier files that runs read (record's scorers, evaluate's classifier measure) live beside the database,
// named by content: `<workspace>.classifiers/<name>-<hash>.safetensors`. Such a file is never overwritten, so a run
// whose config points to one keeps the exact classifier it used, even after the name is trained again.
#include <filesystem>
#include <string>

namespace dynamax {
class ExitClassifier;
}

namespace dynamax::app {

// The current version of a workspace's classifier, written out (once). Throws dynamax::Error when the workspace has
// no classifier of that name or the file cannot be written.
std::filesystem::path export_stored_classifier(const std::filesystem::path& db_path, const std::string& name);
// A loaded classifier (from a file of the user's, which may change later) kept beside the workspace by content.
std::filesystem::path pin_classifier(const std::filesystem::path& db_path, const ExitClassifier& classifier);
// The file a run's config names: itself when present, else written again from the workspace's version with the
// hash in its name. Throws dynamax::Error saying the classifier is gone when neither exists.
std::filesystem::path pinned_classifier_file(const std::filesystem::path& db_path, const std::filesystem::path& file);
// The current version to a file of the caller's choosing.
void write_stored_classifier(const std::filesystem::path& db_path, const std::string& name,
                             const std::filesystem::path& file);
// What a --classifiers item names: the file when one exists, else the workspace's classifier of that name, written
// out. Throws dynamax::Error saying that it is neither.
std::filesystem::path classifier_file_or_stored(const std::filesystem::path& db_path, const std::string& item);

}  // namespace dynamax::app
