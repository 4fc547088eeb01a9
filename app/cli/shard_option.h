#pragma once
// --shard K/N of record and evaluate: a usage error when malformed.
#include "app/cli/cli_args.h"
#include "core/tasks/shard.h"

namespace dynamax::cli {

Shard shard_option(const Args& args);

}  // namespace dynamax::cli
