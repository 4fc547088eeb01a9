#include "app/cli/cli_args.h"

#include <charconv>

namespace dynamax::cli {

Args::Args(const std::string& command, const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags, const std::set<std::string>& texts)
    : command_(command) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.count(name)) {
      if (inline_value) throw UsageError("option --" + name + " of '" + command_ + "' takes no value");
      flags_.insert(name);
    } else if (valued.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError("option --" + name + " of '" + command_ + "' needs a value");
        value = argv[++i];
      }
      // An empty path or number is always a slip (an unset shell variable), never a request.
      if (value.empty() && !texts.count(name)) throw UsageError("option --" + name + " of '" + command_ + "' needs a non-empty value");
      values_[name].push_back(value);
    } else {
      throw UsageError("unknown option --" + name + " for 'dynamax " + command_ + "'");
    }
  }
}

std::string Args::positional(size_t index, const std::string& what) const {
  if (index >= positionals_.size()) throw UsageError("'dynamax " + command_ + "' needs " + what);
  return positionals_[index];
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::value_or(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

static bool parse_int(const std::string& text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

int Args::int_value(const std::string& name, int fallback, int min, int max) const {
  auto v = value(name);
  if (!v) return fallback;
  int out = 0;
  if (!parse_int(*v, out) || out < min || out > max)
    throw UsageError("option --" + name + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + *v + "'");
  return out;
}

std::vector<int> Args::int_list(const std::string& name) const {
  std::vector<int> out;
  auto v = value(name);
  if (!v) return out;
  size_t start = 0;
  while (start <= v->size()) {
    size_t comma = v->find(',', start);
    if (comma == std::string::npos) comma = v->size();
    std::string item = v->substr(start, comma - start);
    int x = 0;
    if (!parse_int(item, x))
      throw UsageError("option --" + name + " must be a comma-separated list of integers, got '" + item + "' in '" + *v + "'");
    out.push_back(x);
    start = comma + 1;
  }
  return out;
}

}  // namespace dynamax::cli
