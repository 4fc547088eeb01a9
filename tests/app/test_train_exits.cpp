// `dynamax train-exits` end to end: a classifier trained on tiny-mistral (JSON metrics per depth, file and
// database row, identical bytes for the same seed), then recorded with `record --classifiers` (one score row per
// token and exit depth), swept as `classifier:NAME`, listed, exported and deleted with `dynamax classifiers`; and
// clear errors for empty data, bad depths and a classifier file for another model.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "storage/sqlite_db.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using testing_support::CliResult;

CliResult run(const QStringList& args) { return testing_support::run_dynamax(args); }

QString model(const char* name) {
  return QString::fromStdString((testing_support::shared_dir() / "fixtures/models" / name).string());
}
QString text(const char* file, int window) {
  return QString("text:%1#window=%2").arg(QString::fromStdString((testing_support::shared_dir() / "data/text" / file).string())).arg(window);
}

int64_t scalar(const QString& db, const std::string& sql) {
  dynamax::Database d(db.toStdString(), dynamax::Database::Mode::ReadOnly);
  dynamax::Statement q = d.prepare(sql);
  q.step();
  return q.int64(0);
}

}  // namespace

class TestTrainExits : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString at(const char* name) const { return tmp_.filePath(name); }
  QStringList train_args(const char* out) const {
    return {"train-exits", "--model", model("tiny-mistral"), "--data", text("austen-emma.txt", 64), "--valid",
            text("wikitext2_test.txt", 64), "--limit", "12", "--kind", "linear", "--epochs", "3", "--seed", "4",
            "--name", "calm", "--out", at(out)};
  }

 private slots:
  void trains_records_and_sweeps() {
    REQUIRE_SHARED();
    const CliResult trained = run(train_args("calm.safetensors") << "--db" << at("w.sqlite") << "--json");
    QVERIFY2(trained.code == 0, qPrintable(trained.err));
    const json j = json::parse(trained.out.toStdString());
    QCOMPARE(j["depths"], json({8, 10, 12, 14}));
    QCOMPARE(j["validation"].size(), size_t(4));
    for (const json& m : j["validation"]) {
      QVERIFY(m["auroc"].is_number() && m["accuracy"].is_number() && m["loss"].is_number());
      qInfo("depth %d: AUROC %.3f", m["depth"].get<int>(), m["auroc"].get<double>());
    }
    QVERIFY(trained.err.contains("epoch 1/3"));
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifiers WHERE name = 'calm' AND kind = 'linear'"), int64_t(1));
    // The same seed gives the same file, byte for byte.
    QCOMPARE(run(train_args("again.safetensors")).code, 0);
    QVERIFY(testing_support::read_file(at("calm.safetensors").toStdString()) ==
            testing_support::read_file(at("again.safetensors").toStdString()));

    const CliResult recorded = run({"record", "--model", model("tiny-mistral"), "--dataset", text("wikitext2_test.txt", 32),
                                 "--limit", "3", "--db", at("w.sqlite"), "--classifiers", at("calm.safetensors"), "--json"});
    QVERIFY2(recorded.code == 0, qPrintable(recorded.err));
    const json r = json::parse(recorded.out.toStdString());
    const std::string run_id = std::to_string(r["run_id"].get<int64_t>());
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifier_scores c JOIN samples s ON s.id = c.sample_id "
                                    "WHERE s.run_id = " + run_id + " AND c.classifier = 'calm'"),
             r["tokens"].get<int64_t>() * 4);
    const CliResult swept = run({"sweep", "--db", at("w.sqlite"), "--run", QString::fromStdString(run_id), "--measure",
                              "classifier:calm", "--depths", "8,10,12,14", "--json"});
    QVERIFY2(swept.code == 0, qPrintable(swept.err));
    QVERIFY(swept.out.contains("\"classifier:calm\""));

    // A taken --out or --name is refused before any work, unless --replace; the workspace keeps the replaced
    // version and the recording keeps the exact classifier it was scored with.
    const std::string first = testing_support::read_file(at("calm.safetensors").toStdString());
    CliResult taken = run(train_args("calm.safetensors") << "--db" << at("w.sqlite") << "--seed" << "5");
    QCOMPARE(taken.code, 1);
    QVERIFY2(taken.err.contains("calm.safetensors: the file exists") && taken.err.contains("--replace"), qPrintable(taken.err));
    taken = run(train_args("calm2.safetensors") << "--db" << at("w.sqlite") << "--seed" << "5");
    QCOMPARE(taken.code, 1);
    QVERIFY2(taken.err.contains("already has a classifier named 'calm'"), qPrintable(taken.err));
    QVERIFY(!fs::exists(at("calm2.safetensors").toStdString()));
    QVERIFY(testing_support::read_file(at("calm.safetensors").toStdString()) == first);
    const CliResult replaced =
        run(train_args("calm.safetensors") << "--db" << at("w.sqlite") << "--seed" << "5" << "--replace");
    QVERIFY2(replaced.code == 0, qPrintable(replaced.err));
    QVERIFY(testing_support::read_file(at("calm.safetensors").toStdString()) != first);
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifiers WHERE name = 'calm'"), int64_t(2));
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifiers WHERE name = 'calm' AND replaced_at IS NULL"), int64_t(1));
    {
      dynamax::Database d(at("w.sqlite").toStdString(), dynamax::Database::Mode::ReadOnly);
      dynamax::Statement q = d.prepare("SELECT config_json FROM runs WHERE id = " + run_id);
      q.step();
      const std::string used = json::parse(q.text(0))["classifiers"][0].get<std::string>();
      QVERIFY2(used != at("calm.safetensors").toStdString(), used.c_str());  // a copy kept by content
      QVERIFY(testing_support::read_file(used) == testing_support::read_file(at("again.safetensors").toStdString()));
    }

    // The workspace lists it, writes it back out byte for byte, and forgets it on request.
    const CliResult listed = run({"classifiers", "--db", at("w.sqlite"), "--json"});
    QVERIFY2(listed.code == 0, qPrintable(listed.err));
    const json list = json::parse(listed.out.toStdString());
    QCOMPARE(list.size(), size_t(1));
    QCOMPARE(list[0]["name"].get<std::string>(), std::string("calm"));
    QCOMPARE(list[0]["model"].get<std::string>(), std::string("tiny-mistral"));
    QCOMPARE(list[0]["depths"], json({8, 10, 12, 14}));
    QVERIFY(list[0]["mean_validation_auroc"].get<double>() > 0.0);
    QCOMPARE(run({"classifiers", "--db", at("w.sqlite"), "--export", "calm", "--out", at("exported.safetensors")}).code, 0);  // the current version
    QVERIFY(testing_support::read_file(at("calm.safetensors").toStdString()) ==
            testing_support::read_file(at("exported.safetensors").toStdString()));
    const CliResult missing = run({"classifiers", "--db", at("w.sqlite"), "--export", "nope", "--out", at("n.safetensors")});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("no classifier named 'nope'"), qPrintable(missing.err));

    // A classifier for tiny-mistral (16 blocks) does not fit tiny-codestral (24).
    const CliResult other = run({"record", "--model", model("tiny-codestral"), "--dataset", text("wikitext2_test.txt", 32),
                              "--limit", "1", "--db", at("w2.sqlite"), "--classifiers", at("calm.safetensors")});
    QCOMPARE(other.code, 1);
    QVERIFY2(other.err.contains("16 blocks") && other.err.contains("24 blocks"), qPrintable(other.err));

    // By name, a classifier stored in the workspace scores a recording as its file does.
    const CliResult by_name = run({"record", "--model", model("tiny-mistral"), "--dataset", text("wikitext2_test.txt", 32),
                                   "--limit", "1", "--db", at("w.sqlite"), "--classifiers", "calm", "--json"});
    QVERIFY2(by_name.code == 0, qPrintable(by_name.err));
    const std::string by_name_run = std::to_string(json::parse(by_name.out.toStdString())["run_id"].get<int64_t>());
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifier_scores c JOIN samples s ON s.id = c.sample_id "
                                    "WHERE s.run_id = " + by_name_run),
             scalar(at("w.sqlite"), "SELECT count(*) FROM tokens t JOIN samples s ON s.id = t.sample_id "
                                    "WHERE s.run_id = " + by_name_run) * 4);
    const CliResult neither = run({"record", "--model", model("tiny-mistral"), "--dataset", text("wikitext2_test.txt", 32),
                                   "--limit", "1", "--db", at("w.sqlite"), "--classifiers", "nameless"});
    QCOMPARE(neither.code, 1);
    QVERIFY2(neither.err.contains("nameless: no such classifier file, and the workspace has no classifier of that name"),
             qPrintable(neither.err));

    QCOMPARE(run({"classifiers", "--db", at("w.sqlite"), "--delete", "calm"}).code, 0);
    QCOMPARE(scalar(at("w.sqlite"), "SELECT count(*) FROM classifiers"), int64_t(0));
  }

  void bad_input_is_a_clear_error() {
    REQUIRE_SHARED();
    testing_support::write_file(at("empty.txt").toStdString(), "");
    const QString empty_spec = "text:" + at("empty.txt");
    CliResult r = run({"train-exits", "--model", model("tiny-mistral"), "--data", empty_spec, "--kind", "linear", "--out",
                    at("x.safetensors")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("empty") || r.err.contains("no tokens"), qPrintable(r.err));
    r = run(train_args("x.safetensors") << "--depths" << "8,16");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("exit depth 16 is outside 1..15"), qPrintable(r.err));
    r = run({"train-exits", "--model", model("tiny-mistral"), "--data", empty_spec, "--kind", "lstm", "--out", at("x.safetensors")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("valid: linear, ffn, mamba"), qPrintable(r.err));
    r = run({"train-exits", "--model", model("tiny-mistral"), "--kind", "linear"});
    QCOMPARE(r.code, 2);
    testing_support::write_file(at("corrupt.safetensors").toStdString(), "not a safetensors file at all");
    r = run({"record", "--model", model("tiny-mistral"), "--dataset", text("wikitext2_test.txt", 32), "--limit", "1",
             "--db", at("w3.sqlite"), "--classifiers", at("corrupt.safetensors")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("corrupt.safetensors"), qPrintable(r.err));
    QVERIFY(!fs::exists(at("x.safetensors").toStdString()));
  }
};

QTEST_GUILESS_MAIN(TestTrainExits)
#include "test_train_exits.moc"
