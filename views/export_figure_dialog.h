#pragma once
// File → Export figure…: the file and its format (PDF, SVG or PNG: the suffix and the combo follow each other), the
// width and height in cm or inches, the DPI (PNG), the font family and size, and presets that fill them ("Paper,
// single column", "Paper, double column", "Screen"). On Export it checks the values, writes the figure through the
// given function and stays open with the reason when either fails.
#include <QDialog>
#include <functional>

#include "views/figure_export_settings.h"

class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace dynamax::views {

class ExportFigureDialog : public QDialog {
  Q_OBJECT
 public:
  // Writes the figure in a style to a path; returns an error message, empty on success.
  using ExportFunction = std::function<QString(const PaperStyle& style, const QString& path)>;

  explicit ExportFigureDialog(ExportFunction export_figure, QWidget* parent = nullptr);

  void set_settings(const FigureExportSettings& settings);
  // The values as filled in; the path's suffix always matches the chosen format.
  FigureExportSettings settings() const;
  void apply_preset(const QString& name);
  // Empty when the values can be exported, else what is wrong (also shown in the dialog on Export).
  QString problem() const;
  QString error_text() const;

  static QStringList preset_names();

  void accept() override;

 private:
  void build_form();
  void browse();
  void format_chosen();
  void path_edited();
  void unit_changed();
  void value_edited();
  void show_error(const QString& message);
  void sync_dpi_enabled();
  void update_outcome();

  ExportFunction export_figure_;
  QLineEdit* path_;
  QComboBox* format_;
  QComboBox* preset_;
  QDoubleSpinBox* width_;
  QDoubleSpinBox* height_;
  QComboBox* unit_;
  QSpinBox* dpi_;
  QFontComboBox* font_;
  QSpinBox* font_pt_;
  QLabel* outcome_;  // what the values give: the PNG's pixels or the page in points
  QLabel* error_;
  double line_width_pt_ = 1.0;
  bool show_title_ = false;
  bool applying_ = false;  // filling fields from a preset or settings: not a hand edit
};

}  // namespace dynamax::views
