// Early-exit generation end to end: `dynamax generate` with exit options, `dynamax evaluate` on 5 TriviaQA
// questions for each tiny model (JSON, table and database rows), and a cancelled evaluation resumed to the end.
#include <QtTest>

#include <cmath>

#include <nlohmann/json.hpp>

#include "app/jobs/evaluate_job.h"
#include "storage/sqlite_db.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

QString model_dir(const QString& name) {
  return QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / name.toStdString()).string());
}

QString triviaqa_spec() {
  return "triviaqa:" + QString::fromStdString((testing_support::shared_dir() / "data/triviaqa/triviaqa_sm_sub.jsonl").string());
}

int64_t count(dynamax::Database& db, const std::string& sql) {
  dynamax::Statement q = db.prepare(sql);
  q.step();
  return q.int64(0);
}

// Generations of run 1 in database `a` that run 1 in `b` does not hold, value for value (ids, text, blocks,
// FLOPs, metrics, steps): 0 when the two evaluations answered alike.
int64_t generations_differing(const std::string& a, const std::string& b) {
  dynamax::Database db(a, dynamax::Database::Mode::ReadOnly);
  db.exec("ATTACH DATABASE '" + b + "' AS other");
  const std::string columns = "g.sample_index, g.policy, g.output_ids_json, g.output_text, g.blocks_executed, "
                              "g.flops_executed, g.metrics_json, st.step, st.token_id, st.exit_depth, st.score";
  dynamax::Statement q = db.prepare("SELECT count(*) FROM (SELECT " + columns + " FROM generations g LEFT JOIN generation_steps st "
                           "ON st.generation_id = g.id EXCEPT SELECT " + columns + " FROM other.generations g "
                           "LEFT JOIN other.generation_steps st ON st.generation_id = g.id)");
  q.step();
  return q.int64(0);
}

}  // namespace

