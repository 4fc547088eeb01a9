// core/analysis on a hand-built run whose every answer is worked out below: measures, exit policies, threshold
// sweeps (exit depths, consistency, accuracy, answer agreement, histograms, FLOPs), baselines, Pareto fronts,
// operating points, the CSV and LaTeX texts, and the errors bad input gets.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/analysis/baselines.h"
#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/operating_points.h"
#include "core/analysis/pareto_front.h"
#include "core/analysis/threshold_sweep.h"
#include "core/analysis/tradeoff_export.h"
#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "support/hand_recorded_run.h"

using namespace dynamax;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

RecordedRun hand_run() { return testing_support::hand_recorded_run(); }

// A Mamba2 config with L = 4: its block cost does not depend on the position, so FLOPs are d·B + heads·H.
ModelConfig mamba_config(int layers = 4) {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["Mamba2ForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": )" + std::to_string(layers) + R"(, "vocab_size": 32, "num_heads": 4, "head_dim": 4,
      "n_groups": 1, "state_size": 2, "expand": 2, "conv_kernel": 2})", "test"), "test");
}

template <class F>
QString error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

std::vector<int> to_vector(const QList<int>& list) { return {list.begin(), list.end()}; }

// A point with the fields tables and CSV read (no histogram).
TradeoffPoint table_point(double parameter, double mean_depth, double block_fraction, int64_t executed_flops,
                          int64_t full_flops, double flop_fraction, double consistency, double accuracy,
                          double answer_agreement) {
  TradeoffPoint p;
  p.parameter = parameter;
  p.mean_depth = mean_depth;
  p.block_fraction = block_fraction;
  p.executed_flops = executed_flops;
  p.full_flops = full_flops;
  p.flop_fraction = flop_fraction;
  p.consistency = consistency;
  p.accuracy = accuracy;
  p.answer_agreement = answer_agreement;
  return p;
}

TradeoffPoint plane_point(double block_fraction, double consistency) {
  return table_point(0, 0, block_fraction, 0, 0, 0, consistency, 0, 0);
}

}  // namespace

class TestAnalysis : public QObject {
  Q_OBJECT
 private slots:
  void measure_names_round_trip() {
    for (const char* name : {"max-prob", "margin", "entropy", "saturation", "classifier:mamba-16"})
      QCOMPARE(parse_measure(name).name(), std::string(name));
    QCOMPARE(parse_measure("classifier:ffn").kind, MeasureKind::Classifier);
    QCOMPARE(parse_measure("classifier:ffn").classifier, std::string("ffn"));
  }

  void measure_scores_are_higher_when_more_confident() {
    RecordedRun run = hand_run();
    run.entropy[1] = NAN;
    QCOMPARE(confidence_scores(run, parse_measure("max-prob")), run.prob);
    QCOMPARE(confidence_scores(run, parse_measure("margin")), run.margin);
    QCOMPARE(confidence_scores(run, parse_measure("saturation")), run.saturation);
    const std::vector<float> entropy = confidence_scores(run, parse_measure("entropy"));
    QCOMPARE(entropy[0], -run.entropy[0]);  // negated: low entropy = confident
    QCOMPARE(entropy[1], -std::numeric_limits<float>::infinity());  // NaN never passes a finite τ
  }

