#pragma once
// The selective state-space scan of Mamba2 over T tokens and all heads, continuing each head's state:
//   S_h ← exp(dt[t,h]·A[h]) · S_h + dt[t,h] · x[t,h] ⊗ B[t,g(h)]
//   y[t,h] = S_h · C[t,g(h)] + D[h] · x[t,h]
// with S_h [head_dim × state_size] and g(h) = h / (heads / groups) the group whose B and C head h reads.
// Two forms compute the same function: a sequential recurrence (AVX-512 over the state) and the chunked
// state-space-duality form of the Mamba2 paper (matrix products per chunk, through BLAS).
#include <cstdint>

namespace dynamax {

struct SsmScanArgs {
  int T = 0, heads = 0, head_dim = 0, groups = 0, state_size = 0;
  const float* x = nullptr;  // [T × heads·head_dim], rows ld_in floats apart
  const float* B = nullptr;  // [T × groups·state_size], rows ld_in floats apart
  const float* C = nullptr;  // [T × groups·state_size], rows ld_in floats apart
  int64_t ld_in = 0;
  const float* dt = nullptr;  // [T × heads], already softplus'ed and clamped
  const float* A = nullptr;   // [heads], negative
  const float* D = nullptr;   // [heads]
  float* state = nullptr;     // [heads × head_dim × state_size], read and updated in place
  float* y = nullptr;         // [T × heads·head_dim] (rows ld_y floats apart), or null to only advance the state
  int64_t ld_y = 0;
};

// One token after the other, head by head, so that a head's state stays in L1 for the whole run. On AVX-512, runs
// of 32+ tokens work on a transposed copy of the state (lanes along head_dim), shorter ones on its rows (lanes
// along state_size); a plain loop serves the other shapes. Subnormals are flushed to zero while it runs.
void ssm_scan_sequential(const SsmScanArgs& args);
// Chunks of `chunk_size` tokens (the last may be shorter): within a chunk the outputs come from a masked, decayed
// C·Bᵀ product, across chunks through the state. The engine's test oracle (and its alternative: bench_mamba2).
void ssm_scan_chunked(const SsmScanArgs& args, int chunk_size);

// Which path the sequential scan takes for these shapes on this CPU, e.g. "avx512, transposed state".
const char* ssm_scan_kernel_name(const SsmScanArgs& args);

}  // namespace dynamax
