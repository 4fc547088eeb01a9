#include "core/exits/schedule_free_adamw.h"

#include <algorithm>
#include <cmath>

namespace dynamax {

ScheduleFreeAdamW::ScheduleFreeAdamW(std::vector<uint8_t> decay_mask, ScheduleFreeAdamWOptions options)
    : decay_(std::move(decay_mask)), o_(options), v_(decay_.size(), 0.0f) {}

void ScheduleFreeAdamW::step(float* y, const float* g) {
  if (z_.empty()) z_.assign(y, y + decay_.size());
  const double lr = o_.lr * std::sqrt(1.0 - std::pow(double(o_.beta2), double(steps_ + 1)));
  lr_max_ = std::max(lr_max_, lr);
  const double weight = lr_max_ * lr_max_;
  weight_sum_ += weight;
  const float c = float(weight / weight_sum_), step = float(lr);
  // y moves to its next value without forming x: y' = (1 − c)·y + c·z − lr·(1 − β1·(1 − c))·u, then z' = z − lr·u.
  const float y_step = step * (o_.beta1 * (1.0f - c) - 1.0f);
  for (size_t i = 0; i < z_.size(); ++i) {
    v_[i] = o_.beta2 * v_[i] + (1.0f - o_.beta2) * g[i] * g[i];
    float u = g[i] / (std::sqrt(v_[i]) + o_.eps);
    if (decay_[i]) u += o_.weight_decay * y[i];
    y[i] += c * (z_[i] - y[i]);
    y[i] += y_step * u;
    z_[i] -= step * u;
  }
  ++steps_;
}

}  // namespace dynamax
