#include "core/exits/adamw.h"

#include <cmath>

namespace dynamax {

AdamW::AdamW(std::vector<uint8_t> decay_mask, AdamWOptions options)
    : decay_(std::move(decay_mask)), o_(options), m_(decay_.size(), 0.0f), v_(decay_.size(), 0.0f) {}

void AdamW::step(float* p, const float* g) {
  ++steps_;
  const float c1 = 1.0f - std::pow(o_.beta1, float(steps_)), c2 = 1.0f - std::pow(o_.beta2, float(steps_));
  for (size_t i = 0; i < m_.size(); ++i) {
    m_[i] = o_.beta1 * m_[i] + (1.0f - o_.beta1) * g[i];
    v_[i] = o_.beta2 * v_[i] + (1.0f - o_.beta2) * g[i] * g[i];
    if (decay_[i]) p[i] -= o_.lr * o_.weight_decay * p[i];
    p[i] -= o_.lr * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + o_.eps);
  }
}

}  // namespace dynamax
