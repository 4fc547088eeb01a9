#pragma once
// A classifier kept only in the workspace database, written out as a classifier file for the jobs that read files
// (record's scorers, evaluate's classifier measure): `<workspace>.classifiers/<name>.safetensors` beside the
// database. The path is stable, so a resumed run that stored it in its config finds the file again.
#include <filesystem>
#include <string>

namespace dynamax::app {

// Throws dynamax::Error when the workspace has no classifier of that name or the file cannot be written.
std::filesystem::path export_stored_classifier(const std::filesystem::path& db_path, const std::string& name);

}  // namespace dynamax::app