  void exit_policies() {
    QCOMPARE(make_exit_policy(4).allowed, std::vector<int>({1, 2, 3, 4}));
    QCOMPARE(make_exit_policy(4, {}, 3).allowed, std::vector<int>({3, 4}));
    const std::vector<int> listed{14, 8, 12, 10, 8};
    const ExitPolicy p = make_exit_policy(32, listed, 10);
    QCOMPARE(p.allowed, std::vector<int>({10, 12, 14}));
    QCOMPARE(std::vector<int>(p.decision_depths().begin(), p.decision_depths().end()), std::vector<int>({10, 12, 14}));
    const ExitPolicy with_last = make_exit_policy(4, std::vector<int>{2, 4});
    QCOMPARE(std::vector<int>(with_last.decision_depths().begin(), with_last.decision_depths().end()), std::vector<int>({2}));
    QCOMPARE(parse_depth_list("8,10, 12 ,14"), std::vector<int>({8, 10, 12, 14}));
    const std::vector<float> row{.2f, .5f, .9f, .95f};
    QCOMPARE(exit_depth(make_exit_policy(4), row, 0.5), 2);
    QCOMPARE(exit_depth(make_exit_policy(4), row, 0.95), 4);  // depth 4 is L: no decision there
    QCOMPARE(exit_depth(make_exit_policy(4, std::vector<int>{3}), row, -kInf), 3);
  }

