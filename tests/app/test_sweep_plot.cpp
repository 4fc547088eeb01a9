// End-to-end analysis through the CLI: recordings of both tiny models, their trade-off curves as JSON/CSV/LaTeX,
// and figures as PDF, SVG and PNG, checked by parsing them.
#include <QtTest>

#include <QImage>
#include <QXmlStreamReader>
#include <nlohmann/json.hpp>

#include "support/pdf_text_boxes.h"
#include "support/test_support.h"

using nlohmann::json;

using testing_support::CliResult;
using testing_support::run_dynamax;

class TestSweepPlot : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QString db_;

 private slots:
  void initTestCase() {
    REQUIRE_SHARED();
    db_ = tmp_.filePath("runs.db");
    const QString text = QString("text:%1#window=96").arg(QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string()));
    for (const char* model : {"tiny-mistral", "tiny-codestral"}) {
      CliResult r = run_dynamax({"record", "--model", QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / model).string()),
                      "--dataset", text, "--db", db_, "--limit", "4"});
      QVERIFY2(r.code == 0, qPrintable(r.err));
    }
  }

  void sweep_json_curves() {
    REQUIRE_SHARED();
    CliResult r = run_dynamax({"sweep", "--db", db_, "--runs", "1,2", "--json", "--thresholds", "50"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json runs = json::parse(r.out.toStdString());
    QCOMPARE(int(runs.size()), 2);
    for (const json& run : runs) {
      std::map<std::string, json> curves;
      for (const json& c : run["curves"]) curves[c["kind"]] = c;
      QVERIFY(curves.count("threshold") && curves.count("static") && curves.count("oracle") && curves.count("random"));
      const json& points = curves["threshold"]["points"];
      const int L = curves["threshold"]["depths"];
      // τ = −∞ exits everything at depth 1; τ = +∞ is the full model
      QCOMPARE(points.front()["mean_depth"].get<double>(), 1.0);
      QCOMPARE(points.back()["block_fraction"].get<double>(), 1.0);
      QCOMPARE(points.back()["consistency"].get<double>(), 1.0);
      QCOMPARE(int(curves["static"]["points"].size()), L);
      double last = 0;
      for (const json& p : points) {  // compute never falls as τ rises
        QVERIFY(p["block_fraction"].get<double>() >= last - 1e-12);
        last = p["block_fraction"];
      }
    }
    QVERIFY(runs[0]["name"] == "tiny-mistral · wikitext2_test #1" && runs[1]["name"] == "tiny-codestral · wikitext2_test #2");
  }

  void sweep_csv_and_latex() {
    REQUIRE_SHARED();
    CliResult csv = run_dynamax({"sweep", "--db", db_, "--run", "1", "--csv", "--tau", "0.5,0.9"});
    QVERIFY2(csv.code == 0, qPrintable(csv.err));
    const QStringList lines = csv.out.trimmed().split('\n');
    QVERIFY(lines[0].startsWith("run,curve,kind,parameter,mean_depth,block_fraction,flop_fraction,consistency"));
    QCOMPARE(lines.filter(",threshold,").size(), 2);
    CliResult tex = run_dynamax({"sweep", "--db", db_, "--runs", "1,2", "--latex", "--targets", "0.8,0.95"});
    QVERIFY2(tex.code == 0, qPrintable(tex.err));
    QVERIFY(tex.out.contains("\\toprule") && tex.out.contains("\\bottomrule"));
    QVERIFY(tex.out.contains("tiny-mistral") && tex.out.contains("tiny-codestral"));
    QVERIFY(tex.out.count("\\\\") >= 5);  // header + up to 2 rows per run
  }

  void figures_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("pdf") << "fig.pdf";
    QTest::newRow("svg") << "fig.svg";
    QTest::newRow("png") << "fig.png";
  }
  void figures() {
    REQUIRE_SHARED();
    QFETCH(QString, file);
    const QString path = tmp_.filePath(file);
    CliResult r = run_dynamax({"plot", "--db", db_, "--runs", "1,2", "--out", path, "--dpi", "300", "--mark-tau", "0.8",
                    "--csv", tmp_.filePath(file + ".csv")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("6 curves, 2 markers"), qPrintable(r.err));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    if (file.endsWith(".pdf")) {
      QVERIFY(bytes.startsWith("%PDF") && bytes.size() > 2000);
    } else if (file.endsWith(".svg")) {
      QXmlStreamReader xml(bytes);
      QStringList texts;
      while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters()) texts << xml.text().toString();
      }
      QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
      const QString all = texts.join(' ');
      QVERIFY2(all.contains("Token consistency") && all.contains("Compute"), qPrintable(all.left(300)));
      // the compact legend: one entry per run (model · dataset), the line styles keyed once
      QVERIFY2(all.contains("tiny-mistral · wikitext2_test") && all.contains("tiny-codestral · wikitext2_test") &&
                   all.contains("threshold (max-prob)") && all.contains("static") && all.contains("oracle"),
               qPrintable(all));
    } else {
      QImage image(path);
      QCOMPARE(image.width(), 1004);  // 8.5 cm at 300 dpi
      QVERIFY(image.height() > 600);
    }
    QFile csv(tmp_.filePath(file + ".csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readAll().contains("tiny-codestral · wikitext2_test #2 static"));
  }

  // Every preset's PDF: each word inside the page, no two words overprinting (tick labels, axis titles, legend
  // entries, the style key and the τ labels of both runs, marked at one τ and at a quality), and every word of the
  // axis titles there whole.
  void paper_figures_have_no_clipped_or_overlapping_text_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("mark");
    for (const char* preset : {"single", "double", "screen"}) {
      QTest::newRow(qPrintable(QString(preset) + " τ")) << preset << "--mark-tau";
      QTest::newRow(qPrintable(QString(preset) + " quality")) << preset << "--mark-quality";
    }
  }
  void paper_figures_have_no_clipped_or_overlapping_text() {
    REQUIRE_SHARED();
    QFETCH(QString, preset);
    QFETCH(QString, mark);
    const QString path = tmp_.filePath(QString("layout-%1%2.pdf").arg(preset, mark));
    CliResult r = run_dynamax({"plot", "--db", db_, "--runs", "1,2", "--out", path, "--preset", preset, mark,
                               mark == "--mark-tau" ? "0.5" : "0.8"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("2 markers"), qPrintable(r.err));
    const testing_support::PdfText text = testing_support::pdf_text_boxes(path);
    const QStringList problems = testing_support::text_layout_problems(text);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
    QStringList words;
    for (const auto& w : text.words) words << w.text;
    for (const char* word : {"Token", "consistency", "Compute", "tiny-mistral", "tiny-codestral", "oracle", "1.0"})
      QVERIFY2(words.contains(word), qPrintable(QString(word) + " missing from: " + words.join(' ')));
    QCOMPARE(words.count("τ"), 2);  // both operating points labelled
  }

  void bad_input_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no format") << QStringList{"sweep", "--db", "DB", "--run", "1"} << 2 << "exactly one of --csv, --json, --latex";
    QTest::newRow("unknown measure") << QStringList{"sweep", "--db", "DB", "--run", "1", "--json", "--measure", "confidence"} << 1 << "confidence";
    QTest::newRow("missing run") << QStringList{"sweep", "--db", "DB", "--run", "99", "--json"} << 1 << "there is no run 99";
    QTest::newRow("depth beyond L") << QStringList{"sweep", "--db", "DB", "--run", "1", "--json", "--depths", "8,40"} << 1 << "40";
    QTest::newRow("bad axis") << QStringList{"plot", "--db", "DB", "--runs", "1", "--out", "x.pdf", "--y", "speed"} << 2 << "--y must be";
    QTest::newRow("bad extension") << QStringList{"plot", "--db", "DB", "--runs", "1", "--out", "OUT/fig.gif"} << 1 << "fig.gif";
    QTest::newRow("missing database") << QStringList{"sweep", "--db", "/nonexistent.db", "--run", "1", "--json"} << 1 << "no such database";
  }
  void bad_input() {
    REQUIRE_SHARED();
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    args.replaceInStrings("DB", db_).replaceInStrings("OUT", tmp_.path());
    CliResult r = run_dynamax(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestSweepPlot)
#include "test_sweep_plot.moc"
