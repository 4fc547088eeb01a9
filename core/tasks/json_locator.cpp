#include "core/tasks/json_locator.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace dynamax {

namespace {

class Walker {
 public:
  explicit Walker(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  // Skips a string starting at pos_ (a '"'); returns its raw text including the quotes.
  std::string_view skip_string() {
    const size_t start = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    pos_ = std::min(pos_ + 1, text_.size());
    return text_.substr(start, pos_ - start);
  }
  // Skips one value starting at pos_.
  void skip_value() {
    skip_space();
    if (pos_ >= text_.size()) return;
    if (text_[pos_] == '"') {
      skip_string();
      return;
    }
    if (text_[pos_] != '{' && text_[pos_] != '[') {
      while (pos_ < text_.size() && std::string_view(",]} \t\r\n").find(text_[pos_]) == std::string_view::npos) ++pos_;
      return;
    }
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        skip_string();
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return;
    }
  }
  // With pos_ at the start of an object or array, moves to the start of member `key`; false if it is not there.
  bool enter(const std::string& key) {
    skip_space();
    if (pos_ >= text_.size()) return false;
    const size_t container = pos_;
    if (text_[pos_] == '[') {
      size_t index = 0;
      try {
        index = std::stoul(key);
      } catch (...) {
        return false;
      }
      ++pos_;
      for (size_t i = 0;; ++i) {
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] == ']') break;
        if (i == index) return true;
        skip_value();
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      }
    } else if (text_[pos_] == '{') {
      ++pos_;
      while (true) {
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != '"') break;
        const std::string_view raw = skip_string();
        std::string name;
        try {
          name = nlohmann::json::parse(raw).get<std::string>();
        } catch (...) {
          name = std::string(raw);
        }
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ':') ++pos_;
        skip_space();
        if (name == key) return true;
        skip_value();
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      }
    }
    pos_ = container;
    return false;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::size_t line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::size_t json_line(std::string_view text, const std::vector<std::string>& path) {
  Walker walker(text);
  walker.skip_space();
  for (const std::string& key : path)
    if (!walker.enter(key)) break;
  walker.skip_space();
  return line_of_offset(text, walker.pos());
}

}  // namespace dynamax
