// merge_workspaces on hand-made workspaces: models matched by content fingerprint whatever their path, classifiers
// kept once when identical and renamed or refused when they clash, and refusals (a live run, an unknown table)
// that leave the destination as it was or not created at all.
#include <QtTest>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "storage/run_store.h"
#include "storage/schema.h"
#include "storage/workspace_merge.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

class TestWorkspaceMerge : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

  static ModelConfig config() {
    return parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"], "hidden_size": 64,
        "num_hidden_layers": 4, "vocab_size": 100, "num_attention_heads": 4, "num_key_value_heads": 2,
        "intermediate_size": 128})", "test"), "test");
  }

  // A workspace with one finished run of a model at `model_path` whose content fingerprint is `fingerprint`.
  static void make_workspace(const fs::path& file, const std::string& model_path, const std::string& fingerprint) {
    Database db(file);
    open_workspace(db);
    RunStore store(db);
    const int64_t model = store.upsert_model("m", model_path, config(), "{\"same\": 1}");
    const int64_t run = store.create_run("record", model, store.upsert_dataset("text", "/t.txt", "text:/t.txt"),
                                         {{"model_fingerprint", fingerprint}}, 0);
    store.finish_run(run, "done");
  }

  static void add_classifier(const fs::path& file, const std::string& name, const std::string& weights) {
    Database db(file);
    db.prepare("INSERT INTO classifiers (name, kind, model_id, depths_json, weights, record_json) VALUES (?, 'linear', 1, '[2]', ?, '{}')")
        .bind(1, name).bind_blob(2, weights.data(), weights.size()).run();
  }

  static std::vector<std::string> column(const fs::path& file, const std::string& sql) {
    Database db(file, Database::Mode::ReadOnly);
    Statement q = db.prepare(sql);
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
  }

 private slots:
  void modelsAreMatchedByContentNotPath() {
    make_workspace(path("a.db"), "/node1/mistral", "f1");
    make_workspace(path("b.db"), "/node2/mistral", "f1");   // the same model elsewhere
    make_workspace(path("c.db"), "/node1/mistral", "f2");   // another model at the same path
    const MergeReport r = merge_workspaces(path("abc.db"), {path("a.db"), path("b.db"), path("c.db")});
    QCOMPARE(r.runs_copied, 3);
    const auto models = column(path("abc.db"), "SELECT path FROM models ORDER BY id");
    QCOMPARE(models.size(), size_t(2));
    QCOMPARE(models[0], std::string("/node1/mistral"));
    QCOMPARE(models[1], std::string("/node1/mistral (c.db)"));
    QCOMPARE(column(path("abc.db"), "SELECT model_id FROM runs ORDER BY id"), (std::vector<std::string>{"1", "1", "2"}));
  }

  void classifiersKeptOnceRenamedOrRefused() {
    make_workspace(path("k1.db"), "/m", "f");
    make_workspace(path("k2.db"), "/m", "f");
    make_workspace(path("k3.db"), "/m", "f");
    add_classifier(path("k1.db"), "exit", "weights-a");
    add_classifier(path("k2.db"), "exit", "weights-a");  // identical: kept once
    add_classifier(path("k3.db"), "exit", "weights-b");  // different under the same name
    QCOMPARE(merge_workspaces(path("k12.db"), {path("k1.db"), path("k2.db")}).classifiers_copied, 1);
    try {
      merge_workspaces(path("k123.db"), {path("k1.db"), path("k3.db")});
      QFAIL("a clashing classifier was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("--rename"), e.what());
    }
    QVERIFY(!fs::exists(path("k123.db")));
    const MergeReport renamed = merge_workspaces(path("k123.db"), {path("k1.db"), path("k3.db")}, {.rename_classifiers = true});
    QCOMPARE(renamed.classifiers_copied, 2);
    QCOMPARE(column(path("k123.db"), "SELECT name FROM classifiers ORDER BY id"), (std::vector<std::string>{"exit", "exit~2"}));
  }

  void refusalsLeaveTheDestinationAlone_data() {
    QTest::addColumn<QString>("defect");
    QTest::addColumn<QString>("message");
    QTest::newRow("live run in an input") << "live-input" << "still running";
    QTest::newRow("live run in the destination") << "live-into" << "being written by a running process";
    QTest::newRow("unknown table") << "unknown-table" << "table 'extra' is not known";
  }

  void refusalsLeaveTheDestinationAlone() {
    QFETCH(QString, defect);
    QFETCH(QString, message);
    const fs::path in = path("defect-in.db"), into = path("defect-into.db");
    fs::remove(in), fs::remove(into);
    make_workspace(in, "/m", "f");
    make_workspace(into, "/m", "f");
    {
      Database db(defect == "live-into" ? into : in);
      if (defect.startsWith("live")) db.prepare("UPDATE runs SET status = 'running', pid = ?").bind(1, int64_t(getpid())).run();
      else db.exec("CREATE TABLE extra (x INTEGER)");
    }
    const std::string before = testing_support::read_file(into);
    try {
      merge_workspaces(into, {in});
      QFAIL("the merge was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(message), e.what());
    }
    QVERIFY(testing_support::read_file(into) == before);
  }
};

QTEST_GUILESS_MAIN(TestWorkspaceMerge)
#include "test_workspace_merge.moc"
