// Per-policy totals of an evaluation run: means over the samples that have a metric, and the first divergence
// split into the share of answers identical to the full model's and the mean index over the others.
#include <QtTest>

#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "storage/generation_summary.h"
#include "storage/generation_writer.h"
#include "storage/run_store.h"
#include "storage/schema.h"

using namespace dynamax;
namespace fs = std::filesystem;

class TestGenerationSummary : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void first_divergence_is_never_averaged_with_the_identical_sentinel() {
    Database db(fs::path(tmp_.path().toStdString()) / "ws.db");
    open_workspace(db);
    RunStore store(db);
    const ModelConfig config = parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"],
        "hidden_size": 8, "num_hidden_layers": 4, "vocab_size": 20, "num_attention_heads": 2, "intermediate_size": 16})", "cfg"), "cfg");
    const int64_t run = store.create_run("evaluate", store.upsert_model("tiny", "/m", config, "{}"),
                                         store.upsert_dataset("triviaqa", "/d", "triviaqa:/d"), {}, 4);
    GenerationWriter writer(db);
    // The early policy's first divergences: identical, 2, identical, 6; its EM: 1, 0, 1, 1.
    const int divergence[] = {-1, 2, -1, 6};
    const double em[] = {1, 0, 1, 1};
    for (int i = 0; i < 4; ++i) {
      PolicyOutcome full{"full", 3, {}, {{"em", 1.0}, {"first_divergence", -1}}};
      PolicyOutcome early{"max-prob@0.9", 3, {}, {{"em", em[i]}, {"first_divergence", divergence[i]}}};
      writer.write(run, SampleText{i, std::to_string(i), "p", "a", 3, {"a"}, 0.0}, 4, {full, early});
    }
    const std::vector<PolicySummary> s = summarize_generations(db, run);
    QCOMPARE(s.size(), size_t(2));
    QCOMPARE(s[0].metrics.at("identical_answers"), 1.0);
    QVERIFY(!s[0].metrics.count("first_divergence"));  // no answer differs: no mean index
    QCOMPARE(s[1].metrics.at("identical_answers"), 0.5);
    QCOMPARE(s[1].metrics.at("first_divergence"), 4.0);  // (2 + 6) / 2, not (−1 + 2 − 1 + 6) / 4
    QCOMPARE(s[1].metrics.at("em"), 0.75);
  }
};

QTEST_APPLESS_MAIN(TestGenerationSummary)
#include "test_generation_summary.moc"
