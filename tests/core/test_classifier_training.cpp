// Exit classifiers trained on the frozen tiny models: exit placement, labels, AUROC arithmetic, then every kind on
// tiny-mistral and tiny-codestral, trained on the books and validated on held-out WikiText-2, must separate good
// exits from bad ones at every exit depth, and training must be deterministic for a seed.
#include <QtTest>

#include <cmath>
#include <map>

#include "core/common/error.h"
#include "core/exits/classifier_training.h"
#include "core/exits/exit_placement.h"
#include "core/models/model.h"
#include "core/tasks/dataset.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

// Features of one tiny model, extracted once for all the tests that train on it.
struct ModelFeatures {
  std::unique_ptr<Model> model;
  ExitFeatures train, valid;
};

ModelFeatures& features_of(const std::string& name) {
  static std::map<std::string, ModelFeatures> cache;
  ModelFeatures& f = cache[name];
  if (f.model) return f;
  const fs::path dir = testing_support::shared_dir() / "fixtures/models" / name;
  const fs::path text = testing_support::shared_dir() / "data/text";
  auto tokenizer = load_tokenizer(dir);
  f.model = load_model(dir);
  const std::vector<int> depths = default_exit_depths(f.model->depth());
  // Train on the books (32 windows of each), validate on held-out WikiText, as the README's table does at 200.
  for (const char* book : {"austen-emma.txt", "melville-moby_dick.txt", "tinyshakespeare.txt"}) {
    auto train = open_dataset(parse_dataset_spec("text:" + (text / book).string() + "#window=128"), *tokenizer, 32);
    ExitFeatures one = extract_exit_features(*f.model, *train, depths, {});
    f.train.width = one.width;
    f.train.depths = one.depths;
    std::move(one.sequences.begin(), one.sequences.end(), std::back_inserter(f.train.sequences));
  }
  auto valid = open_dataset(parse_dataset_spec("text:" + (text / "wikitext2_test.txt").string() + "#window=128"), *tokenizer, 64);
  f.valid = extract_exit_features(*f.model, *valid, depths, {});
  return f;
}

ClassifierSpec spec_of(const QString& kind, int width) {
  ClassifierSpec spec;
  spec.kind = parse_classifier_kind(kind.toStdString());
  spec.width = width;
  // Small networks: 5 k training tokens overfit the default sizes within two epochs.
  spec.ffn_width = 64;
  spec.mamba_inner = 32;
  spec.mamba_heads = 2;
  return spec;
}

}  // namespace

class TestClassifierTraining : public QObject {
  Q_OBJECT
 private slots:
  void exit_placement() {
    QCOMPARE(default_exit_depths(16), (std::vector<int>{8, 10, 12, 14}));
    QCOMPARE(default_exit_depths(24), (std::vector<int>{12, 15, 18, 21}));
    QCOMPARE(default_exit_depths(32), (std::vector<int>{16, 20, 24, 28}));
    QCOMPARE(default_exit_depths(64), (std::vector<int>{32, 40, 48, 56}));
    QCOMPARE(default_exit_depths(2), (std::vector<int>{1}));
    QVERIFY_THROWS_EXCEPTION(Error, default_exit_depths(1));
    const std::vector<int> given{14, 3, 9};
    QCOMPARE(validated_exit_depths(16, given), (std::vector<int>{3, 9, 14}));
    QVERIFY_THROWS_EXCEPTION(Error, validated_exit_depths(16, std::vector<int>{16}));
    QVERIFY_THROWS_EXCEPTION(Error, validated_exit_depths(16, std::vector<int>{0, 4}));
    QVERIFY_THROWS_EXCEPTION(Error, validated_exit_depths(16, std::vector<int>{4, 4}));
  }

  void auroc_from_ranks() {
    const std::vector<float> scores{0.1f, 0.4f, 0.35f, 0.8f};
    const std::vector<uint8_t> labels{0, 0, 1, 1};
    QCOMPARE(auroc(scores, labels), 0.75);  // 3 of the 4 (positive, negative) pairs are ordered right
    const std::vector<float> tied{0.5f, 0.5f, 0.5f, 0.9f};
    QCOMPARE(auroc(tied, labels), 0.75);  // (½ + ½ + 1 + 1) / 4: the two tied pairs count ½ each
    QVERIFY(std::isnan(auroc(scores, std::vector<uint8_t>{1, 1, 1, 1})));
    QVERIFY(std::fabs(binary_cross_entropy(0.0f, 1) - std::log(2.0)) < 1e-12);
    QVERIFY(std::fabs(binary_cross_entropy(-100.0f, 0)) < 1e-12);
    // Hanley & McNeil's standard error, worked by hand for A = 0.75 and two of each class:
    // Q1 = 0.6, Q2 = 9/14, SE² = (0.1875 + 0.0375 + 0.080357…) / 4.
    QVERIFY(std::fabs(auroc_standard_error(0.75, 2, 2) - std::sqrt((0.1875 + 0.0375 + (9.0 / 14 - 0.5625)) / 4)) < 1e-12);
    QVERIFY(std::isnan(auroc_standard_error(std::nan(""), 2, 2)));
  }