  // Exit depths by hand (first allowed depth below L with score ≥ τ, else 4), and what they give:
  // consistency over 5 tokens, accuracy over t0 t1 t3 t4 (t2 has no target) or over the answer rows t1 t3 t4,
  // answer agreement over samples {t1} and {t3, t4}. `heads` = exit heads paid per token (every allowed depth
  // up to the exit; allowed depths below the exit + 1).
  void sweep_by_hand_data() {
    QTest::addColumn<QList<int>>("allowed");
    QTest::addColumn<double>("tau");
    QTest::addColumn<QList<int>>("depths");
    QTest::addColumn<QList<int>>("heads");
    QTest::addColumn<double>("consistency");
    QTest::addColumn<double>("accuracy_all");
    QTest::addColumn<double>("accuracy_answers");
    QTest::addColumn<double>("answer_agreement");
    const QList<int> all{1, 2, 3, 4}, mid{2, 3};
    // τ = −∞: everything at depth 1; only t3 agrees; t3 (13) and t4 (9) are right; no sample agrees.
    QTest::newRow("all -inf") << all << -kInf << QList<int>{1, 1, 1, 1, 1} << QList<int>{1, 1, 1, 1, 1} << 0.2 << 0.5
                              << 2.0 / 3 << 0.0;
    // τ = .5: t0 .5@2, t1 .6@1, t2 none → 4, t3 .8@1, t4 .6@3; t1 at 1 says 8 ≠ 11.
    QTest::newRow("all 0.5") << all << 0.5 << QList<int>{2, 1, 4, 1, 3} << QList<int>{2, 1, 4, 1, 3} << 0.8 << 0.5
                             << 1.0 / 3 << 0.5;
    // τ = .6 ties t1@1 and t4@3 (≥ passes); t0 moves to 3.
    QTest::newRow("all 0.6") << all << 0.6 << QList<int>{3, 1, 4, 1, 3} << QList<int>{3, 1, 4, 1, 3} << 0.8 << 0.5
                             << 1.0 / 3 << 0.5;
    // τ = .85: t0 .9@3, t1 → 4, t2 → 4, t3 .85@2, t4 → 4; all agree.
    QTest::newRow("all 0.85") << all << 0.85 << QList<int>{3, 4, 4, 2, 4} << QList<int>{3, 4, 4, 2, 4} << 1.0 << 0.5
                              << 1.0 / 3 << 1.0;
    // τ = .95 passes only at depth 4 (t0, t3), which is L anyway: the full model, as for +∞.
    QTest::newRow("all 0.95") << all << 0.95 << QList<int>{4, 4, 4, 4, 4} << QList<int>{4, 4, 4, 4, 4} << 1.0 << 0.5
                              << 1.0 / 3 << 1.0;
    QTest::newRow("all +inf") << all << kInf << QList<int>{4, 4, 4, 4, 4} << QList<int>{4, 4, 4, 4, 4} << 1.0 << 0.5
                              << 1.0 / 3 << 1.0;
    // Allowed 2, 3: τ = −∞ exits at 2, where t0 t1 t3 t4 all hit their targets but only t0 t3 agree.
    QTest::newRow("2,3 -inf") << mid << -kInf << QList<int>{2, 2, 2, 2, 2} << QList<int>{1, 1, 1, 1, 1} << 0.4 << 1.0
                              << 1.0 << 0.0;
    // τ = .5: t0 .5@2, t1 .7@3, t2 → 4, t3 .85@2, t4 .6@3.
    QTest::newRow("2,3 0.5") << mid << 0.5 << QList<int>{2, 3, 4, 2, 3} << QList<int>{1, 2, 3, 1, 2} << 1.0 << 0.5
                             << 1.0 / 3 << 1.0;
  }
  void sweep_by_hand() {
    QFETCH(QList<int>, allowed);
    QFETCH(double, tau);
    QFETCH(QList<int>, depths);
    QFETCH(QList<int>, heads);
    QFETCH(double, consistency);
    QFETCH(double, accuracy_all);
    QFETCH(double, accuracy_answers);
    QFETCH(double, answer_agreement);
    const RecordedRun run = hand_run();
    const ModelConfig config = mamba_config();
    const ExitPolicy policy = make_exit_policy(4, to_vector(allowed));
    const ExitCost cost(config, policy);
    const std::vector<float> scores = confidence_scores(run, parse_measure("max-prob"));
    const ExitOutcomes all_positions(run), answer_positions(run, AccuracyPositions::Answer);
    const ThresholdSweep sweep(all_positions, scores, policy, cost, "max-prob");
    const TradeoffPoint p = sweep.at(tau);

    for (size_t row = 0; row < 5; ++row) {
      QCOMPARE(sweep.exit_depth(row, tau), depths[qsizetype(row)]);
      QCOMPARE(exit_depth(policy, std::span(scores).subspan(row * 4, 4), tau), depths[qsizetype(row)]);
    }
    std::vector<int64_t> histogram(4, 0);
    int64_t depth_sum = 0, head_sum = 0;
    for (int i = 0; i < 5; ++i) {
      ++histogram[size_t(depths[i] - 1)];
      depth_sum += depths[i];
      head_sum += heads[i];
      QCOMPARE(cost.head_evaluations(depths[i]), heads[i]);
    }
    QCOMPARE(p.parameter, tau);
    QCOMPARE(p.exit_counts, histogram);
    QCOMPARE(p.mean_depth, double(depth_sum) / 5);
    QCOMPARE(p.block_fraction, double(depth_sum) / 20);
    QCOMPARE(p.consistency, consistency);
    QCOMPARE(p.accuracy, accuracy_all);
    QCOMPARE(p.answer_agreement, answer_agreement);
    const int64_t B = mamba2_block_flops(config), H = exit_head_flops(config);
    QCOMPARE(p.executed_flops, depth_sum * B + head_sum * H);
    QCOMPARE(p.full_flops, 5 * (4 * B + H));
    QCOMPARE(p.flop_fraction, double(depth_sum * B + head_sum * H) / double(5 * (4 * B + H)));

    const ThresholdSweep answers(answer_positions, scores, policy, cost, "max-prob");
    QCOMPARE(answers.at(tau).accuracy, accuracy_answers);
    QCOMPARE(answers.at(tau).consistency, consistency);  // the accuracy scope leaves consistency alone
  }

