#pragma once
// Where the built-in demo lives: resources/ of the source tree (tiny models, sample prompts), or
// $DYNAMAX_RESOURCES when set.
#include <filesystem>
#include <string>
#include <vector>

namespace dynamax::app {

std::filesystem::path resources_dir();
std::vector<std::filesystem::path> demo_model_folders();  // tiny-mistral, tiny-codestral
std::vector<std::string> demo_prompts();

}  // namespace dynamax::app
