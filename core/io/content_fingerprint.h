#pragma once
// Content fingerprints (XXH3-128, hex) that identify a model or a dataset independently of where it lies, so
// workspaces recorded on different machines can be merged by what they hold rather than by path or row id.
#include <filesystem>
#include <string>

namespace dynamax {

// config.json, the tokenizer files, and every safetensors file's size, header and a sample of its bytes (64 KiB
// every 64 MiB and the last 64 KiB): shapes, dtypes and weights of a fine-tune all differ, and hashing 15 GB of
// weights in full would cost seconds per run.
std::string model_fingerprint(const std::filesystem::path& model_dir);

// A dataset file's whole bytes (a folder: its regular files in name order, with their relative names).
std::string data_fingerprint(const std::filesystem::path& path);

}  // namespace dynamax