  void curve_equals_single_thresholds() {
    const RecordedRun run = hand_run();
    const ExitPolicy policy = make_exit_policy(4);
    const ExitOutcomes outcomes(run);
    const ThresholdSweep sweep(outcomes, confidence_scores(run, parse_measure("max-prob")), policy,
                               ExitCost(mamba_config(), policy), "max-prob");
    const std::vector<double> taus{0.85, -kInf, 0.6, kInf, 0.5, 0.95, 0.5};
    const TradeoffCurve curve = sweep.curve(taus);
    QCOMPARE(curve.label, std::string("max-prob"));
    QCOMPARE(curve.kind, CurveKind::Threshold);
    QCOMPARE(curve.tokens, size_t(5));
    QCOMPARE(curve.accuracy_positions, size_t(4));
    QCOMPARE(curve.answer_samples, size_t(2));
    QCOMPARE(curve.points.size(), taus.size());
    for (size_t i = 1; i < curve.points.size(); ++i) QVERIFY(curve.points[i - 1].parameter <= curve.points[i].parameter);
    for (const TradeoffPoint& p : curve.points) {
      const TradeoffPoint single = sweep.at(p.parameter);
      QCOMPARE(p.exit_counts, single.exit_counts);
      QCOMPARE(p.executed_flops, single.executed_flops);
      QCOMPARE(p.consistency, single.consistency);
      QCOMPARE(p.answer_agreement, single.answer_agreement);
    }
  }

  // Above every score: exactly the full model and no savings (with one head per token, as the full model).
  void tau_above_every_score_is_the_full_model() {
    const RecordedRun run = hand_run();
    const ExitPolicy policy = make_exit_policy(4);
    const ExitOutcomes outcomes(run);
    const ExitCost exit_only(mamba_config(), policy, {HeadEvaluations::ExitOnly, 0});
    const TradeoffPoint p = ThresholdSweep(outcomes, run.prob, policy, exit_only, "max-prob").at(1.5);
    const TradeoffPoint full = evaluate_exits(outcomes, exit_only, std::vector<int>(5, 4), 4);
    QCOMPARE(p.block_fraction, 1.0);
    QCOMPARE(p.flop_fraction, 1.0);
    QCOMPARE(p.executed_flops, p.full_flops);
    QCOMPARE(p.consistency, 1.0);
    QCOMPARE(p.accuracy, full.accuracy);
    QCOMPARE(p.answer_agreement, 1.0);
    QCOMPARE(p.exit_counts, std::vector<int64_t>({0, 0, 0, 5}));
  }

  void quantile_thresholds_span_the_scores() {
    const RecordedRun run = hand_run();
    // Decision-depth scores (depths 1..3), sorted: .1 .2 .2 .3 .3 .3 .4 .5 .6 .6 .7 .8 .85 .9 .9
    const std::vector<double> t = quantile_thresholds(run.prob, make_exit_policy(4), 3);
    QCOMPARE(t.size(), size_t(5));
    QCOMPARE(t.front(), -kInf);
    QCOMPARE(t[1], double(.1f));  // q = 0
    QCOMPARE(t[2], double(.5f));  // q = 0.5: the 8th of 15
    QCOMPARE(t[3], double(.9f));  // q = 1
    QCOMPARE(t.back(), kInf);
    QCOMPARE(quantile_thresholds(run.prob, make_exit_policy(4, std::vector<int>{4}), 10), std::vector<double>({-kInf, kInf}));
  }

  void static_exits_by_hand() {
    const RecordedRun run = hand_run();
    const ModelConfig config = mamba_config();
    const TradeoffCurve curve = static_exits(ExitOutcomes(run), make_exit_policy(4, std::vector<int>{2, 3}), config);
    QCOMPARE(curve.kind, CurveKind::Static);
    QCOMPARE(curve.points.size(), size_t(3));  // 2, 3 and L
    // Depth 2: t0 10 ✓, t1 7 ✗, t2 2 ✗, t3 13 ✓, t4 9 ✗; the targets t0 10, t1 7, t3 13, t4 9 all ✓.
    QCOMPARE(curve.points[0].parameter, 2.0);
    QCOMPARE(curve.points[0].consistency, 0.4);
    QCOMPARE(curve.points[0].accuracy, 1.0);
    const int64_t B = mamba2_block_flops(config), H = exit_head_flops(config);
    QCOMPARE(curve.points[0].executed_flops, 5 * (2 * B + H));  // one head per token
    // Depth 3: t0 10 ✓, t1 11 ✓, t2 3 ✗, t3 ✓, t4 14 ✓.
    QCOMPARE(curve.points[1].consistency, 0.8);
    QCOMPARE(curve.points[2].parameter, 4.0);
    QCOMPARE(curve.points[2].flop_fraction, 1.0);
  }

