// What the token inspector reads back from a workspace: the exits' top-k of one sample (in rank order, k = 0 when
// not recorded, stray rows ignored) and an evaluation's answers with the exit depth and score of every token.
#include <QtTest>

#include <cmath>

#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "storage/exit_topk_reader.h"
#include "storage/generation_reader.h"
#include "storage/generation_writer.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

constexpr int kPositions = 3, kDepths = 4;

ModelConfig tiny_config() {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": 4, "vocab_size": 2000, "num_attention_heads": 2, "intermediate_size": 16})", "cfg"), "cfg");
}

// Top-k ids that name their cell: 10000·position + 100·depth + rank, log-prob −rank.
SampleRecord record_with_topk(int top_k) {
  SampleRecord r;
  r.positions = kPositions;
  r.depths = kDepths;
  r.top_k = top_k;
  for (int t = 0; t < kPositions; ++t) {
    r.token_ids.push_back(t);
    r.target_ids.push_back(t + 1);
    r.final_top1.push_back(7);
    for (int d = 1; d <= kDepths; ++d) {
      r.exits.push_back({});
      for (int k = 0; k < top_k; ++k) {
        r.topk_ids.push_back(10000 * t + 100 * d + k);
        r.topk_logprobs.push_back(-float(k));
      }
    }
  }
  return r;
}

int64_t new_run(Database& db, const std::string& kind) {
  open_workspace(db);
  RunStore store(db);
  const int64_t model = store.upsert_model("tiny", "/models/tiny", tiny_config(), "{}");
  const int64_t dataset = store.upsert_dataset("text", "/data/a.txt", "text:/data/a.txt");
  return store.create_run(kind, model, dataset, nlohmann::json::object(), 2);
}

PolicyOutcome outcome(const std::string& policy, std::vector<int> depths, std::vector<float> scores) {
  PolicyOutcome o;
  o.policy = policy;
  o.metrics = {{"em", 1.0}};
  for (size_t i = 0; i < depths.size(); ++i) {
    o.generation.ids.push_back(int32_t(40 + i));
    GeneratedToken t;
    t.id = int32_t(40 + i);
    t.exit_depth = depths[i];
    t.score = scores[i];
    o.generation.tokens.push_back(t);
  }
  o.generation.text = "answer of " + policy;
  o.generation.blocks_full = int64_t(depths.size()) * kDepths;
  for (int d : depths) o.generation.blocks_executed += d;
  return o;
}

}  // namespace

class TestInspectorReaders : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path db_path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

 private slots:
  void reads_the_top_k_of_one_sample_data() {
    QTest::addColumn<int>("top_k");
    QTest::newRow("not recorded") << 0;
    QTest::newRow("top-1") << 1;
    QTest::newRow("top-5") << 5;
  }
  void reads_the_top_k_of_one_sample() {
    QFETCH(int, top_k);
    Database db(db_path(("topk" + std::to_string(top_k) + ".db").c_str()));
    const int64_t run = new_run(db, "record");
    SampleWriter writer(db);
    for (int i = 0; i < 2; ++i) writer.write(run, SampleText{i, std::to_string(i), "p", "a", 1, {}, 0}, record_with_topk(top_k));
    const SampleTopK read = load_sample_topk(db, run, 1, kPositions, kDepths);
    QCOMPARE(read.k, top_k);
    for (int t = 0; t < kPositions; ++t)
      for (int d = 1; d <= kDepths; ++d)
        for (int k = 0; k < top_k; ++k) {
          QCOMPARE(read.ids[read.at(t, d, k)], 10000 * t + 100 * d + k);
          QCOMPARE(read.logprobs[read.at(t, d, k)], -float(k));
        }
  }

  void stray_top_k_rows_are_ignored() {
    Database db(db_path("stray.db"));
    const int64_t run = new_run(db, "record");
    SampleWriter(db).write(run, SampleText{0, "0", "p", "a", 1, {}, 0}, record_with_topk(2));
    // shaped smaller than stored (a sample that grew, a damaged file): nothing outside the shape is read
    const SampleTopK small = load_sample_topk(db, run, 0, 1, 2);
    QCOMPARE(small.ids.size(), size_t(1 * 2 * 2));
    QCOMPARE(small.ids[small.at(0, 2, 1)], 201);
    QCOMPARE(load_sample_topk(db, run, 9, kPositions, kDepths).k, 0);  // no such sample
  }

  void reads_an_evaluations_answers() {
    Database db(db_path("eval.db"));
    const int64_t run = new_run(db, "evaluate");
    GenerationWriter writer(db);
    for (int64_t sample : {3, 1})
      writer.write(run, SampleText{sample, "k", "Question: q?\nAnswer:", "a", 4, {}, 0}, 4,
                   {outcome("full", {4, 4, 4}, {NAN, NAN, NAN}), outcome("max-prob@0.5", {4, 2, 3}, {NAN, 0.75f, 0.5f})});
    QCOMPARE(generation_sample_indices(db, run), (std::vector<int64_t>{1, 3}));
    const std::vector<StoredGeneration> answers = load_sample_generations(db, run, 3);
    QCOMPARE(answers.size(), size_t(2));
    QCOMPARE(QString::fromStdString(answers[0].policy), QString("full"));
    const StoredGeneration& early = answers[1];
    QCOMPARE(QString::fromStdString(early.output_text), QString("answer of max-prob@0.5"));
    QCOMPARE(early.steps.size(), size_t(3));
    QCOMPARE(early.steps[1].token_id, 41);
    QCOMPARE(early.steps[1].exit_depth, 2);
    QCOMPARE(early.steps[1].score, 0.75f);
    QVERIFY(std::isnan(early.steps[0].score));
    QCOMPARE(early.blocks_saved(), 1 - 9.0 / 12.0);
    QVERIFY(QString::fromStdString(early.metrics_json).contains("\"em\""));
    QCOMPARE(QString::fromStdString(sample_prompt(db, run, 3)), QString("Question: q?\nAnswer:"));
    QVERIFY(load_sample_generations(db, run, 2).empty());
  }
};

QTEST_MAIN(TestInspectorReaders)
#include "test_inspector_readers.moc"
