#pragma once
// Backward passes of the engine's Mamba2 kernels (core/kernels), for training the Mamba exit classifier over
// whole sequences that start from zero conv and SSM states. Every function accumulates (+=) into its gradients,
// so the caller zeroes them once and gradients of shared inputs (B and C of a group's heads) add up.
#include <cstdint>

#include "core/kernels/ssm_scan.h"

namespace dynamax {

// Of causal_conv_silu() with a zero history: given dout[T × C] = ∂loss/∂out, adds ∂loss/∂in to din (rows ld_din
// apart), ∂loss/∂weight to dweight [K × C] and ∂loss/∂bias to dbias (when bias and dbias are not null).
void causal_conv_silu_backward(const float* in, int64_t ld_in, int T, int C, int K, const float* weight,
                               const float* bias, const float* dout, float* din, int64_t ld_din, float* dweight,
                               float* dbias);

// Gradients of ssm_scan_*() for the same arguments (args.state is the initial state, left unchanged; args.y is not
// read). dy[T × heads·head_dim] has rows ld_dy apart; dx, dB, dC are laid out as args.x, args.B, args.C with rows
// ld_grad apart; ddt is [T × heads]; dA and dD are [heads].
struct SsmScanGradients {
  float* dx = nullptr;
  float* dB = nullptr;
  float* dC = nullptr;
  int64_t ld_grad = 0;
  float* ddt = nullptr;
  float* dA = nullptr;
  float* dD = nullptr;
};
void ssm_scan_backward(const SsmScanArgs& args, const float* dy, int64_t ld_dy, const SsmScanGradients& grads);

// Of gated_group_norm(): given dout[T × n], adds ∂loss/∂y to dy [T × n], ∂loss/∂z to dz (rows ld_dz apart) and
// ∂loss/∂weight to dweight [n].
void gated_group_norm_backward(const float* y, const float* z, int64_t ld_z, int T, int n, int groups,
                               const float* weight, float eps, const float* dout, float* dy, float* dz, int64_t ld_dz,
                               float* dweight);

}  // namespace dynamax