  // Oracle depths: t0 first agrees at 2, t1 at 3, t2 only at L, t3 at 1, t4 at 3.
  void oracle_by_hand() {
    const RecordedRun run = hand_run();
    const ExitOutcomes outcomes(run);
    QCOMPARE(oracle_exit_depths(outcomes, make_exit_policy(4)), std::vector<int>({2, 3, 4, 1, 3}));
    QCOMPARE(oracle_exit_depths(outcomes, make_exit_policy(4, std::vector<int>{2, 3})), std::vector<int>({2, 3, 4, 2, 3}));
    // The curve takes t3 (oracle 1), t0 (2), t1 (3), t4 (3), t2 (4); the others stay at depth 1.
    const TradeoffCurve curve = oracle_exits(outcomes, make_exit_policy(4), mamba_config(), 6);
    QCOMPARE(curve.points.size(), size_t(6));
    const double consistency[] = {0.2, 0.2, 0.4, 0.6, 0.8, 1.0};
    const double depth_sum[] = {5, 5, 6, 8, 10, 13};
    for (size_t k = 0; k < 6; ++k) {
      QCOMPARE(curve.points[k].parameter, double(k) / 5);
      QCOMPARE(curve.points[k].consistency, consistency[k]);
      QCOMPARE(curve.points[k].mean_depth, depth_sum[k] / 5);
    }
  }

  void random_exits_match_the_target_compute() {
    const RecordedRun run = hand_run();
    const ExitOutcomes outcomes(run);
    const ExitPolicy policy = make_exit_policy(4, std::vector<int>{2, 3});
    const std::vector<double> targets{0.0, 2.0, 2.4, 3.5, 9.0};
    const TradeoffCurve a = random_exits(outcomes, policy, mamba_config(), targets, 7);
    const TradeoffCurve b = random_exits(outcomes, policy, mamba_config(), targets, 7);
    QCOMPARE(a.kind, CurveKind::Random);
    QCOMPARE(a.points[0].mean_depth, 2.0);  // clamped to the shallowest allowed depth
    QCOMPARE(a.points[1].mean_depth, 2.0);
    QCOMPARE(a.points[2].mean_depth, 2.4);  // 2 of 5 tokens at 3, 3 at 2
    QCOMPARE(a.points[2].exit_counts, std::vector<int64_t>({0, 3, 2, 0}));
    QCOMPARE(a.points[3].mean_depth, 3.6);  // 3 + round(2.5) = 3 of 5 tokens at 4 (3.5 up to 1/(2N))
    QCOMPARE(a.points[4].mean_depth, 4.0);  // clamped to L
    for (size_t i = 0; i < targets.size(); ++i) QCOMPARE(a.points[i].consistency, b.points[i].consistency);  // seeded
  }

  void pareto_front_by_hand() {
    const std::vector<PlanePoint> points{{0.5, 0.7}, {0.3, 0.6}, {0.3, 0.65}, {0.6, 0.7}, {0.8, 0.9},
                                         {0.2, 0.5}, {0.4, 0.55}, {NAN, 1.0},  {0.2, 0.5}};
    // (0.3, .6) loses to (0.3, .65); (0.6, .7) to (0.5, .7); (0.4, .55) to (0.3, .65); NaN never counts; the
    // second (0.2, .5) is a duplicate.
    QCOMPARE(pareto_front(points), std::vector<size_t>({5, 2, 0, 4}));
    QVERIFY(pareto_front(std::vector<PlanePoint>{}).empty());

    TradeoffCurve a, b;
    for (auto [c, q] : {std::pair{0.25, 0.5}, {0.5, 0.9}}) a.points.push_back(plane_point(c, q));
    for (auto [c, q] : {std::pair{0.25, 0.6}, {0.75, 0.95}, {1.0, 0.9}}) b.points.push_back(plane_point(c, q));
    const std::vector<TradeoffCurve> curves{a, b};
    const std::vector<CurvePointIndex> front = pareto_front(curves, ComputeAxis::Blocks, QualityAxis::Consistency);
    QCOMPARE(front.size(), size_t(3));
    QCOMPARE(front[0].curve, size_t(1));
    QCOMPARE(front[0].point, size_t(0));
    QCOMPARE(front[1].curve, size_t(0));
    QCOMPARE(front[1].point, size_t(1));
    QCOMPARE(front[2].curve, size_t(1));
    QCOMPARE(front[2].point, size_t(1));
  }

