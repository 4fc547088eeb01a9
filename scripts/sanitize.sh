#!/usr/bin/env bash
# Builds the core, storage and views test suites and the fuzz regression replays with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang, build-asan/, the `asan` preset that also builds the fuzzers) and runs them.
# Any sanitizer report fails its test (-fno-sanitize-recover=undefined; ASan aborts on the first error).
# Left out, because under ASan they run for many minutes and exercise arithmetic kernels rather than input
# handling (they run sanitizer-free in the ordinary suite): SLOW below. Usage: scripts/sanitize.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
B=build-asan
SLOW='core_test_classifier_training|core_test_classifier_gradients|core_test_reference_models'
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake --preset asan >/dev/null  # every time: new test files are found by a glob at configure time
suites=$(cd tests && ls core/test_*.cpp storage/test_*.cpp views/test_*.cpp | sed 's|/|_|; s|\.cpp$||' |
         grep -vxE "$SLOW")
mapfile -t replays < <(sed 's/^/fuzz_replay_/' $B/fuzz/targets.txt)
cmake --build $B -j"$(nproc)" --target $suites "${replays[@]}"
# Leaks: the suites' Qt plumbing (fonts, the offscreen platform) holds memory until exit by design.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
cd $B
ctest --output-on-failure -j"$(nproc)" -R "^($(echo $suites | tr ' ' '|')|fuzz_replay_.*)\$" "$@"
