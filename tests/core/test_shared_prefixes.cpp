// Shared prompt prefixes: which samples are grouped (hand-made token sequences), and a sample continued from a
// cloned recording state at position p against the same sample recorded whole, on both tiny models, with a linear
// and a Mamba exit classifier scoring along (the Mamba classifier carries a state across the split too).
#include <QtTest>

#include <cmath>

#include "core/common/error.h"
#include "core/exits/classifier_features.h"
#include "core/exits/classifier_spec.h"
#include "core/exits/exit_classifier.h"
#include "core/exits/exit_placement.h"
#include "core/exits/exit_record.h"
#include "core/models/model.h"
#include "core/tasks/dataset.h"
#include "core/tasks/shared_prefixes.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

std::vector<int32_t> seq(std::initializer_list<std::vector<int32_t>> parts) {
  std::vector<int32_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<int32_t> run_of(int32_t first, int n) {
  std::vector<int32_t> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out[size_t(i)] = first + i;
  return out;
}

std::vector<SharedPrefix> groups_of(const std::vector<std::vector<int32_t>>& prompts, int min_length) {
  return find_shared_prefixes(std::vector<std::span<const int32_t>>(prompts.begin(), prompts.end()), min_length);
}

std::unique_ptr<ExitClassifier> untrained(const char* kind, const Model& model) {
  ClassifierSpec spec;
  spec.kind = parse_classifier_kind(kind);
  spec.width = model.hidden_size();
  spec.mamba_inner = 32, spec.mamba_heads = 2;
  return std::make_unique<ExitClassifier>(kind, spec, default_exit_depths(model.depth()), model.depth(), 11);
}

}  // namespace

class TestSharedPrefixes : public QObject {
  Q_OBJECT
 private slots:
  void a_primer_shared_by_all_is_one_group() {
    const auto primer = run_of(100, 30);
    const std::vector<std::vector<int32_t>> prompts{seq({primer, {1, 2, 3}}), seq({primer, {4}}), seq({primer, {5, 6}})};
    const auto groups = groups_of(prompts, 16);
    QCOMPARE(groups.size(), size_t(1));
    // 30 shared tokens: positions 0..28 have the same input and the same target in all three
    QCOMPARE(groups[0].length, 29);
    QCOMPARE(groups[0].members, (std::vector<size_t>{0, 1, 2}));
  }

  void short_or_single_prefixes_are_not_shared() {
    const auto primer = run_of(100, 10);
    const std::vector<std::vector<int32_t>> prompts{seq({primer, {1}}), seq({primer, {2}}), seq({run_of(500, 40), {3}})};
    QVERIFY(groups_of(prompts, 16).empty());  // 9 < 16, and the long one has no partner
    QCOMPARE(groups_of(prompts, 8).size(), size_t(1));
  }

  void the_grouping_saves_the_most_passes() {
    // Two stories of 100 tokens behind a 20-token primer, three turns each: one group per story saves
    // 2 × 2 × 119 passes; one group for all under the primer only 5 × 19.
    const auto primer = run_of(1000, 20);
    std::vector<std::vector<int32_t>> prompts;
    for (int story : {0, 1})
      for (int turn : {0, 1, 2}) prompts.push_back(seq({primer, run_of(2000 + story * 500, 100), {7 + turn}}));
    const auto groups = groups_of(prompts, 16);
    QCOMPARE(groups.size(), size_t(2));
    QCOMPARE(groups[0].length, 119);
    QCOMPARE(groups[0].members, (std::vector<size_t>{0, 1, 2}));
    QCOMPARE(groups[1].members, (std::vector<size_t>{3, 4, 5}));
    // many short samples behind the primer: now one group for all saves more
    for (int i = 0; i < 30; ++i) prompts.push_back(seq({primer, {3000 + i}}));
    const auto more = groups_of(prompts, 16);
    QCOMPARE(more.size(), size_t(1));
    QCOMPARE(more[0].length, 19);
    QCOMPARE(more[0].members.size(), size_t(36));
  }

  void identical_prompts_share_all_but_their_last_token() {
    const auto p = run_of(10, 40);
    const auto groups = groups_of({p, p, seq({p, {1}})}, 16);
    QCOMPARE(groups.size(), size_t(1));
    QCOMPARE(groups[0].length, 39);  // position 39 predicts the first answer token of the two equal prompts
  }

