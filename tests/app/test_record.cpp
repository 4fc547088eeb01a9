// End-to-end recording through the CLI: row counts, agreement with `lens`, SIGKILL mid-run then resume,
// cancel, and clear errors for bad databases and datasets.
#include <QtTest>

#include <csignal>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "storage/run_store.h"
#include "storage/schema.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dynamax;

using testing_support::CliResult;
using testing_support::run_dynamax;

class TestRecord : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  static QString model(const char* name) {
    return QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / name).string());
  }
  static QString text_spec(int window) {
    return QString("text:%1#window=%2").arg(QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string())).arg(window);
  }
  QString db(const char* name) const { return tmp_.filePath(name); }

  static int64_t scalar(Database& db, const std::string& sql) {
    Statement q = db.prepare(sql);
    q.step();
    return q.int64(0);
  }

  // Counts that a complete run must satisfy; returns (samples, tokens, exits).
  static std::tuple<int64_t, int64_t, int64_t> check_complete(const QString& path, int64_t run, int depths) {
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    const std::string r = std::to_string(run);
    const int64_t samples = scalar(db, "SELECT count(*) FROM samples WHERE run_id = " + r);
    const int64_t tokens = scalar(db, "SELECT count(*) FROM tokens t JOIN samples s ON s.id = t.sample_id WHERE s.run_id = " + r);
    const int64_t exits = scalar(db, "SELECT count(*) FROM exits e JOIN samples s ON s.id = e.sample_id WHERE s.run_id = " + r);
    // every stored sample is whole: token_count tokens and token_count × depths exits
    const int64_t broken = scalar(db,
        "SELECT count(*) FROM samples s WHERE s.run_id = " + r + " AND (s.token_count != (SELECT count(*) FROM tokens t WHERE t.sample_id = s.id) "
        "OR s.token_count * " + std::to_string(depths) + " != (SELECT count(*) FROM exits e WHERE e.sample_id = s.id))");
    if (broken != 0) qWarning("%lld incomplete samples", (long long)broken);
    return {broken == 0 ? samples : -1, tokens, exits};
  }

  static QString integrity(const QString& path) {
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    Statement q = db.prepare("PRAGMA integrity_check");
    q.step();
    return QString::fromStdString(q.text(0));
  }

 private slots:
  void records_and_matches_lens_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("depths");
    QTest::newRow("tiny-mistral") << "tiny-mistral" << 16;
    QTest::newRow("tiny-codestral") << "tiny-codestral" << 24;
  }
  void records_and_matches_lens() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    QFETCH(int, depths);
    const QString path = db(("lens-" + name + ".db").toUtf8());
    CliResult r = run_dynamax({"record", "--model", model(name.toUtf8()), "--dataset", text_spec(48), "--db", path, "--limit", "3", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json summary = json::parse(r.out.toStdString());
    QCOMPARE(QString::fromStdString(summary["status"]), QString("done"));
    const int64_t run_id = summary["run_id"];
    auto [samples, tokens, exits] = check_complete(path, run_id, depths);
    QCOMPARE(samples, int64_t(3));
    QCOMPARE(tokens, int64_t(3 * 49));  // BOS + 48 tokens per window
    QCOMPARE(exits, tokens * depths);

    Database database(path.toStdString(), Database::Mode::ReadOnly);
    // depth L's top-1 is the model's own prediction
    QCOMPARE(scalar(database, "SELECT count(*) FROM exits e JOIN tokens t USING (sample_id, position) WHERE e.depth = " +
                                  std::to_string(depths) + " AND e.top1 != t.final_top1"), int64_t(0));
    // the first sample's numbers equal `dynamax lens` on the same ids
    Statement ids = database.prepare("SELECT t.token_id FROM tokens t JOIN samples s ON s.id = t.sample_id WHERE s.sample_index = 0 ORDER BY t.position");
    QStringList id_list;
    while (ids.step()) id_list << QString::number(ids.int64(0));
    CliResult lens = run_dynamax({"lens", model(name.toUtf8()), "--ids", id_list.join(','), "--top", "1", "--json"});
    QVERIFY2(lens.code == 0, qPrintable(lens.err));
    const json lj = json::parse(lens.out.toStdString());
    Statement rows = database.prepare("SELECT e.position, e.depth, e.top1, e.prob FROM exits e JOIN samples s ON s.id = e.sample_id WHERE s.sample_index = 0");
    int checked = 0;
    while (rows.step()) {
      const int t = rows.integer(0), d = rows.integer(1);
      QCOMPARE(rows.integer(2), lj["top_ids"][d - 1][t][0].get<int>());
      QVERIFY(std::fabs(std::log(rows.real(3)) - lj["top_logprobs"][d - 1][t][0].get<double>()) < 1e-4);
      ++checked;
    }
    QCOMPARE(checked, 49 * depths);
  }

  void killed_run_resumes_to_the_same_counts() {
    REQUIRE_SHARED();
    const QString path = db("killed.db");
    const QStringList args{"record", "--model", model("tiny-codestral"), "--dataset", text_spec(128), "--db", path, "--limit", "60"};
    QProcess child;
    child.start(QString::fromStdString(testing_support::dynamax_binary()), args);
    QVERIFY(child.waitForStarted());
    // kill it once a few samples are in (the writer commits one sample per transaction)
    int64_t stored = 0;
    for (int i = 0; i < 6000 && stored < 3; ++i) {
      QTest::qWait(5);
      if (!fs::exists(path.toStdString())) continue;
      try {
        Database peek(path.toStdString(), Database::Mode::ReadOnly);
        stored = scalar(peek, "SELECT count(*) FROM samples");
      } catch (const Error&) {
        // the schema may not exist yet
      }
    }
    QVERIFY2(stored >= 3, "the run never stored a sample");
    ::kill(pid_t(child.processId()), SIGKILL);
    child.waitForFinished();
    QCOMPARE(integrity(path), QString("ok"));
    CliResult listing = run_dynamax({"runs", "--db", path, "--json"});
    QCOMPARE(listing.code, 0);
    json runs = json::parse(listing.out.toStdString());
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(QString::fromStdString(runs[0]["status"]), QString("interrupted"));
    const int64_t run_id = runs[0]["id"];
    const int64_t samples_before = std::get<0>(check_complete(path, run_id, 24));
    QVERIFY2(samples_before >= 3 && samples_before < 60, qPrintable(QString::number(samples_before)));

    CliResult resumed = run_dynamax({"record", "--resume", QString::number(run_id), "--db", path, "--json"});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QCOMPARE(QString::fromStdString(json::parse(resumed.out.toStdString())["status"]), QString("done"));

    const QString clean = db("uninterrupted.db");
    CliResult full = run_dynamax(args.mid(0, 6) + QStringList{clean, "--limit", "60"});
    QVERIFY2(full.code == 0, qPrintable(full.err));
    QCOMPARE(check_complete(path, run_id, 24), check_complete(clean, 1, 24));
    QCOMPARE(std::get<0>(check_complete(path, run_id, 24)), int64_t(60));
    QCOMPARE(integrity(path), QString("ok"));
    // the resumed run's rows equal the uninterrupted run's, value for value
    Database a(path.toStdString(), Database::Mode::ReadOnly);
    a.exec("ATTACH DATABASE '" + clean.toStdString() + "' AS clean");
    QCOMPARE(scalar(a, "SELECT count(*) FROM (SELECT s.sample_index, e.position, e.depth, e.top1, e.prob FROM exits e JOIN samples s ON s.id = e.sample_id "
                       "EXCEPT SELECT s.sample_index, e.position, e.depth, e.top1, e.prob FROM clean.exits e JOIN clean.samples s ON s.id = e.sample_id)"),
             int64_t(0));
  }

  void sigint_cancels_cleanly() {
    REQUIRE_SHARED();
    const QString path = db("cancel.db");
    QProcess child;
    child.start(QString::fromStdString(testing_support::dynamax_binary()),
                {"record", "--model", model("tiny-mistral"), "--dataset", text_spec(128), "--db", path, "--limit", "400"});
    QVERIFY(child.waitForStarted());
    int64_t stored = 0;
    for (int i = 0; i < 6000 && stored < 2; ++i) {
      QTest::qWait(5);
      try {
        Database peek(path.toStdString(), Database::Mode::ReadOnly);
        stored = scalar(peek, "SELECT count(*) FROM samples");
      } catch (const Error&) {
      }
    }
    ::kill(pid_t(child.processId()), SIGINT);
    QVERIFY(child.waitForFinished(60'000));
    QCOMPARE(child.exitCode(), 130);
    Database database(path.toStdString(), Database::Mode::ReadOnly);
    RunStore store(database);
    QCOMPARE(QString::fromStdString(store.run(1).status), QString("cancelled"));
    QVERIFY(std::get<0>(check_complete(path, 1, 16)) >= 2);
    QCOMPARE(integrity(path), QString("ok"));
  }

  void runs_can_be_deleted() {
    REQUIRE_SHARED();
    const QString path = db("delete.db");
    QCOMPARE(run_dynamax({"record", "--model", model("tiny-mistral"), "--dataset", text_spec(32), "--db", path, "--limit", "2"}).code, 0);
    QCOMPARE(run_dynamax({"runs", "--db", path, "--delete", "1"}).code, 0);
    Database database(path.toStdString(), Database::Mode::ReadOnly);
    QCOMPARE(scalar(database, "SELECT count(*) FROM exits") + scalar(database, "SELECT count(*) FROM runs"), int64_t(0));
  }

  // More samples asked for than the dataset has: said on stderr, and all of them recorded. The `runs` listing keeps
  // its columns aligned for an evaluation run's longer kind.
  void fewer_samples_than_asked_are_reported() {
    REQUIRE_SHARED();
    const QString path = db("few.db");
    const QString small = "text:" + tmp_.filePath("small.txt");
    testing_support::write_file(tmp_.filePath("small.txt").toStdString(), std::string(600, 'a') + " the end\n");
    const CliResult r = run_dynamax({"record", "--model", model("tiny-mistral"), "--dataset", small + "#window=64",
                                     "--db", path, "--limit", "500", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("fewer than the 500 asked for"), qPrintable(r.err));
    const int64_t samples = nlohmann::json::parse(r.out.toStdString())["samples"].get<int64_t>();
    QVERIFY(samples > 0 && samples < 500);
    {
      Database d(path.toStdString());
      d.exec("INSERT INTO runs (kind, model_id, dataset_id, config_json, status, sample_target) "
             "SELECT 'evaluate', model_id, dataset_id, '{}', 'done', 2 FROM runs WHERE id = 1");
    }
    const CliResult listing = run_dynamax({"runs", "--db", path});
    QVERIFY2(listing.code == 0, qPrintable(listing.err));
    const QStringList lines = listing.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    for (const char* column : {"status", "model", "dataset"})  // each column starts where its header does
      for (int row = 1; row < 3; ++row)
        QVERIFY2(lines[row].at(lines[0].indexOf(column) - 1) == ' ' && lines[row].at(lines[0].indexOf(column)) != ' ',
                 qPrintable(QString("%1 misaligned:\n%2").arg(column, listing.out)));
  }

  void bad_input_data() {
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("newer schema") << "newer" << "newer than this workbench supports";
    QTest::newRow("not a database") << "garbage" << "not an SQLite database";
    QTest::newRow("dataset of the wrong kind") << "wrong-kind" << "TruthfulQA.csv";
    QTest::newRow("missing dataset file") << "missing" << "no-such-file.jsonl";
    QTest::newRow("unknown dataset kind") << "kind" << "squad";
    QTest::newRow("resume a missing run") << "resume" << "there is no run 7";
  }
  void bad_input() {
    REQUIRE_SHARED();
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    const QString path = db(("bad-" + setup + ".db").toUtf8());
    QString dataset = text_spec(32);
    if (setup == "newer") {
      Database d(path.toStdString());
      open_workspace(d);
      d.exec("UPDATE schema_version SET version = 1000");
    }
    if (setup == "garbage") testing_support::write_file(path.toStdString(), std::string(4096, 'x'));
    if (setup == "wrong-kind") dataset = "triviaqa:" + QString::fromStdString((testing_support::shared_dir() / "data/truthfulqa/TruthfulQA.csv").string());
    if (setup == "missing") dataset = "triviaqa:" + tmp_.filePath("no-such-file.jsonl");
    if (setup == "kind") dataset = "squad:/x.json";
    QStringList args{"record", "--model", model("tiny-mistral"), "--dataset", dataset, "--db", path, "--limit", "2"};
    if (setup == "resume") args = QStringList{"record", "--resume", "7", "--db", path};
    CliResult r = run_dynamax(args);
    QVERIFY2(r.code == 1 || r.code == 2, qPrintable(r.err));
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestRecord)
#include "test_record.moc"
