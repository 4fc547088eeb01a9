// The Export figure dialog's last values survive a restart (QSettings), and a first start offers the paper preset.
#include <QtTest>

#include "app/ui/session_settings.h"

using namespace dynamax;

class TestFigureExportSettings : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_figure_export_settings");
    QSettings().clear();
  }

  void first_start_offers_a_paper_single_column() {
    const views::FigureExportSettings s = app::load_figure_export_settings();
    QCOMPARE(s.preset, QString("Paper, single column"));
    QCOMPARE(s.style.width_cm, views::paper_single_column().width_cm);
    QCOMPARE(s.style.font_family, views::paper_single_column().font_family);
    QVERIFY(!s.inches);
  }

  void last_values_round_trip_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<bool>("inches");
    QTest::addColumn<double>("width_cm");
    QTest::addColumn<int>("dpi");
    QTest::addColumn<QString>("font");
    QTest::addColumn<int>("font_pt");
    QTest::newRow("custom, inches") << "/tmp/a/fig.png" << "" << true << 8.89 << 300 << "DejaVu Sans" << 9;
    QTest::newRow("screen") << "/tmp/b.svg" << "Screen" << false << 20.0 << 96 << "DejaVu Sans" << 10;
  }
  void last_values_round_trip() {
    QFETCH(QString, path);
    QFETCH(QString, preset);
    QFETCH(bool, inches);
    QFETCH(double, width_cm);
    QFETCH(int, dpi);
    QFETCH(QString, font);
    QFETCH(int, font_pt);
    views::FigureExportSettings s;
    s.path = path;
    s.preset = preset;
    s.inches = inches;
    s.style.width_cm = width_cm;
    s.style.dpi = dpi;
    s.style.font_family = font;
    s.style.font_pt = font_pt;
    s.style.show_title = preset == "Screen";
    app::save_figure_export_settings(s);
    const views::FigureExportSettings back = app::load_figure_export_settings();
    QCOMPARE(back.path, path);
    QCOMPARE(back.preset, preset);
    QCOMPARE(back.inches, inches);
    QCOMPARE(back.style.width_cm, width_cm);
    QCOMPARE(back.style.height_cm, s.style.height_cm);
    QCOMPARE(back.style.dpi, dpi);
    QCOMPARE(back.style.font_family, font);
    QCOMPARE(back.style.font_pt, font_pt);
    QCOMPARE(back.style.show_title, s.style.show_title);
  }
};

QTEST_MAIN(TestFigureExportSettings)
#include "test_figure_export_settings.moc"
