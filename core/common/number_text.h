#pragma once
// Numbers in messages and reports, the same whatever the process locale ("0.1", never "0,1").
#include <charconv>
#include <string>

namespace dynamax {

// The shortest text that reads back as the same double: "0.1", "22", "1e-05", "inf".
inline std::string number_text(double value) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

}  // namespace dynamax
