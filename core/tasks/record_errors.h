#pragma once
// What a dataset reader does with a malformed record: throw Error at the first one (on_error=error, the default)
// or skip it and keep a warning (on_error=skip). Messages read "file:line: why".
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/io/json_limits.h"

namespace dynamax {

class RecordErrors {
 public:
  RecordErrors(std::filesystem::path file, bool skip) : file_(std::move(file)), skip_(skip) {}

  // "file:line: why"
  std::string where(std::size_t line, const std::string& why) const {
    return file_.string() + ":" + std::to_string(line) + ": " + why;
  }
  // Before parsing JSON `text` that starts at line `first_line`: "file:line: JSON nested deeper than ...", naming
  // the line of the first bracket too deep, or "" when the nesting is within bounds.
  std::string too_deep(std::string_view text, std::size_t first_line = 1) const {
    const std::size_t at = find_excess_json_nesting(text);
    if (at == std::string_view::npos) return {};
    std::size_t line = first_line;
    for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
    return where(line, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  // Throws, or records the warning when skipping.
  void malformed(std::size_t line, const std::string& why) {
    if (!skip_) throw Error(where(line, why));
    warnings_.push_back(where(line, why));
  }
  // For a reader that found no usable record: an Error that says so, and why when records were skipped
  // (else `hint`, e.g. the layout the reader expects, when given).
  [[noreturn]] void throw_empty(const std::string& what, const std::string& hint = "") const {
    std::string message = file_.string() + ": no " + what;
    if (!warnings_.empty())
      message += " (" + std::to_string(warnings_.size()) + " malformed record" + (warnings_.size() == 1 ? "" : "s") +
                 " skipped; the first: " + warnings_.front() + ")";
    else if (!hint.empty())
      message += " (" + hint + ")";
    throw Error(message);
  }
  const std::vector<std::string>& warnings() const { return warnings_; }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  std::filesystem::path file_;
  bool skip_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace dynamax
