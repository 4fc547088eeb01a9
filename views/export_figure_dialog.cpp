#include "views/export_figure_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dynamax::views {

namespace {

constexpr double kCmPerInch = 2.54;
const QStringList kFormats = {"pdf", "svg", "png"};
const QString kCustom = "Custom";

struct NamedStyle {
  QString name;
  PaperStyle style;
};

const QVector<NamedStyle>& presets() {
  static const QVector<NamedStyle> all = {{"Paper, single column", paper_single_column()},
                                          {"Paper, double column", paper_double_column()},
                                          {"Screen", screen()}};
  return all;
}

// The spin boxes take any number a hand can type, so that a zero or an absurd value reaches the check and its
// message instead of being silently clamped.
QDoubleSpinBox* length_box(QWidget* parent) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(0, 10'000);
  box->setDecimals(3);
  box->setSingleStep(0.1);
  return box;
}

}  // namespace

ExportFigureDialog::ExportFigureDialog(ExportFunction export_figure, QWidget* parent)
    : QDialog(parent), export_figure_(std::move(export_figure)), path_(new QLineEdit(this)), format_(new QComboBox(this)),
      preset_(new QComboBox(this)), width_(length_box(this)), height_(length_box(this)), unit_(new QComboBox(this)),
      dpi_(new QSpinBox(this)), font_(new QFontComboBox(this)), font_pt_(new QSpinBox(this)), outcome_(new QLabel(this)),
      error_(new QLabel(this)) {
  setWindowTitle("Export figure");
  build_form();
  set_settings({});
}

QStringList ExportFigureDialog::preset_names() {
  QStringList names;
  for (const NamedStyle& p : presets()) names << p.name;
  return names;
}