  void operating_points_by_hand() {
    const RecordedRun run = hand_run();
    const ExitPolicy policy = make_exit_policy(4);
    const ThresholdSweep sweep(ExitOutcomes(run), run.prob, policy, ExitCost(mamba_config(), policy), "max-prob");
    TradeoffCurve curve = sweep.curve(std::vector<double>{-kInf, 0.5, 0.85, kInf});
    curve.run = "tiny";
    // Consistency .2, .8, 1, 1 at mean depth 1, 2.2, 3.4, 4.
    QCOMPARE(cheapest_point_reaching(curve, QualityAxis::Consistency, 0.8).value_or(99), size_t(1));
    QCOMPARE(cheapest_point_reaching(curve, QualityAxis::Consistency, 0.95, ComputeAxis::Blocks).value_or(99), size_t(2));
    QVERIFY(!cheapest_point_reaching(curve, QualityAxis::AnswerAgreement, 1.01).has_value());
    const OperatingPoint chosen = operating_point(curve, 1);
    QCOMPARE(chosen.run, std::string("tiny"));
    QCOMPARE(chosen.point.parameter, 0.5);
    QVERIFY(!error_of([&] { operating_point(curve, 4); }).isEmpty());
  }

  void csv_of_curves() {
    TradeoffCurve curve;
    curve.run = "mistral, tiny";
    curve.label = "max-prob";
    curve.points.push_back(table_point(-kInf, 1, 0.25, 10, 40, 0.25, 0.2, 0.5, NAN));
    curve.points.push_back(table_point(0.9, 3.4, 0.85, 34, 40, 0.85, 1, 0.5, 1));
    TradeoffCurve oracle;
    oracle.run = "say \"hi\"";
    oracle.label = "oracle";
    oracle.kind = CurveKind::Oracle;
    oracle.points.push_back(table_point(1, 2.6, 0.65, 26, 40, 0.65, 1, 0.75, 1));
    const std::vector<TradeoffCurve> curves{curve, oracle};
    QCOMPARE(curves_csv(curves),
             std::string("run,curve,kind,parameter,mean_depth,block_fraction,flop_fraction,consistency,accuracy,"
                         "answer_agreement,executed_flops,full_flops\n"
                         "\"mistral, tiny\",max-prob,threshold,-inf,1,0.25,0.25,0.2,0.5,,10,40\n"
                         "\"mistral, tiny\",max-prob,threshold,0.9,3.4,0.85,0.85,1,0.5,1,34,40\n"
                         "\"say \"\"hi\"\"\",oracle,oracle,1,2.6,0.65,0.65,1,0.75,1,26,40\n"));
  }

