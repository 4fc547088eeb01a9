// Damaged and foreign workspace files: every reader (`runs`, `sweep`, `plot` through the dynamax binary, and the
// loader API) refuses each one with a message that names the file and the table and row, never crashes, and never
// changes the file (its bytes and time stamp; no -wal/-shm beside a file that is not in WAL mode).
#include <QtTest>

#include <random>

#include "app/analysis/loaded_run.h"
#include "app/jobs/stored_classifier_file.h"
#include "core/common/error.h"
#include "storage/exit_topk_reader.h"
#include "storage/generation_reader.h"
#include "storage/generation_summary.h"
#include "storage/schema.h"
#include "support/fake_workspace.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

struct FileState {
  std::string bytes;
  fs::file_time_type mtime;
  bool operator==(const FileState&) const = default;
};

FileState state_of(const fs::path& p) { return {testing_support::read_file(p), fs::last_write_time(p)}; }

// How a case damages its copy of the workspace.
enum class Damage { Sql, Foreign, EmptyFile, Truncated, RandomBytes };

// SQL text or a library's raw exception in a message meant for a user.
bool leaks_internals(const QString& message) {
  for (const char* inside : {"SQL logic", "SELECT", "INSERT", "PRAGMA", "json.exception"})
    if (message.contains(inside)) return true;
  return false;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace

Q_DECLARE_METATYPE(Damage)

class TestHostileWorkspaces : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path base_;
  int copies_ = 0;

  fs::path path(const std::string& name) const { return fs::path(tmp_.path().toStdString()) / name; }

  fs::path damaged_copy(Damage damage, const QString& sql) {
    const fs::path p = path("case" + std::to_string(++copies_) + ".db");
    switch (damage) {
      case Damage::Sql: {
        fs::copy_file(base_, p);
        Database db(p);
        db.exec(sql.toStdString());
        break;
      }
      case Damage::Foreign: {
        Database db(p);  // another application's file: rollback journal, its own tables
        db.exec("CREATE TABLE contacts (name TEXT, phone TEXT); CREATE TABLE notes (body TEXT);"
                "INSERT INTO contacts VALUES ('Ada', '555');");
        break;
      }
      case Damage::EmptyFile: testing_support::write_file(p, ""); break;
      case Damage::Truncated: {
        const std::string bytes = testing_support::read_file(base_);
        testing_support::write_file(p, bytes.substr(0, bytes.size() / 2));
        break;
      }
      case Damage::RandomBytes: {
        std::mt19937 random(13);
        std::string bytes(8192, '\0');
        for (char& c : bytes) c = char(random());
        testing_support::write_file(p, bytes);
        break;
      }
    }
    return p;
  }

 private slots:
  void initTestCase() {
    QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set");
    base_ = path("base.db");
    testing_support::write_fake_workspace(base_);
    // the undamaged workspace reads back whole, through the binary and the API
    const CliResult sweep = run_dynamax({"sweep", "--db", QString::fromStdString(base_.string()), "--run", "1", "--csv"});
    QVERIFY2(sweep.code == 0, qPrintable(sweep.err));
    Database db(base_, Database::Mode::ReadOnly);
    check_readable_workspace(db);
    const app::LoadedRun run = app::load_run(db, 1);
    QCOMPARE(run.run.tokens, size_t(10));
    QCOMPARE(run.run.classifier_scores.at("probe").size(), size_t(40));
    QCOMPARE(load_sample_topk(db, 1, 1, 5, 4).k, 2);
  }

  // `runs_says`: what `runs` must say (empty: it lists the runs, exit code 0); `analysis_says`: what sweep, plot
  // and the loader say.
  void refuses_damage_data() {
    QTest::addColumn<Damage>("damage");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("runs_says");
    QTest::addColumn<QString>("analysis_says");
    const QString last_exit = " WHERE sample_id = 2 AND position = 4 AND depth = 4";
    for (const char* depth : {"0", "999", "100000000", "-1"})
      QTest::newRow(qPrintable(QString("exits depth %1").arg(depth)))
          << Damage::Sql << QString("UPDATE exits SET depth = %1").arg(depth) + last_exit << ""
          << QString("exits row (sample_id 2, position 4, depth %1): depth %1 is outside 1..4").arg(depth);
    QTest::newRow("exits row missing") << Damage::Sql << "DELETE FROM exits" + last_exit << ""
                                       << "has 39 (token, depth) rows where 40 were expected";
    QTest::newRow("exits row moved") << Damage::Sql << "UPDATE exits SET position = 9" + last_exit << ""
                                     << "exits row (sample_id 2, position 9, depth 4): the row (sample_id 2, position 4, "
                                        "depth 4) was expected here";
    QTest::newRow("exits top1 huge") << Damage::Sql << "UPDATE exits SET top1 = 1099511627776" + last_exit << ""
                                     << "top1 1099511627776 is outside 0..16777215";
    for (const char* depths : {"2000000000", "-3", "0"})
      QTest::newRow(qPrintable(QString("models depths %1").arg(depths)))
          << Damage::Sql << QString("UPDATE models SET depths = %1").arg(depths) << ""
          << QString("models row 1: depths %1 is outside 1..4096").arg(depths);
    QTest::newRow("models depths too many") << Damage::Sql << "UPDATE models SET depths = 8" << ""
                                            << "rows are incomplete";
    QTest::newRow("models config_json garbage") << Damage::Sql << "UPDATE models SET config_json = '{oops'" << ""
                                                << "the config.json recorded for model 'tiny' is not valid JSON";
    QTest::newRow("tokens position gap") << Damage::Sql
                                         << "UPDATE tokens SET position = 7 WHERE sample_id = 1 AND position = 4" << ""
                                         << "tokens row (sample_id 1, position 7): position 7 where 4 was expected";
    QTest::newRow("tokens position negative")
        << Damage::Sql << "UPDATE tokens SET position = -1 WHERE sample_id = 2 AND position = 0" << ""
        << "tokens row (sample_id 2, position -1): position -1 where 0 was expected";
    QTest::newRow("tokens token_id negative")
        << Damage::Sql << "UPDATE tokens SET token_id = -5 WHERE sample_id = 1 AND position = 2" << ""
        << "tokens row (sample_id 1, position 2): token_id -5 is outside 0..16777215";
    QTest::newRow("tokens predicts_answer") << Damage::Sql << "UPDATE tokens SET predicts_answer = 7 WHERE position = 1"
                                            << "" << "predicts_answer 7 is outside 0..1";
    QTest::newRow("samples sample_index negative") << Damage::Sql << "UPDATE samples SET sample_index = -4 WHERE id = 2"
                                                   << "" << "samples row 2: sample_index -4 is outside";
    QTest::newRow("classifier score depth") << Damage::Sql
                                            << "UPDATE classifier_scores SET depth = 99 WHERE position = 3 AND depth = 4"
                                            << "" << "classifier 'probe', position 3, depth 99): depth 99 is outside 1..4";
    QTest::newRow("classifier score position")
        << Damage::Sql << "UPDATE classifier_scores SET position = 50 WHERE sample_id = 1 AND position = 4 AND depth = 2"
        << "" << "position 50, depth 2): position 50 is outside 0..4";
    QTest::newRow("runs config_json garbage") << Damage::Sql << "UPDATE runs SET config_json = 'not json'" << ""
                                              << "runs row 1: config_json is not a JSON object";
    QTest::newRow("runs classifier_flops negative")
        << Damage::Sql << R"(UPDATE runs SET config_json = '{"classifier_flops": {"probe": -1}}')" << ""
        << "config_json: classifier_flops of 'probe' is not a count of FLOPs";
    QTest::newRow("table missing") << Damage::Sql << "DROP TABLE exits"
                                   << "damaged DYNAMAX workspace: its table exits is missing"
                                   << "damaged DYNAMAX workspace: its table exits is missing";
    QTest::newRow("schema_version empty") << Damage::Sql << "DELETE FROM schema_version"
                                          << "its schema_version table is empty" << "its schema_version table is empty";
    QTest::newRow("schema_version text") << Damage::Sql << "UPDATE schema_version SET version = 'abc'"
                                         << "schema_version table holds no version number"
                                         << "schema_version table holds no version number";
    QTest::newRow("schema older") << Damage::Sql
                                  << "DROP TABLE generation_steps; DROP TABLE generations; DROP TABLE classifier_scores;"
                                     "DROP TABLE classifiers; UPDATE schema_version SET version = 1"
                                  << "was written by an older workbench (schema version 1)"
                                  << "was written by an older workbench (schema version 1)";
    QTest::newRow("schema newer, rollback journal")
        << Damage::Sql << "PRAGMA journal_mode = DELETE; UPDATE schema_version SET version = 99"
        << "schema version 99, newer than this workbench supports"
        << "schema version 99, newer than this workbench supports";
    QTest::newRow("foreign database") << Damage::Foreign << ""
                                      << "is not a DYNAMAX workspace (it has the tables contacts, notes)"
                                      << "is not a DYNAMAX workspace (it has the tables contacts, notes)";
    QTest::newRow("0-byte file") << Damage::EmptyFile << "" << "is an empty file, not a DYNAMAX workspace"
                                 << "is an empty file, not a DYNAMAX workspace";
    QTest::newRow("truncated file") << Damage::Truncated << "" << "corrupt" << "corrupt";
    QTest::newRow("random bytes") << Damage::RandomBytes << "" << "not an SQLite database"
                                  << "not an SQLite database";
  }
  void refuses_damage() {
    QFETCH(Damage, damage);
    QFETCH(QString, sql);
    QFETCH(QString, runs_says);
    QFETCH(QString, analysis_says);
    const fs::path file = damaged_copy(damage, sql);
    const QString db = QString::fromStdString(file.string());
    const FileState before = state_of(file);
    const bool wal = before.bytes.size() >= 100 && before.bytes.compare(0, 15, "SQLite format 3") == 0 && before.bytes[18] == 2;
    const QString out = QString::fromStdString(path("out" + std::to_string(copies_) + ".png").string());

    const CliResult runs = run_dynamax({"runs", "--db", db});
    if (runs_says.isEmpty()) {
      QVERIFY2(runs.code == 0, qPrintable(runs.err));
      QVERIFY(runs.out.contains("tiny"));
    } else {
      QCOMPARE(runs.code, 1);
      QVERIFY2(runs.err.contains(runs_says) && runs.err.contains(db), qPrintable(runs.err));
    }
    for (const QStringList& command : {QStringList{"sweep", "--db", db, "--run", "1", "--csv"},
                                       QStringList{"plot", "--db", db, "--runs", "1", "--out", out}}) {
      const CliResult r = run_dynamax(command);
      QVERIFY2(r.code == 1, qPrintable(command.first() + ": exit code " + QString::number(r.code) + ": " + r.err));
      QVERIFY2(r.err.contains(analysis_says) && r.err.contains(db), qPrintable(command.first() + ": " + r.err));
      QVERIFY2(!leaks_internals(r.err), qPrintable(r.err));
      QCOMPARE(r.err.count('\n'), 1);  // one message
    }
    QVERIFY(!fs::exists(out.toStdString()));
    const std::string api = message_of([&] {
      Database read(file, Database::Mode::ReadOnly);
      check_readable_workspace(read);
      app::load_run(read, 1);
    });
    QVERIFY2(QString::fromStdString(api).contains(analysis_says) && !leaks_internals(QString::fromStdString(api)), api.c_str());

    QVERIFY2(state_of(file) == before, "a reader changed the workspace file");
    if (!wal)  // (a reader of a WAL file may need SQLite's -shm index; other files get no companions)
      QVERIFY2(!fs::exists(file.string() + "-wal") && !fs::exists(file.string() + "-shm"),
               "a reader made WAL files beside a file that is not in WAL mode");
  }

  // The readers the window's inspector and an evaluation's summary use, and a classifier's stored weights.
  void api_readers_refuse_damage() {
    const auto says = [&](const QString& sql, const std::function<void(Database&)>& read) {
      const fs::path file = damaged_copy(Damage::Sql, sql);
      const FileState before = state_of(file);
      const std::string message = message_of([&] {
        Database db(file, Database::Mode::ReadOnly);
        check_readable_workspace(db);
        read(db);
      });
      if (state_of(file) != before) return std::string("the file changed");
      return message;
    };
    std::string m = says("UPDATE exit_topk SET rank = 100000000 WHERE sample_id = 2 AND position = 0 AND depth = 1 AND rank = 2",
                         [](Database& db) { load_sample_topk(db, 1, 1, 5, 4); });
    QVERIFY2(m.find("exit_topk rows of run 1, sample 1: rank 100000000 is outside 1..1000") != std::string::npos, m.c_str());
    const std::string generation =
        "INSERT INTO generations (id, run_id, sample_index, policy, prompt_tokens, output_ids_json, output_text, "
        "blocks_executed, blocks_full, flops_executed, flops_full, seconds, metrics_json) VALUES "
        "(7, 1, 0, 'full', 2, '[1, 2]', 'ab', 8, 8, 1, 1, 0.1, '{}');";
    m = says(QString::fromStdString(generation + "UPDATE generations SET output_ids_json = '[1,' WHERE id = 7"),
             [](Database& db) { summarize_generations(db, 1); });
    QVERIFY2(m.find("generations row 7: output_ids_json is not a JSON array") != std::string::npos, m.c_str());
    m = says(QString::fromStdString(generation + "UPDATE generations SET metrics_json = '[]' WHERE id = 7"),
             [](Database& db) { summarize_generations(db, 1); });
    QVERIFY2(m.find("generations row 7: metrics_json is not a JSON object") != std::string::npos, m.c_str());
    m = says(QString::fromStdString(generation + "INSERT INTO generation_steps VALUES (7, 0, 5, 70000, NULL, 0, 0.1)"),
             [](Database& db) { load_sample_generations(db, 1, 0); });
    QVERIFY2(m.find("generation_steps row of generation 7: exit_depth 70000 is outside 0..4096") != std::string::npos, m.c_str());
  }

  void damaged_classifier_weights_never_become_a_file() {
    const fs::path file = damaged_copy(
        Damage::Sql, "INSERT INTO classifiers (id, name, kind, depths_json, weights, record_json) VALUES "
                     "(3, 'bad', 'linear', '[2, 4]', X'00FF00FF', '{}'), (4, 'odd', 'linear', '[0]', X'00', '{}')");
    const QString db = QString::fromStdString(file.string());
    const FileState before = state_of(file);
    const QString out = QString::fromStdString(path("bad.safetensors").string());
    const CliResult exported = run_dynamax({"classifiers", "--db", db, "--export", "bad", "--out", out});
    QCOMPARE(exported.code, 1);
    QVERIFY2(exported.err.contains("classifiers row 'bad': its weights are not a classifier file"), qPrintable(exported.err));
    QVERIFY(!fs::exists(out.toStdString()) && !fs::exists(out.toStdString() + ".part"));
    const CliResult odd = run_dynamax({"classifiers", "--db", db, "--export", "odd", "--out", out});
    QCOMPARE(odd.code, 1);
    QVERIFY2(odd.err.contains("classifiers row 4: depths_json is not a list of depths in 1..4096"), qPrintable(odd.err));
    const CliResult listed = run_dynamax({"classifiers", "--db", db});
    QVERIFY2(listed.code == 0 && listed.out.contains("bad") && listed.out.contains("odd"), qPrintable(listed.err));
    QVERIFY2(state_of(file) == before, "a reader changed the workspace file");
  }
};

QTEST_GUILESS_MAIN(TestHostileWorkspaces)
#include "test_hostile_workspaces.moc"
