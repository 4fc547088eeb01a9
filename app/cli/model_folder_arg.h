#pragma once
// The model folder a command names first: a path, or org/name[@revision] found in the Hugging Face cache.
#include <filesystem>

#include "app/cli/cli_args.h"

namespace dynamax::cli {

std::filesystem::path model_folder_arg(const Args& args);

}  // namespace dynamax::cli
