// The families of tests/data (Llama 3 with llama3 RoPE scaling, Qwen2 with biases and per-layer windows, Mamba-1,
// FalconMamba), each a whole model folder with its family's byte-level tokenizer, through the researcher's workflow
// on the CLI: a TruthfulQA recording with the shared QA primer equals the same samples run whole, exit classifiers
// train on text, a recording scores them, the sweep reads them, and an early-exit evaluation whose threshold is
// never reached gives the full model's answers.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "storage/sqlite_db.h"
#include "support/test_support.h"

using nlohmann::json;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

// The documented bound between a continued pass and a whole one (fp32 rounding; README "Shared prefixes").
constexpr double kSharedPrefixBound = 1e-4;

QString test_model(const QString& name) {
  return QString::fromStdString((testing_support::test_data_dir() / "models" / name.toStdString()).string());
}
QString shared_data(const char* path) {
  return QString::fromStdString((testing_support::shared_dir() / "data" / path).string());
}

double number(const QString& db, const std::string& sql) {
  dynamax::Database d(db.toStdString(), dynamax::Database::Mode::ReadOnly);
  dynamax::Statement q = d.prepare(sql);
  q.step();
  return q.is_null(0) ? 0.0 : q.real(0);
}

// Exits of the same (sample, position, depth) in runs a and b.
std::string paired_exits(int64_t a, int64_t b) {
  const auto side = [](int64_t run) {
    return "(SELECT s.sample_index, e.* FROM samples s JOIN sample_exits e ON e.sample_id = s.id WHERE s.run_id = " +
           std::to_string(run) + ")";
  };
  return side(a) + " a JOIN " + side(b) + " b ON a.sample_index = b.sample_index AND a.position = b.position AND "
                                          "a.depth = b.depth";
}

int64_t run_id(const CliResult& r) { return json::parse(r.out.toStdString())["run_id"].get<int64_t>(); }

}  // namespace

class TestModelFamilies : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  QString at(const QString& name) const { return tmp_.filePath(name); }

 private slots:
  void workflow_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("depths");    // exits for the classifiers and the evaluation
    QTest::addColumn<QStringList>("strategy");  // what skipped blocks do
    QTest::newRow("tiny-llama3") << "tiny-llama3" << "2,3,4" << QStringList{"--kv-strategy", "recompute"};
    QTest::newRow("tiny-qwen2") << "tiny-qwen2" << "2,3,4" << QStringList{"--kv-strategy", "copy-prev"};
    QTest::newRow("tiny-mamba") << "tiny-mamba" << "1,2,3" << QStringList{"--state-strategy", "update"};
    QTest::newRow("tiny-falcon-mamba") << "tiny-falcon-mamba" << "1,2,3" << QStringList{"--state-strategy", "keep"};
  }
  void workflow() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(QString, depths);
    QFETCH(QStringList, strategy);
    const QString db = at(model + ".sqlite");
    const QString truthfulqa = "truthfulqa:" + shared_data("truthfulqa/TruthfulQA.csv");

    // Shared primer against whole samples.
    const CliResult shared = run_dynamax({"record", "--model", test_model(model), "--dataset", truthfulqa, "--limit",
                                          "3", "--db", db, "--json"});
    QVERIFY2(shared.code == 0, qPrintable(shared.err));
    const CliResult whole = run_dynamax({"record", "--model", test_model(model), "--dataset", truthfulqa, "--limit", "3",
                                         "--db", db, "--no-shared-prefix", "--json"});
    QVERIFY2(whole.code == 0, qPrintable(whole.err));
    const int64_t a = run_id(shared), b = run_id(whole);
    QCOMPARE(number(db, "SELECT count(*) FROM prefixes"), 1.0);
    const double pairs = number(db, "SELECT count(*) FROM " + paired_exits(a, b));
    QVERIFY(pairs > 0);
    QCOMPARE(pairs, number(db, "SELECT count(*) FROM sample_exits e JOIN samples s ON s.id = e.sample_id "
                               "WHERE s.run_id = " + std::to_string(b)));
    QCOMPARE(number(db, "SELECT count(*) FROM " + paired_exits(a, b) + " WHERE a.top1 != b.top1"), 0.0);
    const double worst = number(db, "SELECT max(abs(a.prob - b.prob)) FROM " + paired_exits(a, b));
    QVERIFY2(worst <= kSharedPrefixBound, qPrintable(QString::number(worst)));

    // Exit classifiers on text, scored by a recording and read by the sweep.
    const QString text = "text:" + shared_data("text/austen-emma.txt") + "#window=48";
    const CliResult trained = run_dynamax({"train-exits", "--model", test_model(model), "--data", text, "--limit", "6",
                                           "--kind", "mamba", "--depths", depths, "--epochs", "2", "--seed", "3",
                                           "--name", "exits", "--out", at(model + ".exits.safetensors"), "--db", db,
                                           "--json"});
    QVERIFY2(trained.code == 0, qPrintable(trained.err));
    QCOMPARE(json::parse(trained.out.toStdString())["validation"].size(), size_t(3));
    const CliResult scored = run_dynamax({"record", "--model", test_model(model), "--dataset", text, "--limit", "2",
                                          "--db", db, "--classifiers", "exits", "--json"});
    QVERIFY2(scored.code == 0, qPrintable(scored.err));
    const json s = json::parse(scored.out.toStdString());
    QCOMPARE(number(db, "SELECT count(*) FROM classifier_scores c JOIN samples s ON s.id = c.sample_id WHERE "
                        "s.run_id = " + std::to_string(s["run_id"].get<int64_t>())),
             double(s["tokens"].get<int64_t>() * 3));
    const CliResult swept = run_dynamax({"sweep", "--db", db, "--run", QString::number(s["run_id"].get<int64_t>()),
                                         "--measure", "classifier:exits", "--depths", depths, "--json"});
    QVERIFY2(swept.code == 0, qPrintable(swept.err));

    // Early-exit generation: a threshold never reached answers as the full model does.
    const QStringList evaluate = {"evaluate", "--model", test_model(model), "--dataset",
                                  "triviaqa:" + shared_data("triviaqa/triviaqa_sm_sub.jsonl"), "--db", db, "--thresholds",
                                  "0.3,inf", "--depths", depths, "--limit", "2", "--max-new", "5", "--json"};
    const CliResult evaluated = run_dynamax(evaluate + strategy);
    QVERIFY2(evaluated.code == 0, qPrintable(evaluated.err));
    const json policies = json::parse(evaluated.out.toStdString())["policies"];
    QCOMPARE(policies.size(), size_t(3));
    QCOMPARE(policies[2]["metrics"]["consistency_em"].get<double>(), 1.0);
    QCOMPARE(policies[2]["blocks_saved"].get<double>(), 0.0);
  }
};

QTEST_GUILESS_MAIN(TestModelFamilies)
#include "test_model_families.moc"