class TestEvaluate : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  std::string db_path(const char* name) { return (fs::path(tmp_.path().toStdString()) / name).string(); }

 private slots:
  void generate_reports_exit_depths_and_blocks_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("depths");
    QTest::addColumn<QString>("strategy");
    QTest::newRow("tiny-mistral") << "tiny-mistral" << 16 << "--kv-strategy=copy-exit";
    QTest::newRow("tiny-codestral") << "tiny-codestral" << 24 << "--state-strategy=keep";
  }
  void generate_reports_exit_depths_and_blocks() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(int, depths);
    QFETCH(QString, strategy);
    const QStringList base = {"generate", model_dir(model), "--ids", "1,400,500", "--max-new", "6", "--json"};
    CliResult r = run_dynamax(base + QStringList{"--exit-measure", "max-prob", "--threshold", "-inf", "--depths", "4", strategy});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    json j = json::parse(r.out.toStdString());
    QCOMPARE(j["exit_depths"].get<std::vector<int>>(), (std::vector<int>{depths, 4, 4, 4, 4, 4}));
    QCOMPARE(j["blocks_executed"].get<double>(), double(depths + 5 * 4));
    QCOMPARE(j["blocks_full"].get<int>(), 6 * depths);
    QCOMPARE(j["extra_blocks"].get<double>(), 0.0);
    QCOMPARE(j["ids"].size(), size_t(6));
    // τ = inf never exits: the plain greedy tokens, every block run.
    CliResult never = run_dynamax(base + QStringList{"--exit-measure", "entropy", "--threshold", "inf"});
    CliResult plain = run_dynamax(base);
    QCOMPARE(never.code, 0);
    QCOMPARE(plain.code, 0);
    const json jn = json::parse(never.out.toStdString()), jp = json::parse(plain.out.toStdString());
    QCOMPARE(jn["ids"], jp["ids"]);
    QCOMPARE(jn["blocks_executed"].get<double>(), double(6 * depths));
    QVERIFY2(!jp.contains("exit_depths"), "without exit options the output is as before");
  }

  void generate_rejects_bad_exit_options() {
    REQUIRE_SHARED();
    const QStringList base = {"generate", model_dir("tiny-mistral"), "--ids", "1,400", "--max-new", "2"};
    CliResult r = run_dynamax(base + QStringList{"--exit-measure", "max-prob"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--threshold"));
    r = run_dynamax(base + QStringList{"--threshold", "0.5", "--kv-strategy", "teleport"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("recompute, copy-exit, copy-prev, mask"));
    r = run_dynamax(base + QStringList{"--threshold", "0.5", "--exit-measure", "classifier:lin"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no exit classifier was loaded"), qPrintable(r.err));
    r = run_dynamax(base + QStringList{"--threshold", "0.5", "--classifiers", "/nonexistent.safetensors"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("/nonexistent.safetensors"), qPrintable(r.err));
  }

  // A trained classifier drives generate and evaluate: its measure and exits are the defaults, a threshold it
  // never reaches gives the full model's answers, and one it reaches saves blocks.
  void generates_and_evaluates_with_a_classifier_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void generates_and_evaluates_with_a_classifier() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    const QString file = QString::fromStdString(db_path(("gate-" + model.toStdString() + ".safetensors").c_str()));
    const QString book = "text:" + QString::fromStdString((testing_support::shared_dir() / "data/text/austen-emma.txt").string()) + "#window=64";
    CliResult trained = run_dynamax({"train-exits", "--model", model_dir(model), "--data", book, "--limit", "6",
                                     "--kind", "mamba", "--epochs", "1", "--name", "gate", "--out", file});
    QVERIFY2(trained.code == 0, qPrintable(trained.err));

    const QStringList base = {"generate", model_dir(model), "--ids", "1,400,500", "--max-new", "6", "--json",
                              "--classifiers", file};
    CliResult never = run_dynamax(base + QStringList{"--threshold", "2"});
    CliResult plain = run_dynamax({"generate", model_dir(model), "--ids", "1,400,500", "--max-new", "6", "--json"});
    QVERIFY2(never.code == 0, qPrintable(never.err));
    const json jn = json::parse(never.out.toStdString());
    QCOMPARE(jn["measure"].get<std::string>(), std::string("classifier:gate"));
    QCOMPARE(jn["ids"], json::parse(plain.out.toStdString())["ids"]);
    QVERIFY(jn["flops_executed"].get<double>() > jn["flops_full"].get<double>());  // the classifier's rows
    CliResult always = run_dynamax(base + QStringList{"--threshold", "0"});
    QVERIFY2(always.code == 0, qPrintable(always.err));
    const json ja = json::parse(always.out.toStdString());
    const int L = ja["blocks_full"].get<int>() / 6;
    QCOMPARE(ja["exit_depths"].get<std::vector<int>>()[1], L / 2);  // p ≥ 0 everywhere: the first exit, L/2

    const std::string db_file = db_path(("gate-" + model.toStdString() + ".db").c_str());
    CliResult r = run_dynamax({"evaluate", "--model", model_dir(model), "--dataset", triviaqa_spec(), "--db",
                               QString::fromStdString(db_file), "--classifiers", file, "--thresholds", "0,2",
                               "--limit", "2", "--max-new", "6", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json summary = json::parse(r.out.toStdString());
    const json& policies = summary["policies"];
    QCOMPARE(policies[1]["policy"].get<std::string>(), std::string("classifier:gate@0"));
    QVERIFY(policies[1]["blocks_saved"].get<double>() > 0.3);
    QCOMPARE(policies[2]["metrics"]["consistency_em"].get<double>(), 1.0);
    QCOMPARE(policies[2]["blocks_saved"].get<double>(), 0.0);
    // the classifier's stream states after a shared prefill are those of its own prefill
    const std::string alone = db_file + ".alone.db";
    CliResult each = run_dynamax({"evaluate", "--model", model_dir(model), "--dataset", triviaqa_spec(), "--db",
                                  QString::fromStdString(alone), "--classifiers", file, "--thresholds", "0.5,0.8",
                                  "--limit", "2", "--max-new", "6", "--no-shared-prefix", "--json"});
    QVERIFY2(each.code == 0, qPrintable(each.err));
    CliResult shared = run_dynamax({"evaluate", "--model", model_dir(model), "--dataset", triviaqa_spec(), "--db",
                                    QString::fromStdString(alone + ".shared.db"), "--classifiers", file, "--thresholds",
                                    "0.5,0.8", "--limit", "2", "--max-new", "6", "--json"});
    QVERIFY2(shared.code == 0, qPrintable(shared.err));
    QCOMPARE(generations_differing(alone + ".shared.db", alone), int64_t(0));
  }

  void evaluates_triviaqa_through_the_cli_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("depths");
    QTest::newRow("tiny-mistral") << "tiny-mistral" << 16;
    QTest::newRow("tiny-codestral") << "tiny-codestral" << 24;
  }
  void evaluates_triviaqa_through_the_cli() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(int, depths);
    const std::string db_file = db_path(("eval-" + model.toStdString() + ".db").c_str());
    const QStringList args = {"evaluate", "--model", model_dir(model), "--dataset", triviaqa_spec(), "--db",
                              QString::fromStdString(db_file), "--thresholds", "0.2,inf", "--limit", "5",
                              "--max-new", "8"};
    CliResult r = run_dynamax(args + QStringList{"--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["status"].get<std::string>(), std::string("done"));
    QCOMPARE(j["dataset"].get<std::string>(), std::string("triviaqa"));
    const json& policies = j["policies"];
    QCOMPARE(policies.size(), size_t(3));
    QCOMPARE(policies[0]["policy"].get<std::string>(), std::string("full"));
    QCOMPARE(policies[1]["policy"].get<std::string>(), std::string("max-prob@0.2"));
    QCOMPARE(policies[2]["policy"].get<std::string>(), std::string("max-prob@inf"));
    for (const json& p : policies) {
      QCOMPARE(p["samples"].get<int>(), 5);
      for (const char* m : {"em", "f1", "consistency_em", "consistency_f1"}) {
        const double v = p["metrics"][m].get<double>();
        QVERIFY(v >= 0 && v <= 1);
      }
      QVERIFY(p["tokens_per_second"].get<double>() > 0);
    }
    for (size_t i : {size_t(0), size_t(2)}) {  // the full model, and a policy that never exits, agree with the full model
      QCOMPARE(policies[i]["metrics"]["consistency_em"].get<double>(), 1.0);
      QCOMPARE(policies[i]["metrics"]["consistency_f1"].get<double>(), 1.0);
      QCOMPARE(policies[i]["metrics"]["consistency_rouge_l"].get<double>(), 100.0);
      QCOMPARE(policies[i]["blocks_saved"].get<double>(), 0.0);
      QCOMPARE(policies[i]["metrics"]["em"], policies[0]["metrics"]["em"]);
    }
    // Exits save blocks; the exit heads read at every allowed depth cost FLOPs blocks do not count (on the tiny
    // models a head costs several blocks, so FLOPs may even be lost).
    QVERIFY(policies[1]["blocks_saved"].get<double>() > 0);
    QVERIFY(policies[1]["flops_saved"].get<double>() < policies[1]["blocks_saved"].get<double>());

    dynamax::Database db(db_file, dynamax::Database::Mode::ReadOnly);
    QCOMPARE(count(db, "SELECT count(*) FROM runs WHERE kind = 'evaluate' AND status = 'done'"), int64_t(1));
    QCOMPARE(count(db, "SELECT count(*) FROM samples"), int64_t(5));
    QCOMPARE(count(db, "SELECT count(*) FROM generations"), int64_t(15));
    QCOMPARE(count(db, "SELECT count(*) FROM generation_steps"),
             count(db, "SELECT sum(json_array_length(output_ids_json)) FROM generations"));
    QCOMPARE(count(db, "SELECT count(*) FROM generation_steps s JOIN generations g ON g.id = s.generation_id "
                       "WHERE g.policy = 'full' AND s.exit_depth <> " + std::to_string(depths)),
             int64_t(0));
    // blocks executed = Σ exit depths + the counted strategy work, per generation
    QCOMPARE(count(db, "SELECT count(*) FROM generations g WHERE abs(g.blocks_executed - (SELECT sum(exit_depth) + "
                       "sum(extra_blocks) FROM generation_steps s WHERE s.generation_id = g.id)) > 1e-9"),
             int64_t(0));
    QCOMPARE(count(db, "SELECT count(*) FROM generations WHERE blocks_full <> " + std::to_string(depths) +
                       " * json_array_length(output_ids_json)"),
             int64_t(0));

    // The table form.
    CliResult table = run_dynamax({"evaluate", "--resume", QString::number(j["run_id"].get<int>()), "--db",
                                   QString::fromStdString(db_file)});
    QCOMPARE(table.code, 1);  // a finished run is not resumed
    QVERIFY(table.err.contains("already done"));
    const std::string db2 = db_path(("table-" + model.toStdString() + ".db").c_str());
    CliResult fresh = run_dynamax({"evaluate", "--model", model_dir(model), "--dataset", triviaqa_spec(), "--db",
                                   QString::fromStdString(db2), "--thresholds", "0.5", "--limit", "2", "--max-new", "4"});
    QVERIFY2(fresh.code == 0, qPrintable(fresh.err));
    QVERIFY(fresh.out.contains("blocks saved"));
    QVERIFY(fresh.out.contains("consistency_em"));
    QVERIFY(fresh.out.contains("max-prob@0.5"));
  }

  // Every other dataset kind end to end through the CLI: its metrics in range, and a policy that never exits
  // scoring exactly as the full model.
  void evaluates_every_dataset_kind_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("metrics");
    const std::string data = (testing_support::shared_dir() / "data").string();
    QTest::newRow("coqa") << QString::fromStdString("coqa:" + data + "/coqa/coqa-dev-v1.0.json")
                          << QStringList{"em", "f1", "consistency_em"};
    QTest::newRow("truthfulqa") << QString::fromStdString("truthfulqa:" + data + "/truthfulqa/TruthfulQA.csv")
                                << QStringList{"bleu_max", "rouge_l_max", "bleu_acc", "rouge_l_acc"};
    QTest::newRow("truthfulqa-mc") << QString::fromStdString("truthfulqa-mc:" + data + "/truthfulqa/mc_task.json")
                                   << QStringList{"mc1", "mc2"};
    QTest::newRow("text") << QString::fromStdString("text:" + data + "/text/wikitext2_test.txt#window=48")
                          << QStringList{"next_token_accuracy", "perplexity", "consistency_top1"};
  }
  void evaluates_every_dataset_kind() {
    REQUIRE_SHARED();
    QFETCH(QString, spec);
    QFETCH(QStringList, metrics);
    const std::string db_file = db_path(("kind-" + QString::number(qHash(spec)).toStdString() + ".db").c_str());
    CliResult r = run_dynamax({"evaluate", "--model", model_dir("tiny-mistral"), "--dataset", spec, "--db",
                               QString::fromStdString(db_file), "--thresholds", "0.3,inf", "--limit", "2",
                               "--max-new", "6", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json summary = json::parse(r.out.toStdString());
    const json& policies = summary["policies"];
    QCOMPARE(policies.size(), size_t(3));
    for (const json& p : policies) {
      QCOMPARE(p["samples"].get<int>(), 2);
      for (const QString& m : metrics) {
        QVERIFY2(p["metrics"].contains(m.toStdString()), qPrintable(m));
        QVERIFY2(std::isfinite(p["metrics"][m.toStdString()].get<double>()), qPrintable(m));
      }
    }
    for (const QString& m : metrics) {
      const std::string key = m.toStdString();
      if (key.rfind("consistency", 0) == 0) continue;
      QCOMPARE(policies[2]["metrics"][key].get<double>(), policies[0]["metrics"][key].get<double>());
    }
    QCOMPARE(policies[2]["blocks_saved"].get<double>(), 0.0);
    QVERIFY(policies[1]["blocks_saved"].get<double>() > 0.0);
    // prefilling each prompt once for all policies (and choices) answers exactly as prefilling it every time
    const std::string alone = db_file + ".alone.db";
    CliResult each = run_dynamax({"evaluate", "--model", model_dir("tiny-mistral"), "--dataset", spec, "--db",
                                  QString::fromStdString(alone), "--thresholds", "0.3,inf", "--limit", "2",
                                  "--max-new", "6", "--no-shared-prefix", "--json"});
    QVERIFY2(each.code == 0, qPrintable(each.err));
    QCOMPARE(generations_differing(db_file, alone), int64_t(0));
    QCOMPARE(generations_differing(alone, db_file), int64_t(0));
  }

  void a_cancelled_evaluation_resumes() {
    REQUIRE_SHARED();
    dynamax::app::EvaluateOptions o;
    o.model_dir = model_dir("tiny-mistral").toStdString();
    o.dataset_spec = triviaqa_spec().toStdString();
    o.db_path = db_path("resume.db");
    o.limit = 4;
    o.max_new_tokens = 4;
    o.thresholds = {0.3};
    o.skip.kv = dynamax::KvStrategy::Mask;
    std::atomic<bool> cancel{false};
    auto r = dynamax::app::run_evaluate_job(o, cancel, [&](const dynamax::app::EvaluateProgress& p) {
      if (p.samples_done == 2) cancel.store(true);
    });
    QCOMPARE(r.status, std::string("cancelled"));
    QCOMPARE(r.policies.at(0).samples, int64_t(2));
    cancel.store(false);
    dynamax::app::EvaluateOptions again;
    again.db_path = o.db_path;
    again.resume_run = r.run_id;
    r = dynamax::app::run_evaluate_job(again, cancel);
    QCOMPARE(r.status, std::string("done"));
    QCOMPARE(r.strategy, std::string("mask"));  // the resumed run keeps its recorded options
    QCOMPARE(r.policies.size(), size_t(2));
    for (const auto& p : r.policies) QCOMPARE(p.samples, int64_t(4));
  }
};

QTEST_MAIN(TestEvaluate)
#include "test_evaluate.moc"
