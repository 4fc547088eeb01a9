#pragma once
// Models named as on the Hugging Face Hub ("org/name", optionally "@revision"), found offline in the local Hub
// cache ($HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub):
// models--org--name/snapshots/<commit>/, whose files are symlinks into blobs/. Nothing is downloaded.
#include <filesystem>
#include <string>
#include <vector>

namespace dynamax {

// The folder to load: `text` itself when it is an existing path or not of the form org/name[@revision], else the
// cached snapshot (refs/<revision or main>, a commit hash, or the only snapshot). A missing model throws
// dynamax::Error listing the models the cache holds; a snapshot whose config.json is missing or whose symlinks
// point to missing blobs throws naming the file.
std::filesystem::path resolve_model_folder(const std::string& text);

// The model's name for lists: the repository's name for a cached snapshot (models--org--NAME/snapshots/<commit>),
// else the folder's name.
std::string model_display_name(const std::filesystem::path& folder);

// The cache folder searched, and the models it holds ("org/name"), sorted.
std::filesystem::path hub_cache_dir();
std::vector<std::string> cached_models(const std::filesystem::path& cache);

}  // namespace dynamax
