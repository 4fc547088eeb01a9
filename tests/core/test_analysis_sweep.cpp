// Threshold sweeps on random runs, against the definition: every point of a curve equals the direct evaluation of
// "first allowed depth with score ≥ τ, else L" token by token; compute never falls as τ rises; τ = −∞ and +∞ are
// the shallowest allowed depth and the full model; the oracle frontier is never beaten at equal compute; and
// threads change nothing.
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "core/analysis/baselines.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/threshold_sweep.h"
#include "core/io/lenient_json.h"

using namespace dynamax;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Samples of 1..40 tokens; scores drift up with depth plus noise, and an exit agrees with the full model more
// often the deeper it is, so curves have the usual shape. Targets and answers are random; −1 ends each sample.
RecordedRun random_run(uint32_t seed, size_t samples, int L) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::uniform_int_distribution<int> vocab(0, 3), length(1, 40);
  RecordedRun r;
  r.depths = L;
  for (size_t s = 0; s < samples; ++s) {
    const int T = length(rng);
    for (int t = 0; t < T; ++t) {
      r.sample_index.push_back(int64_t(s));
      r.position.push_back(t);
      r.token_id.push_back(vocab(rng));
      r.target_id.push_back(t + 1 == T ? -1 : vocab(rng));
      const int32_t final_top1 = vocab(rng);
      r.final_top1.push_back(final_top1);
      r.predicts_answer.push_back(unit(rng) < 0.3f);
      for (int d = 1; d <= L; ++d) {
        const float depth_share = float(d) / float(L);
        r.top1.push_back(d == L || unit(rng) < depth_share ? final_top1 : vocab(rng));
        r.prob.push_back(0.5f * depth_share + 0.5f * unit(rng));
      }
    }
  }
  r.tokens = r.position.size();
  return r;
}

ModelConfig transformer_config(int layers) {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["MistralForCausalLM"], "hidden_size": 16,
      "num_hidden_layers": )" + std::to_string(layers) + R"(, "vocab_size": 64, "num_attention_heads": 4,
      "num_key_value_heads": 2, "intermediate_size": 32, "sliding_window": 8})", "test"), "test");
}

std::vector<int> direct_exit_depths(const RecordedRun& run, const ExitPolicy& policy, double tau) {
  std::vector<int> depths(run.tokens);
  for (size_t row = 0; row < run.tokens; ++row)
    depths[row] = exit_depth(policy, std::span(run.prob).subspan(row * size_t(run.depths), size_t(run.depths)), tau);
  return depths;
}

// Everything but the parameter, which names the point differently per curve kind.
void compare_outcomes(const TradeoffPoint& a, const TradeoffPoint& b) {
  QCOMPARE(a.exit_counts, b.exit_counts);
  QCOMPARE(a.executed_flops, b.executed_flops);
  QCOMPARE(a.full_flops, b.full_flops);
  QCOMPARE(a.mean_depth, b.mean_depth);
  QCOMPARE(a.consistency, b.consistency);
  QCOMPARE(a.accuracy, b.accuracy);
  QCOMPARE(a.answer_agreement, b.answer_agreement);
}

void compare_points(const TradeoffPoint& a, const TradeoffPoint& b) {
  QCOMPARE(a.parameter, b.parameter);
  compare_outcomes(a, b);
}

// The thresholds a test sweeps: quantiles (where tokens change depth), ±∞, and values between scores.
std::vector<double> test_thresholds(const RecordedRun& run, const ExitPolicy& policy) {
  std::vector<double> t = quantile_thresholds(run.prob, policy, 60);
  for (int i = 0; i <= 20; ++i) t.push_back(-0.05 + 1.1 * i / 20);
  return t;
}

}  // namespace

class TestAnalysisSweep : public QObject {
  Q_OBJECT
 private slots:
  void curve_matches_direct_evaluation_data() {
    QTest::addColumn<uint>("seed");
    QTest::addColumn<int>("depths");
    QTest::addColumn<QList<int>>("allowed");
    QTest::addColumn<int>("min_depth");
    QTest::addColumn<bool>("every_head");
    QTest::newRow("L=8 all") << 1u << 8 << QList<int>{} << 1 << true;
    QTest::newRow("L=8 all, exit head only") << 2u << 8 << QList<int>{} << 1 << false;
    QTest::newRow("L=16 from 6") << 3u << 16 << QList<int>{} << 6 << true;
    QTest::newRow("L=32 8,10,12,14") << 4u << 32 << QList<int>{8, 10, 12, 14} << 1 << true;
    QTest::newRow("L=12 3,12") << 5u << 12 << QList<int>{3, 12} << 1 << false;
    QTest::newRow("L=4 only L") << 6u << 4 << QList<int>{4} << 1 << true;
  }
  void curve_matches_direct_evaluation() {
    QFETCH(uint, seed);
    QFETCH(int, depths);
    QFETCH(QList<int>, allowed);
    QFETCH(int, min_depth);
    QFETCH(bool, every_head);
    const RecordedRun run = random_run(seed, 60, depths);
    const ExitPolicy policy = make_exit_policy(depths, std::vector<int>(allowed.begin(), allowed.end()), min_depth);
    const ExitCost cost(transformer_config(depths), policy,
                        {every_head ? HeadEvaluations::EveryAllowedDepthToExit : HeadEvaluations::ExitOnly, 0});
    for (AccuracyPositions scope : {AccuracyPositions::All, AccuracyPositions::Answer}) {
      const ExitOutcomes outcomes(run, scope);
      const ThresholdSweep sweep(outcomes, run.prob, policy, cost, "max-prob");
      const TradeoffCurve curve = sweep.curve(test_thresholds(run, policy));
      for (const TradeoffPoint& p : curve.points) {
        const std::vector<int> direct = direct_exit_depths(run, policy, p.parameter);
        compare_points(p, evaluate_exits(outcomes, cost, direct, p.parameter));
        compare_points(sweep.at(p.parameter), p);
        for (size_t row = 0; row < run.tokens; row += 7) QCOMPARE(sweep.exit_depth(row, p.parameter), direct[row]);
      }
    }
  }