  void loss_weights_grow_with_depth() {
    const std::vector<int> depths{8, 10, 12, 14};
    const std::vector<double> w = exit_loss_weights(depths);
    QVERIFY(std::fabs(w[0] - 8.0 / 44) < 1e-12 && std::fabs(w[3] - 14.0 / 44) < 1e-12);
    QVERIFY_THROWS_EXCEPTION(Error, exit_loss_weights(depths, std::vector<double>{1, 2}));
  }

  void labels_follow_the_top_k_rule() {
    REQUIRE_SHARED();
    ModelFeatures& f = features_of("tiny-mistral");
    const std::vector<int> ids{1, 415, 2936, 906, 285, 1142, 2870, 754, 272, 1789};
    const std::vector<int> depths{8, 14};
    const ExitFeatureSequence k1 = exit_features_of(*f.model, ids, depths, {1, false});
    const ExitFeatureSequence k5 = exit_features_of(*f.model, ids, depths, {5, false});
    const ExitFeatureSequence r5 = exit_features_of(*f.model, ids, depths, {5, true});
    // Relaxing k only adds positives; with k = 1 both directions are the same test (top-1 = top-1).
    const ExitFeatureSequence r1 = exit_features_of(*f.model, ids, depths, {1, true});
    for (size_t e = 0; e < depths.size(); ++e)
      for (size_t t = 0; t < ids.size(); ++t) {
        QVERIFY(k5.labels[e][t] >= k1.labels[e][t]);
        QVERIFY(r5.labels[e][t] >= k1.labels[e][t]);
        QCOMPARE(r1.labels[e][t], k1.labels[e][t]);
      }
  }

  void separates_good_exits_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("kind");
    for (const char* model : {"tiny-mistral", "tiny-codestral"})
      for (const char* kind : {"linear", "ffn", "mamba"}) QTest::addRow("%s %s", model, kind) << model << kind;
  }
  void separates_good_exits() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(QString, kind);
    ModelFeatures& f = features_of(model.toStdString());
    ExitClassifier c("test", spec_of(kind, f.model->hidden_size()), f.train.depths, f.model->depth(), 7);
    TrainOptions o;
    o.epochs = 8;
    o.seed = 7;
    o.adamw.lr = kind == "linear" ? 3e-3f : 1e-3f;
    o.adamw.weight_decay = 0.1f;
    std::vector<double> curve;
    const TrainReport r = train_exit_classifier(c, f.train, f.valid, o, [&](const EpochReport& e) { curve.push_back(e.valid_loss); });
    QCOMPARE(int(curve.size()), int(r.epochs.size()));
    QVERIFY(r.best_epoch >= 1 && r.best_epoch <= int(curve.size()));
    QVERIFY(!curve.empty());
    const std::vector<ExitMetrics> on_train = evaluate_exit_classifier(c, f.train);
    for (size_t e = 0; e < r.validation.size(); ++e) {
      const ExitMetrics& m = r.validation[e];
      qInfo("%s %s depth %2d: valid AUROC %.3f ± %.3f, accuracy %.3f, loss %.3f, positives %.2f; train AUROC %.3f, positives %.2f",
            qPrintable(model), qPrintable(kind), m.depth, m.auroc, 1.96 * m.auroc_se, m.accuracy, m.loss, m.positive_rate,
            on_train[e].auroc, on_train[e].positive_rate);
      QVERIFY2(on_train[e].auroc >= 0.6, qPrintable(QString("depth %1: train AUROC %2").arg(m.depth).arg(on_train[e].auroc)));
    }
    // Above chance at every exit: the AUROC's 95 % interval (Hanley–McNeil) clears 0.5 on held-out WikiText.
    for (const ExitMetrics& m : r.validation)
      QVERIFY2(m.auroc - 1.96 * m.auroc_se > 0.5,
               qPrintable(QString("depth %1: AUROC %2 ± %3").arg(m.depth).arg(m.auroc).arg(1.96 * m.auroc_se)));
  }

  void deterministic_for_a_seed_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"linear", "ffn", "mamba"}) QTest::newRow(kind) << kind;
  }
  void deterministic_for_a_seed() {
    REQUIRE_SHARED();
    QFETCH(QString, kind);
    ModelFeatures& f = features_of("tiny-mistral");
    TrainOptions o;
    o.epochs = 2;
    o.seed = 11;
    auto trained = [&](uint64_t seed) {
      o.seed = seed;
      ExitClassifier c("test", spec_of(kind, f.model->hidden_size()), f.train.depths, f.model->depth(), seed);
      train_exit_classifier(c, f.train, f.valid, o);
      return c.weights();
    };
    const auto first = trained(11);
    QVERIFY(first == trained(11));
    QVERIFY(first != trained(12));
  }

  void empty_or_mismatched_data_is_an_error() {
    ExitClassifier c("test", spec_of("linear", 8), {2, 3}, 4, 1);
    ExitFeatures empty;
    empty.width = 8;
    empty.depths = {2, 3};
    QVERIFY_THROWS_EXCEPTION(Error, train_exit_classifier(c, empty, empty, {}));
    ExitFeatures other = empty;
    other.depths = {1, 3};
    QVERIFY_THROWS_EXCEPTION(Error, train_exit_classifier(c, other, other, {}));
  }
};

QTEST_APPLESS_MAIN(TestClassifierTraining)
#include "test_classifier_training.moc"
