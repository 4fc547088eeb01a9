// bf16/f16 → fp32 conversion: the vector paths agree bit for bit with the scalar definitions on every input.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/kernels/convert.h"

using namespace dynamax;

class TestConvert : public QObject {
  Q_OBJECT
 private slots:
  void bf16_all_bit_patterns() {
    std::vector<uint16_t> src(65536 + 7);
    for (size_t i = 0; i < src.size(); ++i) src[i] = uint16_t(i);
    std::vector<float> dst(src.size());
    bf16_to_f32(src.data(), dst.data(), src.size());
    for (size_t i = 0; i < src.size(); ++i) {
      uint32_t got, want = uint32_t(src[i]) << 16;
      std::memcpy(&got, &dst[i], 4);
      QCOMPARE(got, want);
    }
  }

  void f16_all_bit_patterns() {
    std::vector<uint16_t> src(65536 + 5);
    for (size_t i = 0; i < src.size(); ++i) src[i] = uint16_t(i);
    std::vector<float> dst(src.size());
    f16_to_f32(src.data(), dst.data(), src.size());
    for (size_t i = 0; i < src.size(); ++i) {
      const float want = f16_scalar(src[i]);
      if (std::isnan(want)) QVERIFY(std::isnan(dst[i]));
      else QCOMPARE(dst[i], want);
    }
    QCOMPARE(f16_scalar(0x3c00), 1.0f);
    QCOMPARE(f16_scalar(0xc000), -2.0f);
    QCOMPARE(f16_scalar(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
    QCOMPARE(f16_scalar(0x7bff), 65504.0f);
    QVERIFY(std::isinf(f16_scalar(0x7c00)));
  }

  void bf16_rounding_is_nearest_even() {
    QCOMPARE(f32_to_bf16_round(1.0f), uint16_t(0x3f80));
    QCOMPARE(bf16_scalar(f32_to_bf16_round(1.00390625f)), 1.0f);     // halfway: rounds to even (down)
    QCOMPARE(bf16_scalar(f32_to_bf16_round(1.01171875f)), 1.015625f);  // halfway: rounds to even (up)
    QVERIFY(std::isnan(bf16_scalar(f32_to_bf16_round(NAN))));
  }

  void kernel_is_named() { QVERIFY(QByteArray(convert_kernel_name()).size() > 0); }
};

QTEST_APPLESS_MAIN(TestConvert)
#include "test_convert.moc"
