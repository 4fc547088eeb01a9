#pragma once
// The physical style of an exported figure: size, resolution, font and line width, with presets
// for paper columns and the screen. Exports lay the figure out in points (1/72 in), so the
// font size is a whole number of points and a figure looks the same in PDF, SVG and PNG.
#include <QSize>
#include <QString>
#include <stdexcept>

namespace dynamax::views {

class StyleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PaperStyle {
  double width_cm = 8.5;
  double height_cm = 6.0;
  int dpi = 600;                        // raster (PNG) exports only
  QString font_family = "DejaVu Serif";
  int font_pt = 8;                      // axes, tick labels, legend, marker labels
  double line_width_pt = 1.0;           // curves; axes, ticks and grid are drawn thinner
  bool show_title = false;              // a paper figure has a caption instead of a title
};

PaperStyle paper_single_column();  // 8.5 cm x 6 cm, DejaVu Serif 8 pt, 600 dpi
PaperStyle paper_double_column();  // 17.8 cm x 7.5 cm, DejaVu Serif 9 pt, 600 dpi
PaperStyle screen();               // 20 cm x 12.5 cm, DejaVu Sans 10 pt, 96 dpi, with title

// "8.5cm", "85 mm", "3.3in", "240pt" -> centimetres. Throws StyleError saying what is accepted.
double parse_length_cm(const QString& text);

// Throws StyleError naming the first field out of range.
void validate(const PaperStyle& style);

// The figure's size in whole points: the unit exports lay out in (PDF page size, SVG viewBox).
QSize canvas_size_pt(const PaperStyle& style);
// The PNG's size: cm / 2.54 * dpi, rounded.
QSize pixel_size(const PaperStyle& style);

}  // namespace dynamax::views
