#pragma once
// The gated RMSNorm at the end of the Mamba2 mixer, taken per group as the reference mamba_ssm does: with
// n_groups > 1 every group of n / groups channels has its own mean square (Hugging Face's Mamba2 class takes
// one over the whole width, which is groups = 1 here).
#include <cstdint>

namespace dynamax {

// For every row t < T and every group of n / groups channels:
//   v = y · silu(z);  out = v / sqrt(mean over the group of v² + eps) · weight
// y and out are [T × n] (out may alias y); z rows are `ld_z` floats apart; weight is [n].
void gated_group_norm(const float* y, const float* z, int64_t ld_z, int T, int n, int groups, const float* weight,
                      float eps, float* out);

}  // namespace dynamax
