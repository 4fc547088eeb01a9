#pragma once
// Exit classifiers on disk: one safetensors file with a tensor per (exit depth, parameter), named
// "exit<depth>.<parameter>" (F32), and the description in its __metadata__ under "dynamax_classifier": a JSON
// object with the kind and sizes, the depths, the model's width and block count, parameters and FLOPs per exit,
// and the training record (config, data specs, class balance, validation metrics). The same bytes go into the
// workspace database's `classifiers` table.
#include <filesystem>
#include <memory>
#include <string>

#include "core/exits/exit_classifier.h"

namespace dynamax {

std::string classifier_file_bytes(const ExitClassifier& classifier);
void save_classifier(const std::filesystem::path& path, const ExitClassifier& classifier);

// Throws dynamax::Error naming the file for anything but a complete, consistent classifier file.
std::unique_ptr<ExitClassifier> load_classifier(const std::filesystem::path& path);

// Throws dynamax::Error unless the classifier was trained for a model of this width and block count.
void check_classifier_fits(const ExitClassifier& classifier, int hidden_size, int depths, const std::string& model);

}  // namespace dynamax
