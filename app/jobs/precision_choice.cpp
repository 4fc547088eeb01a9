#include "app/jobs/precision_choice.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "core/common/error.h"

namespace dynamax::app {

Precision apply_precision(Model& model, Precision requested) {
  std::string notice;
  const Precision effective = effective_precision(requested, notice);
  if (!notice.empty()) {
    static std::once_flag once;
    std::call_once(once, [&] { std::fprintf(stderr, "dynamax: %s\n", notice.c_str()); });
  }
  model.set_precision(effective);
  return effective;
}

Precision stored_precision(const nlohmann::json& run_config) {
  const auto it = run_config.find("precision");
  if (it == run_config.end()) return Precision::FP32;
  if (it->is_string())
    if (auto precision = parse_precision(it->get<std::string>())) return *precision;
  throw Error("the run's config has precision " + it->dump() + " (fp32 or bf16 expected)");
}

std::string shown_precision(const nlohmann::json& run_config) {
  try {
    return precision_name(stored_precision(run_config));
  } catch (const Error&) {
    return "?";
  }
}

}  // namespace dynamax::app
