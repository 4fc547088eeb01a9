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

// One token after the other with the states in registers for the whole run: on AVX-512, 16 channels at once (a
// channel a lane, the decay exp(dt·A) by a polynomial within fp32 rounding of std::exp); elsewhere, and for the
// channels past a multiple of 16 or a state_size over 64, channel by channel with std::exp.
void selective_scan(const SelectiveScanArgs& args);
// The channel-by-channel form alone: the test oracle of the vector one.
void selective_scan_scalar(const SelectiveScanArgs& args);
// Which path selective_scan takes for these shapes on this CPU, e.g. "avx512, channels in lanes".
const char* selective_scan_kernel_name(const SelectiveScanArgs& args);

}  // namespace dynamax
