// Figure exports rendered offscreen: PNG at the paper size and DPI, PDF, SVG with its curves and
// titles, CSV of the curves, and clear errors for bad paths, extensions and styles.
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>
#include <unistd.h>

#include "views/plot_export.h"
#include "views/plot_theme.h"

using namespace dynamax::views;

namespace {

// A threshold sweep: compute from 50 % (every token exits at the first allowed depth) to 100 %.
PlotCurve sweep(const QString& label, double start, double power) {
  PlotCurve curve;
  curve.label = label;
  for (int i = 0; i <= 200; ++i) {
    const double t = i / 200.0;
    curve.x.push_back(0.5 + 0.5 * t);
    curve.y.push_back(1.0 - start * std::pow(1.0 - t, power));
  }
  return curve;
}

OperatingPoint marker_on(const PlotCurve& curve, int index, const QString& text) {
  return {curve.label, curve.x[index], curve.y[index], text};
}

PlotData two_curve_figure() {
  PlotData data;
  data.title = "Consistency vs compute";
  data.x_title = "Compute (% of blocks)";
  data.y_title = "Token consistency";
  data.curves = {sweep("tiny-mistral", 0.62, 2.2), sweep("tiny-codestral", 0.74, 1.6)};
  data.markers = {marker_on(data.curves[0], 90, "τ = 0.8"), marker_on(data.curves[1], 90, "τ = 0.8")};
  return data;
}

PaperStyle style_at(int dpi) {
  PaperStyle style = paper_single_column();
  style.dpi = dpi;
  return style;
}

int count_color(const QImage& image, QColor color) {
  int count = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) + std::abs(c.blue() - color.blue()) < 40)
        ++count;
    }
  return count;
}

// Stroke colour of every <polyline>/<path> of an SVG, inherited from the enclosing <g> elements.
QMap<QString, int> stroked_shapes_by_color(const QByteArray& svg, QStringList* texts) {
  QMap<QString, int> counts;
  QStringList strokes{"none"};
  QXmlStreamReader xml(svg);
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      const QStringView stroke = xml.attributes().value("stroke");
      strokes.push_back(stroke.isEmpty() ? strokes.last() : stroke.toString().toLower());
      if (xml.name() == u"polyline" || xml.name() == u"path") ++counts[strokes.last()];
      if (xml.name() == u"text") texts->push_back(xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed());
      if (xml.name() == u"text") strokes.pop_back();  // readElementText consumed the end element
    } else if (xml.isEndElement()) {
      strokes.pop_back();
    }
  }
  if (xml.hasError()) qWarning() << "SVG parse error:" << xml.errorString();
  return xml.hasError() ? QMap<QString, int>{} : counts;
}

