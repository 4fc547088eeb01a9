#pragma once
// --precision fp32|bf16, shared by the commands that run a model (lens, generate, record, evaluate, train-exits).
#include "app/cli/cli_args.h"
#include "core/kernels/precision.h"

namespace dynamax::cli {

// The command's --precision (fp32 when absent); any other value is a UsageError.
Precision precision_option(const Args& args);

}  // namespace dynamax::cli