  void latex_table_of_operating_points() {
    QCOMPARE(latex_escape("a_b & 50% {x} #1 $ ~ ^ \\"),
             std::string("a\\_b \\& 50\\% \\{x\\} \\#1 \\$ \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"));
    std::vector<OperatingPoint> rows;
    rows.push_back({"tiny_mistral", "max-prob", CurveKind::Threshold,
                    table_point(0.9, 10.25, 0.640625, 70, 100, 0.7, 0.975, 0.41, 0.88)});
    rows.push_back({"tiny-codestral", "static", CurveKind::Static,
                    table_point(12, 12, 0.5, 52, 100, 0.52, 0.5, NAN, NAN)});
    QCOMPARE(latex_operating_points(rows),
             std::string("\\begin{tabular}{llrrrrrrr}\n"
                         "\\toprule\n"
                         "Run & Exit & $\\tau$ & Depth & Saved blocks (\\%) & Saved FLOPs (\\%) & Consistency (\\%) & "
                         "Accuracy (\\%) & Answers agree (\\%) \\\\\n"
                         "\\midrule\n"
                         "tiny\\_mistral & max-prob & 0.9 & 10.25 & 35.9 & 30.0 & 97.5 & 41.0 & 88.0 \\\\\n"
                         "tiny-codestral & static & -- & 12.00 & 50.0 & 48.0 & 50.0 & -- & -- \\\\\n"
                         "\\bottomrule\n"
                         "\\end{tabular}\n"));
  }

  void bad_input_is_a_clear_error() {
    const RecordedRun run = hand_run();
    const ExitPolicy policy = make_exit_policy(4);
    QVERIFY(error_of([] { parse_measure("confidence"); })
                .contains("unknown confidence measure 'confidence'; valid measures: max-prob, margin, entropy, saturation, classifier:NAME"));
    QVERIFY(error_of([] { parse_measure("classifier:"); }).contains("needs a classifier name"));
    QCOMPARE(error_of([&] { confidence_scores(run, parse_measure("classifier:mamba")); }),
             QString("no classifier scores named 'mamba' in this run"));
    QCOMPARE(error_of([] { make_exit_policy(4, std::vector<int>{2, 5}); }), QString("exit policy: depth 5 is outside 1..4"));
    QCOMPARE(error_of([] { make_exit_policy(4, std::vector<int>{0}); }), QString("exit policy: depth 0 is outside 1..4"));
    QCOMPARE(error_of([] { make_exit_policy(4, {}, 5); }), QString("exit policy: minimum depth 5 is outside 1..4"));
    QVERIFY(error_of([] { make_exit_policy(4, std::vector<int>{1, 2}, 3); }).contains("no allowed depth"));
    QVERIFY(error_of([] { parse_depth_list("8,x,12"); }).contains("'x' is not a whole number"));
    QVERIFY(error_of([] { parse_depth_list("8,,12"); }).contains("'' is not a whole number"));
    RecordedRun empty;
    empty.depths = 4;
    QCOMPARE(error_of([&] { ExitOutcomes{empty}; }), QString("recorded run: it is empty (no tokens recorded)"));
    RecordedRun short_column = run;
    short_column.top1.pop_back();
    QVERIFY(error_of([&] { ExitOutcomes{short_column}; }).contains("column 'top1' has 19 values, expected 20"));
    RecordedRun shuffled = run;
    shuffled.sample_index = {1, 1, 1, 0, 0};
    QVERIFY(error_of([&] { ExitOutcomes{shuffled}; }).contains("not in sample order"));
    QVERIFY(error_of([&] { ExitCost(mamba_config(6), policy); }).contains("4 depths but the model config has 6 layers"));
    const ExitOutcomes outcomes(run);
    const ExitCost cost(mamba_config(), policy);
    const ThresholdSweep sweep(outcomes, run.prob, policy, cost, "max-prob");
    QVERIFY(error_of([&] { sweep.at(NAN); }).contains("NaN"));
    QVERIFY(error_of([&] { ThresholdSweep(outcomes, std::vector<float>(3), policy, cost, "x"); }).contains("3 scores for 5 tokens"));
    QVERIFY(error_of([&] { evaluate_exits(outcomes, cost, std::vector<int>{1, 2, 5, 1, 1}, 0); }).contains("depth 5 of row 2"));
    QVERIFY(error_of([&] { oracle_exits(outcomes, policy, mamba_config(), 1); }).contains("at least 2 points"));
  }
};

QTEST_APPLESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
