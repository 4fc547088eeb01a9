#pragma once
// One error type for the whole core: a message that says what, where and why.
#include <stdexcept>
#include <string>

namespace dynamax {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown where a set cancel flag (std::atomic<bool>, the user's Ctrl-C or Cancel) is noticed.
struct Cancelled : std::exception {
  const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace dynamax
