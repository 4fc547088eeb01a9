// The statistics of Learn-then-Test threshold calibration: Hoeffding–Bentkus p-values against values scipy computed
// (tests/data/hoeffding_bentkus, with the script that made them), fixed-sequence testing stopping at the first
// non-rejection, and the guarantee itself on synthetic runs of known risk: over hundreds of independent draws the
// certified threshold's true risk exceeds δ in at most a fraction ε of them, within sampling error.
#include <QtTest>

#include <cmath>
#include <random>

#include "core/analysis/fixed_sequence_test.h"
#include "core/analysis/hoeffding_bentkus.h"
#include "core/analysis/risk_certification.h"
#include "core/common/error.h"

using namespace dynamax;

namespace {

QList<QStringList> read_csv(const QString& name) {
  const QString path = QFINDTESTDATA("../data/hoeffding_bentkus/" + name);
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(name));
  QList<QStringList> rows;
  for (const QByteArray& line : file.readAll().split('\n'))
    if (!line.trimmed().isEmpty()) rows.push_back(QString::fromUtf8(line.trimmed()).split(','));
  rows.pop_front();  // the header
  return rows;
}

bool close(double actual, double expected, double relative) {
  return std::abs(actual - expected) <= relative * std::abs(expected) + 1e-300;
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

// The smallest v with P(Binomial(n, p) ≤ v) ≥ 1 − tail: a count of rare events above it is a real excess.
int64_t binomial_upper_quantile(int64_t n, double p, double tail) {
  int64_t v = 0;
  while (binomial_cdf(v, n, p) < 1 - tail) ++v;
  return v;
}

// A synthetic run of known risk: candidate k (safe to aggressive) changes each token with probability R(k), so
// every sample's expected loss is R(k). Token losses: half of the samples have all of their tokens decided by one
// draw (as tokens of one text move together), the others token by token, so losses are exchangeable across
// samples but not independent within one. Sequence losses: one draw per sample, failing with probability R(k).
struct SyntheticRisk {
  std::vector<double> risk;  // R(k), rising with k
  int tokens_per_sample = 10;

  SampleLosses draw(size_t samples, std::mt19937_64& rng, bool binary) const {
    std::uniform_real_distribution<double> uniform(0, 1);
    SampleLosses l;
    l.samples = samples;
    for (size_t k = 0; k < risk.size(); ++k) l.thresholds.push_back(double(risk.size() - k));
    l.loss.assign(risk.size() * samples, 0);
    std::vector<double> u(static_cast<size_t>(tokens_per_sample), 0.0);
    for (size_t s = 0; s < samples; ++s) {
      const bool together = binary || uniform(rng) < 0.5;
      const double shared = uniform(rng);
      for (double& x : u) x = together ? shared : uniform(rng);
      for (size_t k = 0; k < risk.size(); ++k) {
        int changed = 0;
        for (double x : u) changed += x < risk[k];  // monotone in k, like an exit that moves earlier as τ falls
        l.loss[k * samples + s] = binary ? double(changed > 0) : double(changed) / double(u.size());
      }
    }
    return l;
  }
};

}  // namespace

class TestCalibrationStatistics : public QObject {
  Q_OBJECT

 private slots:
  void hoeffding_bentkus_matches_scipy() {
    const QList<QStringList> rows = read_csv("p_values.csv");
    QVERIFY(rows.size() >= 150);
    for (const QStringList& r : rows) {
      const double mean = r[0].toDouble(), delta = r[2].toDouble();
      const int64_t n = r[1].toLongLong();
      const int64_t k = int64_t(std::ceil(double(n) * mean - 1e-9));
      const QString at = QString("r̂ = %1, n = %2, δ = %3").arg(r[0], r[1], r[2]);
      QVERIFY2(close(binomial_cdf(k, n, delta), r[3].toDouble(), 1e-9), qPrintable(at + " (binomial cdf)"));
      QVERIFY2(close(std::exp(-double(n) * bernoulli_kl(std::min(mean, delta), delta)), r[4].toDouble(), 1e-9),
               qPrintable(at + " (Hoeffding)"));
      QVERIFY2(close(hoeffding_bentkus_p_value(mean, n, delta), r[5].toDouble(), 1e-9),
               qPrintable(at + QString(": %1, scipy %2").arg(hoeffding_bentkus_p_value(mean, n, delta)).arg(r[5])));
    }
  }

