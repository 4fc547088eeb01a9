// The hand-written backward passes of the exit classifiers against central finite differences: every layer on its
// own (dense, activations, causal conv + SiLU, the selective scan over a whole sequence with shared B/C groups,
// the gated group norm), then every classifier kind end to end. The loss is L = Σ c·output with random c, so its
// gradient is exactly what a backward pass receives; differences are taken in fp32 with steps sized for fp32
// rounding and compared with a relative tolerance.
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>

#include "core/exits/classifier_activation.h"
#include "core/exits/classifier_dense.h"
#include "core/exits/classifier_mamba_backward.h"
#include "core/exits/classifier_net.h"
#include "core/kernels/causal_conv.h"
#include "core/kernels/gated_group_norm.h"
#include "core/kernels/ssm_scan.h"

using namespace dynamax;

namespace {

std::vector<float> random_vector(size_t n, std::mt19937_64& rng, float scale = 1.0f, float offset = 0.0f) {
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = offset + normal(rng);
  return v;
}

double weighted_sum(const std::vector<float>& out, const std::vector<float>& c) {
  double s = 0.0;
  for (size_t i = 0; i < out.size(); ++i) s += double(out[i]) * c[i];
  return s;
}

// Compares analytic[i] with the central difference of `loss` in values[i], for up to `samples` entries spread over
// the array; reports the worst relative error.
void check_gradient(const char* what, std::vector<float>& values, const std::vector<float>& analytic,
                    const std::function<double()>& loss, size_t samples = 40, float step = 1e-2f) {
  QCOMPARE(values.size(), analytic.size());
  double worst = 0.0;
  const size_t stride = std::max<size_t>(1, values.size() / samples);
  for (size_t i = 0; i < values.size(); i += stride) {
    const float saved = values[i];
    values[i] = saved + step;
    const double up = loss();
    values[i] = saved - step;
    const double down = loss();
    values[i] = saved;
    const double numeric = (up - down) / (2.0 * step);
    const double error = std::fabs(numeric - analytic[i]) / std::max(0.05, std::fabs(numeric) + std::fabs(analytic[i]));
    worst = std::max(worst, error);
    QVERIFY2(error < 1e-2, qPrintable(QString("%1[%2]: analytic %3, finite difference %4")
                                          .arg(what).arg(i).arg(analytic[i]).arg(numeric)));
  }
  qInfo("%-28s worst relative error %.2e", what, worst);
}

}  // namespace

class TestClassifierGradients : public QObject {
  Q_OBJECT
 private slots:
  void dense_layer() {
    std::mt19937_64 rng(1);
    const int T = 7, in = 11, out = 5;
    auto X = random_vector(size_t(T) * in, rng), W = random_vector(size_t(out) * in, rng, 0.3f);
    auto b = random_vector(size_t(out), rng), c = random_vector(size_t(T) * out, rng);
    auto loss = [&] {
      std::vector<float> Y(size_t(T) * out);
      dense_forward(X.data(), T, in, out, W.data(), b.data(), Y.data());
      return weighted_sum(Y, c);
    };
    std::vector<float> dW(W.size(), 0.0f), db(b.size(), 0.0f), dX(X.size());
    dense_backward(X.data(), T, in, out, W.data(), c.data(), dW.data(), db.data(), dX.data());
    check_gradient("dense dX", X, dX, loss);
    check_gradient("dense dW", W, dW, loss);
    check_gradient("dense db", b, db, loss);
  }

  void activations() {
    for (float x = -6.0f; x <= 6.0f; x += 0.37f) {
      const double h = 1e-3;
      const double silu_fd = (double(x + h) / (1 + std::exp(-(x + h))) - double(x - h) / (1 + std::exp(-(x - h)))) / (2 * h);
      const double gelu_fd = (double(gelu(float(x + h))) - gelu(float(x - h))) / (2 * h);
      QVERIFY2(std::fabs(silu_fd - silu_derivative(x)) < 2e-3, qPrintable(QString("silu' at %1").arg(x)));
      QVERIFY2(std::fabs(gelu_fd - gelu_derivative(x)) < 2e-3, qPrintable(QString("gelu' at %1").arg(x)));
    }
    QVERIFY(std::fabs(gelu(1.0f) - 0.8413447f) < 1e-6f);  // x·Φ(x)
  }

