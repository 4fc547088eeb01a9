#pragma once
// The options `calibrate` and `sweep --calibrated` share: the risk level, the calibration split and its seed.
#include <set>
#include <string>

#include "app/cli/cli_args.h"
#include "core/analysis/threshold_calibration.h"

namespace dynamax::cli {

// Option names taking a value: --risk, --calibration-fraction, --seed.
const std::set<std::string>& calibration_options();

// --risk token|sequence (token), --calibration-fraction F (0.5) and --seed S (1), for a risk level δ and an error
// rate ε (each checked to lie strictly between 0 and 1; `delta_option` and `epsilon_option` name them in errors).
CalibrationOptions calibration_options_from_args(const Args& args, double delta, double epsilon,
                                                 const std::string& delta_option, const std::string& epsilon_option);

// One number of an option (required when `fallback` is NaN).
double number_option(const Args& args, const std::string& name, double fallback);

}  // namespace dynamax::cli
