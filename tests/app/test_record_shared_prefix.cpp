// Recording with shared prompt prefixes through the CLI: a TruthfulQA run (every sample repeats the QA primer)
// recorded with sharing and the same samples one by one (--no-shared-prefix) store the same values, row for row
// through the sample_* views, within the documented fp32 bound; the prefix is stored once; the answer-position
// analysis is the same and all-position statistics count the primer once; a cancelled run resumes without
// recording or storing its prefix again.
#include <QtTest>

#include <csignal>
#include <nlohmann/json.hpp>

#include "core/analysis/run_analysis.h"
#include "core/common/error.h"
#include "core/io/model_config.h"
#include "storage/run_reader.h"
#include "storage/run_store.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dynamax;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

// The README's bound: a continued pass differs from a whole one by fp32 rounding only (tiny-codestral's chunked
// scan splits at other rows; measured ≤ 1e-5).
constexpr double kBound = 1e-4;

int64_t scalar(Database& db, const std::string& sql) {
  Statement q = db.prepare(sql);
  q.step();
  return q.is_null(0) ? 0 : q.int64(0);
}

double real(Database& db, const std::string& sql) {
  Statement q = db.prepare(sql);
  q.step();
  return q.is_null(0) ? 0 : q.real(0);
}

QString model(const QString& name) {
  return QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / name.toStdString()).string());
}

QString truthfulqa() {
  return "truthfulqa:" + QString::fromStdString((testing_support::shared_dir() / "data/truthfulqa/TruthfulQA.csv").string());
}

// Rows of `view` of runs a and b joined on (sample_index, position[, depth[, rank]]).
std::string joined(const std::string& view, const std::string& keys, int64_t a, int64_t b) {
  auto side = [&](const char* alias, int64_t run) {
    return "(SELECT s.sample_index, v.* FROM samples s JOIN " + view + " v ON v.sample_id = s.id WHERE s.run_id = " +
           std::to_string(run) + ") " + alias;
  };
  std::string on = "a.sample_index = b.sample_index";
  for (size_t at = 0; at < keys.size();) {
    const size_t comma = keys.find(',', at);
    const std::string k = keys.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    on += " AND a." + k + " = b." + k;
    at = comma == std::string::npos ? keys.size() : comma + 1;
  }
  return side("a", a) + " JOIN " + side("b", b) + " ON " + on;
}

// Every stored value of run `shared` equals run `alone`'s (same samples) within kBound; returns the rows compared.
int64_t compare_runs(Database& db, int64_t shared, int64_t alone) {
  const std::string tokens = joined("sample_tokens", "position", shared, alone);
  const int64_t rows = scalar(db, "SELECT count(*) FROM " + tokens);
  if (rows != scalar(db, "SELECT count(*) FROM sample_tokens t JOIN samples s ON s.id = t.sample_id WHERE s.run_id = " + std::to_string(alone)))
    return -1;
  if (scalar(db, "SELECT count(*) FROM " + tokens + " WHERE a.token_id != b.token_id OR a.target_id != b.target_id "
                 "OR a.predicts_answer != b.predicts_answer OR a.final_top1 != b.final_top1") != 0)
    return -2;
  const std::string exits = joined("sample_exits", "position,depth", shared, alone);
  if (scalar(db, "SELECT count(*) FROM " + exits + " WHERE a.top1 != b.top1") != 0) return -3;
  const double worst = real(db, "SELECT max(max(abs(a.prob - b.prob), abs(a.margin - b.margin), abs(a.entropy - b.entropy), "
                                "abs(a.saturation - b.saturation))) FROM " + exits);
  qInfo("largest difference of a measure: %.3g", worst);
  if (worst > kBound) return -4;
  const std::string topk = joined("sample_exit_topk", "position,depth,rank", shared, alone);
  if (scalar(db, "SELECT count(*) FROM " + topk + " WHERE a.token_id != b.token_id OR abs(a.logprob - b.logprob) > " +
                     std::to_string(kBound)) != 0)
    return -5;
  return rows;
}

}  // namespace