  void causal_conv() {
    std::mt19937_64 rng(2);
    const int T = 9, C = 6, K = 4, ld = 8;  // rows wider than C, as in the classifier's projection
    auto in = random_vector(size_t(T) * ld, rng), w = random_vector(size_t(K) * C, rng, 0.5f);
    auto bias = random_vector(size_t(C), rng, 0.3f), c = random_vector(size_t(T) * C, rng);
    auto loss = [&] {
      std::vector<float> history(size_t(K - 1) * C, 0.0f), out(size_t(T) * C);
      causal_conv_silu(in.data(), ld, T, C, K, w.data(), bias.data(), history.data(), out.data());
      return weighted_sum(out, c);
    };
    std::vector<float> din(in.size(), 0.0f), dw(w.size(), 0.0f), db(bias.size(), 0.0f);
    causal_conv_silu_backward(in.data(), ld, T, C, K, w.data(), bias.data(), c.data(), din.data(), ld, dw.data(),
                              db.data());
    for (int t = 0; t < T; ++t)
      for (int j = C; j < ld; ++j) QCOMPARE(din[size_t(t) * ld + j], 0.0f);  // padding untouched
    check_gradient("conv din", in, din, loss, 80);
    check_gradient("conv dweight", w, dw, loss);
    check_gradient("conv dbias", bias, db, loss);
  }

  void ssm_scan_over_a_sequence() {
    std::mt19937_64 rng(3);
    // Two groups of two heads: B and C are shared by the heads of a group, so their gradients add up.
    const int T = 24, heads = 4, P = 3, groups = 2, N = 5;
    const int ld = heads * P + 2 * groups * N;
    auto xbc = random_vector(size_t(T) * ld, rng, 0.7f);
    std::vector<float> dt(size_t(T) * heads), A(static_cast<size_t>(heads));
    std::uniform_real_distribution<float> dt_range(0.05f, 0.6f), a_range(0.2f, 1.5f);
    for (float& v : dt) v = dt_range(rng);
    for (float& v : A) v = -a_range(rng);
    auto D = random_vector(size_t(heads), rng, 0.5f, 1.0f);
    auto initial = random_vector(size_t(heads) * P * N, rng, 0.3f);
    auto c = random_vector(size_t(T) * heads * P, rng);
    auto args = [&](float* state, float* y) {
      SsmScanArgs a;
      a.T = T, a.heads = heads, a.head_dim = P, a.groups = groups, a.state_size = N;
      a.x = xbc.data(), a.B = xbc.data() + heads * P, a.C = xbc.data() + heads * P + groups * N, a.ld_in = ld;
      a.dt = dt.data(), a.A = A.data(), a.D = D.data(), a.state = state, a.y = y, a.ld_y = heads * P;
      return a;
    };
    auto loss = [&] {
      std::vector<float> state = initial, y(size_t(T) * heads * P);
      ssm_scan_sequential(args(state.data(), y.data()));
      return weighted_sum(y, c);
    };
    std::vector<float> dxbc(xbc.size(), 0.0f), ddt(dt.size(), 0.0f), dA(A.size(), 0.0f), dD(D.size(), 0.0f);
    std::vector<float> state = initial;
    SsmScanGradients g{dxbc.data(), dxbc.data() + heads * P, dxbc.data() + heads * P + groups * N, ld,
                       ddt.data(), dA.data(), dD.data()};
    ssm_scan_backward(args(state.data(), nullptr), c.data(), heads * P, g);
    QCOMPARE(state, initial);
    check_gradient("scan dx|dB|dC", xbc, dxbc, loss, 200);
    check_gradient("scan ddt", dt, ddt, loss, 96, 2e-3f);
    check_gradient("scan dA", A, dA, loss, 4, 2e-3f);
    check_gradient("scan dD", D, dD, loss, 4);
  }

