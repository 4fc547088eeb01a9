#include "core/io/hf_cache.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "core/common/error.h"

namespace dynamax {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string read_ref(const fs::path& file) {
  std::ifstream in(file);
  std::string hash;
  in >> hash;
  return hash;
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

// The snapshot of `repo` for `revision` (empty: main, else the only snapshot).
fs::path snapshot_of(const fs::path& repo, const std::string& name, const std::string& revision) {
  const fs::path snapshots = repo / "snapshots";
  const std::string wanted = revision.empty() ? "main" : revision;
  std::string commit;
  if (fs::is_regular_file(repo / "refs" / wanted)) commit = read_ref(repo / "refs" / wanted);
  else if (!revision.empty() && fs::is_directory(snapshots / revision)) commit = revision;
  else if (revision.empty() && entries(snapshots).size() == 1) commit = entries(snapshots).front();
  if (commit.empty() || !fs::is_directory(snapshots / commit))
    throw Error(name + (revision.empty() ? "" : "@" + revision) + ": no such revision in the Hugging Face cache (" +
                repo.string() + "); refs: " + joined(entries(repo / "refs")) + "; snapshots: " + joined(entries(snapshots)));
  return snapshots / commit;
}

// Every file of the snapshot must reach its blob, and a model needs its config.json.
void check_snapshot(const fs::path& snapshot, const std::string& name) {
  if (!fs::exists(snapshot / "config.json"))
    throw Error(name + ": the cached snapshot " + snapshot.string() + " has no config.json (an incomplete download?)");
  for (const std::string& file : entries(snapshot)) {
    const fs::path path = snapshot / file;
    if (fs::is_symlink(path) && !fs::exists(path))
      throw Error(name + ": " + path.string() + " points to a missing blob (" + fs::read_symlink(path).string() +
                  "); the cached download is incomplete");
  }
}

}  // namespace

fs::path hub_cache_dir() {
  if (const std::string hub = env("HF_HUB_CACHE"); !hub.empty()) return hub;
  if (const std::string home = env("HF_HOME"); !home.empty()) return fs::path(home) / "hub";
  if (const std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return fs::path(xdg) / "huggingface" / "hub";
  return fs::path(env("HOME")) / ".cache" / "huggingface" / "hub";
}

std::vector<std::string> cached_models(const fs::path& cache) {
  std::vector<std::string> models;
  for (const std::string& entry : entries(cache)) {
    if (entry.rfind("models--", 0) != 0) continue;
    std::string name = entry.substr(8);
    if (const size_t sep = name.find("--"); sep != std::string::npos) name.replace(sep, 2, "/");
    models.push_back(name);
  }
  return models;
}

std::string model_display_name(const fs::path& folder) {
  const fs::path absolute = fs::absolute(folder).lexically_normal();
  const fs::path parent = absolute.parent_path(), repo = parent.parent_path().filename();
  if (parent.filename() == "snapshots" && repo.string().rfind("models--", 0) == 0) {
    const std::string name = repo.string();
    return name.substr(name.rfind("--") + 2);
  }
  return (absolute.filename().empty() ? absolute.parent_path() : absolute).filename().string();
}

fs::path resolve_model_folder(const std::string& text) {
  static const std::regex hub_name(R"(([A-Za-z0-9][A-Za-z0-9_.-]*)/([A-Za-z0-9_.-]+)(@([A-Za-z0-9_./-]+))?)");
  std::smatch m;
  std::error_code ec;
  if (fs::exists(text, ec) || !std::regex_match(text, m, hub_name)) return text;
  const std::string name = m[1].str() + "/" + m[2].str(), revision = m[4].str();
  const fs::path cache = hub_cache_dir(), repo = cache / ("models--" + m[1].str() + "--" + m[2].str());
  if (!fs::is_directory(repo))
    throw Error(text + ": no such folder, and no model '" + name + "' in the Hugging Face cache " + cache.string() +
                " (it holds: " + joined(cached_models(cache)) + "); nothing is downloaded");
  const fs::path snapshot = snapshot_of(repo, name, revision);
  check_snapshot(snapshot, name);
  return snapshot;
}

}  // namespace dynamax