QByteArray read_all(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestPlotExport : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

 private slots:
  void png_has_the_paper_size_and_content() {
    const QString path = dir_.filePath("figure.png");
    export_plot(two_curve_figure(), style_at(300), path);
    QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY2(std::abs(image.width() - 1004) <= 1, qPrintable(QString::number(image.width())));  // 8.5 cm at 300 dpi
    QVERIFY2(std::abs(image.height() - 709) <= 1, qPrintable(QString::number(image.height())));
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 300);
    QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white));
    const int white = count_color(image, Qt::white);
    QVERIFY2(white < image.width() * image.height() * 0.97, "the figure is (almost) blank");
    for (int c = 0; c < 2; ++c) QVERIFY(count_color(image, light_theme().curve_color(c)) > 1000);
  }

  void example_figure_for_the_eye() {
    // Kept outside the temporary folder so a person can look at it after the run.
    const QString path = "/tmp/dynamax_plot_example.png";
    export_plot(two_curve_figure(), style_at(300), path);
    QVERIFY(QImage(path).width() > 1000);
  }

  void pdf_is_a_pdf_page_of_the_paper_size() {
    const QString path = dir_.filePath("figure.pdf");
    export_plot(two_curve_figure(), paper_single_column(), path);
    const QByteArray pdf = read_all(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY2(pdf.size() > 1024, qPrintable(QString::number(pdf.size())));
    static const QRegularExpression media_box(R"(/MediaBox \[0 0 241(\.0+)? 170(\.0+)?\])");
    QVERIFY2(QString::fromLatin1(pdf).contains(media_box), "the page is not 8.5 cm x 6 cm (241 x 170 pt)");
    QVERIFY2(pdf.contains("/BaseFont /DejaVuSerif"), "the paper font is not embedded");
    const QString pdftotext = QStandardPaths::findExecutable("pdftotext");
    if (pdftotext.isEmpty()) {
      qInfo("pdftotext is not installed: the text of the PDF is not checked");
      return;
    }
    QProcess process;
    process.start(pdftotext, {path, "-"});
    QVERIFY(process.waitForFinished(30000));
    const QString text = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(text.contains("Token consistency") && text.contains("Compute"), qPrintable(text));
  }

  void svg_has_size_curves_and_titles() {
    PlotData data = two_curve_figure();
    data.markers.clear();  // markers share the curve colours; leave only the curves and their legend icons
    PlotCurve oracle = sweep("oracle", 0.3, 3.0);
    oracle.baseline = true;
    data.curves.push_back(oracle);
    const QString path = dir_.filePath("figure.svg");
    export_plot(data, paper_single_column(), path);
    const QByteArray svg = read_all(path);

    QXmlStreamReader root(svg);
    root.readNextStartElement();
    QCOMPARE(root.name().toString(), QString("svg"));
    const QXmlStreamAttributes attributes = root.attributes();
    QVERIFY2(attributes.value("width").toString().startsWith("85.0"), qPrintable(attributes.value("width").toString()));
    QVERIFY2(attributes.value("height").toString().startsWith("59.9"), qPrintable(attributes.value("height").toString()));
    QVERIFY(attributes.value("width").endsWith(u"mm"));
    QCOMPARE(attributes.value("viewBox").toString(), QString("0 0 241 170"));

    QStringList texts;
    const QMap<QString, int> shapes = stroked_shapes_by_color(svg, &texts);
    QVERIFY(!shapes.isEmpty());
    for (int c = 0; c < 3; ++c)  // the curve and its legend icon
      QCOMPARE(shapes.value(light_theme().curve_color(c).name()), 2);
    QCOMPARE(shapes.value(light_theme().curve_color(3).name()), 0);
    for (const char* expected : {"Compute (% of blocks)", "Token consistency", "tiny-mistral", "oracle", "100%"})
      QVERIFY2(texts.contains(expected), qPrintable(expected + (" not in " + texts.join(" | "))));
    QVERIFY2(!texts.contains(data.title), "paper figures carry no title unless the style asks for one");
  }

  void title_only_when_the_style_asks() {
    PaperStyle style = paper_single_column();
    style.show_title = true;
    const QString path = dir_.filePath("titled.svg");
    export_plot(two_curve_figure(), style, path);
    QStringList texts;
    stroked_shapes_by_color(read_all(path), &texts);
    QVERIFY(texts.contains("Consistency vs compute"));
  }

  void bad_targets_give_clear_errors_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown extension") << dir_.filePath("figure.jpg") << "unknown extension \".jpg\"";
    QTest::newRow("no extension") << dir_.filePath("figure") << "no file extension";
    QTest::newRow("missing folder") << dir_.filePath("absent/figure.pdf") << "does not exist";
    QDir(dir_.path()).mkdir("folder.png");
    QTest::newRow("a folder") << dir_.filePath("folder.png") << "is a folder";
    QDir(dir_.path()).mkdir("read-only");
    QFile::setPermissions(dir_.filePath("read-only"), QFile::ReadOwner | QFile::ExeOwner);
    QTest::newRow("read-only folder") << dir_.filePath("read-only/figure.svg") << "";
  }
  void bad_targets_give_clear_errors() {
    QFETCH(QString, path);
    QFETCH(QString, reason);
    if (reason.isEmpty() && geteuid() == 0) QSKIP("running as root: a read-only folder is still writable");
    try {
      export_plot(two_curve_figure(), paper_single_column(), path);
      QFAIL("exported to a bad target");
    } catch (const ExportError& error) {
      const QString message = error.what();
      QVERIFY2(message.contains("\"" + path + "\"") && message.contains(reason), qPrintable(message));
    }
    QVERIFY(!QFileInfo(path).isFile());
  }

  void bad_styles_give_clear_errors() {
    PaperStyle no_dpi = paper_single_column();
    no_dpi.dpi = 0;
    PaperStyle no_font = paper_single_column();
    no_font.font_family = "No Such Font Family";
    const QString path = dir_.filePath("styled.png");
    for (const auto& [style, reason] : {std::pair{no_dpi, QString("dpi")}, std::pair{no_font, QString("not installed")}}) {
      try {
        export_plot(two_curve_figure(), style, path);
        QFAIL("exported with a bad style");
      } catch (const ExportError& error) {
        QVERIFY2(QString(error.what()).contains(path) && QString(error.what()).contains(reason), error.what());
      }
    }
  }

  void csv_lists_every_point_and_quotes_labels() {
    PlotData data;
    data.curves = {PlotCurve{"plain", {0.5, 1.0}, {0.25, 1.0}, false, false, {}},
                   PlotCurve{"mistral, \"max-prob\"", {0.1}, {1e-7}, false, false, {}}};
    QCOMPARE(curves_to_csv(data), QString("curve,x,y\n"
                                          "plain,0.5,0.25\n"
                                          "plain,1,1\n"
                                          "\"mistral, \"\"max-prob\"\"\",0.1,1e-07\n"));
    QCOMPARE(curves_to_csv(PlotData{}), QString("curve,x,y\n"));
  }
};

QTEST_MAIN(TestPlotExport)
#include "test_plot_export.moc"