  void gated_group_norm_layer() {
    std::mt19937_64 rng(4);
    const int T = 5, n = 12, groups = 3, ld_z = 15;
    auto y = random_vector(size_t(T) * n, rng), z = random_vector(size_t(T) * ld_z, rng, 1.5f);
    auto w = random_vector(size_t(n), rng, 0.3f, 1.0f), c = random_vector(size_t(T) * n, rng);
    auto loss = [&] {
      std::vector<float> out(size_t(T) * n);
      gated_group_norm(y.data(), z.data(), ld_z, T, n, groups, w.data(), 1e-5f, out.data());
      return weighted_sum(out, c);
    };
    std::vector<float> dy(y.size(), 0.0f), dz(z.size(), 0.0f), dw(w.size(), 0.0f);
    gated_group_norm_backward(y.data(), z.data(), ld_z, T, n, groups, w.data(), 1e-5f, c.data(), dy.data(), dz.data(),
                              ld_z, dw.data());
    check_gradient("gated norm dy", y, dy, loss, 60, 3e-3f);
    check_gradient("gated norm dz", z, dz, loss, 75, 3e-3f);
    check_gradient("gated norm dweight", w, dw, loss);
  }

  void classifier_kinds_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("activation");
    QTest::newRow("linear") << "linear" << "";
    QTest::newRow("ffn silu") << "ffn" << "silu";
    QTest::newRow("ffn gelu") << "ffn" << "gelu";
    QTest::newRow("ffn swiglu") << "ffn" << "swiglu";
    QTest::newRow("mamba") << "mamba" << "";
  }
  void classifier_kinds() {
    QFETCH(QString, kind);
    QFETCH(QString, activation);
    ClassifierSpec spec;
    spec.kind = parse_classifier_kind(kind.toStdString());
    spec.width = 10;
    spec.ffn_width = 7;
    if (!activation.isEmpty()) spec.activation = parse_activation(activation.toStdString());
    spec.mamba_inner = 8, spec.mamba_heads = 2, spec.mamba_state = 4, spec.mamba_conv = 3;
    const auto net = make_classifier_net(spec);
    std::mt19937_64 rng(5);
    std::vector<float> params(net->layout().total());
    net->init(params.data(), rng);
    // Larger than the initial output weights, so every layer's gradient is well above fp32 noise.
    for (float& p : params) p += std::normal_distribution<float>(0.0f, 0.2f)(rng);
    const int T = 20;  // the whole sequence through the Mamba block's conv and scan
    auto x = random_vector(size_t(T) * spec.width, rng), c = random_vector(size_t(T), rng);
    auto loss = [&] {
      std::vector<float> logits(static_cast<size_t>(T));
      net->forward(params.data(), x.data(), T, logits.data());
      return weighted_sum(logits, c);
    };
    std::vector<float> grads(params.size(), 0.0f);
    net->backward(params.data(), x.data(), T, c.data(), grads.data());
    for (const ParamSlot& slot : net->layout().entries()) {
      std::vector<float> values(params.begin() + long(slot.offset), params.begin() + long(slot.offset + slot.size));
      const std::vector<float> analytic(grads.begin() + long(slot.offset), grads.begin() + long(slot.offset + slot.size));
      auto slot_loss = [&] {
        std::copy(values.begin(), values.end(), params.begin() + long(slot.offset));
        return loss();
      };
      check_gradient(qPrintable(kind + " " + QString::fromStdString(slot.name)), values, analytic, slot_loss, 30,
                     3e-3f);
      std::copy(values.begin(), values.end(), params.begin() + long(slot.offset));
    }
  }
};

QTEST_APPLESS_MAIN(TestClassifierGradients)
#include "test_classifier_gradients.moc"
