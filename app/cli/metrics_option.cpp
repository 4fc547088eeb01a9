#include "app/cli/metrics_option.h"

#include "core/common/error.h"

namespace dynamax::cli {

MetricConventions metric_conventions_option(const Args& args) {
  try {
    return parse_metric_conventions(args.value_or("metrics", "official"));
  } catch (const Error& e) {
    throw UsageError(std::string("--metrics: ") + e.what());
  }
}

}  // namespace dynamax::cli
