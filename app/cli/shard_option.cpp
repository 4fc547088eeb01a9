#include "app/cli/shard_option.h"

#include "core/common/error.h"

namespace dynamax::cli {

Shard shard_option(const Args& args) {
  const auto text = args.value("shard");
  if (!text) return {};
  try {
    return parse_shard(*text);
  } catch (const Error& e) {
    throw UsageError(std::string("--shard: ") + e.what());
  }
}

}  // namespace dynamax::cli
