#pragma once
// JSON as Hugging Face writes it: Python's json module emits bare Infinity/-Infinity/NaN, which strict JSON
// rejects; transformers 5 writes them as {"__float__": "Infinity"}. Both become ordinary numbers here.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dynamax {

// Parses `text` (named `source` in errors), accepting bare Infinity, -Infinity and NaN outside strings.
nlohmann::json parse_lenient_json(std::string_view text, const std::string& source);
// Reads and parses a file; errors name the file.
nlohmann::json read_lenient_json(const std::filesystem::path& path);
// A number, or a {"__float__": "Infinity"|"-Infinity"|"NaN"} object, as a double; throws otherwise.
double json_to_double(const nlohmann::json& value, const std::string& what);

}  // namespace dynamax
