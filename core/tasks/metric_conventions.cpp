#include "core/tasks/metric_conventions.h"

#include "core/common/error.h"

namespace dynamax {

MetricConventions parse_metric_conventions(std::string_view name) {
  if (name == "official") return MetricConventions::Official;
  if (name == "lm-eval") return MetricConventions::LmEval;
  throw Error("unknown metric conventions '" + std::string(name) + "' (official|lm-eval)");
}

std::string metric_conventions_name(MetricConventions conventions) {
  return conventions == MetricConventions::LmEval ? "lm-eval" : "official";
}

}  // namespace dynamax
