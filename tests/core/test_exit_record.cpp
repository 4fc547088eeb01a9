// The recorded measures: softmax sums and top-two kernels against plain double arithmetic, and a recorded sample
// against the Hugging Face reference (top-1, probability, entropy at every depth) for both tiny models.
#include <QtTest>

#include <cmath>
#include <random>

#include "core/exits/exit_record.h"
#include "core/kernels/softmax_stats.h"
#include "core/models/model.h"
#include "support/reference_checks.h"
#include "support/test_support.h"

using namespace dynamax;

class TestExitRecord : public QObject {
  Q_OBJECT
 private slots:
  void measures_match_double_arithmetic_data() {
    QTest::addColumn<int>("vocab");
    QTest::addColumn<float>("scale");
    for (int v : {1, 2, 15, 16, 17, 8192, 32000, 32768})
      for (float s : {0.1f, 5.0f, 40.0f}) QTest::addRow("V=%d scale=%g", v, double(s)) << v << s;
  }
  void measures_match_double_arithmetic() {
    QFETCH(int, vocab);
    QFETCH(float, scale);
    std::mt19937 rng(uint32_t(vocab * 31 + int(scale)));
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> x(static_cast<size_t>(vocab));
    for (float& v : x) v = dist(rng);
    const ExitMeasures m = measures_from_logits(x.data(), vocab);
    // reference in double
    const int best = int(std::max_element(x.begin(), x.end()) - x.begin());
    double second = -INFINITY;
    for (int i = 0; i < vocab; ++i)
      if (i != best) second = std::max(second, double(x[size_t(i)]));
    double sum = 0, h = 0;
    for (float v : x) sum += std::exp(double(v) - x[size_t(best)]);
    for (float v : x) {
      const double p = std::exp(double(v) - x[size_t(best)]) / sum;
      if (p > 0) h -= p * std::log(p);
    }
    QCOMPARE(m.top1, best);
    QVERIFY(std::fabs(m.prob - 1.0 / sum) < 2e-6 * std::max(1.0, 1.0 / sum));
    const double margin = vocab > 1 ? (1.0 - std::exp(second - x[size_t(best)])) / sum : 1.0 / sum;
    QVERIFY2(std::fabs(m.margin - margin) < 2e-6, qPrintable(QString("%1 vs %2").arg(m.margin).arg(margin)));
    QVERIFY2(std::fabs(m.entropy - h) < 1e-5 * std::max(1.0, h), qPrintable(QString("%1 vs %2").arg(m.entropy).arg(h)));
  }

  void ties_and_uniform() {
    std::vector<float> uniform(1000, 3.0f);
    ExitMeasures m = measures_from_logits(uniform.data(), 1000);
    QCOMPARE(m.top1, 0);  // first index on ties, like argmax
    QCOMPARE(m.margin, 0.0f);
    QVERIFY(std::fabs(m.entropy - std::log(1000.0)) < 1e-5);
    QVERIFY(std::fabs(m.prob - 1e-3f) < 1e-8f);
    std::vector<float> tie{1, 7, 2, 7, 0};
    TopTwo t = top_two(tie.data(), 5);
    QCOMPARE(t.best, int64_t(1));
    QCOMPARE(t.second_value, 7.0f);
  }

  void cosine_saturation() {
    std::vector<float> a{1, 2, 3}, b{2, 4, 6}, c{-1, -2, -3}, z{0, 0, 0};
    QVERIFY(std::fabs(cosine(a.data(), b.data(), 3) - 1.0f) < 1e-6f);
    QVERIFY(std::fabs(cosine(a.data(), c.data(), 3) + 1.0f) < 1e-6f);
    QCOMPARE(cosine(a.data(), z.data(), 3), 0.0f);
  }

  void recorded_sample_matches_reference_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void recorded_sample_matches_reference() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    const auto shared = testing_support::shared_dir();
    auto model = load_model(shared / "fixtures/models" / name.toStdString());
    testing_support::Reference ref(shared / "fixtures/references" / (name.toStdString() + ".reference.safetensors"));
    const std::vector<int32_t> ids = ref.ints("p1.input_ids");
    const std::vector<int32_t> top_ids = ref.ints("p1.layer_top5_ids");
    const std::vector<float> top_lp = ref.floats("p1.layer_top5_logprobs"), entropy = ref.floats("p1.layer_entropy");
    const SampleRecord r = record_sample(*model, ids, 5);
    const int T = int(ids.size()), L = model->depth();
    QCOMPARE(r.positions, T);
    QCOMPARE(r.depths, L);
    for (int t = 0; t < T; ++t) {
      QCOMPARE(r.target_ids[size_t(t)], t + 1 < T ? ids[size_t(t) + 1] : -1);
      QCOMPARE(r.final_top1[size_t(t)], r.at(t, L).top1);
      for (int d = 1; d <= L; ++d) {
        const size_t at = (size_t(d - 1) * T + t) * 5;
        const ExitMeasures& m = r.at(t, d);
        if (top_lp[at] - top_lp[at + 1] > 1e-3f) QCOMPARE(m.top1, top_ids[at]);
        QVERIFY(std::fabs(std::log(m.prob) - top_lp[at]) < 2e-3f);
        QVERIFY(std::fabs(m.margin - (std::exp(top_lp[at]) - std::exp(top_lp[at + 1]))) < 2e-3f);
        QVERIFY(std::fabs(m.entropy - entropy[size_t(d - 1) * T + t]) < 2e-3f * std::max(1.0f, entropy[size_t(d - 1) * T + t]));
        QVERIFY(m.saturation > -1.0001f && m.saturation < 1.0001f);
        const size_t k = (size_t(t) * L + (d - 1)) * 5;
        for (int j = 0; j < 5; ++j) QVERIFY(std::fabs(r.topk_logprobs[k + j] - top_lp[at + j]) < 2e-3f);
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestExitRecord)
#include "test_exit_record.moc"