  void samples_to_certify_matches_scipy() {
    for (const QStringList& r : read_csv("samples_to_certify.csv"))
      QCOMPARE(samples_to_certify(r[0].toDouble(), r[1].toDouble()), r[2].toLongLong());
    // the closed form at one point: 0.9^21 = 0.109 > 0.1, 0.9^22 = 0.098
    QCOMPARE(samples_to_certify(0.1, 0.1), int64_t(22));
  }

  void p_values_refuse_bad_levels_data() {
    QTest::addColumn<double>("delta");
    QTest::addColumn<double>("epsilon");
    QTest::addColumn<QString>("expected");
    QTest::newRow("δ = 0") << 0.0 << 0.1 << "δ must lie strictly between 0 and 1";
    QTest::newRow("δ = 1") << 1.0 << 0.1 << "δ must lie strictly between 0 and 1";
    QTest::newRow("ε negative") << 0.1 << -0.5 << "ε must lie strictly between 0 and 1";
    QTest::newRow("ε NaN") << 0.1 << double(NAN) << "ε must lie strictly between 0 and 1";
  }
  void p_values_refuse_bad_levels() {
    QFETCH(double, delta);
    QFETCH(double, epsilon);
    QFETCH(QString, expected);
    const QString error = error_of([&] { samples_to_certify(delta, epsilon); });
    QVERIFY2(error.contains(expected), qPrintable(error));
  }

  void fixed_sequence_stops_at_the_first_non_rejection() {
    QCOMPARE(fixed_sequence_rejections(std::vector<double>{0.01, 0.02, 0.5, 0.001}, 0.05), size_t(2));
    QCOMPARE(fixed_sequence_rejections(std::vector<double>{0.06, 0.001}, 0.05), size_t(0));
    QCOMPARE(fixed_sequence_rejections(std::vector<double>{0.05, 0.05}, 0.05), size_t(2));  // p ≤ ε rejects
    QCOMPARE(fixed_sequence_rejections(std::vector<double>{0.01, NAN, 0.01}, 0.05), size_t(1));
    QCOMPARE(fixed_sequence_rejections(std::vector<double>{}, 0.05), size_t(0));

    // Through certify_risk: candidate 2 is bad on every sample, candidate 3 perfect again: the sequence stops at
    // 2, and 3 certifies nothing although its own p-value is tiny.
    SampleLosses l;
    l.samples = 40;
    l.thresholds = {INFINITY, 0.9, 0.8, 0.7};
    l.loss.assign(4 * 40, 0);
    for (size_t s = 0; s < 40; ++s) l.loss[2 * 40 + s] = 1;
    const SampleSplit split = split_samples(40, 0.75, 3);
    QCOMPARE(split.calibration.size(), size_t(30));
    const RiskCertificate c = certify_risk(l, split, 0.1, 0.1);
    QCOMPARE(c.candidates.size(), size_t(4));
    QCOMPARE(c.candidates[0].status, CandidateStatus::Certified);
    QCOMPARE(c.candidates[1].status, CandidateStatus::Certified);
    QCOMPARE(c.candidates[2].status, CandidateStatus::Stopped);
    QCOMPARE(c.candidates[3].status, CandidateStatus::Untested);
    QVERIFY(c.candidates[3].p_value <= 0.1);
    QCOMPARE(*c.certified, size_t(1));
    QCOMPARE(c.candidates[1].p_value, std::pow(0.9, 30));  // zero risk: (1 − δ)^n
    QCOMPARE(c.candidates[2].calibration_risk, 1.0);
    QCOMPARE(c.candidates[2].held_out_risk, 1.0);
    QCOMPARE(c.held_out_samples, size_t(10));
    QCOMPARE(c.samples_needed, int64_t(22));
  }

