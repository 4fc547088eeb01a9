// Exit classifiers' scores through a recording: record_sample with trained classifiers (linear and Mamba) on
// tiny-mistral writes one classifier_scores row per (token, exit depth), equal to scoring the residual stream
// directly; the run loads them as `classifier:NAME` columns; their threshold sweep is compared with max-prob's
// on the same run (which is better, at which compute, is reported, not assumed).
#include <QtTest>

#include <cmath>

#include "core/analysis/compute_cost.h"
#include "core/analysis/confidence_measure.h"
#include "core/analysis/run_analysis.h"
#include "core/common/error.h"
#include "core/exits/classifier_training.h"
#include "core/exits/exit_placement.h"
#include "core/exits/exit_record.h"
#include "core/tasks/dataset.h"
#include "core/tokenize/tokenizer.h"
#include "storage/classifier_store.h"
#include "storage/run_reader.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<ExitClassifier> trained(const char* kind, Model& model, const ExitFeatures& train,
                                        const ExitFeatures& valid) {
  ClassifierSpec spec;
  spec.kind = parse_classifier_kind(kind);
  spec.width = model.hidden_size();
  spec.mamba_inner = 32, spec.mamba_heads = 2;
  auto c = std::make_unique<ExitClassifier>(kind, spec, train.depths, model.depth(), 5);
  TrainOptions o;
  o.epochs = 4;
  o.seed = 5;
  train_exit_classifier(*c, train, valid, o);
  return c;
}

// The highest consistency a curve reaches within a compute budget (FLOP fraction); NaN when none fits.
double best_within(const TradeoffCurve& curve, double flop_fraction) {
  double best = std::nan("");
  for (const TradeoffPoint& p : curve.points)
    if (p.flop_fraction <= flop_fraction && !(p.consistency <= best)) best = p.consistency;
  return best;
}

}  // namespace

class TestClassifierScores : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void recorded_scores_sweep_like_max_prob() {
    REQUIRE_SHARED();
    const fs::path dir = testing_support::shared_dir() / "fixtures/models/tiny-mistral";
    const fs::path text = testing_support::shared_dir() / "data/text";
    auto tokenizer = load_tokenizer(dir);
    auto model = load_model(dir);
    const std::vector<int> depths = default_exit_depths(model->depth());
    auto book = open_dataset(parse_dataset_spec("text:" + (text / "austen-emma.txt").string() + "#window=128"), *tokenizer, 24);
    auto wiki = open_dataset(parse_dataset_spec("text:" + (text / "wikitext2_test.txt").string() + "#window=128"), *tokenizer, 12);
    ExitFeatures train = extract_exit_features(*model, *book, depths, {});
    ExitFeatures valid = train;
    valid.sequences.erase(valid.sequences.begin(), valid.sequences.end() - 4);
    train.sequences.resize(train.sequences.size() - 4);
    const auto linear = trained("linear", *model, train, valid);
    const auto mamba = trained("mamba", *model, train, valid);
    const std::vector<const ExitScorer*> scorers{linear.get(), mamba.get()};

    // Record the held-out text with both classifiers.
    Database db(fs::path(tmp_.path().toStdString()) / "w.sqlite");
    open_workspace(db);
    RunStore store(db);
    const ModelConfig config = load_model_config(dir);
    const int64_t model_id = store.upsert_model("tiny-mistral", dir.string(), config, "{}");
    const nlohmann::json run_config = {
        {"classifier_flops", {{"linear", linear->flops_per_token()}, {"mamba", mamba->flops_per_token()}}}};
    const int64_t run = store.create_run("record", model_id, store.upsert_dataset("text", text.string(), "wiki"),
                                         run_config, int64_t(wiki->size()));
    SampleWriter writer(db);
    size_t tokens = 0;
    for (size_t i = 0; i < wiki->size(); ++i) {
      const Sample s = wiki->sample(i);
      const SampleRecord r = record_sample(*model, s.ids, 0, {}, scorers);
      QCOMPARE(r.classifier_scores.size(), size_t(2));
      if (i == 0) {
        // The recorded scores are the classifier's own on the residual stream at its depths.
        auto state = model->new_state();
        const std::vector<float> h = forward(*model, s.ids, *state, depths[1]);
        std::vector<float> direct(s.ids.size());
        mamba->score(depths[1], h.data(), int(s.ids.size()), direct.data());
        for (size_t t = 0; t < s.ids.size(); ++t) QCOMPARE(r.classifier_scores[1].scores[t * depths.size() + 1], direct[t]);
      }
      writer.write(run, {int64_t(i), s.key, s.prompt, s.answer, s.prompt_tokens, s.gold, 0.0}, r);
      tokens += s.ids.size();
    }
    store.finish_run(run, "done");
    Statement rows = db.prepare("SELECT count(*) FROM classifier_scores WHERE classifier = 'mamba'");
    rows.step();
    QCOMPARE(rows.int64(0), int64_t(tokens * depths.size()));

