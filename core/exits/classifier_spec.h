#pragma once
// What an exit classifier is: its kind and sizes. The input width is the model's hidden size.
#include <nlohmann/json.hpp>
#include <string>

#include "core/exits/classifier_activation.h"

namespace dynamax {

enum class ClassifierKind { Linear, Ffn, Mamba };
// What a classifier reads at its depth: h_d / RMS(h_d) (ours), or h_d as it is (the DYNAMAX authors' code).
enum class ClassifierInput { Rms, Raw };

const char* classifier_kind_name(ClassifierKind kind);     // "linear", "ffn", "mamba"
ClassifierKind parse_classifier_kind(const std::string& name);  // Error listing the valid names
const char* classifier_input_name(ClassifierInput input);       // "rms", "raw"
ClassifierInput parse_classifier_input(const std::string& name);  // Error listing the valid names

struct ClassifierSpec {
  ClassifierKind kind = ClassifierKind::Linear;
  int width = 0;  // input: the residual stream h_d
  ClassifierInput input = ClassifierInput::Rms;
  // ffn: up-projection to ffn_width, the activation, down to the logit.
  int ffn_width = 256;
  Activation activation = Activation::SiLU;
  // mamba: inner width (heads × head dim), heads, SSM state size and conv kernel; one B/C group.
  int mamba_inner = 64, mamba_heads = 4, mamba_state = 16, mamba_conv = 4;

  nlohmann::json to_json() const;                         // only the sizes of its kind
  static ClassifierSpec from_json(const nlohmann::json& j);  // validated; Error naming a bad field
  void validate() const;
};

}  // namespace dynamax
