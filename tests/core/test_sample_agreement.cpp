// The comparison's core on a hand-built run whose every answer is worked out below: the exit-depth distribution
// at τ (and that it matches the sweep's own histogram), per-sample exits and consistency on scored tokens, samples
// paired across runs by their dataset index, and the agreement labels.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_depth_distribution.h"
#include "core/analysis/exit_policy.h"
#include "core/analysis/sample_agreement.h"
#include "core/analysis/threshold_sweep.h"
#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "support/hand_recorded_run.h"

using namespace dynamax;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The hand run with samples 0 and 2 of a dataset (1 was not recorded). Agreement with the full model (depth 4
// always agrees): t0 at depths 2–4, t1 at 3–4, t2 at 4 only, t3 everywhere, t4 at 3–4; t1, t3, t4 are scored.
RecordedRun hand_run() { return testing_support::hand_recorded_run(0, 2); }

ModelConfig mamba_config() {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["Mamba2ForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": 4, "vocab_size": 32, "num_heads": 4, "head_dim": 4, "n_groups": 1, "state_size": 2,
      "expand": 2, "conv_kernel": 2})", "test"), "test");
}

std::vector<int> to_vector(const QList<int>& list) { return {list.begin(), list.end()}; }

SampleExits sample(int64_t index) {
  SampleExits e;
  e.sample_index = index;
  return e;
}

}  // namespace

class TestSampleAgreement : public QObject {
  Q_OBJECT
 private slots:
  void distribution_counts_each_exit_once() {
    const std::vector<int> depths{1, 2, 4, 1, 3};
    const ExitDepthDistribution d = exit_depth_distribution(depths, 4);
    QCOMPARE(d.depths, 4);
    QCOMPARE(d.counts, std::vector<int64_t>({2, 1, 1, 1}));
    QCOMPARE(d.tokens, int64_t(5));
    QCOMPARE(d.mean_depth, 2.2);
    QCOMPARE(d.mean_fraction(), 0.55);
    QCOMPARE(d.share(1), 0.4);
    double total = 0;
    for (int depth = 1; depth <= 4; ++depth) total += d.share(depth);
    QCOMPARE(total, 1.0);
  }

  void distribution_of_nothing_and_bad_depths() {
    const ExitDepthDistribution empty = exit_depth_distribution({}, 4);
    QCOMPARE(empty.counts, std::vector<int64_t>(4, 0));
    QVERIFY(std::isnan(empty.mean_depth));
    QVERIFY(std::isnan(empty.share(2)));
    const std::vector<int> outside{1, 5};
    QVERIFY_THROWS_EXCEPTION(Error, exit_depth_distribution(outside, 4));
    QVERIFY_THROWS_EXCEPTION(Error, exit_depth_distribution(outside, 0));
  }

  // The sweep's exit depths per token give the same histogram and mean as the sweep's own point at τ.
  void distribution_matches_the_sweep_data() {
    QTest::addColumn<double>("tau");
    for (double tau : {-kInf, 0.5, 0.6, 0.85, 0.95, kInf}) QTest::newRow(qPrintable(QString::number(tau))) << tau;
  }
  void distribution_matches_the_sweep() {
    QFETCH(double, tau);
    const RecordedRun run = hand_run();
    const ExitPolicy policy = make_exit_policy(4);
    const ExitOutcomes outcomes(run);
    const ThresholdSweep sweep(outcomes, confidence_scores(run, parse_measure("max-prob")), policy,
                               ExitCost(mamba_config(), policy), "max-prob");
    std::vector<int> depths;
    for (size_t row = 0; row < run.tokens; ++row) depths.push_back(sweep.exit_depth(row, tau));
    const ExitDepthDistribution d = exit_depth_distribution(depths, 4);
    const TradeoffPoint p = sweep.at(tau);
    QCOMPARE(d.counts, p.exit_counts);
    QCOMPARE(d.mean_depth, p.mean_depth);
  }

  // Exit depths by hand; per sample: mean depth over all its tokens, consistency over its scored tokens only.
  void sample_exits_by_hand_data() {
    QTest::addColumn<QList<int>>("depths");
    QTest::addColumn<double>("mean0");
    QTest::addColumn<int>("agreeing0");  // of 1 scored token (t1)
    QTest::addColumn<double>("mean2");
    QTest::addColumn<int>("agreeing2");  // of 2 scored tokens (t3, t4)
    QTest::newRow("shallow") << QList<int>{1, 1, 1, 1, 1} << 1.0 << 0 << 1.0 << 1;
    QTest::newRow("mixed") << QList<int>{1, 2, 4, 1, 3} << 7.0 / 3 << 0 << 2.0 << 2;
    QTest::newRow("t1 keeps") << QList<int>{1, 3, 1, 2, 2} << 5.0 / 3 << 1 << 2.0 << 1;
    QTest::newRow("full model") << QList<int>{4, 4, 4, 4, 4} << 4.0 << 1 << 4.0 << 2;
  }
  void sample_exits_by_hand() {
    QFETCH(QList<int>, depths);
    QFETCH(double, mean0);
    QFETCH(int, agreeing0);
    QFETCH(double, mean2);
    QFETCH(int, agreeing2);
    const RecordedRun run = hand_run();
    const std::vector<SampleExits> s = sample_exits(run, ExitOutcomes(run), to_vector(depths));
    QCOMPARE(s.size(), size_t(2));
    QCOMPARE(s[0].sample_index, int64_t(0));
    QCOMPARE(s[1].sample_index, int64_t(2));
    QCOMPARE(s[0].tokens, size_t(3));
    QCOMPARE(s[1].tokens, size_t(2));
    QCOMPARE(s[0].mean_depth, mean0);
    QCOMPARE(s[1].mean_depth, mean2);
    QCOMPARE(s[0].scored, size_t(1));
    QCOMPARE(s[1].scored, size_t(2));
    QCOMPARE(s[0].scored_agreeing, size_t(agreeing0));
    QCOMPARE(s[1].scored_agreeing, size_t(agreeing2));
    QCOMPARE(s[0].consistency(), double(agreeing0));
    QCOMPARE(s[1].consistency(), agreeing2 / 2.0);
    QCOMPARE(s[0].keeps(), agreeing0 == 1);
    QCOMPARE(s[1].keeps(), agreeing2 == 2);
  }

