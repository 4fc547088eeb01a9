#pragma once
// What the Export figure dialog is filled with and gives back: the file (its suffix is the format), the physical
// style, the unit the sizes are shown in and the preset the values came from.
#include <QString>

#include "views/paper_style.h"

namespace dynamax::views {

struct FigureExportSettings {
  QString path;     // .pdf, .svg or .png
  QString preset = "Paper, single column";  // empty once a value was edited by hand
  bool inches = false;                      // sizes shown in inches instead of cm
  PaperStyle style;
};

}  // namespace dynamax::views
