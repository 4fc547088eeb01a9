#include "app/cli/precision_option.h"

namespace dynamax::cli {

Precision precision_option(const Args& args) {
  const std::string text = args.value_or("precision", "fp32");
  if (auto precision = parse_precision(text)) return *precision;
  throw UsageError("--precision must be fp32 or bf16, not '" + text + "'");
}

}  // namespace dynamax::cli