    const RecordedRun recorded = load_recorded_run(db, run);
    QCOMPARE(recorded.classifier_scores.size(), size_t(2));
    const std::vector<float>& column = recorded.classifier_scores.at("mamba");
    QVERIFY(std::isnan(column[recorded.cell(0, 1)]));  // no exit at depth 1
    QVERIFY(!std::isnan(column[recorded.cell(0, depths[0])]));
    QVERIFY_THROWS_EXCEPTION(Error, confidence_scores(recorded, parse_measure("classifier:nope")));

    // Sweep each measure over the classifier's exit depths with the analysis; a classifier pays its own FLOPs
    // (from the run's config) and no extra heads.
    std::map<std::string, RunAnalysis> analyses;
    for (const char* name : {"max-prob", "classifier:linear", "classifier:mamba"}) {
      AnalysisOptions options;
      options.measure = name;
      options.depths = depths;
      options.threshold_count = 50;
      options.random_baseline = false;
      analyses[name] = analyse_run(recorded, config, options, "wiki");
      const TradeoffCurve& curve = analyses[name].threshold;
      QVERIFY(curve.points.size() > 10);
      QCOMPARE(curve.points.back().consistency, 1.0);  // τ = +∞: the full model
    }
    // At τ = +∞ every token runs all blocks; the classifier measures also paid one evaluation per exit depth.
    const TradeoffPoint& full = analyses["max-prob"].threshold.points.back();
    for (const auto& c : {linear.get(), mamba.get()}) {
      const TradeoffPoint& p = analyses["classifier:" + c->name()].threshold.points.back();
      const int64_t heads_saved = int64_t(depths.size()) * int64_t(tokens) * exit_head_flops(config);
      const int64_t classifiers = int64_t(depths.size()) * int64_t(tokens) * c->flops_per_token();
      QCOMPARE(p.executed_flops, full.executed_flops - heads_saved + classifiers);
    }
    for (double budget : {0.6, 0.7, 0.8, 0.9}) {
      const double mp = best_within(analyses["max-prob"].threshold, budget),
                   lin = best_within(analyses["classifier:linear"].threshold, budget),
                   mb = best_within(analyses["classifier:mamba"].threshold, budget);
      qInfo("FLOPs ≤ %.0f %%: consistency max-prob %.3f, classifier:linear %.3f, classifier:mamba %.3f", budget * 100,
            mp, lin, mb);
    }
    // Shallowest exits (τ = −∞): every measure sends every token to the first exit depth.
    QCOMPARE(analyses["classifier:mamba"].threshold.points.front().mean_depth, double(depths[0]));
  }

  void classifiers_table_round_trip() {
    Database db(fs::path(tmp_.path().toStdString()) / "c.sqlite");
    open_workspace(db);
    const std::string bytes("\0bytes\x01", 7);
    StoredClassifier c{"mine", "mamba", 0, {8, 10}, bytes, {{"auroc", 0.7}}};
    const int64_t id = store_classifier(db, c);
    c.kind = "linear";
    QVERIFY_THROWS_EXCEPTION(Error, store_classifier(db, c));  // a taken name is not overwritten silently
    QVERIFY(store_classifier(db, c, /*replace=*/true) != id);  // a new version; the earlier one stays
    QCOMPARE(list_classifiers(db).size(), size_t(1));
    const StoredClassifier back = stored_classifier(db, "mine");
    QCOMPARE(back.kind, std::string("linear"));
    QCOMPARE(back.depths, (std::vector<int>{8, 10}));
    QVERIFY(back.file_bytes == bytes);
    QCOMPARE(back.record, c.record);
    QVERIFY_THROWS_EXCEPTION(Error, stored_classifier(db, "other"));
  }
};

QTEST_APPLESS_MAIN(TestClassifierScores)
#include "test_classifier_scores.moc"
