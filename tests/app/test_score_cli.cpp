// `dynamax score`: one answer's task metrics from the command line, equal to the fixture computed by the official
// definitions (tests/data/metric_cases.json), the --metrics conventions, and bad input.
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

using testing_support::CliResult;
using testing_support::run_dynamax;
using nlohmann::json;

namespace {

QStringList score_args(const json& c) {
  QStringList args{"score", "--task", QString::fromStdString(c.at("task")), "--prediction",
                   QString::fromStdString(c.at("prediction")), "--json"};
  for (const auto& g : c.at("gold")) args << "--gold" << QString::fromStdString(g.get<std::string>());
  for (const auto& g : c.value("incorrect", json::array())) args << "--incorrect" << QString::fromStdString(g.get<std::string>());
  if (c.contains("metrics")) args << "--metrics" << QString::fromStdString(c.at("metrics"));
  return args;
}

}  // namespace

class TestScoreCli : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set"); }

  // Every fourth fixture case (each task, both conventions) through the CLI; the core test covers them all.
  void matches_the_official_definitions() {
    const json cases = json::parse(testing_support::read_file(testing_support::test_data_dir() / "metric_cases.json")).at("cases");
    int checked = 0;
    for (size_t i = 0; i < cases.size(); i += 4) {
      const json& c = cases[i];
      if (c.at("task") == "mc1") continue;
      const CliResult r = run_dynamax(score_args(c));
      QVERIFY2(r.code == 0, qPrintable(r.err));
      const json out = json::parse(r.out.toStdString());
      const json expected = c.at("expected");
      QCOMPARE(out.at("scored").get<bool>(), expected.value("scored", true));
      for (const auto& [key, value] : expected.items()) {
        if (key == "scored") continue;
        const json& ours = out.at("metrics").at(key);
        if (value.is_boolean())
          QCOMPARE(ours.get<bool>(), value.get<bool>());
        else
          QVERIFY2(std::abs(ours.get<double>() - value.get<double>()) <= 1e-9, c.at("name").get<std::string>().c_str());
      }
      ++checked;
    }
    QVERIFY(checked >= 30);
  }

  void text_output_and_conventions() {
    CliResult r = run_dynamax({"score", "--task", "triviaqa", "--prediction", QString::fromUtf8("BEYONCÉ"), "--gold", "Beyoncé"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("em             1.000000"), qPrintable(r.out));
    r = run_dynamax({"score", "--task", "truthfulqa", "--prediction", "", "--gold", "Paris", "--incorrect", "London"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("not scored"), qPrintable(r.out));
    r = run_dynamax({"score", "--task", "truthfulqa", "--prediction", "", "--gold", "Paris", "--incorrect", "London",
                     "--metrics", "lm-eval", "--json"});
    QCOMPARE(r.code, 0);
    const json out = json::parse(r.out.toStdString());
    QCOMPARE(out.at("metrics_conventions").get<std::string>(), std::string("lm-eval"));
    QCOMPARE(out.at("metrics").at("bleu_max").get<double>(), 0.0);
  }

  void bad_usage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown task") << QStringList{"score", "--task", "squad", "--prediction", "a", "--gold", "a"} << "--task triviaqa|coqa|truthfulqa";
    QTest::newRow("no gold") << QStringList{"score", "--task", "coqa", "--prediction", "a"} << "at least one --gold";
    QTest::newRow("no prediction") << QStringList{"score", "--task", "coqa", "--gold", "a"} << "needs --prediction";
    QTest::newRow("truthfulqa without incorrect") << QStringList{"score", "--task", "truthfulqa", "--prediction", "a", "--gold", "a"} << "needs --incorrect";
    QTest::newRow("unknown conventions") << QStringList{"score", "--task", "coqa", "--prediction", "a", "--gold", "a", "--metrics", "bleurt"} << "unknown metric conventions 'bleurt'";
    QTest::newRow("evaluate with unknown conventions") << QStringList{"evaluate", "--model", "m", "--dataset", "text:x", "--db", "x.db", "--metrics", "squad"} << "unknown metric conventions 'squad'";
  }
  void bad_usage() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const CliResult r = run_dynamax(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
  }

  // Bytes that are not UTF-8 cannot travel through a QString: a shell passes them as they are.
  void invalid_utf8_names_its_byte() {
    QProcess p;
    p.start("/bin/sh", {"-c", "\"$0\" score --task coqa --prediction \"$(printf 'caf\\303')\" --gold cafe",
                        QString::fromStdString(testing_support::dynamax_binary())});
    QVERIFY(p.waitForFinished(60'000));
    QCOMPARE(p.exitCode(), 1);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains("prediction: invalid UTF-8 at byte 3"), qPrintable(err));
  }
};

QTEST_APPLESS_MAIN(TestScoreCli)
#include "test_score_cli.moc"
