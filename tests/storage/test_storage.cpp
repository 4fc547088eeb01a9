// The workspace database: schema and migrations, runs and their status, one transaction per sample, deletion,
// and clear errors for newer, read-only and locked databases.
#include <QtTest>

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "core/common/error.h"
#include "core/io/model_config.h"
#include "core/io/lenient_json.h"
#include "storage/process_identity.h"
#include "storage/run_reader.h"
#include "storage/classifier_store.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"

using namespace dynamax;
namespace fs = std::filesystem;

// A hand-made record: T positions × L depths with values derived from (t, d).
static SampleRecord fake_record(int T, int L, int top_k = 0) {
  SampleRecord r;
  r.positions = T;
  r.depths = L;
  r.top_k = top_k;
  for (int t = 0; t < T; ++t) {
    r.token_ids.push_back(100 + t);
    r.target_ids.push_back(t + 1 < T ? 101 + t : -1);
    r.final_top1.push_back(500 + t);
    for (int d = 1; d <= L; ++d) {
      ExitMeasures m;
      m.top1 = d == L ? 500 + t : 1000 * d + t;
      m.prob = float(d) / L;
      m.margin = 0.5f * m.prob;
      m.entropy = float(L - d);
      m.saturation = 0.9f;
      r.exits.push_back(m);
      for (int k = 0; k < top_k; ++k) {
        r.topk_ids.push_back(m.top1 + k);
        r.topk_logprobs.push_back(-float(k));
      }
    }
  }
  return r;
}

static std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

static ModelConfig tiny_config() {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": 4, "vocab_size": 2000, "num_attention_heads": 2, "intermediate_size": 16})", "cfg"), "cfg");
}