void ExportFigureDialog::build_form() {
  format_->addItem("PDF (vector)", "pdf");
  format_->addItem("SVG (vector)", "svg");
  format_->addItem("PNG (raster)", "png");
  preset_->addItems(preset_names());
  preset_->addItem(kCustom);
  unit_->addItem("cm");
  unit_->addItem("in");
  dpi_->setRange(0, 100'000);
  dpi_->setSuffix(" dpi");
  dpi_->setToolTip("Resolution of PNG exports; PDF and SVG are vector and need none");
  font_pt_->setRange(0, 1'000);
  font_pt_->setSuffix(" pt");
  outcome_->setEnabled(false);
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #D55E00;");
  error_->hide();

  auto* browse = new QPushButton("Browse…", this);
  auto* file_row = new QHBoxLayout;
  file_row->addWidget(path_, 1);
  file_row->addWidget(browse);
  auto* size_row = new QHBoxLayout;
  size_row->addWidget(width_, 1);
  size_row->addWidget(new QLabel("×", this));
  size_row->addWidget(height_, 1);
  size_row->addWidget(unit_);
  auto* font_row = new QHBoxLayout;
  font_row->addWidget(font_, 1);
  font_row->addWidget(font_pt_);
  auto* form = new QFormLayout;
  form->addRow("Preset", preset_);
  form->addRow("File", file_row);
  form->addRow("Format", format_);
  form->addRow("Size (width × height)", size_row);
  form->addRow("Resolution", dpi_);
  form->addRow("Font", font_row);
  form->addRow("", outcome_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Export");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(560, sizeHint().height());

  connect(browse, &QPushButton::clicked, this, &ExportFigureDialog::browse);
  connect(preset_, &QComboBox::textActivated, this, &ExportFigureDialog::apply_preset);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportFigureDialog::format_chosen);
  connect(path_, &QLineEdit::textEdited, this, &ExportFigureDialog::path_edited);
  connect(unit_, &QComboBox::currentIndexChanged, this, &ExportFigureDialog::unit_changed);
  for (QDoubleSpinBox* box : {width_, height_}) connect(box, &QDoubleSpinBox::valueChanged, this, &ExportFigureDialog::value_edited);
  for (QSpinBox* box : {dpi_, font_pt_}) connect(box, &QSpinBox::valueChanged, this, &ExportFigureDialog::value_edited);
  connect(font_, &QFontComboBox::currentFontChanged, this, &ExportFigureDialog::value_edited);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportFigureDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportFigureDialog::reject);
}

void ExportFigureDialog::set_settings(const FigureExportSettings& s) {
  applying_ = true;
  const QString path = s.path.isEmpty() ? QDir::home().filePath("tradeoff.pdf") : s.path;
  path_->setText(path);
  const int format = kFormats.indexOf(QFileInfo(path).suffix().toLower());
  if (format >= 0) format_->setCurrentIndex(format);
  unit_->setCurrentIndex(s.inches ? 1 : 0);
  const double per_unit = s.inches ? kCmPerInch : 1.0;
  width_->setValue(s.style.width_cm / per_unit);
  height_->setValue(s.style.height_cm / per_unit);
  dpi_->setValue(s.style.dpi);
  font_->setCurrentFont(QFont(s.style.font_family));
  font_pt_->setValue(s.style.font_pt);
  line_width_pt_ = s.style.line_width_pt;
  show_title_ = s.style.show_title;
  preset_->setCurrentText(preset_names().contains(s.preset) ? s.preset : kCustom);
  sync_dpi_enabled();
  applying_ = false;
}

FigureExportSettings ExportFigureDialog::settings() const {
  FigureExportSettings s;
  const QString format = format_->currentData().toString();
  QString path = path_->text().trimmed();
  const QFileInfo info(path);
  if (!path.isEmpty() && info.suffix().toLower() != format)
    path = kFormats.contains(info.suffix().toLower()) ? path.left(path.size() - info.suffix().size()) + format
                                                      : path + "." + format;
  s.path = path;
  s.preset = preset_->currentText() == kCustom ? QString() : preset_->currentText();
  s.inches = unit_->currentIndex() == 1;
  const double per_unit = s.inches ? kCmPerInch : 1.0;
  s.style.width_cm = width_->value() * per_unit;
  s.style.height_cm = height_->value() * per_unit;
  s.style.dpi = dpi_->value();
  s.style.font_family = font_->currentFont().family();
  s.style.font_pt = font_pt_->value();
  s.style.line_width_pt = line_width_pt_;
  s.style.show_title = show_title_;
  return s;
}

void ExportFigureDialog::apply_preset(const QString& name) {
  for (const NamedStyle& p : presets()) {
    if (p.name != name) continue;
    FigureExportSettings s = settings();
    s.preset = name;
    s.style = p.style;
    set_settings(s);
  }
}

QString ExportFigureDialog::problem() const {
  const FigureExportSettings s = settings();
  if (s.path.isEmpty()) return "Choose the file to export to.";
  const QFileInfo info(s.path);
  if (!info.absoluteDir().exists()) return QString("The folder %1 does not exist.").arg(info.absolutePath());
  if (info.isDir()) return QString("%1 is a folder.").arg(s.path);
  PaperStyle checked = s.style;
  if (info.suffix().toLower() != "png") checked.dpi = paper_single_column().dpi;  // vector output has no DPI
  try {
    validate(checked);
  } catch (const StyleError& e) {
    QString why = QString::fromStdString(e.what());
    if (s.inches) why.replace("between 1 and 120 cm", "between 0.4 and 47 in");
    why.replace("dpi", "DPI");
    return why.left(1).toUpper() + why.mid(1) + ".";
  }
  return {};
}

QString ExportFigureDialog::error_text() const { return error_->isVisible() ? error_->text() : QString(); }

void ExportFigureDialog::accept() {
  QString why = problem();
  if (why.isEmpty() && export_figure_) {
    const FigureExportSettings s = settings();
    why = export_figure_(s.style, s.path);
  }
  show_error(why);
  if (why.isEmpty()) QDialog::accept();
}

void ExportFigureDialog::browse() {
  const QString path = QFileDialog::getSaveFileName(this, "Export figure", settings().path,
                                                    "PDF (*.pdf);;SVG (*.svg);;PNG (*.png)");
  if (path.isEmpty()) return;
  path_->setText(path);
  path_edited();
}

// The combo decides the format: the file's suffix follows it.
void ExportFigureDialog::format_chosen() {
  if (!applying_) path_->setText(settings().path);
  sync_dpi_enabled();
}

// A known suffix typed into the path picks the format.
void ExportFigureDialog::path_edited() {
  const int format = kFormats.indexOf(QFileInfo(path_->text().trimmed()).suffix().toLower());
  if (format < 0 || format == format_->currentIndex()) return;
  const QSignalBlocker block(format_);
  format_->setCurrentIndex(format);
  sync_dpi_enabled();
}

// The same physical size in the other unit.
void ExportFigureDialog::unit_changed() {
  const double factor = unit_->currentIndex() == 1 ? 1.0 / kCmPerInch : kCmPerInch;
  const bool was_applying = std::exchange(applying_, true);
  width_->setValue(width_->value() * factor);
  height_->setValue(height_->value() * factor);
  applying_ = was_applying;
}

void ExportFigureDialog::value_edited() {
  if (!applying_) preset_->setCurrentText(kCustom);
  update_outcome();
}

void ExportFigureDialog::update_outcome() {
  const FigureExportSettings s = settings();
  const bool png = format_->currentData().toString() == "png";
  const QSize size = png ? pixel_size(s.style) : canvas_size_pt(s.style);
  outcome_->setText(QString("%1 × %2 %3, %4 %5 pt")
                        .arg(size.width())
                        .arg(size.height())
                        .arg(png ? "pixels" : "pt page")
                        .arg(s.style.font_family)
                        .arg(s.style.font_pt));
}

void ExportFigureDialog::show_error(const QString& message) {
  error_->setText(message);
  error_->setVisible(!message.isEmpty());
}

void ExportFigureDialog::sync_dpi_enabled() {
  dpi_->setEnabled(format_->currentData().toString() == "png");
  update_outcome();
}

}  // namespace dynamax::views
