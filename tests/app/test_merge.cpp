// Sharded runs and `dynamax merge`: a dataset recorded as one run and as 3 shards in 3 workspaces, merged, gives the
// same stored values (shared prompt prefixes included: one stored copy per run) and the same analysis; bad shards, bad inputs and failed merges are refused and change nothing.
#include <QtTest>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "storage/schema.h"
#include "storage/sqlite_db.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dynamax;

using testing_support::CliResult;
using testing_support::run_dynamax;

class TestMerge : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  static QString model() { return QString::fromStdString((testing_support::resources_dir() / "models/tiny-mistral").string()); }
  static QString dataset() {
    return "triviaqa:" + QString::fromStdString((testing_support::shared_dir() / "data/triviaqa/triviaqa_sm_sub.jsonl").string()) + "#shots=1";
  }
  QString db(const QString& name) const { return tmp_.filePath(name); }

  static CliResult record(const QString& into, const QStringList& extra = {}) {
    return run_dynamax(QStringList{"record", "--model", model(), "--dataset", dataset(), "--db", into, "--limit", "7",
                                   "--top-k", "3", "--threads", "1", "--json"} + extra);
  }

  static int64_t run_id(const CliResult& r) { return json::parse(r.out.toStdString()).at("run_id").get<int64_t>(); }

  // Every stored value of a run's samples and their rows, in dataset order; ids and timings left out.
  static std::vector<std::string> dump(const QString& path, int64_t run) {
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    std::vector<std::string> lines;
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"samples", "SELECT sample_index, key, prompt, answer, prompt_tokens, token_count, gold_json FROM samples WHERE run_id = ?1 ORDER BY sample_index"},
        // how each sample splits into a shared prefix (stored once per run) and its own rows
        {"prefixes", "SELECT s.sample_index, coalesce(p.token_count, 0), (SELECT count(*) FROM samples o WHERE o.prefix_id = s.prefix_id) "
                     "FROM samples s LEFT JOIN prefixes p ON p.id = s.prefix_id WHERE s.run_id = ?1 ORDER BY 1"},
        {"stored prefixes", "SELECT count(*), coalesce(sum(token_count), 0) FROM prefixes WHERE run_id = ?1"},
        {"tokens", "SELECT s.sample_index, t.position, t.token_id, t.target_id, t.predicts_answer, t.final_top1 FROM sample_tokens t JOIN samples s ON s.id = t.sample_id WHERE s.run_id = ?1 ORDER BY 1, 2"},
        {"exits", "SELECT s.sample_index, e.position, e.depth, e.top1, e.prob, e.margin, e.entropy, e.saturation FROM sample_exits e JOIN samples s ON s.id = e.sample_id WHERE s.run_id = ?1 ORDER BY 1, 2, 3"},
        {"exit_topk", "SELECT s.sample_index, k.position, k.depth, k.rank, k.token_id, k.logprob FROM sample_exit_topk k JOIN samples s ON s.id = k.sample_id WHERE s.run_id = ?1 ORDER BY 1, 2, 3, 4"}};
    for (const auto& [table, sql] : queries) {
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr);
      sqlite3_bind_int64(stmt, 1, run);
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::string line = table;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
          char value[40];
          if (sqlite3_column_type(stmt, c) == SQLITE_FLOAT) std::snprintf(value, sizeof value, "%.17g", sqlite3_column_double(stmt, c));
          line += "|" + (sqlite3_column_type(stmt, c) == SQLITE_FLOAT ? std::string(value) : std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c))));
        }
        lines.push_back(line);
      }
      sqlite3_finalize(stmt);
    }
    return lines;
  }

  static json run_config(const QString& path, int64_t run) {
    Database db(path.toStdString(), Database::Mode::ReadOnly);
    Statement q = db.prepare("SELECT config_json FROM runs WHERE id = ?");
    q.bind(1, run).step();
    return json::parse(q.text(0));
  }

  // The sweep's output without the run's id, which a merge renumbers (JSON's "run", a label's "#id").
  static QString analysis(const QString& path, int64_t run, const QString& format, const QString& positions) {
    const CliResult r = run_dynamax({"sweep", "--db", path, "--run", QString::number(run), format, "--thresholds", "50",
                                     "--positions", positions});
    if (r.code != 0) return "sweep failed: " + r.err;
    QString out = r.out;
    if (format == "--json") {
      json curves = json::parse(r.out.toStdString());
      for (json& c : curves) c.erase("run");
      out = QString::fromStdString(curves.dump());
    }
    return out.replace("#" + QString::number(run), "#ID");
  }

 private slots:
  void initTestCase() {
    REQUIRE_SHARED();
    QVERIFY(tmp_.isValid());
    const CliResult whole = record(db("whole.db"));
    QCOMPARE(whole.code, 0);
    for (int k = 1; k <= 3; ++k) {
      const CliResult shard = record(db(QString("shard%1.db").arg(k)), {"--shard", QString("%1/3").arg(k)});
      QVERIFY2(shard.code == 0, qPrintable(shard.err));
    }
  }

  void shardsCoverTheDatasetOnce() {
    int64_t samples = 0;
    for (int k = 1; k <= 3; ++k) {
      const json config = run_config(db(QString("shard%1.db").arg(k)), 1);
      QCOMPARE(QString::fromStdString(config.at("shard").get<std::string>()), QString("%1/3").arg(k));
      QVERIFY(config.contains("model_fingerprint") && config.contains("dataset_fingerprint"));
      const std::vector<std::string> rows = dump(db(QString("shard%1.db").arg(k)), 1);
      samples += std::count_if(rows.begin(), rows.end(), [](const std::string& l) { return l.rfind("samples|", 0) == 0; });
    }
    QCOMPARE(samples, int64_t(7));
  }

  void mergedShardsEqualTheWholeRun() {
    const CliResult merged = run_dynamax({"merge", "--into", db("merged.db"), db("shard3.db"), db("shard1.db"), db("shard2.db"), "--json"});
    QVERIFY2(merged.code == 0, qPrintable(merged.err));
    const json report = json::parse(merged.out.toStdString());
    QCOMPARE(report.at("shard_runs_joined").get<int>(), 1);
    QCOMPARE(report.at("shards").get<int>(), 3);
    QCOMPARE(report.at("runs_copied").get<int>(), 0);
    const CliResult runs = run_dynamax({"runs", "--db", db("merged.db"), "--json"});
    const json list = json::parse(runs.out.toStdString());
    QCOMPARE(int(list.size()), 1);
    const int64_t id = list[0].at("id").get<int64_t>();
    QCOMPARE(list[0].at("status").get<std::string>(), std::string("done"));
    QCOMPARE(list[0].at("samples").get<int64_t>(), int64_t(7));

    const std::vector<std::string> whole = dump(db("whole.db"), 1), joined = dump(db("merged.db"), id);
    QVERIFY(whole.size() > 100);
    QCOMPARE(joined.size(), whole.size());
    for (size_t i = 0; i < whole.size(); ++i)
      if (whole[i] != joined[i]) QFAIL(qPrintable(QString("row %1 differs:\n  %2\n  %3").arg(i).arg(whole[i].c_str(), joined[i].c_str())));

    json config = run_config(db("merged.db"), id), original = run_config(db("whole.db"), 1);
    QVERIFY(!config.contains("shard"));
    QCOMPARE(QString::fromStdString(config.dump()), QString::fromStdString(original.dump()));
    for (const char* format : {"--json", "--latex", "--csv"})
      for (const char* positions : {"answer", "all"})
        QCOMPARE(analysis(db("merged.db"), id, format, positions), analysis(db("whole.db"), 1, format, positions));
  }

  void mergeCopiesOtherRunsAndKeepsTheDestinationsRuns() {
    QVERIFY(QFile::copy(db("whole.db"), db("grow.db")));
    const CliResult merged = run_dynamax({"merge", "--into", db("grow.db"), db("whole.db"), db("shard1.db"), db("shard2.db"), db("shard3.db"), "--json"});
    QVERIFY2(merged.code == 0, qPrintable(merged.err));
    const json list = json::parse(run_dynamax({"runs", "--db", db("grow.db"), "--json"}).out.toStdString());
    QCOMPARE(int(list.size()), 3);  // its own run, the copy of whole.db's, and the joined shards
    for (const json& r : list) QCOMPARE(dump(db("grow.db"), r.at("id").get<int64_t>()), dump(db("whole.db"), 1));
    Database check(db("grow.db").toStdString(), Database::Mode::ReadOnly);
    Statement models = check.prepare("SELECT count(*) FROM models");
    models.step();
    QCOMPARE(models.int64(0), int64_t(1));  // the same model content, matched once
  }

  void refusals_data() {
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QString>("message");
    QTest::newRow("incomplete") << QStringList{"shard1.db", "shard3.db"} << "missing 2/3";
    QTest::newRow("duplicate") << QStringList{"shard1.db", "shard2.db", "shard3.db", "shard2copy.db"} << "appears twice";
    QTest::newRow("different options") << QStringList{"shard1.db", "shard2topk.db", "shard3.db"} << "differ in: top_k";
    QTest::newRow("itself") << QStringList{"out.db", "shard1.db"} << "into itself";
    QTest::newRow("named twice") << QStringList{"shard1.db", "shard1.db"} << "named twice";
    QTest::newRow("missing file") << QStringList{"nothere.db"} << "no such workspace file";
    QTest::newRow("not a workspace") << QStringList{"foreign.db"} << "not a DYNAMAX workspace";
    QTest::newRow("not sqlite") << QStringList{"garbage.db"} << "not an SQLite database";
    QTest::newRow("newer schema") << QStringList{"newer.db"} << "newer than this workbench";
  }

  void refusals() {
    QFETCH(QStringList, inputs);
    QFETCH(QString, message);
    if (!QFile::exists(db("shard2copy.db"))) {
      QVERIFY(QFile::copy(db("shard2.db"), db("shard2copy.db")));
      QCOMPARE(record(db("shard2topk.db"), {"--shard", "2/3", "--top-k", "2"}).code, 0);
      testing_support::write_file(db("garbage.db").toStdString(), std::string(4096, 'x'));
      Database foreign(db("foreign.db").toStdString());
      foreign.exec("CREATE TABLE notes (t TEXT)");
      QVERIFY(QFile::copy(db("shard1.db"), db("newer.db")));
      Database newer(db("newer.db").toStdString());
      newer.exec("UPDATE schema_version SET version = " + std::to_string(current_schema_version() + 1));
    }
    QFile::remove(db("out.db"));
    QVERIFY(QFile::copy(db("whole.db"), db("out.db")));
    const std::string before = testing_support::read_file(db("out.db").toStdString());
    QStringList args{"merge", "--into", db("out.db")};
    for (const QString& name : inputs) args << db(name);
    const CliResult r = run_dynamax(args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(testing_support::read_file(db("out.db").toStdString()) == before);
    QVERIFY(QDir(tmp_.path()).entryList({".dynamax-merge-*"}, QDir::AllEntries | QDir::Hidden).isEmpty());
  }

  void badShardOption_data() {
    QTest::addColumn<QString>("shard");
    for (const char* s : {"0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/3/4", "", "99999999999/3"}) QTest::newRow(s) << QString(s);
  }

  void badShardOption() {
    QFETCH(QString, shard);
    const CliResult r = record(db("bad-shard.db"), {"--shard", shard});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--shard"), qPrintable(r.err));
    QVERIFY(!QFile::exists(db("bad-shard.db")));
  }

  void evaluationShardsMerge() {
    const QString tqa = "truthfulqa-mc:" + QString::fromStdString((testing_support::shared_dir() / "data/truthfulqa/mc_task.json").string());
    auto evaluate = [&](const QString& into, const QStringList& extra) {
      return run_dynamax(QStringList{"evaluate", "--model", model(), "--dataset", tqa, "--db", into, "--limit", "5",
                                     "--thresholds", "0.5", "--threads", "1", "--json"} + extra);
    };
    QCOMPARE(evaluate(db("eval-whole.db"), {}).code, 0);
    QCOMPARE(evaluate(db("eval1.db"), {"--shard", "1/2"}).code, 0);
    QCOMPARE(evaluate(db("eval2.db"), {"--shard", "2/2"}).code, 0);
    QCOMPARE(run_dynamax({"merge", "--into", db("eval-merged.db"), db("eval2.db"), db("eval1.db")}).code, 0);
    auto generations = [](const QString& path) {
      Database d(path.toStdString(), Database::Mode::ReadOnly);
      Statement q = d.prepare("SELECT sample_index, policy, output_ids_json, blocks_executed, flops_executed, metrics_json FROM generations ORDER BY 1, 2");
      QStringList rows;
      while (q.step())
        rows << QString::fromStdString(std::to_string(q.int64(0)) + q.text(1) + q.text(2) + std::to_string(q.int64(3)) +
                                       std::to_string(q.real(4)) + q.text(5));
      return rows;
    };
    QCOMPARE(generations(db("eval-merged.db")), generations(db("eval-whole.db")));
    QVERIFY(generations(db("eval-whole.db")).size() >= 10);
  }
};

QTEST_GUILESS_MAIN(TestMerge)
#include "test_merge.moc"
