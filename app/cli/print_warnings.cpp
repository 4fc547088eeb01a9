#include <iostream>

#include "app/cli/commands.h"

namespace dynamax::cli {

void print_warnings(const std::string& command, const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) std::cerr << "dynamax " << command << ": warning: " << warning << "\n";
}

}  // namespace dynamax::cli
