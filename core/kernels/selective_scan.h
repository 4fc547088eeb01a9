#pragma once
// The selective scan of Mamba-1 (and FalconMamba) over T tokens, continuing the state of every channel:
//   S_c ← exp(dt[t,c]·A[c,:]) ⊙ S_c + dt[t,c] · x[t,c] · B[t,:]
//   y[t,c] = S_c · C[t,:] + D[c] · x[t,c]
// with S_c [state_size] per channel c < channels (d_inner). Unlike Mamba2's scan, A has a value per state element,
// and B and C are shared by all channels.
#include <cstdint>

namespace dynamax {

struct SelectiveScanArgs {
  int T = 0, channels = 0, state_size = 0;
  const float* x = nullptr;  // [T × channels], rows ld_x floats apart
  int64_t ld_x = 0;
  const float* dt = nullptr;  // [T × channels], contiguous, already softplus'ed
  const float* B = nullptr;   // [T × state_size], rows ld_bc floats apart
  const float* C = nullptr;   // [T × state_size], rows ld_bc floats apart
  int64_t ld_bc = 0;
  const float* A = nullptr;  // [channels × state_size], negative
  const float* D = nullptr;  // [channels]
  float* state = nullptr;    // [channels × state_size], read and updated in place
  float* y = nullptr;        // [T × channels] (rows ld_y floats apart), or null to only advance the state
  int64_t ld_y = 0;
};

// Channel by channel, one token after the other, so that a channel's state stays in registers for the whole run.
void selective_scan(const SelectiveScanArgs& args);

}  // namespace dynamax