  void a_sample_without_scored_tokens_keeps_with_no_consistency() {
    RecordedRun run = hand_run();
    run.predicts_answer = {0, 0, 0, 1, 1};
    const std::vector<SampleExits> s = sample_exits(run, ExitOutcomes(run), std::vector<int>{1, 1, 1, 1, 1});
    QCOMPARE(s[0].scored, size_t(0));
    QVERIFY(std::isnan(s[0].consistency()));
    QVERIFY(s[0].keeps());
  }

  void sample_exits_refuse_mismatched_depths() {
    const RecordedRun run = hand_run();
    QVERIFY_THROWS_EXCEPTION(Error, sample_exits(run, ExitOutcomes(run), std::vector<int>{1, 1}));
  }

  void samples_pair_by_dataset_index() {
    const std::vector<std::vector<SampleExits>> runs{{sample(0), sample(1), sample(2), sample(5)},
                                                     {sample(1), sample(2), sample(3), sample(5)}};
    const std::vector<PairedSample> pairs = pair_samples(runs);
    QCOMPARE(pairs.size(), size_t(3));
    QCOMPARE(pairs[0].sample_index, int64_t(1));
    QCOMPARE(pairs[0].in_run, std::vector<size_t>({1, 0}));
    QCOMPARE(pairs[1].sample_index, int64_t(2));
    QCOMPARE(pairs[1].in_run, std::vector<size_t>({2, 1}));
    QCOMPARE(pairs[2].sample_index, int64_t(5));
    QCOMPARE(pairs[2].in_run, std::vector<size_t>({3, 3}));
    // one run pairs with itself; a run without samples leaves nothing shared; no runs, no pairs
    QCOMPARE(pair_samples(std::span(runs).first(1)).size(), size_t(4));
    const std::vector<std::vector<SampleExits>> with_empty{runs[0], {}};
    QVERIFY(pair_samples(with_empty).empty());
    QVERIFY(pair_samples({}).empty());
  }

  void agreement_labels_data() {
    QTest::addColumn<QList<bool>>("keeps");
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("differ");
    QTest::newRow("both keep") << QList<bool>{true, true} << "both keep" << false;
    QTest::newRow("both change") << QList<bool>{false, false} << "both change" << false;
    QTest::newRow("only A") << QList<bool>{true, false} << "only A keeps" << true;
    QTest::newRow("only B") << QList<bool>{false, true} << "only B keeps" << true;
    QTest::newRow("all keep") << QList<bool>{true, true, true} << "all keep" << false;
    QTest::newRow("all change") << QList<bool>{false, false, false} << "all change" << false;
    QTest::newRow("only B of 3") << QList<bool>{false, true, false} << "only B keeps" << true;
    QTest::newRow("two of 3") << QList<bool>{true, false, true} << "only A, C keep" << true;
    QTest::newRow("one run keeps") << QList<bool>{true} << "keeps" << false;
    QTest::newRow("one run changes") << QList<bool>{false} << "changes" << false;
  }
  void agreement_labels() {
    QFETCH(QList<bool>, keeps);
    QFETCH(QString, label);
    QFETCH(bool, differ);
    const std::vector<bool> k(keeps.begin(), keeps.end());
    const std::vector<std::string> names{"A", "B", "C"};
    QCOMPARE(QString::fromStdString(agreement_label(k, std::span(names).first(k.size()))), label);
    QCOMPARE(runs_differ(k), differ);
  }

  // Token by token: the share of scored tokens every run keeps or every run changes; runs whose tokens do not line
  // up (another tokenizer) have none.
  void token_agreement_counts_tokens_treated_alike() {
    SampleExits a, b, c;
    a.tokens = b.tokens = c.tokens = 5;
    a.kept = {true, true, false, false};
    b.kept = {true, false, false, true};
    c.kept = {true, true, false};
    const SampleExits* ab[] = {&a, &b};
    QCOMPARE(token_agreement(ab), 0.5);  // positions 0 and 2
    const SampleExits* aa[] = {&a, &a};
    QCOMPARE(token_agreement(aa), 1.0);
    const SampleExits* ac[] = {&a, &c};
    QCOMPARE(token_agreement(ac), -1.0);
    const SampleExits* one[] = {&a};
    QCOMPARE(token_agreement(one), -1.0);
    c.kept.push_back(true);
    c.tokens = 6;
    QCOMPARE(token_agreement(ac), -1.0);  // same scored count, different token count: not the same tokens
  }

  void agreement_label_needs_a_name_per_run() {
    const std::vector<std::string> names{"A"};
    QVERIFY_THROWS_EXCEPTION(Error, agreement_label({true, false}, names));
  }
};

QTEST_APPLESS_MAIN(TestSampleAgreement)
#include "test_sample_agreement.moc"
