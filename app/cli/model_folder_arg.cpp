#include "app/cli/model_folder_arg.h"

#include "core/io/hf_cache.h"

namespace dynamax::cli {

std::filesystem::path model_folder_arg(const Args& args) {
  return resolve_model_folder(args.positional(0, "a model folder (or org/name from the Hugging Face cache)"));
}

}  // namespace dynamax::cli