  void splits_keep_whole_samples_and_follow_the_seed() {
    const SampleSplit a = split_samples(101, 0.3, 5), b = split_samples(101, 0.3, 5), c = split_samples(101, 0.3, 6);
    QCOMPARE(a.calibration.size(), size_t(30));
    QCOMPARE(a.held_out.size(), size_t(71));
    QVERIFY(a.calibration == b.calibration);
    QVERIFY(a.calibration != c.calibration);
    std::vector<size_t> all = a.calibration;
    all.insert(all.end(), a.held_out.begin(), a.held_out.end());
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < all.size(); ++i) QCOMPARE(all[i], i);  // each sample on exactly one side
    QCOMPARE(split_samples(2, 0.9, 1).held_out.size(), size_t(1));  // one is always held out
    QVERIFY(error_of([] { split_samples(10, 1.0, 1); }).contains("calibration fraction must lie strictly between"));
  }

  // The guarantee, measured: fresh synthetic runs, each split at random and calibrated; the certified candidate's
  // true risk may exceed δ in at most a fraction ε of the runs (a count above the binomial 99.9 % quantile would be
  // a real excess). Choosing the most aggressive candidate whose calibration risk is ≤ δ, without a p-value,
  // breaks it on the same runs: the test can tell.
  void certified_risk_exceeds_delta_at_most_epsilon_of_the_time_data() {
    QTest::addColumn<bool>("binary");
    QTest::addColumn<double>("delta");
    QTest::addColumn<double>("epsilon");
    QTest::newRow("token risk, δ 0.05, ε 0.1") << false << 0.05 << 0.1;
    QTest::newRow("sequence risk, δ 0.2, ε 0.2") << true << 0.2 << 0.2;
  }
  void certified_risk_exceeds_delta_at_most_epsilon_of_the_time() {
    QFETCH(bool, binary);
    QFETCH(double, delta);
    QFETCH(double, epsilon);
    // The full model (zero risk) first, then 40 candidates whose risk climbs slowly through δ: many lie just above
    // it, where a lucky draw looks safe.
    SyntheticRisk profile;
    profile.risk.push_back(0);
    for (int k = 0; k < 40; ++k) profile.risk.push_back(delta * (0.25 + 0.025 * k));
    std::mt19937_64 rng(2024);
    const int trials = 400;
    int violations = 0, naive_violations = 0, certified_beyond_first = 0;
    for (int t = 0; t < trials; ++t) {
      const SampleLosses losses = profile.draw(1000, rng, binary);
      const SampleSplit split = split_samples(losses.samples, 0.5, uint64_t(t));
      const RiskCertificate c = certify_risk(losses, split, delta, epsilon);
      QVERIFY(c.certified.has_value());
      violations += profile.risk[*c.certified] > delta;
      certified_beyond_first += *c.certified > 0;
      size_t naive = 0;
      for (size_t k = 0; k < c.candidates.size(); ++k)
        if (c.candidates[k].calibration_risk <= delta) naive = k;
      naive_violations += profile.risk[naive] > delta;
    }
    const int64_t bound = binomial_upper_quantile(trials, epsilon, 0.001);
    qInfo("%d of %d runs certified a τ of risk > δ (bound %lld); choosing by the calibration risk alone: %d",
          violations, trials, (long long)bound, naive_violations);
    QVERIFY2(violations <= bound, qPrintable(QString("%1 violations in %2 runs").arg(violations).arg(trials)));
    QVERIFY(naive_violations > bound);        // the check has the power to see a broken procedure
    QVERIFY(certified_beyond_first > trials / 2);  // and the calibration certifies real thresholds, not only +∞
  }

  // A p-value is valid when, at risk exactly δ, it falls to ε or below at most a fraction ε of the time.
  void p_values_are_valid_at_the_boundary() {
    std::mt19937_64 rng(7);
    const double delta = 0.1, epsilon = 0.1;
    const int trials = 2000, n = 200;
    std::bernoulli_distribution loss(delta);
    int rejections = 0;
    for (int t = 0; t < trials; ++t) {
      int sum = 0;
      for (int i = 0; i < n; ++i) sum += loss(rng);
      rejections += hoeffding_bentkus_p_value(double(sum) / n, n, delta) <= epsilon;
    }
    QVERIFY2(rejections <= binomial_upper_quantile(trials, epsilon, 0.001), qPrintable(QString::number(rejections)));
  }

  void certify_refuses_bad_input() {
    SampleLosses l{{INFINITY}, 2, {0.0, 1.5}};
    QVERIFY(error_of([&] { certify_risk(l, {{0}, {1}}, 0.1, 0.1); }).contains("outside [0, 1]"));
    l.loss = {0.0};
    QVERIFY(error_of([&] { certify_risk(l, {{0}, {1}}, 0.1, 0.1); }).contains("1 losses for 1 thresholds × 2 samples"));
    l.loss = {0.0, 0.0};
    QVERIFY(error_of([&] { certify_risk(l, {{0}, {5}}, 0.1, 0.1); }).contains("sample 5"));
    QVERIFY(error_of([&] { certify_risk(l, {{0}, {1}}, 1.5, 0.1); }).contains("δ must lie strictly between 0 and 1"));
  }
};

QTEST_GUILESS_MAIN(TestCalibrationStatistics)
#include "test_calibration_statistics.moc"
