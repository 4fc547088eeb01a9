#include "core/tasks/shard.h"

#include <charconv>

#include "core/common/error.h"

namespace dynamax {

static constexpr int kMaxShards = 100000;

static int parse_part(std::string_view part, std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (part.empty() || ec != std::errc() || end != part.data() + part.size())
    throw Error("shard '" + std::string(text) + "' is not of the form K/N (e.g. 2/8)");
  return value;
}

Shard parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) throw Error("shard '" + std::string(text) + "' is not of the form K/N (e.g. 2/8)");
  Shard shard{parse_part(text.substr(0, slash), text), parse_part(text.substr(slash + 1), text)};
  if (shard.count < 1 || shard.count > kMaxShards)
    throw Error("shard '" + std::string(text) + "': N must be between 1 and " + std::to_string(kMaxShards));
  if (shard.index < 1 || shard.index > shard.count)
    throw Error("shard '" + std::string(text) + "': K must be between 1 and N (" + std::to_string(shard.count) + ")");
  return shard;
}

}  // namespace dynamax
