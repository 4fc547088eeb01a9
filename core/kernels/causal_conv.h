#pragma once
// Depthwise causal 1-D convolution over time followed by SiLU: the conv of the Mamba mixers, continuing the
// inputs of earlier calls so that a sequence can be fed whole, in slabs, or one token at a time.
#include <cstdint>

namespace dynamax {

// out[t][c] = silu(bias[c] + Σ_k weight[k][c] · in[t − (K−1) + k][c])  for t < T, c < C,
// where the inputs before t = 0 are the rows of `history` [(K−1) × C], oldest first. Afterwards `history` holds
// the last K−1 inputs. `in` rows are `ld_in` floats apart; `weight` is [K × C] (HF's [C, 1, K] transposed);
// `bias` may be null; `out` is [T × C] and must not overlap `in` or `history`.
void causal_conv_silu(const float* in, int64_t ld_in, int T, int C, int K, const float* weight, const float* bias,
                      float* history, float* out);

}  // namespace dynamax
