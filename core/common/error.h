#pragma once
// One error type for the whole core: a message that says what, where and why.
#include <stdexcept>
#include <string>

namespace dynamax {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace dynamax
