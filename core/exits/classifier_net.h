#pragma once
// One exit classifier network (one exit depth): logits of p(exit) for the rows of a whole token sequence, and the
// gradient of its parameters, written by hand. Stateless: parameters and gradients are flat arrays laid out by
// layout(), so one network object serves every depth and every copy of the weights. Its input is the residual
// stream h_d after a parameter-free RMS normalisation (classifier_input.h): the scale of h_d grows with depth,
// and normalising it lets one initialisation and learning rate fit every depth and model.
#include <cstdint>
#include <memory>
#include <random>

#include "core/exits/classifier_params.h"
#include "core/exits/classifier_spec.h"

namespace dynamax {

class ClassifierNet {
 public:
  virtual ~ClassifierNet() = default;
  const ParamLayout& layout() const { return layout_; }
  int64_t parameter_count() const { return int64_t(layout_.total()); }
  // One token through the network, as counted by compute_cost.h (a multiply-add is 2); excludes the input norm.
  virtual int64_t flops_per_token() const = 0;
  virtual void init(float* params, std::mt19937_64& rng) const = 0;
  // Offset of the bias of the final logit: training starts it at the log-odds of the training labels.
  virtual size_t output_bias() const = 0;
  // logits[T] for the rows x[T × width] of one sequence (kinds with a recurrent state start it at zero).
  virtual void forward(const float* params, const float* x, int T, float* logits) const = 0;
  // Floats of the state a recurrent kind carries from one token to the next; 0 for stateless kinds.
  virtual size_t state_size() const { return 0; }
  // Continues a sequence: logits[T] for its next T rows, starting from `state` (all zeros at the sequence's start)
  // and leaving it after the last row, so a sequence fed in pieces (a prompt, then one token per step) gives the
  // logits of forward() on the whole.
  virtual void forward_continued(const float* params, const float* x, int T, float* state, float* logits) const {
    (void)state;
    forward(params, x, T, logits);
  }
  // grads += ∂(Σ_t dlogits[t] · logits[t]) / ∂params for the same sequence (recomputes the forward it needs).
  virtual void backward(const float* params, const float* x, int T, const float* dlogits, float* grads) const = 0;

 protected:
  ParamLayout layout_;
};

std::unique_ptr<ClassifierNet> make_classifier_net(const ClassifierSpec& spec);

}  // namespace dynamax
