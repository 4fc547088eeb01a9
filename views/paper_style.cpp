#include "views/paper_style.h"

#include <QRegularExpression>
#include <cmath>

namespace dynamax::views {

namespace {
constexpr double kCmPerInch = 2.54;
constexpr double kPointsPerInch = 72.0;

int cm_to_units(double cm, double units_per_inch) { return static_cast<int>(std::lround(cm / kCmPerInch * units_per_inch)); }
}  // namespace

PaperStyle paper_single_column() { return PaperStyle{}; }

PaperStyle paper_double_column() {
  PaperStyle style;
  style.width_cm = 17.8;
  style.height_cm = 7.5;
  style.font_pt = 9;
  style.line_width_pt = 1.2;
  return style;
}

PaperStyle screen() {
  PaperStyle style;
  style.width_cm = 20.0;
  style.height_cm = 12.5;
  style.dpi = 96;
  style.font_family = "DejaVu Sans";
  style.font_pt = 10;
  style.line_width_pt = 1.5;
  style.show_title = true;
  return style;
}

double parse_length_cm(const QString& text) {
  static const QRegularExpression pattern(R"(^\s*(\d+(?:\.\d*)?|\.\d+)\s*(cm|mm|in|pt)\s*$)",
                                          QRegularExpression::CaseInsensitiveOption);
  const QRegularExpressionMatch match = pattern.match(text);
  const double value = match.hasMatch() ? match.captured(1).toDouble() : 0.0;
  if (value <= 0.0)
    throw StyleError("invalid length \"" + text.toStdString() +
                     "\": expected a positive number followed by cm, mm, in or pt, e.g. \"8.5cm\" or \"3.3in\"");
  const QString unit = match.captured(2).toLower();
  if (unit == "mm") return value / 10.0;
  if (unit == "in") return value * kCmPerInch;
  if (unit == "pt") return value / kPointsPerInch * kCmPerInch;
  return value;
}

void validate(const PaperStyle& style) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw StyleError(message);
  };
  // A figure smaller than 1 cm or larger than a poster is a typo, not a choice.
  require(style.width_cm >= 1.0 && style.width_cm <= 120.0, "figure width must be between 1 and 120 cm");
  require(style.height_cm >= 1.0 && style.height_cm <= 120.0, "figure height must be between 1 and 120 cm");
  require(style.dpi >= 50 && style.dpi <= 2400, "dpi must be between 50 and 2400");
  require(style.font_pt >= 4 && style.font_pt <= 72, "font size must be between 4 and 72 pt");
  require(style.line_width_pt > 0.0 && style.line_width_pt <= 10.0, "line width must be above 0 and at most 10 pt");
  require(!style.font_family.trimmed().isEmpty(), "font family must not be empty");
}

QSize canvas_size_pt(const PaperStyle& style) {
  return {cm_to_units(style.width_cm, kPointsPerInch), cm_to_units(style.height_cm, kPointsPerInch)};
}

QSize pixel_size(const PaperStyle& style) {
  return {cm_to_units(style.width_cm, style.dpi), cm_to_units(style.height_cm, style.dpi)};
}

}  // namespace dynamax::views
