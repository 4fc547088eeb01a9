#include "core/exits/exit_placement.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"

namespace dynamax {

std::vector<int> default_exit_depths(int depths) {
  if (depths < 2) throw Error("a model of " + std::to_string(depths) + " block(s) has no depth to exit early at");
  std::vector<int> exits;
  for (int eighths : {4, 5, 6, 7}) {
    const int d = std::max(1, depths * eighths / 8);
    if (exits.empty() || exits.back() != d) exits.push_back(d);
  }
  return exits;
}

std::vector<int> validated_exit_depths(int depths, std::span<const int> requested) {
  if (requested.empty()) return default_exit_depths(depths);
  std::vector<int> exits(requested.begin(), requested.end());
  for (int d : exits)
    if (d < 1 || d >= depths)
      throw Error("exit depth " + std::to_string(d) + " is outside 1.." + std::to_string(depths - 1) +
                  " (depth " + std::to_string(depths) + " is the full model)");
  std::sort(exits.begin(), exits.end());
  if (std::adjacent_find(exits.begin(), exits.end()) != exits.end())
    throw Error("exit depth " + std::to_string(*std::adjacent_find(exits.begin(), exits.end())) + " is given twice");
  return exits;
}

}  // namespace dynamax
