#include "core/exits/classifier_net.h"

#include "core/exits/classifier_ffn.h"
#include "core/exits/classifier_linear.h"
#include "core/exits/classifier_mamba.h"

namespace dynamax {

std::unique_ptr<ClassifierNet> make_classifier_net(const ClassifierSpec& spec) {
  spec.validate();
  switch (spec.kind) {
    case ClassifierKind::Linear: return std::make_unique<LinearClassifier>(spec.width);
    case ClassifierKind::Ffn: return std::make_unique<FfnClassifier>(spec.width, spec.ffn_width, spec.activation);
    case ClassifierKind::Mamba:
      return std::make_unique<MambaClassifier>(spec.width, spec.mamba_inner, spec.mamba_heads, spec.mamba_state,
                                               spec.mamba_conv);
  }
  return nullptr;
}

}  // namespace dynamax
