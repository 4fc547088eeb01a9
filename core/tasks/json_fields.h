#pragma once
// Checked access to the fields of a JSON record. A problem throws BadRecord with the path of the offending value
// (for json_line) and the reason, which the reader turns into "file:line: why" (or a skip).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dynamax {

struct BadRecord {
  std::vector<std::string> path;  // where in the document (object keys, array indices)
  std::string why;
};

using JsonPath = std::vector<std::string>;

inline JsonPath operator/(JsonPath path, const std::string& key) {
  path.push_back(key);
  return path;
}
inline JsonPath operator/(JsonPath path, std::size_t index) { return std::move(path) / std::to_string(index); }

// `value` (at `path`) must be an object; returns its member `name`.
inline const nlohmann::ordered_json& json_member(const nlohmann::ordered_json& value, const JsonPath& path,
                                                 const std::string& name) {
  if (!value.is_object()) {
    const bool record = path.empty() || (path.back()[0] >= '0' && path.back()[0] <= '9');
    throw BadRecord{path, (record ? std::string("record") : "field '" + path.back() + "'") +
                              " is not a JSON object (it is " + std::string(value.type_name()) + ")"};
  }
  const auto it = value.find(name);
  if (it == value.end()) throw BadRecord{path, "missing field '" + name + "'"};
  return *it;
}

// Member `name` of object `value` as a non-empty string.
inline std::string json_string(const nlohmann::ordered_json& value, const JsonPath& path, const std::string& name) {
  const auto& field = json_member(value, path, name);
  if (!field.is_string())
    throw BadRecord{path / name, "field '" + name + "' is not a string (it is " + std::string(field.type_name()) + ")"};
  std::string text = field.get<std::string>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw BadRecord{path / name, "field '" + name + "' is empty"};
  return text;
}

// Member `name` of object `value` as a list of strings.
inline std::vector<std::string> json_string_list(const nlohmann::ordered_json& value, const JsonPath& path,
                                                 const std::string& name) {
  const auto& field = json_member(value, path, name);
  if (!field.is_array())
    throw BadRecord{path / name, "field '" + name + "' is not a list (it is " + std::string(field.type_name()) + ")"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (!field[i].is_string())
      throw BadRecord{path / name / i, "field '" + name + "' holds a " + std::string(field[i].type_name()) +
                                           " where a string belongs (item " + std::to_string(i) + ")"};
    out.push_back(field[i].get<std::string>());
  }
  return out;
}

// The reason in a parse error, without nlohmann's "[json.exception...] parse error at line 1, column 5: " prefix.
inline std::string json_parse_reason(const nlohmann::ordered_json::parse_error& e) {
  const std::string what = e.what();
  const auto column = what.find("column ");
  const auto colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Adds `item` to `list` unless it is there already.
inline void add_unique(std::vector<std::string>& list, const std::string& item) {
  for (const std::string& have : list)
    if (have == item) return;
  list.push_back(item);
}

}  // namespace dynamax
