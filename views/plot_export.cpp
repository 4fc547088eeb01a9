#include "views/plot_export.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QFileInfo>
#include <QFontDatabase>
#include <QImageWriter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>

#include "views/plot_figure.h"
#include "views/plot_legend_placement.h"

namespace dynamax::views {

namespace {

enum class Format { pdf, svg, png };

[[noreturn]] void fail(const QString& path, const QString& why) {
  throw ExportError(QString("cannot export figure to \"%1\": %2").arg(path, why).toStdString());
}

Format format_of(const QString& path) {
  const QString extension = QFileInfo(path).suffix().toLower();
  if (extension == "pdf") return Format::pdf;
  if (extension == "svg") return Format::svg;
  if (extension == "png") return Format::png;
  fail(path, extension.isEmpty() ? "no file extension (use .pdf, .svg or .png)"
                                 : "unknown extension \"." + extension + "\" (use .pdf, .svg or .png)");
}

// The export canvas is laid out in points, so a font of N "pixels" is N pt on paper. Hinting
// would snap glyph advances to whole points and spoil the letter spacing of vector output.
FigureLook paper_look(const PaperStyle& style) {
  FigureLook look;
  look.font = QFont(style.font_family);
  look.font.setPixelSize(style.font_pt);
  look.font.setHintingPreference(QFont::PreferNoHinting);
  look.line_width = style.line_width_pt;
  look.show_title = style.show_title;
  look.compact_legend = true;
  return look;
}

// Starts painting on a device, or fails naming the export path.
void begin_painting(QCPPainter& painter, QPaintDevice* device, const QString& path) {
  if (!painter.begin(device)) fail(path, "the renderer could not start");
}

// The plot drawn as vectors (PDF, SVG) onto `device`, one canvas unit per device unit.
void paint_vectorized(QCustomPlot& plot, QPaintDevice* device, QSize canvas, const QString& path) {
  QCPPainter painter;
  begin_painting(painter, device, path);
  painter.setMode(QCPPainter::pmVectorized);
  plot.toPainter(&painter, canvas.width(), canvas.height());
}

QByteArray render_pdf(QCustomPlot& plot, QSize canvas, const QString& title, const QString& path) {
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  {
    QPdfWriter writer(&buffer);
    writer.setResolution(72);  // one device unit = one point = one canvas unit
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(canvas), QPageSize::Point, {}, QPageSize::ExactMatch),
                                     QPageLayout::Portrait, QMarginsF()));
    writer.setCreator("DYNAMAX Workbench");
    writer.setTitle(title);
    paint_vectorized(plot, &writer, canvas, path);
  }
  return buffer.data();
}

QByteArray render_svg(QCustomPlot& plot, QSize canvas, const QString& title, const QString& path) {
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setResolution(72);  // width and height come out in mm from the size in points
  svg.setSize(canvas);
  svg.setViewBox(QRect(QPoint(0, 0), canvas));
  svg.setTitle(title);
  svg.setDescription("DYNAMAX Workbench figure");
  paint_vectorized(plot, &svg, canvas, path);
  return buffer.data();
}

QByteArray render_png(QCustomPlot& plot, QSize canvas, const PaperStyle& style, const QString& path) {
  const QSize pixels = pixel_size(style);
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QCPPainter painter;
    begin_painting(painter, &image, path);
    painter.setMode(QCPPainter::pmNonCosmetic);  // every line scales with the canvas
    painter.scale(double(pixels.width()) / canvas.width(), double(pixels.height()) / canvas.height());
    plot.toPainter(&painter, canvas.width(), canvas.height());
  }
  const int dots_per_meter = qRound(style.dpi / 0.0254);
  image.setDotsPerMeterX(dots_per_meter);
  image.setDotsPerMeterY(dots_per_meter);
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QImageWriter writer(&buffer, "png");
  if (!writer.write(image)) fail(path, writer.errorString());
  return buffer.data();
}

void write_file(const QString& path, const QByteArray& bytes) {
  const QFileInfo info(path);
  if (!info.absoluteDir().exists()) fail(path, "the folder " + info.absolutePath() + " does not exist");
  if (info.isDir()) fail(path, "it is a folder");
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) fail(path, file.errorString());
  file.write(bytes);
  if (!file.commit()) fail(path, file.errorString());
}

QString csv_field(const QString& text) {
  static const QRegularExpression needs_quotes(R"([,"\r\n])");
  if (!text.contains(needs_quotes)) return text;
  return '"' + QString(text).replace('"', "\"\"") + '"';
}

QString csv_number(double value) { return QString::number(value, 'g', QLocale::FloatingPointShortest); }

}  // namespace

void export_plot(const PlotData& data, const PaperStyle& style, const QString& path) {
  const Format format = format_of(path);
  try {
    validate(style);
  } catch (const StyleError& error) {
    fail(path, error.what());
  }
  if (!QFontDatabase::hasFamily(style.font_family)) fail(path, "font family \"" + style.font_family + "\" is not installed");

  const QSize canvas = canvas_size_pt(style);
  QCustomPlot plot;  // never shown: it only lays out and paints into the chosen device
  plot.resize(canvas);
  plot.setViewport(QRect(QPoint(0, 0), canvas));
  plot.setAntialiasedElements(QCP::aeAll);
  PlotFigure figure(&plot, paper_look(style));
  figure.set_data(data);
  place_legend(&plot);  // lays the figure out
  figure.separate_marker_labels();

  switch (format) {
    case Format::pdf: return write_file(path, render_pdf(plot, canvas, data.title, path));
    case Format::svg: return write_file(path, render_svg(plot, canvas, data.title, path));
    case Format::png: return write_file(path, render_png(plot, canvas, style, path));
  }
}

QString curves_to_csv(const PlotData& data) {
  QString csv = "curve,x,y\n";
  for (const PlotCurve& curve : data.curves) {
    const QString label = csv_field(curve.label);
    const int n = std::min(curve.x.size(), curve.y.size());
    for (int i = 0; i < n; ++i) csv += label + ',' + csv_number(curve.x[i]) + ',' + csv_number(curve.y[i]) + '\n';
  }
  return csv;
}

}  // namespace dynamax::views
