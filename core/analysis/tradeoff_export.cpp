#include "core/analysis/tradeoff_export.h"

#include <charconv>
#include <cmath>

namespace dynamax {

namespace {

// Shortest round-trip form, or fixed with `decimals`; NaN as `nan_text`.
std::string number(double value, int decimals = -1, std::string_view nan_text = "") {
  if (std::isnan(value)) return std::string(nan_text);
  char buffer[64];
  const auto result = decimals < 0 ? std::to_chars(buffer, buffer + sizeof buffer, value)
                                   : std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return std::string(buffer, result.ptr);
}

std::string percent(double fraction) { return number(100.0 * fraction, 1, "--"); }

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string latex_threshold(const OperatingPoint& row) {
  if (row.kind != CurveKind::Threshold) return "--";
  const double tau = row.point.parameter;
  if (std::isinf(tau)) return tau > 0 ? "$\\infty$" : "$-\\infty$";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, tau, std::chars_format::general, 4);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string latex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string latex_operating_points(std::span<const OperatingPoint> rows) {
  std::string out =
      "\\begin{tabular}{llrrrrrrr}\n"
      "\\toprule\n"
      "Run & Exit & $\\tau$ & Depth & Saved blocks (\\%) & Saved FLOPs (\\%) & Consistency (\\%) & "
      "Accuracy (\\%) & Answers agree (\\%) \\\\\n"
      "\\midrule\n";
  for (const OperatingPoint& row : rows) {
    const TradeoffPoint& p = row.point;
    out += latex_escape(row.run) + " & " + latex_escape(row.label) + " & " + latex_threshold(row) + " & " +
           number(p.mean_depth, 2, "--") + " & " + percent(1.0 - p.block_fraction) + " & " +
           percent(1.0 - p.flop_fraction) + " & " + percent(p.consistency) + " & " + percent(p.accuracy) + " & " +
           percent(p.answer_agreement) + " \\\\\n";
  }
  out += "\\bottomrule\n\\end{tabular}\n";
  return out;
}

std::string curves_csv(std::span<const TradeoffCurve> curves) {
  std::string out =
      "run,curve,kind,parameter,mean_depth,block_fraction,flop_fraction,consistency,accuracy,answer_agreement,"
      "executed_flops,full_flops\n";
  for (const TradeoffCurve& curve : curves)
    for (const TradeoffPoint& p : curve.points)
      out += csv_field(curve.run) + ',' + csv_field(curve.label) + ',' + curve_kind_name(curve.kind) + ',' +
             number(p.parameter) + ',' + number(p.mean_depth) + ',' + number(p.block_fraction) + ',' +
             number(p.flop_fraction) + ',' + number(p.consistency) + ',' + number(p.accuracy) + ',' +
             number(p.answer_agreement) + ',' + std::to_string(p.executed_flops) + ',' +
             std::to_string(p.full_flops) + '\n';
  return out;
}

}  // namespace dynamax
