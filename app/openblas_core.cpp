#include "app/openblas_core.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern "C" char* openblas_get_corename(void);

namespace dynamax::app {

const char* openblas_core_name() { return openblas_get_corename(); }

// The kernel set this CPU can run that OpenBLAS 0.3.21 knows by name, or nullptr.
static const char* best_supported_core() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return nullptr;
}

void ensure_fast_openblas_core(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("DYNAMAX_KEEP_OPENBLAS_CORE")) return;
  const char* current = openblas_get_corename();
  if (!current || std::strcmp(current, "Prescott") != 0) return;
  const char* better = best_supported_core();
  if (!better) return;
  setenv("OPENBLAS_CORETYPE", better, 1);
  setenv("DYNAMAX_KEEP_OPENBLAS_CORE", "1", 1);  // never loop, whatever the library picks the second time
  execv("/proc/self/exe", argv);
  // execv failed (no /proc?): run on with the kernels we have.
  unsetenv("OPENBLAS_CORETYPE");
}

}  // namespace dynamax::app
