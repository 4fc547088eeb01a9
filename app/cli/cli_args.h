#pragma once
// Command-line arguments of one `dynamax` command: positionals, `--name value`, `--name=value` and flags.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace dynamax::cli {

// A usage mistake: printed with the command's usage, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `valued` options take a value, `flags` do not; anything else is a usage error naming the command. A value may
  // be empty only for the options in `texts` (an answer to score can be empty; a path or a number never is).
  Args(const std::string& command, const std::vector<std::string>& argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags, const std::set<std::string>& texts = {});

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::string positional(size_t index, const std::string& what) const;  // required
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;  // the last one when given several times
  std::vector<std::string> values(const std::string& name) const;    // every one, in order
  std::string value_or(const std::string& name, const std::string& fallback) const;
  int int_value(const std::string& name, int fallback, int min, int max) const;
  // A comma-separated list of integers, e.g. --ids 1,2,3.
  std::vector<int> int_list(const std::string& name) const;

 private:
  std::string command_;
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
};

}  // namespace dynamax::cli
