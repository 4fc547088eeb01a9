// Exit classifiers' scores through a recording: record_sample with trained classifiers (linear and Mamba) on
// tiny-mistral writes one classifier_scores row per (token, exit depth), equal to scoring the residual stream
// directly; the run loads them as `classifier:NAME` columns; their threshold sweep is compared with max-prob's
// on the same run (which is better, at which compute, is reported, not assumed).
#include <QtTest>

#include <cmath>

#include "core/analysis/compute_cost.h"
#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/threshold_sweep.h"
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
    const int64_t run = store.create_run("record", model_id, store.upsert_dataset("text", text.string(), "wiki"), {}, int64_t(wiki->size()));
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

    // Sweep each measure over the classifier's exit depths; a classifier pays its own FLOPs and no extra heads.
    const ExitOutcomes outcomes(recorded);
    const ExitPolicy policy = make_exit_policy(recorded.depths, depths);
    std::map<std::string, TradeoffCurve> curves;
    for (const char* name : {"max-prob", "classifier:linear", "classifier:mamba"}) {
      const ConfidenceMeasure measure = parse_measure(name);
      ExitCostOptions options;
      if (measure.kind == MeasureKind::Classifier) {
        options.head_evaluations = HeadEvaluations::ExitOnly;
        options.classifier_flops = (measure.classifier == "linear" ? linear : mamba)->flops_per_token();
      }
      const std::vector<float> scores = confidence_scores(recorded, measure);
      const ThresholdSweep sweep(outcomes, scores, policy, ExitCost(config, policy, options), name);
      curves[name] = sweep.curve(quantile_thresholds(scores, policy, 50));
      QVERIFY(curves[name].points.size() > 10);
      QCOMPARE(curves[name].points.back().consistency, 1.0);  // τ = +∞: the full model
    }
    for (double budget : {0.6, 0.7, 0.8, 0.9}) {
      const double mp = best_within(curves["max-prob"], budget), lin = best_within(curves["classifier:linear"], budget),
                   mb = best_within(curves["classifier:mamba"], budget);
      qInfo("FLOPs ≤ %.0f %%: consistency max-prob %.3f, classifier:linear %.3f, classifier:mamba %.3f", budget * 100,
            mp, lin, mb);
    }
    // Shallowest exits (τ = −∞): every measure sends every token to the first exit depth.
    QCOMPARE(curves["classifier:mamba"].points.front().mean_depth, double(depths[0]));
  }

  void classifiers_table_round_trip() {
    Database db(fs::path(tmp_.path().toStdString()) / "c.sqlite");
    open_workspace(db);
    const std::string bytes("\0bytes\x01", 7);
    StoredClassifier c{"mine", "mamba", 0, {8, 10}, bytes, {{"auroc", 0.7}}};
    const int64_t id = store_classifier(db, c);
    c.kind = "linear";
    QCOMPARE(store_classifier(db, c), id);  // the same name replaces
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
