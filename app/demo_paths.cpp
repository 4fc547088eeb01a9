#include "app/demo_paths.h"

#include <cstdlib>
#include <fstream>

#include "core/common/error.h"

namespace dynamax::app {

namespace fs = std::filesystem;

fs::path resources_dir() {
  if (const char* env = std::getenv("DYNAMAX_RESOURCES"); env && *env) return env;
  return DYNAMAX_RESOURCES_DIR;
}

std::vector<fs::path> demo_model_folders() {
  std::vector<fs::path> out;
  for (const char* name : {"tiny-mistral", "tiny-codestral"}) {
    fs::path p = resources_dir() / "models" / name;
    if (!fs::exists(p / "config.json")) throw Error(p.string() + ": demo model missing (set DYNAMAX_RESOURCES to the resources/ folder)");
    out.push_back(p);
  }
  return out;
}

std::vector<std::string> demo_prompts() {
  std::vector<std::string> out;
  std::ifstream in(resources_dir() / "prompts" / "demo_prompts.txt");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace dynamax::app
