#include "core/tasks/dataset_spec.h"

#include <charconv>

#include "core/common/error.h"

namespace dynamax {

namespace {

// An option a kind accepts: an integer in [min, max], or one of `words`.
struct OptionRule {
  std::string name;
  int min = 0, max = 0;
  std::vector<std::string> words;  // non-empty: a word option
};

const OptionRule on_error_rule{"on_error", 0, 0, {"error", "skip"}};

std::vector<OptionRule> rules_for(const std::string& kind) {
  if (kind == "text") return {{"window", 1, 1 << 20, {}}, on_error_rule};
  if (kind == "triviaqa") return {{"shots", 0, 64, {}}, on_error_rule};
  if (kind == "truthfulqa" || kind == "truthfulqa-mc") return {{"shots", 0, 6, {}}, on_error_rule};
  return {on_error_rule};  // coqa
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

bool parse_int(const std::string& text, int& value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return !text.empty() && ec == std::errc() && ptr == end;
}

std::string join(const std::vector<std::string>& items, const std::string& last_sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? last_sep : ", ") + items[i];
  return out;
}

void check_option(const std::string& spec, const std::string& kind, const std::string& name,
                  const std::string& value) {
  const std::vector<OptionRule> rules = rules_for(kind);
  for (const OptionRule& rule : rules) {
    if (rule.name != name) continue;
    if (!rule.words.empty()) {
      for (const std::string& word : rule.words)
        if (value == word) return;
      throw Error("dataset spec '" + spec + "': option " + name + "=" + value + " is not one of " +
                  join(rule.words, " or "));
    }
    int number = 0;
    if (!parse_int(value, number))
      throw Error("dataset spec '" + spec + "': option " + name + "=" + value + " is not an integer");
    if (number < rule.min || number > rule.max)
      throw Error("dataset spec '" + spec + "': option " + name + "=" + value + " is out of range " +
                  std::to_string(rule.min) + ".." + std::to_string(rule.max));
    return;
  }
  std::vector<std::string> names;
  for (const OptionRule& rule : rules) names.push_back(rule.name);
  throw Error("dataset spec '" + spec + "': unknown option '" + name + "' for " + kind + " (options: " +
              join(names, ", ") + ")");
}

}  // namespace

const std::vector<std::string>& dataset_kinds() {
  static const std::vector<std::string> kinds{"text", "truthfulqa", "truthfulqa-mc", "triviaqa", "coqa"};
  return kinds;
}

void validate_dataset_spec(const DatasetSpec& spec) {
  const std::string text = spec.text();
  bool known = false;
  for (const std::string& kind : dataset_kinds()) known = known || kind == spec.kind;
  if (!known)
    throw Error("dataset spec '" + text + "': unknown kind '" + spec.kind + "' (kinds: " + join(dataset_kinds(), " or ") +
                ")");
  if (spec.path.empty()) throw Error("dataset spec '" + text + "': no path");
  for (const auto& [name, value] : spec.options) check_option(text, spec.kind, name, value);
}

DatasetSpec parse_dataset_spec(std::string_view spec_view) {
  const std::string spec(spec_view);
  const size_t colon = spec.find(':');
  if (colon == std::string::npos)
    throw Error("dataset spec '" + spec + "': expected kind:path[#options], e.g. triviaqa:questions.jsonl#shots=2");
  DatasetSpec out;
  out.kind = trim(spec.substr(0, colon));
  bool known = false;
  for (const std::string& kind : dataset_kinds()) known = known || kind == out.kind;
  if (!known)
    throw Error("dataset spec '" + spec + "': unknown kind '" + out.kind + "' (kinds: " +
                join(dataset_kinds(), " or ") + ")");
  // Options follow the last '#'; a path may hold ':' but not '#'.
  const size_t hash = spec.rfind('#');
  const std::string path = trim(spec.substr(colon + 1, (hash == std::string::npos ? spec.size() : hash) - colon - 1));
  if (path.empty()) throw Error("dataset spec '" + spec + "': no path after '" + out.kind + ":'");
  out.path = path;
  if (hash == std::string::npos) return out;
  const std::string options = spec.substr(hash + 1);
  size_t start = 0;
  while (start <= options.size()) {
    size_t comma = options.find(',', start);
    if (comma == std::string::npos) comma = options.size();
    const std::string item = trim(std::string_view(options).substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      if (options.find_first_not_of(" \t") == std::string::npos) break;  // "path#": no options
      throw Error("dataset spec '" + spec + "': empty option between commas");
    }
    const size_t eq = item.find('=');
    if (eq == std::string::npos) throw Error("dataset spec '" + spec + "': option '" + item + "' needs a value (name=value)");
    const std::string name = trim(std::string_view(item).substr(0, eq));
    const std::string value = trim(std::string_view(item).substr(eq + 1));
    check_option(spec, out.kind, name, value);
    if (!out.options.emplace(name, value).second)
      throw Error("dataset spec '" + spec + "': option '" + name + "' given twice");
  }
  return out;
}

std::string DatasetSpec::text() const {
  std::string out = kind + ":" + path.string();
  char sep = '#';
  for (const auto& [name, value] : options) {
    out += sep + name + "=" + value;
    sep = ',';
  }
  return out;
}

std::string DatasetSpec::option(const std::string& name, const std::string& fallback) const {
  const auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

int DatasetSpec::int_option(const std::string& name, int fallback) const {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  int value = 0;
  if (!parse_int(it->second, value)) throw Error("dataset option " + name + "=" + it->second + " is not an integer");
  return value;
}

}  // namespace dynamax
