#pragma once
// The token ids a command runs on: --ids 1,2,3 as given, or --prompt TEXT encoded (with BOS when the tokenizer
// config asks for it).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "app/cli/cli_args.h"

namespace dynamax::cli {

std::vector<int32_t> prompt_ids(const Args& args, const std::filesystem::path& model_folder);

}  // namespace dynamax::cli
