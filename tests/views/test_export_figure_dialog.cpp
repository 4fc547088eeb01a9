// The Export figure dialog, offscreen: each format written at the requested size (PNG pixels = size × DPI, the PDF
// page and the SVG canvas in points) in the chosen font, presets that fill the fields, the unit and the suffix that
// follow the choices, and bad values refused with a message inside the dialog.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

#include "views/export_figure_dialog.h"
#include "views/plot_export.h"

using namespace dynamax::views;

namespace {

PlotData small_figure() {
  PlotData data;
  data.title = "Consistency vs compute";
  data.x_title = "Compute";
  data.y_title = "Consistency";
  PlotCurve curve;
  curve.label = "tiny-mistral";
  for (int i = 0; i <= 20; ++i) {
    curve.x.push_back(0.5 + i / 40.0);
    curve.y.push_back(1.0 - 0.3 * (1 - i / 20.0) * (1 - i / 20.0));
  }
  data.curves = {curve};
  return data;
}

QByteArray read_all(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

template <typename T>
T* field(QDialog& dialog, int index) {
  return dialog.findChildren<T*>().at(index);
}

}  // namespace

class TestExportFigureDialog : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  int exports_ = 0;

  ExportFigureDialog::ExportFunction exporter() {
    return [this](const PaperStyle& style, const QString& path) -> QString {
      ++exports_;
      try {
        export_plot(small_figure(), style, path);
      } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
      }
      return {};
    };
  }

  FigureExportSettings settings_for(const QString& file, double width, double height, bool inches, int dpi,
                                    const QString& font, int font_pt) {
    FigureExportSettings s;
    s.path = dir_.filePath(file);
    s.inches = inches;
    const double cm = inches ? 2.54 : 1.0;
    s.style.width_cm = width * cm;
    s.style.height_cm = height * cm;
    s.style.dpi = dpi;
    s.style.font_family = font;
    s.style.font_pt = font_pt;
    return s;
  }

 private slots:
  void writes_the_requested_size_and_font_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("width");
    QTest::addColumn<double>("height");
    QTest::addColumn<bool>("inches");
    QTest::addColumn<int>("dpi");
    QTest::addColumn<QString>("font");
    QTest::addColumn<QSize>("expected");  // PNG pixels, else points
    QTest::newRow("png, inches") << "a.png" << 3.5 << 2.5 << true << 300 << "DejaVu Sans" << QSize(1050, 750);
    QTest::newRow("png, cm") << "b.png" << 5.08 << 2.54 << false << 150 << "DejaVu Serif" << QSize(300, 150);
    QTest::newRow("pdf, inches") << "c.pdf" << 3.5 << 2.5 << true << 600 << "DejaVu Sans" << QSize(252, 180);
    QTest::newRow("pdf, cm") << "d.pdf" << 8.5 << 6.0 << false << 600 << "DejaVu Serif" << QSize(241, 170);
    QTest::newRow("svg") << "e.svg" << 10.0 << 5.0 << false << 600 << "DejaVu Sans Mono" << QSize(283, 142);
  }
  void writes_the_requested_size_and_font() {
    QFETCH(QString, file);
    QFETCH(double, width);
    QFETCH(double, height);
    QFETCH(bool, inches);
    QFETCH(int, dpi);
    QFETCH(QString, font);
    QFETCH(QSize, expected);
    ExportFigureDialog dialog(exporter());
    dialog.set_settings(settings_for(file, width, height, inches, dpi, font, 9));
    QCOMPARE(dialog.settings().style.font_family, font);
    dialog.accept();
    QVERIFY2(dialog.error_text().isEmpty(), qPrintable(dialog.error_text()));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const QString path = dir_.filePath(file);
    const QByteArray bytes = read_all(path);
    if (file.endsWith(".png")) {
      const QImage image(path);
      QCOMPARE(image.size(), expected);
      QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
    } else if (file.endsWith(".pdf")) {
      const QRegularExpression media_box(QString(R"(/MediaBox \[0 0 %1(\.0+)? %2(\.0+)?\])").arg(expected.width()).arg(expected.height()));
      QVERIFY2(QString::fromLatin1(bytes).contains(media_box), "the PDF page is not the requested size");
      QVERIFY2(bytes.contains("/BaseFont /" + QString(font).remove(' ').toLatin1()), "the chosen font is not embedded");
    } else {
      const QString svg = QString::fromUtf8(bytes);
      QVERIFY2(svg.contains(QString("viewBox=\"0 0 %1 %2\"").arg(expected.width()).arg(expected.height())), qPrintable(svg.left(600)));
      QVERIFY2(svg.contains("font-family=\"" + font + "\""), "the chosen font is not used");
    }
  }

  void bad_values_are_refused_in_the_dialog_data() {
    QTest::addColumn<double>("width");
    QTest::addColumn<int>("dpi");
    QTest::addColumn<int>("font_pt");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero width") << 0.0 << 300 << 8 << "f.png" << "width must be between";
    QTest::newRow("absurd dpi") << 8.5 << 90000 << 8 << "f.png" << "dpi must be between";
    QTest::newRow("zero dpi") << 8.5 << 0 << 8 << "f.png" << "dpi must be between";
    QTest::newRow("tiny font") << 8.5 << 300 << 1 << "f.pdf" << "font size must be between";
    QTest::newRow("no folder") << 8.5 << 300 << 8 << "missing/f.pdf" << "does not exist";
  }
  void bad_values_are_refused_in_the_dialog() {
    QFETCH(double, width);
    QFETCH(int, dpi);
    QFETCH(int, font_pt);
    QFETCH(QString, file);
    QFETCH(QString, message);
    exports_ = 0;
    ExportFigureDialog dialog(exporter());
    dialog.set_settings(settings_for(file, width, 6.0, false, dpi, "DejaVu Serif", font_pt));
    dialog.show();
    dialog.accept();
    QVERIFY2(dialog.error_text().contains(message, Qt::CaseInsensitive), qPrintable(dialog.error_text()));
    QVERIFY(dialog.isVisible());  // stays open to be corrected
    QCOMPARE(exports_, 0);
    QVERIFY(!QFile::exists(dir_.filePath(file)));
  }

  void dpi_does_not_matter_for_vector_formats() {
    ExportFigureDialog dialog(exporter());
    dialog.set_settings(settings_for("g.svg", 8.5, 6.0, false, 0, "DejaVu Serif", 8));
    QCOMPARE(dialog.problem(), QString());
  }

  void an_export_failure_stays_in_the_dialog() {
    ExportFigureDialog dialog([](const PaperStyle&, const QString&) { return QString("Nothing to export"); });
    dialog.set_settings(settings_for("h.pdf", 8.5, 6.0, false, 300, "DejaVu Serif", 8));
    dialog.show();
    dialog.accept();
    QCOMPARE(dialog.error_text(), QString("Nothing to export"));
    QVERIFY(dialog.isVisible());
  }

  void presets_fill_the_fields_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<double>("width_cm");
    QTest::addColumn<QString>("font");
    QTest::addColumn<int>("font_pt");
    QTest::newRow("single") << "Paper, single column" << 8.5 << "DejaVu Serif" << 8;
    QTest::newRow("double") << "Paper, double column" << 17.8 << "DejaVu Serif" << 9;
    QTest::newRow("screen") << "Screen" << 20.0 << "DejaVu Sans" << 10;
  }
  void presets_fill_the_fields() {
    QFETCH(QString, preset);
    QFETCH(double, width_cm);
    QFETCH(QString, font);
    QFETCH(int, font_pt);
    ExportFigureDialog dialog(exporter());
    dialog.set_settings(settings_for("p.png", 1.0, 1.0, false, 72, "DejaVu Sans Mono", 20));
    dialog.apply_preset(preset);
    const FigureExportSettings s = dialog.settings();
    QCOMPARE(s.preset, preset);
    QCOMPARE(s.style.width_cm, width_cm);
    QCOMPARE(s.style.font_family, font);
    QCOMPARE(s.style.font_pt, font_pt);
    QVERIFY(s.path.endsWith("p.png"));  // a preset changes the style, not the file
    field<QSpinBox>(dialog, 1)->setValue(font_pt + 1);  // a hand edit leaves the preset
    QCOMPARE(dialog.settings().preset, QString());
  }

  void unit_and_format_follow_the_choices() {
    ExportFigureDialog dialog(exporter());
    dialog.set_settings(settings_for("fig.pdf", 8.89, 6.35, false, 300, "DejaVu Serif", 8));
    auto* unit = dialog.findChild<QComboBox*>();  // the first combo is the preset's; find the unit by its items
    for (QComboBox* combo : dialog.findChildren<QComboBox*>())
      if (combo->findText("in") >= 0) unit = combo;
    unit->setCurrentText("in");
    const QList<QDoubleSpinBox*> sizes = dialog.findChildren<QDoubleSpinBox*>();
    QCOMPARE(sizes.at(0)->value(), 3.5);
    QCOMPARE(sizes.at(1)->value(), 2.5);
    QVERIFY(std::abs(dialog.settings().style.width_cm - 8.89) < 1e-9);
    QComboBox* format = nullptr;
    for (QComboBox* combo : dialog.findChildren<QComboBox*>())
      if (combo->findData("png") >= 0) format = combo;
    format->setCurrentIndex(format->findData("png"));
    QVERIFY2(dialog.settings().path.endsWith("fig.png"), qPrintable(dialog.settings().path));
    QVERIFY(dialog.findChildren<QSpinBox*>().at(0)->isEnabled());  // DPI matters for PNG only
    format->setCurrentIndex(format->findData("svg"));
    QVERIFY(dialog.settings().path.endsWith("fig.svg"));
    QVERIFY(!dialog.findChildren<QSpinBox*>().at(0)->isEnabled());
  }

  void screenshot_for_the_eye() {
    for (const bool dark : {false, true}) {
      if (dark) {
        QPalette p;
        p.setColor(QPalette::Window, QColor(45, 46, 50));
        p.setColor(QPalette::WindowText, QColor(225, 225, 225));
        p.setColor(QPalette::Base, QColor(32, 33, 36));
        p.setColor(QPalette::Text, QColor(225, 225, 225));
        p.setColor(QPalette::Button, QColor(45, 46, 50));
        p.setColor(QPalette::ButtonText, QColor(225, 225, 225));
        QApplication::setPalette(p);
      }
      ExportFigureDialog dialog(exporter());
      dialog.set_settings(settings_for("figure.png", 8.5, 6.0, false, dark ? 0 : 600, "DejaVu Serif", 8));
      dialog.show();
      if (dark) {
        dialog.accept();  // DPI 0: the message shows in the dialog
        QVERIFY(!dialog.error_text().isEmpty());
      }
      const QString path = dark ? "/tmp/inspect_export_dialog_dark.png" : "/tmp/inspect_export_dialog.png";
      QVERIFY(dialog.grab().save(path));
    }
  }
};

QTEST_MAIN(TestExportFigureDialog)
#include "test_export_figure_dialog.moc"
