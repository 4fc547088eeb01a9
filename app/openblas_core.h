#pragma once
// Product decision: Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 CPUs and falls back to its generic
// "Prescott" kernels (about 4x slower sgemm). It reads OPENBLAS_CORETYPE only when the library loads, so when the
// user has not set it and OpenBLAS chose Prescott on a CPU with AVX-512 (or AVX2), dynamax re-executes itself
// once with OPENBLAS_CORETYPE=SkylakeX (or Haswell). Setting OPENBLAS_CORETYPE yourself always wins;
// DYNAMAX_KEEP_OPENBLAS_CORE=1 turns the re-execution off.

namespace dynamax::app {

// Returns only when no re-execution is needed or it failed (then the program runs on with the slow kernels).
void ensure_fast_openblas_core(char** argv);

// The core OpenBLAS runs with, e.g. "SkylakeX".
const char* openblas_core_name();

}  // namespace dynamax::app
