#pragma once
// --metrics official|lm-eval, shared by `evaluate` and `score` (core/tasks/metric_conventions.h says what differs).
#include "app/cli/cli_args.h"
#include "core/tasks/metric_conventions.h"

namespace dynamax::cli {

// The --metrics value, "official" when absent; anything else is a usage error.
MetricConventions metric_conventions_option(const Args& args);

}  // namespace dynamax::cli
