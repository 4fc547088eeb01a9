#pragma once
// A classifier kept only in the workspace database, written out as a classifier file for the jobs that read files
// (record's scorers, evaluate's classifier measure): `<workspace>.classifiers/<name>.safetensors` beside the
// database. The path is stable, so a resumed run that stored it in its config finds the file again.
#include <filesystem>
#include <string>

namespace dynamax::app {

// Throws dynamax::Error when the workspace has no classifier of that name or the file cannot be written.
std::filesystem::path export_stored_classifier(const std::filesystem::path& db_path, const std::string& name);
// The same to a file of the caller's choosing.
void write_stored_classifier(const std::filesystem::path& db_path, const std::string& name,
                             const std::filesystem::path& file);
// What a --classifiers item names: the file when one exists, else the workspace's classifier of that name, written
// out. Throws dynamax::Error saying that it is neither.
std::filesystem::path classifier_file_or_stored(const std::filesystem::path& db_path, const std::string& item);

}  // namespace dynamax::app