  void compute_never_falls_as_tau_rises() {
    const RecordedRun run = random_run(11, 80, 16);
    const ExitPolicy policy = make_exit_policy(16, std::vector<int>{2, 4, 6, 8, 10, 12, 14});
    const ExitOutcomes outcomes(run);
    const ThresholdSweep sweep(outcomes, run.prob, policy, ExitCost(transformer_config(16), policy), "max-prob");
    const TradeoffCurve curve = sweep.curve(test_thresholds(run, policy));
    for (size_t i = 1; i < curve.points.size(); ++i) {
      QVERIFY(curve.points[i].mean_depth >= curve.points[i - 1].mean_depth);
      QVERIFY(curve.points[i].executed_flops >= curve.points[i - 1].executed_flops);
      for (size_t row = 0; row < run.tokens; ++row)
        QVERIFY(sweep.exit_depth(row, curve.points[i].parameter) >= sweep.exit_depth(row, curve.points[i - 1].parameter));
    }
  }

  void infinite_thresholds_are_the_ends() {
    RecordedRun run = random_run(12, 50, 10);
    run.prob[3] = -std::numeric_limits<float>::infinity();  // a NaN score, as confidence_scores() gives it
    const ExitPolicy policy = make_exit_policy(10, std::vector<int>{3, 5, 7});
    const ExitOutcomes outcomes(run);
    const ExitCost cost(transformer_config(10), policy, {HeadEvaluations::ExitOnly, 0});
    const ThresholdSweep sweep(outcomes, run.prob, policy, cost, "max-prob");
    const TradeoffPoint shallowest = sweep.at(-kInf);
    QCOMPARE(shallowest.mean_depth, 3.0);
    QCOMPARE(shallowest.exit_counts[2], int64_t(run.tokens));
    compare_outcomes(shallowest, static_exits(outcomes, policy, transformer_config(10)).points.front());
    const TradeoffPoint full = sweep.at(kInf);
    QCOMPARE(full.block_fraction, 1.0);
    QCOMPARE(full.flop_fraction, 1.0);
    QCOMPARE(full.consistency, 1.0);
    QCOMPARE(full.answer_agreement, 1.0);
    compare_outcomes(full, static_exits(outcomes, policy, transformer_config(10)).points.back());
  }

  // The oracle frontier is the best consistency at each compute in blocks (see baselines.h): no threshold point
  // lies above it, and none reaches 100 % consistency with fewer blocks than the oracle. Random exits at the
  // same compute stay under it too.
  void oracle_is_never_beaten_at_equal_compute() {
    for (uint32_t seed : {21u, 22u, 23u}) {
      const RecordedRun run = random_run(seed, 30, 12);
      const ExitPolicy policy = make_exit_policy(12, std::vector<int>{2, 4, 6, 8, 10});
      const ExitOutcomes outcomes(run);
      const ModelConfig config = transformer_config(12);
      const TradeoffCurve oracle = oracle_exits(outcomes, policy, config, int(run.tokens) + 1);
      const TradeoffCurve sweep =
          ThresholdSweep(outcomes, run.prob, policy, ExitCost(config, policy), "max-prob").curve(test_thresholds(run, policy));
      std::vector<double> depths;
      for (const TradeoffPoint& p : sweep.points) depths.push_back(p.mean_depth);
      const TradeoffCurve random = random_exits(outcomes, policy, config, depths, seed);
      auto best_at = [&](double mean_depth) {
        double best = 0;
        for (const TradeoffPoint& o : oracle.points)
          if (o.mean_depth <= mean_depth + 1e-12) best = std::max(best, o.consistency);
        return best;
      };
      for (const TradeoffCurve* curve : {&sweep, &random})
        for (const TradeoffPoint& p : curve->points) {
          QVERIFY2(p.consistency <= best_at(p.mean_depth) + 1e-12,
                   qPrintable(QString("%1 at depth %2 beats the oracle's %3")
                                  .arg(p.consistency).arg(p.mean_depth).arg(best_at(p.mean_depth))));
          if (p.consistency == 1.0) QVERIFY(p.mean_depth >= oracle.points.back().mean_depth);
        }
      QCOMPARE(oracle.points.back().consistency, 1.0);
    }
  }

  // Large enough (> 2 × 2^18 steps) for the curve to run on two threads.
  void threads_change_nothing() {
    const RecordedRun run = random_run(31, 8000, 12);
    const ExitPolicy policy = make_exit_policy(12);
    const ExitOutcomes outcomes(run);
    const ThresholdSweep sweep(outcomes, run.prob, policy, ExitCost(transformer_config(12), policy), "max-prob");
    const std::vector<double> thresholds = test_thresholds(run, policy);
    const TradeoffCurve one = sweep.curve(thresholds, 1), two = sweep.curve(thresholds, 2);
    QCOMPARE(one.points.size(), two.points.size());
    for (size_t i = 0; i < one.points.size(); ++i) compare_points(one.points[i], two.points[i]);
  }
};

QTEST_APPLESS_MAIN(TestAnalysisSweep)
#include "test_analysis_sweep.moc"