class TestRecordSharedPrefix : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void shared_run_equals_one_by_one_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void shared_run_equals_one_by_one() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    const QString path = tmp_.filePath(name + ".db");
    const QStringList args{"record", "--model", model(name), "--dataset", truthfulqa(), "--db", path,
                           "--limit", "8", "--top-k", "3", "--json"};
    for (const QStringList& extra : {QStringList{}, QStringList{"--no-shared-prefix"}}) {
      CliResult r = run_dynamax(args + extra);
      QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    // run 1: one primer, stored once, continued by all 8; run 2: none
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefixes WHERE run_id = 1"), int64_t(1));
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefixes WHERE run_id = 2"), int64_t(0));
    const int64_t length = scalar(db, "SELECT token_count FROM prefixes");
    QVERIFY2(length > 150, qPrintable(QString::number(length)));
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefix_tokens"), length);
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefix_exit_topk"), length * scalar(db, "SELECT depths FROM models") * 3);
    QCOMPARE(scalar(db, "SELECT count(*) FROM samples WHERE run_id = 1 AND prefix_id IS NOT NULL"), int64_t(8));
    // each sample stores only its own positions, from the prefix's length on
    QCOMPARE(scalar(db, "SELECT count(*) FROM samples s WHERE s.run_id = 1 AND ((SELECT count(*) FROM tokens t WHERE "
                        "t.sample_id = s.id) != s.token_count - " + std::to_string(length) +
                        " OR (SELECT min(position) FROM tokens t WHERE t.sample_id = s.id) != " + std::to_string(length) + ")"),
             int64_t(0));
    const int64_t rows = compare_runs(db, 1, 2);
    QVERIFY2(rows > 8 * length, qPrintable(QString::number(rows)));

    // The analysis: answer positions see the same; all positions count the primer once.
    const RecordedRun shared = load_recorded_run(db, 1), alone = load_recorded_run(db, 2);
    QCOMPARE(shared.tokens, alone.tokens - size_t(7 * length));
    QCOMPARE(shared.prefix_of.size(), size_t(8));
    const ModelConfig config = load_model_config(model(name).toStdString());
    AnalysisOptions o;
    o.thresholds = {0.2, 0.4, 0.6, 0.8};
    o.random_baseline = false;
    const RunAnalysis a = analyse_run(shared, config, o, "shared"), b = analyse_run(alone, config, o, "alone");
    QCOMPARE(a.threshold.accuracy_positions, b.threshold.accuracy_positions);
    QCOMPARE(a.threshold.answer_samples, b.threshold.answer_samples);
    QCOMPARE(a.threshold.tokens, shared.tokens);
    for (size_t i = 0; i < a.threshold.points.size(); ++i) {
      QCOMPARE(a.threshold.points[i].accuracy, b.threshold.points[i].accuracy);
      QCOMPARE(a.threshold.points[i].answer_agreement, b.threshold.points[i].answer_agreement);
    }
    o.accuracy_positions = AccuracyPositions::All;
    QCOMPARE(analyse_run(shared, config, o, "shared").threshold.accuracy_positions,
             analyse_run(alone, config, o, "alone").threshold.accuracy_positions - size_t(7 * length));
  }

  void cancelled_shared_run_resumes_without_recording_its_prefix_again() {
    REQUIRE_SHARED();
    const QString path = tmp_.filePath("resume.db");
    QProcess child;
    child.start(QString::fromStdString(testing_support::dynamax_binary()),
                {"record", "--model", model("tiny-codestral"), "--dataset", truthfulqa(), "--db", path, "--limit", "40",
                 "--threads", "1"});
    QVERIFY(child.waitForStarted());
    int64_t stored = 0;
    for (int i = 0; i < 6000 && stored < 2; ++i) {
      QTest::qWait(5);
      try {
        Database peek(path.toStdString(), Database::Mode::ReadOnly);
        stored = scalar(peek, "SELECT count(*) FROM samples");
      } catch (const Error&) {
        // the schema may not exist yet
      }
    }
    ::kill(pid_t(child.processId()), SIGINT);
    QVERIFY(child.waitForFinished(60'000));
    QCOMPARE(child.exitCode(), 130);
    {
      Database db(path.toStdString(), Database::Mode::ReadOnly);
      QCOMPARE(QString::fromStdString(RunStore(db).run(1).status), QString("cancelled"));
      stored = scalar(db, "SELECT count(*) FROM samples");
      QVERIFY2(stored >= 2 && stored < 40, qPrintable(QString::number(stored)));
      QCOMPARE(scalar(db, "SELECT count(*) FROM prefixes"), int64_t(1));
    }
    CliResult resumed = run_dynamax({"record", "--resume", "1", "--db", path, "--json"});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QCOMPARE(QString::fromStdString(json::parse(resumed.out.toStdString())["status"]), QString("done"));
    CliResult alone = run_dynamax({"record", "--model", model("tiny-codestral"), "--dataset", truthfulqa(), "--db", path,
                                   "--limit", "40", "--no-shared-prefix", "--json"});
    QVERIFY2(alone.code == 0, qPrintable(alone.err));
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefixes"), int64_t(1));  // not stored again
    QCOMPARE(scalar(db, "SELECT count(*) FROM samples WHERE run_id = 1 AND prefix_id = (SELECT id FROM prefixes)"), int64_t(40));
    QVERIFY(compare_runs(db, 1, 2) > 0);
    Statement check = db.prepare("PRAGMA integrity_check");
    check.step();
    QCOMPARE(QString::fromStdString(check.text(0)), QString("ok"));
  }

  void deleting_a_run_removes_its_prefix() {
    REQUIRE_SHARED();
    const QString path = tmp_.filePath("delete.db");
    QVERIFY(run_dynamax({"record", "--model", model("tiny-mistral"), "--dataset", truthfulqa(), "--db", path, "--limit", "3"}).code == 0);
    QCOMPARE(run_dynamax({"runs", "--db", path, "--delete", "1"}).code, 0);
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    QCOMPARE(scalar(db, "SELECT count(*) FROM prefixes") + scalar(db, "SELECT count(*) FROM prefix_exits"), int64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestRecordSharedPrefix)
#include "test_record_shared_prefix.moc"
