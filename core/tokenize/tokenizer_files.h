#pragma once
// Reading the files of a tokenizer, with errors that name the file.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace dynamax {

// The whole file as bytes; throws Error "<path>: ..." when it is missing or unreadable.
std::string read_tokenizer_file(const std::filesystem::path& path);

// The file parsed as strict JSON; throws Error "<path>: invalid JSON ..." when it is not.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace dynamax
