// Calibrating a recorded run's exit threshold: each sample's token and sequence loss worked out by hand on the
// hand-recorded run (tests/support/hand_recorded_run.h), the certified τ of a run made of many copies of it, and
// the messages for bad options and runs too small to certify anything.
#include <QtTest>

#include <cmath>

#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_policy.h"
#include "core/analysis/threshold_calibration.h"
#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "support/hand_recorded_run.h"

using namespace dynamax;

namespace {

ModelConfig mamba_config() {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["Mamba2ForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": 4, "vocab_size": 32, "num_heads": 4, "head_dim": 4, "n_groups": 1, "state_size": 2,
      "expand": 2, "conv_kernel": 2})", "test"), "test");
}

// `copies` of the hand-recorded run's two samples, as samples 0 .. 2·copies − 1.
RecordedRun repeated_hand_run(int copies) {
  const RecordedRun one = testing_support::hand_recorded_run();
  RecordedRun r;
  r.depths = one.depths;
  for (int c = 0; c < copies; ++c) {
    for (size_t row = 0; row < one.tokens; ++row) r.sample_index.push_back(2 * c + one.sample_index[row]);
    for (auto [to, from] : {std::pair{&r.position, &one.position}, {&r.token_id, &one.token_id},
                            {&r.target_id, &one.target_id}, {&r.final_top1, &one.final_top1}, {&r.top1, &one.top1}})
      to->insert(to->end(), from->begin(), from->end());
    for (auto [to, from] : {std::pair{&r.prob, &one.prob}, {&r.margin, &one.margin}, {&r.entropy, &one.entropy},
                            {&r.saturation, &one.saturation}})
      to->insert(to->end(), from->begin(), from->end());
    r.predicts_answer.insert(r.predicts_answer.end(), one.predicts_answer.begin(), one.predicts_answer.end());
    r.tokens += one.tokens;
  }
  return r;
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

}  // namespace

class TestThresholdCalibration : public QObject {
  Q_OBJECT

 private slots:
  // Scored positions: t1 in the first sample, t3 and t4 in the second (max-prob, exits at depths 1..3).
  //   t1 (.6 .4 .7, top-1 8 7 11, full 11): changed for τ ≤ .6 (depth 1), kept for τ in (.6, .7] (depth 3) and above.
  //   t3 agrees at every depth.  t4 (.3 .3 .6, top-1 9 9 14, full 14): changed for τ ≤ .3 (depth 1), kept above.
  void losses_per_sample_data() {
    QTest::addColumn<QString>("risk");
    QTest::addColumn<QList<double>>("expected");  // [τ = +∞, .65, .5, .25] × [first, second]
    QTest::newRow("token") << "token" << QList<double>{0, 0, 0, 0, 1, 0, 1, 0.5};
    QTest::newRow("sequence") << "sequence" << QList<double>{0, 0, 0, 0, 1, 0, 1, 1};
  }
  void losses_per_sample() {
    QFETCH(QString, risk);
    QFETCH(QList<double>, expected);
    const RecordedRun run = testing_support::hand_recorded_run();
    const MeasuredRun m = measure_run(run, mamba_config(), {});
    const std::vector<size_t> samples = scored_samples(m.outcomes);
    QCOMPARE(samples, (std::vector<size_t>{0, 1}));
    const std::vector<double> taus{INFINITY, 0.65, 0.5, 0.25};
    const SampleLosses l = exit_losses(m.outcomes, *m.sweep, samples, taus, parse_risk_level(risk.toStdString()));
    QCOMPARE(l.samples, size_t(2));
    QCOMPARE(QList<double>(l.loss.begin(), l.loss.end()), expected);
  }

  void samples_without_a_scored_position_are_left_out() {
    RecordedRun run = testing_support::hand_recorded_run();
    run.predicts_answer = {0, 0, 0, 1, 1};  // the first sample now predicts no answer token
    const MeasuredRun m = measure_run(run, mamba_config(), {});
    QCOMPARE(scored_samples(m.outcomes), (std::vector<size_t>{1}));
    QVERIFY(error_of([&] { exit_losses(m.outcomes, *m.sweep, std::vector<size_t>{0}, std::vector<double>{0.5},
                                       RiskLevel::Token); })
                .contains("sample 0 has no scored position"));
  }

