#include "core/exits/classifier_activation.h"

#include <cmath>

#include "core/common/error.h"

namespace dynamax {

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::SiLU: return "silu";
    case Activation::GELU: return "gelu";
    case Activation::SwiGLU: return "swiglu";
  }
  return "?";
}

Activation parse_activation(const std::string& name) {
  if (name == "silu") return Activation::SiLU;
  if (name == "gelu") return Activation::GELU;
  if (name == "swiglu") return Activation::SwiGLU;
  throw Error("unknown activation '" + name + "'; valid: silu, gelu, swiglu");
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

float silu_derivative(float x) {
  const float s = sigmoid(x);
  return s * (1.0f + x * (1.0f - s));
}

static constexpr float kInvSqrt2 = 0.70710678118654752f;
static constexpr float kInvSqrt2Pi = 0.39894228040143268f;

float gelu(float x) { return 0.5f * x * (1.0f + std::erf(x * kInvSqrt2)); }

float gelu_derivative(float x) {
  return 0.5f * (1.0f + std::erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
}

}  // namespace dynamax
