// --exit-head on the command line: lens, record (the choice kept in the run's config, its exits the last-block
// predictions, its sweep charging block L), generate (block L counted in blocks_executed) and evaluate (the choice
// kept); two recordings of the same samples compare both in one sweep. Bad values are usage errors.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "storage/sqlite_db.h"
#include "support/test_support.h"

using testing_support::CliResult;
using testing_support::run_dynamax;
using nlohmann::json;

namespace {

QString tiny_mistral() { return QString::fromStdString((testing_support::resources_dir() / "models/tiny-mistral").string()); }

std::string config_of(const QString& db, int run) {
  dynamax::Database d(db.toStdString(), dynamax::Database::Mode::ReadOnly);
  dynamax::Statement q = d.prepare("SELECT config_json FROM runs WHERE id = ?");
  q.bind(1, int64_t(run));
  q.step();
  return q.text(0);
}

}  // namespace

class TestExitHeadCli : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void lens_matches_the_recording_and_sweeps_compare_both() {
    REQUIRE_SHARED();
    const QString db = tmp_.filePath("w.db");
    const QString text = "text:" + QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string()) + "#window=32";
    for (const char* head : {"direct", "last-block"}) {
      const CliResult r = run_dynamax({"record", "--model", tiny_mistral(), "--dataset", text, "--db", db, "--limit", "2",
                                       "--exit-head", head});
      QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    QCOMPARE(json::parse(config_of(db, 2))["exit_head"], json("last-block"));
    QCOMPARE(json::parse(config_of(db, 1))["exit_head"], json("direct"));

    // The recorded exits of run 2 are what `lens --exit-head last-block` reads for the same ids.
    dynamax::Database d(db.toStdString(), dynamax::Database::Mode::ReadOnly);
    dynamax::Statement ids = d.prepare(
        "SELECT t.token_id FROM tokens t JOIN samples s ON s.id = t.sample_id WHERE s.run_id = 2 AND s.sample_index = 0 ORDER BY t.position");
    QStringList id_list;
    while (ids.step()) id_list << QString::number(ids.int64(0));
    const CliResult lens = run_dynamax({"lens", tiny_mistral(), "--ids", id_list.join(','), "--top", "1", "--exit-head", "last-block", "--json"});
    QVERIFY2(lens.code == 0, qPrintable(lens.err));
    const json top = json::parse(lens.out.toStdString())["top_ids"];
    dynamax::Statement exits = d.prepare(
        "SELECT e.position, e.depth, e.top1 FROM exits e JOIN samples s ON s.id = e.sample_id WHERE s.run_id = 2 AND s.sample_index = 0");
    int checked = 0;
    while (exits.step()) {
      QCOMPARE(exits.int64(2), top[size_t(exits.int64(1) - 1)][size_t(exits.int64(0))][0].get<int64_t>());
      ++checked;
    }
    QCOMPARE(checked, int(id_list.size()) * 16);  // every (position, depth) of the sample
    QVERIFY(id_list.size() >= 32);

    // One sweep, both runs: at the same static depth the last-block run pays one more block per token.
    const CliResult sweep = run_dynamax({"sweep", "--db", db, "--runs", "1,2", "--json", "--thresholds", "5"});
    QVERIFY2(sweep.code == 0, qPrintable(sweep.err));
    std::vector<double> static_first;
    for (const json& run : json::parse(sweep.out.toStdString()))
      for (const json& c : run["curves"])
        if (c["kind"] == "static") static_first.push_back(c["points"][0]["block_fraction"].get<double>());
    QCOMPARE(static_first, (std::vector<double>{1.0 / 16, 2.0 / 16}));
  }

  void generate_counts_block_l() {
    const QStringList common = {"generate", tiny_mistral(), "--ids", "1,300,12,900", "--max-new", "4", "--exit-measure", "max-prob",
                                "--threshold=-inf", "--depths", "8", "--kv-strategy", "mask", "--json"};
    const CliResult direct = run_dynamax(common), last = run_dynamax(QStringList(common) << "--exit-head" << "last-block");
    QVERIFY2(direct.code == 0 && last.code == 0, qPrintable(direct.err + last.err));
    const json a = json::parse(direct.out.toStdString()), b = json::parse(last.out.toStdString());
    // The first token comes from the prompt's full pass; the three after it exit at 8 and run block 16 too.
    QCOMPARE(b["exit_depths"], a["exit_depths"]);
    QCOMPARE(b["blocks_executed"].get<double>(), a["blocks_executed"].get<double>() + 3);
  }

  void evaluate_keeps_the_choice_and_bad_values_are_refused() {
    const CliResult bad = run_dynamax({"lens", tiny_mistral(), "--ids", "1,2", "--exit-head", "block"});
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains("unknown exit head 'block'"), qPrintable(bad.err));
    REQUIRE_SHARED();
    const QString db = tmp_.filePath("e.db");
    const QString text = "text:" + QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string()) + "#window=16";
    const CliResult r = run_dynamax({"evaluate", "--model", tiny_mistral(), "--dataset", text, "--db", db, "--limit", "1",
                                     "--thresholds", "0.5", "--exit-head", "last-block", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(json::parse(config_of(db, 1))["exit_head"], json("last-block"));
  }
};

QTEST_APPLESS_MAIN(TestExitHeadCli)
#include "test_exit_head_cli.moc"
