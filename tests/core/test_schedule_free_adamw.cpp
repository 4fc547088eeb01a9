// Schedule-free AdamW against the published algorithm written out step by step in double precision (z, its
// weighted average x, and y = (1 − β1)·z + β1·x), and a first step worked by hand.
#include <QtTest>

#include <cmath>

#include "core/exits/schedule_free_adamw.h"

using namespace dynamax;

class TestScheduleFreeAdamW : public QObject {
  Q_OBJECT
 private slots:
  void first_step_moves_each_parameter_by_lr() {
    // Step 0: v = (1 − β2)·g², lr_0 = lr·sqrt(1 − β2), c = 1 (the only weight), so y_1 = z_1 = y_0 − lr_0·g/(|g|·sqrt(1 − β2) + eps):
    // a step of lr against the gradient's sign, less eps's share.
    ScheduleFreeAdamW opt({0, 0}, {});
    float y[] = {1.0f, -2.0f};
    const float g[] = {0.5f, -4.0f};
    opt.step(y, g);
    const double s = std::sqrt(0.001);
    QVERIFY(std::abs(y[0] - (1.0 - 2.5e-4 * s * 0.5 / (0.5 * s + 1e-8))) < 1e-7);
    QVERIFY(std::abs(y[1] - (-2.0 + 2.5e-4 * s * 4.0 / (4.0 * s + 1e-8))) < 1e-7);
    QVERIFY(std::abs(y[0] - 0.99975) < 1e-6);
  }

  void follows_the_published_sequences() {
    const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
    const std::vector<uint8_t> mask = {1, 0, 1};
    ScheduleFreeAdamW opt(mask, {float(lr), float(b1), float(b2), float(eps), float(wd)});
    float y[] = {0.5f, -1.0f, 2.0f};
    double z[3], x[3], v[3] = {0, 0, 0}, yd[3];
    for (int i = 0; i < 3; ++i) z[i] = x[i] = yd[i] = y[i];
    const float grads[5][3] = {{0.3f, -0.2f, 1.0f}, {-0.1f, 0.4f, 0.5f}, {0.2f, 0.2f, -0.7f}, {0.05f, -0.3f, 0.1f}, {-0.4f, 0.1f, 0.2f}};
    double lr_max = 0, weight_sum = 0;
    for (int t = 0; t < 5; ++t) {
      opt.step(y, grads[t]);
      const double lr_t = lr * std::sqrt(1 - std::pow(b2, t + 1));
      lr_max = std::max(lr_max, lr_t);
      weight_sum += lr_max * lr_max;
      const double c = lr_max * lr_max / weight_sum;
      for (int i = 0; i < 3; ++i) {
        v[i] = b2 * v[i] + (1 - b2) * grads[t][i] * grads[t][i];
        const double u = grads[t][i] / (std::sqrt(v[i]) + eps) + (mask[size_t(i)] ? wd * yd[i] : 0.0);
        z[i] -= lr_t * u;
        x[i] = (1 - c) * x[i] + c * z[i];
        yd[i] = (1 - b1) * z[i] + b1 * x[i];
        QVERIFY2(std::abs(y[i] - yd[i]) < 2e-6, qPrintable(QString("step %1, parameter %2: %3 vs %4").arg(t).arg(i).arg(y[i]).arg(yd[i])));
      }
    }
    QVERIFY(std::abs(yd[0] - 0.5) > 1e-3);  // the sequence moved: the comparison above was not of constants
  }
};

QTEST_APPLESS_MAIN(TestScheduleFreeAdamW)
#include "test_schedule_free_adamw.moc"
