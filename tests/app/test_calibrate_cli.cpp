// `dynamax calibrate` end to end on real recordings of the tiny models: the certified τ for every measure (an exit
// classifier's included), each candidate's p-value and its fixed-sequence status, the compute saved as `sweep` counts
// it, sequence risk never certifying more than token risk, the text output, `sweep --latex --calibrated`, and one
// clear message for each kind of bad input (δ or ε outside (0, 1), runs too small or without samples).
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/analysis/hoeffding_bentkus.h"
#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "storage/run_store.h"
#include "support/test_support.h"

using nlohmann::json;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

QString model(const char* name) {
  return QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / name).string());
}
QString wikitext(int window) {
  return QString("text:%1#window=%2")
      .arg(QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string()))
      .arg(window);
}
double tau_of(const json& tau) {
  return tau.is_string() ? (tau.get<std::string>() == "inf" ? INFINITY : -INFINITY) : tau.get<double>();
}

}  // namespace

class TestCalibrateCli : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QString db_;

  json calibrate(QStringList args) {
    const CliResult r = run_dynamax(QStringList{"calibrate", "--db", db_, "--json"} + args);
    if (r.code != 0) qWarning("%s", qPrintable(r.err));
    return r.code == 0 ? json::parse(r.out.toStdString()) : json();
  }

 private slots:
  // Run 1: tiny-mistral on 80 WikiText windows of 32 tokens, with a linear exit classifier's scores. Run 2:
  // tiny-codestral on 3 windows (too few). Run 3: a recording without any sample.
  void initTestCase() {
    REQUIRE_SHARED();
    db_ = tmp_.filePath("calibrate.db");
    const CliResult trained = run_dynamax({"train-exits", "--model", model("tiny-mistral"), "--data", wikitext(64),
                                           "--limit", "8", "--kind", "linear", "--epochs", "2", "--seed", "4", "--name",
                                           "calm", "--out", tmp_.filePath("calm.safetensors")});
    QVERIFY2(trained.code == 0, qPrintable(trained.err));
    CliResult r = run_dynamax({"record", "--model", model("tiny-mistral"), "--dataset", wikitext(32), "--limit", "80",
                               "--db", db_, "--classifiers", tmp_.filePath("calm.safetensors")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run_dynamax({"record", "--model", model("tiny-codestral"), "--dataset", wikitext(32), "--limit", "3", "--db", db_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    dynamax::Database db(db_.toStdString());
    dynamax::RunStore store(db);
    const dynamax::RunInfo first = store.run(1);
    const int64_t model_id = store.upsert_model(first.model_name, first.model_path,
                                                dynamax::parse_model_config(dynamax::parse_lenient_json(first.model_config_json, "config.json"), "config.json"),
                                                first.model_config_json);
    const int64_t run = store.create_run("record", model_id, store.upsert_dataset("text", "/none.txt", "text:/none.txt"),
                                         json::object(), 5);
    store.finish_run(run, "cancelled");
    QCOMPARE(run, int64_t(3));
  }

  void certifies_every_measure_data() {
    QTest::addColumn<QStringList>("options");
    QTest::newRow("max-prob") << QStringList{"--measure", "max-prob"};
    QTest::newRow("entropy") << QStringList{"--measure", "entropy"};
    QTest::newRow("saturation") << QStringList{"--measure", "saturation"};
    QTest::newRow("classifier") << QStringList{"--measure", "classifier:calm", "--depths", "8,10,12,14"};
    QTest::newRow("sequence risk") << QStringList{"--measure", "max-prob", "--risk", "sequence"};
  }
  void certifies_every_measure() {
    REQUIRE_SHARED();
    QFETCH(QStringList, options);
    const double delta = 0.2, epsilon = 0.1;
    const json all = calibrate(QStringList{"--run", "1", "--delta", "0.2", "--epsilon", "0.1"} + options);
    QCOMPARE(all.size(), size_t(1));
    const json& c = all[0];
    QCOMPARE(c["run"].get<int>(), 1);
    QCOMPARE(c["samples"].get<int>(), 80);
    QCOMPARE(c["samples_left_out"].get<int>(), 0);
    const int n = c["calibration_samples"];
    QCOMPARE(n, 40);
    QCOMPARE(c["held_out_samples"].get<int>(), 40);
    QCOMPARE(c["samples_needed"].get<int>(), int(dynamax::samples_to_certify(delta, epsilon)));
    const json& candidates = c["candidates"];
    QVERIFY(candidates.size() > 10);
    QCOMPARE(candidates[0]["tau"], json("inf"));
    QCOMPARE(candidates[0]["calibration_risk"].get<double>(), 0.0);
    // Each p-value is the Hoeffding–Bentkus one of its calibration risk; testing stops at the first p > ε.
    size_t certified = 0;
    std::string expected_status = "certified";
    for (size_t k = 0; k < candidates.size(); ++k) {
      const json& t = candidates[k];
      if (k > 0) QVERIFY(tau_of(t["tau"]) < tau_of(candidates[k - 1]["tau"]));
      QCOMPARE(t["p_value"].get<double>(), dynamax::hoeffding_bentkus_p_value(t["calibration_risk"], n, delta));
      if (expected_status == "certified" && t["p_value"].get<double>() > epsilon) expected_status = "stopped";
      QCOMPARE(t["status"].get<std::string>(), expected_status);
      if (expected_status == "certified") certified = k;
      if (expected_status == "stopped") expected_status = "untested";
    }
    const json& best = c["certified"];
    QCOMPARE(tau_of(best["tau"]), tau_of(candidates[certified]["tau"]));
    QCOMPARE(best["held_out_risk"].get<double>(), candidates[certified]["held_out_risk"].get<double>());
    QVERIFY2(certified > 0, "only the full model was certified");
    QVERIFY(best["calibration_risk"].get<double>() <= delta);
    // The compute saved is the sweep's at the same τ, over the whole run.
    const QString tau = QString::number(best["tau"].get<double>(), 'g', 17);
    QStringList sweep_args{"sweep", "--db", db_, "--run", "1", "--json", "--tau", tau};
    sweep_args += options.mid(0, options.indexOf("--risk") < 0 ? options.size() : options.indexOf("--risk"));
    const CliResult swept = run_dynamax(sweep_args);
    QVERIFY2(swept.code == 0, qPrintable(swept.err));
    const json point = json::parse(swept.out.toStdString())[0]["curves"][0]["points"][0];
    QCOMPARE(best["block_savings"].get<double>(), 1 - point["block_fraction"].get<double>());
    QCOMPARE(best["flop_savings"].get<double>(), 1 - point["flop_fraction"].get<double>());
    QCOMPARE(best["consistency"].get<double>(), point["consistency"].get<double>());
    QVERIFY(best["block_savings"].get<double>() > 0);
    qInfo("%s: certified τ = %g of %zu candidates, saves %.1f %% of blocks; held-out risk %.4f", qPrintable(options.join(' ')),
          best["tau"].get<double>(), candidates.size(), 100 * best["block_savings"].get<double>(),
          best["held_out_risk"].get<double>());
  }

  // A sample's sequence loss is at least its token loss: on the same split and candidates, sequence risk certifies
  // no more aggressive a τ.
  void sequence_risk_certifies_no_more_than_token_risk() {
    REQUIRE_SHARED();
    for (const char* seed : {"1", "2", "3"}) {
      const QStringList common{"--run", "1", "--delta", "0.3", "--epsilon", "0.1", "--seed", seed};
      const json token = calibrate(common + QStringList{"--risk", "token"});
      const json sequence = calibrate(common + QStringList{"--risk", "sequence"});
      QVERIFY(!token.is_null() && !sequence.is_null());
      QVERIFY(tau_of(sequence[0]["certified"]["tau"]) >= tau_of(token[0]["certified"]["tau"]));
      for (size_t k = 0; k < token[0]["candidates"].size(); ++k)
        QVERIFY(sequence[0]["candidates"][k]["calibration_risk"].get<double>() >=
                token[0]["candidates"][k]["calibration_risk"].get<double>());
    }
  }

  void text_output_and_seeds() {
    REQUIRE_SHARED();
    const QStringList args{"calibrate", "--db", db_, "--run", "1", "--delta", "0.2", "--epsilon", "0.1", "--seed", "9"};
    const CliResult a = run_dynamax(args), b = run_dynamax(args);
    QVERIFY2(a.code == 0, qPrintable(a.err));
    QCOMPARE(a.out, b.out);  // the split follows the seed alone
    QVERIFY2(a.out.startsWith("run 1 (tiny-mistral · wikitext2_test #1), max-prob: token risk ≤ 0.2 with probability ≥ 0.9\n"),
             qPrintable(a.out.left(200)));
    QVERIFY(a.out.contains("80 (0 without a scored position left out); 40 calibrate, 40 held out (fraction 0.5, seed 9)"));
    QVERIFY(a.out.contains("certified τ = ") && a.out.contains("held-out risk"));
    QVERIFY(a.out.contains("candidates, safe to aggressive (fixed-sequence testing stops at the first p > ε = 0.1)"));
    QVERIFY(a.out.contains(" certified\n") && a.out.contains(" stopped\n"));
    const json j = calibrate({"--run", "1", "--delta", "0.2", "--epsilon", "0.1", "--seed", "9"});
    QCOMPARE(a.out.count(QRegularExpression(" (certified|stopped|untested)\n")), int(j[0]["candidates"].size()));
  }

  void sweep_latex_adds_the_certified_row() {
    REQUIRE_SHARED();
    const CliResult tex = run_dynamax({"sweep", "--db", db_, "--run", "1", "--latex", "--targets", "0.9",
                                       "--calibrated", "0.2,0.1", "--seed", "9"});
    QVERIFY2(tex.code == 0, qPrintable(tex.err));
    const json j = calibrate({"--run", "1", "--delta", "0.2", "--epsilon", "0.1", "--seed", "9"});
    const QStringList rows = tex.out.split('\n').filter("certified (token, delta 0.2, eps 0.1)");
    QCOMPARE(rows.size(), 1);
    const QString tau = QString::number(j[0]["certified"]["tau"].get<double>(), 'g', 4);
    QVERIFY2(rows[0].startsWith("tiny-mistral · wikitext2\\_test \\#1 & max-prob, certified (token, delta 0.2, eps 0.1) & " + tau + " & "),
             qPrintable(rows[0]));
    const QString saved = QString::number(100 * j[0]["certified"]["block_savings"].get<double>(), 'f', 1);
    QVERIFY2(rows[0].contains(" & " + saved + " & "), qPrintable(rows[0]));
    QCOMPARE(tex.out.count("\\\\"), 3);  // header, the 0.9 target, the certified row
  }

  void bad_input_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    const QStringList run1{"calibrate", "--db", "DB", "--run", "1"};
    QTest::newRow("δ above 1") << run1 + QStringList{"--delta", "1.5", "--epsilon", "0.1"} << 2
                               << "option --delta (the risk level δ) must lie strictly between 0 and 1, got 1.5";
    QTest::newRow("ε zero") << run1 + QStringList{"--delta", "0.1", "--epsilon", "0"} << 2
                            << "option --epsilon (the error rate ε) must lie strictly between 0 and 1, got 0";
    QTest::newRow("no δ") << run1 + QStringList{"--epsilon", "0.1"} << 2 << "needs --delta";
    QTest::newRow("δ not a number") << run1 + QStringList{"--delta", "tenth", "--epsilon", "0.1"} << 2 << "'tenth'";
    QTest::newRow("fraction 1") << run1 + QStringList{"--delta", "0.1", "--epsilon", "0.1", "--calibration-fraction", "1"}
                                << 2 << "option --calibration-fraction (the share of samples that calibrate) must lie";
    QTest::newRow("risk") << run1 + QStringList{"--delta", "0.1", "--epsilon", "0.1", "--risk", "answer"} << 2
                          << "option --risk must be token or sequence, got 'answer'";
    QTest::newRow("too few samples")
        << QStringList{"calibrate", "--db", "DB", "--run", "2", "--delta", "0.1", "--epsilon", "0.1"} << 1
        << "run tiny-codestral · wikitext2_test #2 is too small to certify anything: of its 3 samples with a scored position, 2 calibrate "
           "(fraction 0.5); certifying token risk ≤ 0.1 with probability ≥ 0.9 needs at least 22 calibration samples";
    QTest::newRow("too few for this ε") << run1 + QStringList{"--delta", "0.01", "--epsilon", "0.01"} << 1
                                        << "needs at least 459 calibration samples (even a zero observed risk gives p = "
                                           "(1 − δ)^n ≤ ε only from n = 459 on), so a run of at least 917 samples";
    QTest::newRow("no samples")
        << QStringList{"calibrate", "--db", "DB", "--run", "3", "--delta", "0.1", "--epsilon", "0.1"} << 1
        << "run 3 has no recorded samples; certifying token risk ≤ 0.1 with probability ≥ 0.9 needs at least 22 "
           "calibration samples";
    QTest::newRow("no such run") << QStringList{"calibrate", "--db", "DB", "--run", "9", "--delta", "0.1", "--epsilon", "0.1"}
                                 << 1 << "there is no run 9";
    QTest::newRow("calibrated csv") << QStringList{"sweep", "--db", "DB", "--run", "1", "--csv", "--calibrated", "0.1,0.1"}
                                    << 2 << "--calibrated adds rows to the --latex table";
    QTest::newRow("calibrated one number")
        << QStringList{"sweep", "--db", "DB", "--run", "1", "--latex", "--calibrated", "0.1"} << 2
        << "option --calibrated takes δ,ε (two numbers), got '0.1'";
    QTest::newRow("calibrated ε") << QStringList{"sweep", "--db", "DB", "--run", "1", "--latex", "--calibrated", "0.1,2"}
                                  << 2 << "option --calibrated (the error rate ε) must lie strictly between 0 and 1, got 2";
  }
  void bad_input() {
    REQUIRE_SHARED();
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    const CliResult r = run_dynamax(args.replaceInStrings("DB", db_));
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCalibrateCli)
#include "test_calibrate_cli.moc"
