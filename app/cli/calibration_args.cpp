#include "app/cli/calibration_args.h"

#include <cmath>

#include "app/cli/analysis_args.h"
#include "core/common/number_text.h"

namespace dynamax::cli {

namespace {

double open_unit(double value, const std::string& option, const std::string& meaning) {
  if (!(value > 0 && value < 1))
    throw UsageError("option --" + option + " (" + meaning + ") must lie strictly between 0 and 1, got " +
                     number_text(value));
  return value;
}

}  // namespace

const std::set<std::string>& calibration_options() {
  static const std::set<std::string> names = {"risk", "calibration-fraction", "seed"};
  return names;
}

double number_option(const Args& args, const std::string& name, double fallback) {
  const auto text = args.value(name);
  if (!text) {
    if (std::isnan(fallback)) throw UsageError("needs --" + name);
    return fallback;
  }
  const std::vector<double> values = parse_double_list(name, *text);
  if (values.size() != 1) throw UsageError("option --" + name + " takes one number, got '" + *text + "'");
  return values[0];
}

CalibrationOptions calibration_options_from_args(const Args& args, double delta, double epsilon,
                                                 const std::string& delta_option, const std::string& epsilon_option) {
  CalibrationOptions o;
  o.delta = open_unit(delta, delta_option, "the risk level δ");
  o.epsilon = open_unit(epsilon, epsilon_option, "the error rate ε");
  o.calibration_fraction = open_unit(number_option(args, "calibration-fraction", 0.5), "calibration-fraction",
                                     "the share of samples that calibrate");
  const std::string risk = args.value_or("risk", "token");
  if (risk != "token" && risk != "sequence")
    throw UsageError("option --risk must be token or sequence, got '" + risk + "'");
  o.risk = parse_risk_level(risk);
  o.seed = uint64_t(args.int_value("seed", 1, 0, 1 << 30));
  return o;
}

}  // namespace dynamax::cli
