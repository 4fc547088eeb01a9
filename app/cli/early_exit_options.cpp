#include "app/cli/early_exit_options.h"

#include <cmath>
#include <cstdlib>

#include "core/common/error.h"
#include "core/exits/classifier_file.h"

namespace dynamax::cli {

const std::set<std::string>& early_exit_option_names() {
  static const std::set<std::string> names = {"exit-measure", "depths",         "min-depth",          "kv-strategy",
                                              "state-strategy", "classifiers", "stop", "repetition-penalty",
                                              "penalty-window", "exit-head"};
  return names;
}

bool has_exit_options(const Args& args) {
  for (const char* name :
       {"exit-measure", "threshold", "thresholds", "depths", "min-depth", "kv-strategy", "state-strategy", "classifiers",
        "exit-head"})
    if (args.value(name)) return true;
  return false;
}

// A number; NaN compares false with everything, so as a threshold it would silently never (or always) exit.
static double parse_double(const std::string& text, const std::string& option) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || std::isnan(v))
    throw UsageError("option --" + option + " must be a number, got '" + text + "'");
  return v;
}

ExitHead exit_head_option(const Args& args) {
  try {
    return parse_exit_head(args.value_or("exit-head", "direct"));
  } catch (const Error& e) {
    throw UsageError(std::string("--exit-head: ") + e.what());
  }
}

std::vector<double> parse_thresholds(const std::string& text, const std::string& option) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    out.push_back(parse_double(text.substr(start, comma - start), option));
    start = comma + 1;
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += text[i];
    }
  }
  return out;
}

EarlyExitOptions parse_early_exit_options(const Args& args) {
  EarlyExitOptions o;
  try {
    o.measure = parse_measure(args.value_or("exit-measure", "max-prob"));
    if (auto depths = args.value("depths")) o.depths = parse_depth_list(*depths);
    o.skip.kv = parse_kv_strategy(args.value_or("kv-strategy", "recompute"));
    o.skip.state = parse_state_strategy(args.value_or("state-strategy", "keep"));
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  if (auto file = args.value("classifiers")) {
    o.classifier_file = *file;
    o.classifier = load_classifier(o.classifier_file);
    if (!args.value("exit-measure")) o.measure = parse_measure("classifier:" + o.classifier->name());
    if (o.measure.kind == MeasureKind::Classifier && !args.value("depths")) o.depths = o.classifier->depths();
  }
  o.exit_head = exit_head_option(args);
  o.min_depth = args.int_value("min-depth", 1, 1, 1 << 20);
  if (auto stop = args.value("stop")) o.stop_strings = {unescape(*stop)};
  if (auto p = args.value("repetition-penalty")) {
    o.repetition.penalty = float(parse_double(*p, "repetition-penalty"));
    if (!(o.repetition.penalty > 0) || !std::isfinite(o.repetition.penalty))
      throw UsageError("option --repetition-penalty must be a positive finite number, got '" + *p + "'");
  }
  o.repetition.window = args.int_value("penalty-window", 0, 0, 1 << 20);
  return o;
}

}  // namespace dynamax::cli