  void empty_and_tiny_inputs() {
    QVERIFY(groups_of({}, 16).empty());
    QVERIFY(groups_of({{}}, 16).empty());
    QVERIFY(groups_of({{}, {}}, 1).empty());
  }

  void continued_sample_matches_the_whole_pass_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("bound");
    // The README's bound. Measured on these fixtures: tiny-mistral's exits are bit-identical, but a classifier's
    // GEMM over other row counts rounds differently in the last bits; tiny-codestral's chunked scan splits at
    // other rows, ≤ 1e-5 in probabilities and entropies.
    QTest::newRow("tiny-mistral") << "tiny-mistral" << 1e-4;
    QTest::newRow("tiny-codestral") << "tiny-codestral" << 1e-4;
  }
  void continued_sample_matches_the_whole_pass() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    QFETCH(double, bound);
    const fs::path dir = testing_support::shared_dir() / "fixtures/models" / name.toStdString();
    auto tokenizer = load_tokenizer(dir);
    auto model = load_model(dir);
    auto data = open_dataset(
        parse_dataset_spec("truthfulqa:" + (testing_support::shared_dir() / "data/truthfulqa/TruthfulQA.csv").string()),
        *tokenizer, 3);
    std::vector<Sample> samples;
    for (size_t i = 0; i < data->size(); ++i) samples.push_back(data->sample(i));
    std::vector<std::vector<int32_t>> prompts;
    for (const Sample& s : samples) prompts.emplace_back(s.ids.begin(), s.ids.begin() + s.prompt_tokens);
    const auto groups = groups_of(prompts, kMinSharedPrefix);
    QCOMPARE(groups.size(), size_t(1));
    const int p = groups[0].length;
    QVERIFY(p > 150);  // the QA primer

    const auto linear = untrained("linear", *model), mamba = untrained("mamba", *model);
    const std::vector<const ExitScorer*> scorers{linear.get(), mamba.get()};
    const int k = 3;
    RecordingState prefix_state = start_recording(*model, scorers);
    const SampleRecord prefix = record_span(*model, prefix_state, samples[0].ids, p, k, {}, scorers);
    QCOMPARE(prefix.start, 0);
    QCOMPARE(prefix.positions, p);
    double worst = 0;
    auto near = [&](double a, double b) {
      worst = std::max(worst, std::fabs(a - b));
      return std::fabs(a - b) <= bound;
    };
    for (const Sample& s : samples) {
      const SampleRecord whole = record_sample(*model, s.ids, k, {}, scorers);
      RecordingState state = prefix_state.clone();
      const SampleRecord tail = record_span(*model, state, s.ids, int(s.ids.size()), k, {}, scorers);
      QCOMPARE(tail.start, p);
      QCOMPARE(tail.positions, int(s.ids.size()) - p);
      QCOMPARE(state.position(), int(s.ids.size()));
      // every row of the whole pass is the prefix's (same for all samples) or the continuation's
      for (int t = 0; t < whole.positions; ++t) {
        const SampleRecord& part = t < p ? prefix : tail;
        const int row = t - part.start;
        QCOMPARE(part.token_ids[size_t(row)], whole.token_ids[size_t(t)]);
        QCOMPARE(part.target_ids[size_t(row)], whole.target_ids[size_t(t)]);
        QCOMPARE(part.final_top1[size_t(row)], whole.final_top1[size_t(t)]);
        for (int d = 1; d <= whole.depths; ++d) {
          const ExitMeasures &a = part.at(row, d), &b = whole.at(t, d);
          QCOMPARE(a.top1, b.top1);
          QVERIFY2(near(a.prob, b.prob) && near(a.margin, b.margin) && near(a.entropy, b.entropy) &&
                       near(a.saturation, b.saturation),
                   qPrintable(QString("position %1 depth %2").arg(t).arg(d)));
          for (int r = 0; r < k; ++r) {
            const size_t x = (size_t(row) * whole.depths + size_t(d - 1)) * k + r;
            const size_t y = (size_t(t) * whole.depths + size_t(d - 1)) * k + r;
            QCOMPARE(part.topk_ids[x], whole.topk_ids[y]);
            QVERIFY(near(part.topk_logprobs[x], whole.topk_logprobs[y]));
          }
        }
        for (size_t c = 0; c < scorers.size(); ++c) {
          const size_t exits = whole.classifier_scores[c].depths.size();
          for (size_t e = 0; e < exits; ++e)
            QVERIFY2(near(part.classifier_scores[c].scores[size_t(row) * exits + e],
                          whole.classifier_scores[c].scores[size_t(t) * exits + e]),
                     qPrintable(QString("%1 at position %2").arg(QString::fromStdString(scorers[c]->name())).arg(t)));
        }
      }
    }
    qInfo("%s: largest difference from the whole pass %.3g", qPrintable(name), worst);
  }

  void feature_extraction_shares_the_primer_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void feature_extraction_shares_the_primer() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    const fs::path dir = testing_support::shared_dir() / "fixtures/models" / name.toStdString();
    auto tokenizer = load_tokenizer(dir);
    auto model = load_model(dir);
    auto data = open_dataset(
        parse_dataset_spec("truthfulqa:" + (testing_support::shared_dir() / "data/truthfulqa/TruthfulQA.csv").string()),
        *tokenizer, 3);
    const std::vector<int> depths = default_exit_depths(model->depth());
    const ExitFeatures shared = extract_exit_features(*model, *data, depths, {}, nullptr, {}, true);
    const ExitFeatures alone = extract_exit_features(*model, *data, depths, {}, nullptr, {}, false);
    QCOMPARE(shared.sequences.size(), size_t(3));
    double worst = 0;
    for (size_t i = 0; i < 3; ++i) {
      const ExitFeatureSequence &a = shared.sequences[i], &b = alone.sequences[i];
      QCOMPARE(a.T, int(data->sample(i).ids.size()));
      QCOMPARE(a.T, b.T);
      for (size_t e = 0; e < depths.size(); ++e) {
        QCOMPARE(a.labels[e], b.labels[e]);
        QCOMPARE(a.inputs[e].size(), b.inputs[e].size());
        for (size_t j = 0; j < a.inputs[e].size(); ++j)
          worst = std::max(worst, double(std::fabs(a.inputs[e][j] - b.inputs[e][j])));
      }
    }
    qInfo("%s: largest difference of a classifier input %.3g", qPrintable(name), worst);
    QVERIFY(worst <= 1e-4);  // the README's bound (inputs are RMS-normalised, entries of order 1)
  }

  void advanced_state_continues_like_the_recorded_one() {
    REQUIRE_SHARED();
    const fs::path dir = testing_support::shared_dir() / "fixtures/models/tiny-codestral";
    auto model = load_model(dir);
    const auto mamba = untrained("mamba", *model);
    const std::vector<const ExitScorer*> scorers{mamba.get()};
    std::vector<int32_t> ids = run_of(40, 90);
    RecordingState recorded = start_recording(*model, scorers), advanced = start_recording(*model, scorers);
    record_span(*model, recorded, ids, 60, 0, {}, scorers);
    advance_recording(*model, advanced, ids, 60, {}, scorers);
    const SampleRecord a = record_span(*model, recorded, ids, 90, 0, {}, scorers);
    const SampleRecord b = record_span(*model, advanced, ids, 90, 0, {}, scorers);
    for (size_t i = 0; i < a.exits.size(); ++i) QCOMPARE(a.exits[i].prob, b.exits[i].prob);
    QCOMPARE(a.classifier_scores[0].scores, b.classifier_scores[0].scores);
  }

  void bad_spans_are_refused() {
    REQUIRE_SHARED();
    auto model = load_model(testing_support::shared_dir() / "fixtures/models/tiny-mistral");
    const std::vector<int32_t> ids = run_of(40, 10);
    RecordingState state = start_recording(*model);
    QVERIFY_THROWS_EXCEPTION(Error, record_span(*model, state, ids, 11));
    QVERIFY_THROWS_EXCEPTION(Error, record_span(*model, state, ids, 0));
    record_span(*model, state, ids, 4);
    QVERIFY_THROWS_EXCEPTION(Error, record_span(*model, state, ids, 4));  // nothing left before 4
    QCOMPARE(record_span(*model, state, ids, 10).start, 4);
  }
};

QTEST_APPLESS_MAIN(TestSharedPrefixes)
#include "test_shared_prefixes.moc"