class TestStorage : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path db_path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

  // A workspace with one run of `samples` samples (5 tokens × 4 depths each).
  int64_t make_run(Database& db, int samples, int top_k = 0) {
    open_workspace(db);
    RunStore store(db);
    const int64_t model = store.upsert_model("tiny", "/models/tiny", tiny_config(), "{}");
    const int64_t dataset = store.upsert_dataset("text", "/data/a.txt", "text:/data/a.txt");
    const int64_t run = store.create_run("record", model, dataset, {{"limit", samples}}, samples);
    SampleWriter writer(db);
    for (int i = 0; i < samples; ++i)
      writer.write(run, SampleText{i, std::to_string(i), "prompt", "answer", 2, {"gold"}, 0.01}, fake_record(5, 4, top_k));
    return run;
  }

 private slots:
  void creates_the_schema_once() {
    Database db(db_path("schema.db"));
    QCOMPARE(stored_schema_version(db), 0);
    open_workspace(db);
    QCOMPARE(stored_schema_version(db), current_schema_version());
    open_workspace(db);  // idempotent
    Statement q = db.prepare("PRAGMA journal_mode");
    q.step();
    QCOMPARE(QString::fromStdString(q.text(0)), QString("wal"));
  }

  void migrates_a_version_1_database_forward() {
    Database db(db_path("v1.db"));
    const int64_t run = make_run(db, 2);
    // back to what a version-1 workbench wrote: no shared prefixes, no generation or classifier tables
    db.exec("DROP VIEW sample_tokens; DROP VIEW sample_exits; DROP VIEW sample_exit_topk; DROP VIEW sample_classifier_scores;"
            "DROP INDEX samples_by_prefix; ALTER TABLE samples DROP COLUMN prefix_id; DROP TABLE prefix_tokens;"
            "DROP TABLE prefix_exits; DROP TABLE prefix_exit_topk; DROP TABLE prefix_classifier_scores; DROP TABLE prefixes;");
    db.exec("DROP TABLE generation_steps; DROP TABLE generations; DROP TABLE classifier_scores; DROP TABLE classifiers;"
            "ALTER TABLE runs DROP COLUMN owner; UPDATE schema_version SET version = 1");
    QCOMPARE(stored_schema_version(db), 1);
    open_workspace(db);
    QCOMPARE(stored_schema_version(db), current_schema_version());
    Statement tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('generations', 'generation_steps', "
                                  "'classifiers', 'classifier_scores', 'prefixes', 'prefix_exits', 'sample_exits')");
    tables.step();
    QCOMPARE(tables.int64(0), int64_t(7));
    Statement owner = db.prepare("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'owner'");
    owner.step();
    QCOMPARE(owner.int64(0), int64_t(1));
    // the migrated samples continue no prefix, and the views give their rows as stored
    Statement views = db.prepare("SELECT (SELECT count(*) FROM samples WHERE prefix_id IS NOT NULL), "
                                 "(SELECT count(*) FROM sample_exits) - (SELECT count(*) FROM exits)");
    views.step();
    QCOMPARE(views.int64(0), int64_t(0));
    QCOMPARE(views.int64(1), int64_t(0));
    QCOMPARE(RunStore(db).run(run).samples_done, int64_t(2));  // the recorded data is untouched
  }

  // A version-2 workspace's classifier survives the migration; a taken name is refused unless replaced, and the
  // replaced version stays, found by its content hash.
  void classifiers_keep_replaced_versions() {
    Database db(db_path("classifiers.db"));
    open_workspace(db);
    db.exec("DROP TABLE classifiers; CREATE TABLE classifiers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
            "kind TEXT NOT NULL, model_id INTEGER REFERENCES models(id), depths_json TEXT NOT NULL, weights BLOB NOT NULL, "
            "record_json TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT '2025-01-01T00:00:00Z');"
            "INSERT INTO classifiers (name, kind, depths_json, weights, record_json) VALUES "
            "('calm', 'linear', '[8,10]', CAST('old bytes' AS BLOB), '{}');"
            "UPDATE schema_version SET version = " + std::to_string(current_schema_version() - 1));  // before versions
    open_workspace(db);
    QCOMPARE(stored_classifier(db, "calm").file_bytes, std::string("old bytes"));
    QVERIFY(classifier_name_taken(db, "calm"));
    const StoredClassifier next{"calm", "ffn", 0, {12}, std::string("new\0bytes", 9), {{"epochs", 3}}};
    try {
      store_classifier(db, next);
      QFAIL("a taken name was overwritten");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("already has a classifier named 'calm'"), e.what());
    }
    QCOMPARE(stored_classifier(db, "calm").file_bytes, std::string("old bytes"));
    store_classifier(db, next, /*replace=*/true);
    QCOMPARE(stored_classifier(db, "calm").file_bytes, next.file_bytes);
    QCOMPARE(stored_classifier(db, "calm").kind, std::string("ffn"));
    QCOMPARE(list_classifiers(db).size(), size_t(1));
    const auto old = stored_classifier_with_hash(db, classifier_content_hash("old bytes"));
    QVERIFY(old.has_value());
    QCOMPARE(old->file_bytes, std::string("old bytes"));
    QVERIFY(!stored_classifier_with_hash(db, classifier_content_hash("never stored")).has_value());
    QVERIFY(classifier_content_hash("old bytes") != classifier_content_hash("old byteS"));
    delete_classifier(db, "calm");  // the name and its earlier versions
    Statement left = db.prepare("SELECT count(*) FROM classifiers");
    left.step();
    QCOMPARE(left.int64(0), int64_t(0));
  }

  void writes_and_reads_a_run() {
    Database db(db_path("run.db"));
    const int64_t run = make_run(db, 3, 2);
    Statement count = db.prepare("SELECT (SELECT count(*) FROM tokens), (SELECT count(*) FROM exits), (SELECT count(*) FROM exit_topk)");
    count.step();
    QCOMPARE(count.int64(0), int64_t(15));
    QCOMPARE(count.int64(1), int64_t(15 * 4));
    QCOMPARE(count.int64(2), int64_t(15 * 4 * 2));
    RecordedRun c = load_recorded_run(db, run);
    QCOMPARE(c.tokens, size_t(15));
    QCOMPARE(c.depths, 4);
    QCOMPARE(c.top1[1 * 4 + 2], 3000 + 1);   // position 1, depth 3
    QCOMPARE(c.prob[1 * 4 + 3], 1.0f);
    QCOMPARE(c.final_top1[2], 502);
    // predicts_answer: prompt_tokens = 2, so positions 1..3 predict answer tokens (position 4 is last)
    QCOMPARE(std::vector<uint8_t>(c.predicts_answer.begin(), c.predicts_answer.begin() + 5), (std::vector<uint8_t>{0, 1, 1, 1, 0}));
    RunStore store(db);
    RunInfo info = store.run(run);
    QCOMPARE(info.samples_done, int64_t(3));
    QCOMPARE(info.tokens, int64_t(15));
    QCOMPARE(QString::fromStdString(info.status), QString("running"));
    QVERIFY(!info.interrupted);  // this process owns it
    store.finish_run(run, "done");
    QCOMPARE(QString::fromStdString(store.run(run).status), QString("done"));
    QCOMPARE(store.finished_sample_indices(run), (std::set<int64_t>{0, 1, 2}));
  }

  void a_sample_is_all_or_nothing() {
    Database db(db_path("atomic.db"));
    const int64_t run = make_run(db, 1);
    // A failure in the middle of a sample's (token, depth) rows must leave none of that sample behind.
    db.exec("CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON exits WHEN NEW.position = 2 AND NEW.depth = 3 "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    SampleWriter writer(db);
    QVERIFY_THROWS_EXCEPTION(Error, writer.write(run, SampleText{1, "1", "p", "a", 2, {}, 0}, fake_record(5, 4)));
    Statement count = db.prepare("SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM tokens), (SELECT count(*) FROM exits)");
    count.step();
    QCOMPARE(count.int64(0), int64_t(1));
    QCOMPARE(count.int64(1), int64_t(5));
    QCOMPARE(count.int64(2), int64_t(20));
    db.exec("DROP TRIGGER fail_midway");
    writer.write(run, SampleText{1, "1", "p", "a", 2, {}, 0}, fake_record(5, 4));  // the writer is usable again
  }

  void full_disk_gives_a_clear_error() {
    Database db(db_path("full.db"));
    const int64_t run = make_run(db, 1);
    Statement pages = db.prepare("PRAGMA page_count");
    pages.step();
    db.exec("PRAGMA max_page_count = " + std::to_string(pages.int64(0)));  // no room to grow: SQLITE_FULL
    SampleWriter writer(db);
    try {
      for (int i = 1; i < 1000; ++i) writer.write(run, SampleText{i, "k", "p", "a", 2, {}, 0}, fake_record(50, 4));
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("the disk is full") && QString(e.what()).contains("full.db"), e.what());
    }
    Statement check = db.prepare("PRAGMA integrity_check");
    check.step();
    QCOMPARE(QString::fromStdString(check.text(0)), QString("ok"));
  }

  void interrupted_runs_are_detected_and_deleted() {
    Database db(db_path("interrupted.db"));
    const int64_t run = make_run(db, 2);
    db.prepare("UPDATE runs SET pid = 999999999 WHERE id = ?").bind(1, run).run();  // no such process
    RunStore store(db);
    QVERIFY(store.run(run).interrupted);
    QCOMPARE(QString::fromStdString(store.run(run).shown_status()), QString("interrupted"));
    store.delete_run(run);
    Statement count = db.prepare("SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM tokens), (SELECT count(*) FROM exits)");
    count.step();
    QCOMPARE(count.int64(0) + count.int64(1) + count.int64(2), int64_t(0));
    QVERIFY_THROWS_EXCEPTION(Error, store.run(run));
  }

  // pid 1 always exists, so a run whose stored pid is 1 but whose start time is another's belongs to a process that
  // is gone; the pid alone would keep it 'running' for ever.
  void a_reused_pid_does_not_keep_a_run_running() {
    Database db(db_path("reused.db"));
    const int64_t run = make_run(db, 1);
    RunStore store(db);
    const std::string init = process_identity(1);
    QVERIFY2(!init.empty(), "/proc/1/stat is not readable");
    db.prepare("UPDATE runs SET pid = 1, owner = ? WHERE id = ?").bind(1, init).bind(2, run).run();
    QVERIFY(!store.run(run).interrupted);  // pid 1 with its own start time: alive
    db.prepare("UPDATE runs SET owner = ? WHERE id = ?").bind(1, init + "0").bind(2, run).run();
    QVERIFY(store.run(run).interrupted);   // pid 1 now, but another process then
    QCOMPARE(store.claim_run(run, "record").id, run);
    QCOMPARE(QString::fromStdString(store.run(run).status), QString("running"));
    QVERIFY(!store.run(run).interrupted);  // this process owns it now
  }

  void a_live_owner_is_overridden_only_with_force() {
    Database db(db_path("force.db"));
    const int64_t run = make_run(db, 1);
    db.prepare("UPDATE runs SET pid = 1, owner = ? WHERE id = ?").bind(1, process_identity(1)).bind(2, run).run();
    RunStore store(db);
    try {
      store.claim_run(run, "record");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("still running in another process (if that process is gone, add --force)"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, store.delete_run(run));
    QCOMPARE(store.claim_run(run, "record", true).id, run);
    db.prepare("UPDATE runs SET pid = 1, owner = ? WHERE id = ?").bind(1, process_identity(1)).bind(2, run).run();
    store.delete_run(run, true);
    QVERIFY_THROWS_EXCEPTION(Error, store.run(run));
  }

  // Two resumes of one run: the second claim sees the first one's (in its own transaction) and is refused at once.
  void a_run_is_claimed_once() {
    const fs::path p = db_path("claim.db");
    Database first(p);
    const int64_t run = make_run(first, 1);
    RunStore(first).finish_run(run, "cancelled");
    Database second(p);
    QCOMPARE(RunStore(first).claim_run(run, "record").id, run);
    try {
      RunStore(second).claim_run(run, "record");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("still running in another process"), e.what());
    }
  }

  void garbage_config_json_is_named_on_resume() {
    Database db(db_path("garbage.db"));
    const int64_t run = make_run(db, 1);
    RunStore store(db);
    store.finish_run(run, "cancelled");
    db.prepare("UPDATE runs SET config_json = '{\"limit\": ' WHERE id = ?").bind(1, run).run();
    QCOMPARE(QString::fromStdString(store.run(run).shown_status()), QString("cancelled"));  // still listed
    try {
      store.claim_run(run, "record");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("garbage.db: runs row 1: config_json is not a JSON object; the run cannot be resumed"), e.what());
    }
    QCOMPARE(QString::fromStdString(store.run(run).status), QString("cancelled"));  // the refused claim wrote nothing
  }

  void only_unfinished_runs_of_the_same_kind_resume() {
    Database db(db_path("resume.db"));
    const int64_t run = make_run(db, 1);
    RunStore store(db);
    QVERIFY_THROWS_EXCEPTION(Error, store.resumable_run(run, "record"));  // live: owned by this process
    store.finish_run(run, "cancelled");
    QCOMPARE(store.resumable_run(run, "record").id, run);
    try {
      store.resumable_run(run, "evaluate");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("is a 'record' run, not a 'evaluate' run"), e.what());
    }
    store.finish_run(run, "done");
    try {
      store.resumable_run(run, "record");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("already done"), e.what());
    }
  }

  void a_live_run_cannot_be_deleted() {
    Database db(db_path("live.db"));
    const int64_t run = make_run(db, 1);
    try {
      RunStore(db).delete_run(run);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("still being recorded"), e.what());
    }
  }

  void newer_schema_is_refused() {
    Database db(db_path("newer.db"));
    open_workspace(db);
    db.exec("UPDATE schema_version SET version = 99");
    try {
      open_workspace(db);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("schema version 99, newer than this workbench supports"), e.what());
      QVERIFY2(QString(e.what()).contains("newer.db"), e.what());
    }
  }

  // A writer refuses what is not a workspace of this or an older version before it writes a byte: the file keeps its
  // tables, its contents and its journal mode.
  void writers_refuse_files_that_are_not_workspaces_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("message");
    QTest::newRow("foreign") << "CREATE TABLE runs (x); CREATE TABLE photos (y)"
                             << "foreign.db is not a DYNAMAX workspace (it has the tables photos, runs)";
    QTest::newRow("empty schema_version") << "CREATE TABLE schema_version (version INTEGER)"
                                          << "is not a usable DYNAMAX workspace: its schema_version table is empty";
    QTest::newRow("newer") << "CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (99)"
                           << "schema version 99, newer than this workbench supports";
  }
  void writers_refuse_files_that_are_not_workspaces() {
    QFETCH(QString, sql);
    QFETCH(QString, message);
    const fs::path p = db_path("foreign.db");
    fs::remove(p);
    {
      Database db(p);
      db.exec(sql.toStdString());
    }
    const std::string before = read_bytes(p);
    try {
      Database db(p);
      open_workspace(db);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(message), e.what());
      QVERIFY2(!QString(e.what()).contains("SQL"), e.what());
    }
    QVERIFY(read_bytes(p) == before);
    QVERIFY(!fs::exists(p.string() + "-wal"));
    Database ro(p, Database::Mode::ReadOnly);
    Statement mode = ro.prepare("PRAGMA journal_mode");
    mode.step();
    QCOMPARE(QString::fromStdString(mode.text(0)), QString("delete"));
  }

  void a_file_nobody_may_write_is_refused_by_writers() {
    const fs::path p = db_path("locked-down.db");
    {
      Database db(p);
      make_run(db, 1);
    }
    fs::permissions(p, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const std::string before = read_bytes(p);
    try {
      Database db(p);
      open_workspace(db);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("locked-down.db is read-only (the file's mode lets nobody write it): it can be viewed"), e.what());
    }
    QVERIFY(read_bytes(p) == before);
    Database ro(p, Database::Mode::ReadOnly);
    check_readable_workspace(ro);
    QCOMPARE(RunStore(ro).list_runs().size(), size_t(1));
  }

  void not_a_database() {
    const fs::path p = db_path("text.db");
    FILE* f = fopen(p.c_str(), "w");
    fputs("this is not sqlite, just some text that is long enough to have a header........................", f);
    fclose(f);
    try {
      Database db(p);
      open_workspace(db);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("not an SQLite database"), e.what());
    }
  }


  void read_only_connection_cannot_write() {
    const fs::path p = db_path("ro.db");
    {
      Database db(p);
      make_run(db, 1);
    }
    Database ro(p, Database::Mode::ReadOnly);
    try {
      ro.exec("DELETE FROM samples");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("read-only"), e.what());
    }
  }

  void locked_database_gives_a_clear_error() {
    const fs::path p = db_path("locked.db");
    Database holder(p);
    open_workspace(holder);
    sqlite3_busy_timeout(holder.handle(), 0);
    holder.exec("BEGIN EXCLUSIVE");
    Database other(p);
    sqlite3_busy_timeout(other.handle(), 50);  // keep the test quick; the product waits 5 s
    try {
      Transaction tx(other);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("locked by another process"), e.what());
    }
    holder.exec("ROLLBACK");
  }

  void missing_folder() {
    try {
      Database db("/nonexistent-folder/x.db");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("/nonexistent-folder/x.db: cannot open"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestStorage)
#include "test_storage.moc"