  // 30 copies: 60 samples, 30 calibrate. The least τ that keeps every scored token is the smallest candidate above
  // .6 — .7, a score of the held-out part — with zero calibration risk: p = 0.9^30 ≤ 0.1. Below it every first-kind
  // sample changes its answer token (token risk ≈ 0.5 ≫ δ): the sequence stops there.
  void certifies_the_most_aggressive_safe_threshold() {
    const RecordedRun run = repeated_hand_run(30);
    CalibrationOptions o;
    o.delta = 0.1;
    o.epsilon = 0.1;
    o.seed = 11;
    const ThresholdCalibration c = calibrate_threshold(run, mamba_config(), {}, o, "hand");
    QCOMPARE(c.samples, size_t(60));
    QCOMPARE(c.samples_left_out, size_t(0));
    QCOMPARE(c.certificate.calibration_samples, size_t(30));
    QCOMPARE(c.certificate.held_out_samples, size_t(30));
    QCOMPARE(c.certificate.candidates.front().threshold, double(INFINITY));
    QCOMPARE(c.threshold(), double(0.7f));
    QCOMPARE(c.certified().calibration_risk, 0.0);
    QCOMPARE(c.certified().held_out_risk, 0.0);
    QCOMPARE(c.certified().p_value, std::pow(0.9, 30));
    const CandidateTest& next = c.certificate.candidates[*c.certificate.certified + 1];
    QCOMPARE(next.status, CandidateStatus::Stopped);
    QVERIFY(next.threshold < 0.7 && next.calibration_risk > 0.3);
    for (size_t k = 1; k < c.certificate.candidates.size(); ++k)
      QVERIFY(c.certificate.candidates[k].threshold < c.certificate.candidates[k - 1].threshold);
    // The compute: the whole run at τ = .7 exactly as the sweep gives it.
    const MeasuredRun m = measure_run(run, mamba_config(), {});
    const TradeoffPoint at = m.sweep->at(c.threshold());
    QCOMPARE(c.point.mean_depth, at.mean_depth);
    QCOMPARE(c.point.executed_flops, at.executed_flops);
    QVERIFY(c.point.block_fraction < 1.0);
    QCOMPARE(c.measure, std::string("max-prob"));

    // The same split for the same seed; a sequence risk certifies the same τ here (every loss is 0 or 1 already
    // on the one scored token of the first kind, and the second kind's t4 changes only below .3).
    QCOMPARE(calibrate_threshold(run, mamba_config(), {}, o, "hand").threshold(), c.threshold());
    o.risk = RiskLevel::Sequence;
    QCOMPARE(calibrate_threshold(run, mamba_config(), {}, o, "hand").threshold(), double(0.7f));
  }

  void explicit_candidates_start_from_the_full_model() {
    CalibrationOptions o;
    o.thresholds = {0.2, 0.8, 0.65};
    const ThresholdCalibration c = calibrate_threshold(repeated_hand_run(30), mamba_config(), {}, o, "hand");
    QCOMPARE(c.certificate.candidates.size(), size_t(4));
    QCOMPARE(c.certificate.candidates[0].threshold, double(INFINITY));
    QCOMPARE(c.certificate.candidates[1].threshold, 0.8);
    QCOMPARE(c.threshold(), 0.65);
    QCOMPARE(c.certificate.candidates[3].status, CandidateStatus::Stopped);
  }

  void too_small_runs_say_how_many_samples_they_need_data() {
    QTest::addColumn<int>("copies");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<QString>("expected");
    QTest::newRow("2 samples") << 1 << 0.5
                               << "is too small to certify anything: of its 2 samples with a scored position, 1 "
                                  "calibrate (fraction 0.5); certifying token risk ≤ 0.1 with probability ≥ 0.9 "
                                  "needs at least 22 calibration samples";
    QTest::newRow("a run of 44") << 10 << 0.5 << "so a run of at least 43 samples at calibration fraction 0.5";
    QTest::newRow("fraction 0.25") << 10 << 0.25 << "so a run of at least 86 samples at calibration fraction 0.25";
    QTest::newRow("no samples") << 0 << 0.5 << "run hand has no samples with a scored position";
  }
  void too_small_runs_say_how_many_samples_they_need() {
    QFETCH(int, copies);
    QFETCH(double, fraction);
    QFETCH(QString, expected);
    RecordedRun run = repeated_hand_run(copies);
    run.depths = 4;
    CalibrationOptions o;
    o.calibration_fraction = fraction;
    const QString error = error_of([&] { calibrate_threshold(run, mamba_config(), {}, o, "hand"); });
    QVERIFY2(error.contains(expected), qPrintable(error));
    // the count it names is enough (round(0.5 · 43) = 22 calibrate)
    QVERIFY(error_of([&] { calibrate_threshold(repeated_hand_run(int(samples_for_calibration(22, fraction) + 1) / 2),
                                               mamba_config(), {}, o, "hand"); })
                .isEmpty());
  }

  void bad_options_data() {
    QTest::addColumn<double>("delta");
    QTest::addColumn<double>("epsilon");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<QString>("measure");
    QTest::addColumn<QString>("expected");
    QTest::newRow("δ = 0") << 0.0 << 0.1 << 0.5 << "max-prob" << "δ must lie strictly between 0 and 1, got 0";
    QTest::newRow("ε = 1") << 0.1 << 1.0 << 0.5 << "max-prob" << "ε must lie strictly between 0 and 1, got 1";
    QTest::newRow("fraction 0") << 0.1 << 0.1 << 0.0 << "max-prob" << "calibration fraction must lie strictly";
    QTest::newRow("unknown classifier") << 0.1 << 0.1 << 0.5 << "classifier:none" << "none";
  }
  void bad_options() {
    QFETCH(double, delta);
    QFETCH(double, epsilon);
    QFETCH(double, fraction);
    QFETCH(QString, measure);
    QFETCH(QString, expected);
    CalibrationOptions o;
    o.delta = delta;
    o.epsilon = epsilon;
    o.calibration_fraction = fraction;
    AnalysisOptions a;
    a.measure = measure.toStdString();
    const QString error = error_of([&] { calibrate_threshold(repeated_hand_run(30), mamba_config(), a, o, "hand"); });
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(error_of([] { parse_risk_level("tokens"); }).contains("token or sequence"));
  }
};

QTEST_GUILESS_MAIN(TestThresholdCalibration)
#include "test_threshold_calibration.moc"
