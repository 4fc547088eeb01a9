#pragma once
// The FFN classifier's activations with their derivatives: SiLU and GELU (exact, erf form, as PyTorch's default),
// and SwiGLU, whose product silu(gate) · up is taken by the FFN itself.
#include <string>

namespace dynamax {

enum class Activation { SiLU, GELU, SwiGLU };

const char* activation_name(Activation a);          // "silu", "gelu", "swiglu"
Activation parse_activation(const std::string& name);  // Error listing the valid names

float sigmoid(float x);
float silu_derivative(float x);
float gelu(float x);
float gelu_derivative(float x);

}  // namespace dynamax
