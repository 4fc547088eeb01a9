// Paper styles: presets, lengths in cm/mm/in/pt with clear errors, validation, sizes in points and pixels.
#include <QtTest>

#include "views/paper_style.h"

using namespace dynamax::views;

class TestPaperStyle : public QObject {
  Q_OBJECT

 private slots:
  void presets_match_paper_columns() {
    const PaperStyle single = paper_single_column();
    QCOMPARE(single.width_cm, 8.5);
    QCOMPARE(single.height_cm, 6.0);
    QCOMPARE(single.font_family, QString("DejaVu Serif"));
    QCOMPARE(single.font_pt, 8);
    QCOMPARE(single.dpi, 600);
    QVERIFY(!single.show_title);
    const PaperStyle wide = paper_double_column();
    QCOMPARE(wide.width_cm, 17.8);
    QCOMPARE(wide.font_pt, 9);
    QVERIFY(screen().show_title);
    for (const PaperStyle& style : {single, wide, screen()}) validate(style);
  }

  void parses_lengths_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("cm");
    QTest::newRow("cm") << "8.5cm" << 8.5;
    QTest::newRow("inches") << "3.3in" << 3.3 * 2.54;
    QTest::newRow("mm with space") << "85 mm" << 8.5;
    QTest::newRow("points") << "72pt" << 2.54;
    QTest::newRow("upper case") << " 4CM " << 4.0;
    QTest::newRow("leading dot") << ".5in" << 1.27;
  }
  void parses_lengths() {
    QFETCH(QString, text);
    QFETCH(double, cm);
    QVERIFY(qFuzzyCompare(parse_length_cm(text), cm));
  }

  void rejects_bad_lengths_data() {
    QTest::addColumn<QString>("text");
    for (const char* bad : {"8.5", "cm", "", "-3cm", "0cm", "8.5 furlongs", "8,5cm", "1e3cm"}) QTest::newRow(bad) << bad;
  }
  void rejects_bad_lengths() {
    QFETCH(QString, text);
    try {
      parse_length_cm(text);
      QFAIL("accepted a bad length");
    } catch (const StyleError& error) {
      const QString message = error.what();
      QVERIFY2(message.contains("\"" + text + "\"") && message.contains("cm") && message.contains("in"),
               qPrintable(message));
    }
  }

  void validation_names_the_bad_field_data() {
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("word");
    QTest::newRow("width") << 0 << "width";
    QTest::newRow("height") << 1 << "height";
    QTest::newRow("dpi") << 2 << "dpi";
    QTest::newRow("font size") << 3 << "font size";
    QTest::newRow("line width") << 4 << "line width";
    QTest::newRow("font family") << 5 << "font family";
  }
  void validation_names_the_bad_field() {
    QFETCH(int, field);
    QFETCH(QString, word);
    PaperStyle style = paper_single_column();
    switch (field) {
      case 0: style.width_cm = 0.2; break;
      case 1: style.height_cm = 500; break;
      case 2: style.dpi = 0; break;
      case 3: style.font_pt = 1; break;
      case 4: style.line_width_pt = 0; break;
      case 5: style.font_family = " "; break;
    }
    try {
      validate(style);
      QFAIL("accepted a bad style");
    } catch (const StyleError& error) {
      QVERIFY2(QString(error.what()).contains(word), error.what());
    }
  }

  void sizes_in_points_and_pixels() {
    PaperStyle style = paper_single_column();
    QCOMPARE(canvas_size_pt(style), QSize(241, 170));  // 8.5 cm = 240.9 pt, 6 cm = 170.1 pt
    style.dpi = 300;
    QCOMPARE(pixel_size(style), QSize(1004, 709));  // 8.5 / 2.54 * 300 = 1003.9
    QCOMPARE(pixel_size(paper_single_column()), QSize(2008, 1417));
  }
};

QTEST_GUILESS_MAIN(TestPaperStyle)
#include "test_paper_style.moc"
