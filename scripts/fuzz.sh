#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ for SECONDS each (default 600), one after another, in build-asan/ (clang,
# ASan + UBSan, configured by the `asan` preset when missing). Seeds come from fuzz/make_seeds.sh and the committed
# regression inputs; what a run learns stays in build-asan/fuzz/corpus/<target>/ for the next run. A crash, a
# sanitizer report, a leak, an allocation over the limit or an input running past the timeout is a finding: it is
# saved as build-asan/fuzz/findings/<target>/crash-*|oom-*|timeout-*, and the script exits non-zero after all
# targets have run. DYNAMAX_FUZZ_KEEP_GOING=1 (for long runs) keeps each fuzzer going past its findings (libFuzzer's
# fork mode) so that one known crash does not end the search for others.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-600}
shift || true
B=build-asan
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
[ -f $B/CMakeCache.txt ] || cmake --preset asan >/dev/null || exit 1
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < $B/fuzz/targets.txt
cmake --build $B -j"$(nproc)" --target "${targets[@]/#/fuzz_}" || exit 1
[ -d $B/fuzz/seeds ] || bash fuzz/make_seeds.sh $B/fuzz/seeds || exit 1

# Limits. Inputs are small (a header, a config, a few records), so a handled input ends in well under a second even
# under ASan; 30 s per input is a hang. No reader needs 512 MiB in one allocation for inputs this size: one that
# asks for it sized its buffer from an untrusted count.
max_len() {
  case $1 in
    cli_args) echo 4096 ;;
    model_config) echo 8192 ;;
    workspace) echo 262144 ;;
    *) echo 65536 ;;
  esac
}
# The JSON readers get a dictionary of JSON tokens and their field names.
dict_args() {
  case $1 in
    cli_args|dataset_text|dataset_truthfulqa|workspace) ;;
    *) echo "-dict=fuzz/json.dict" ;;
  esac
}
keep_going=()
[ "${DYNAMAX_FUZZ_KEEP_GOING:-0}" = 1 ] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=0:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
for t in "${targets[@]}"; do
  corpus=$B/fuzz/corpus/$t findings=$B/fuzz/findings/$t
  mkdir -p "$corpus" "$findings"
  echo "== fuzz_$t: ${SECONDS_PER_TARGET} s"
  start=$SECONDS
  touch $B/fuzz/$t.started  # findings newer than this are this run's
  $B/fuzz/fuzz_$t "$corpus" $B/fuzz/seeds/$t fuzz/regressions/$t -max_total_time="$SECONDS_PER_TARGET" \
    -max_len="$(max_len "$t")" $(dict_args "$t") -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${keep_going[@]}" > $B/fuzz/$t.log 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $B/fuzz/$t.log)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov.*/\1/p' $B/fuzz/$t.log | tail -1)  # fork mode
  [ ${#keep_going[@]} -eq 0 ] || [ -z "$(find "$findings" -type f -newer $B/fuzz/$t.started)" ] || rc=1
  echo "   exit $rc, ${execs:-?} executions in $((SECONDS - start)) s ($(( ${execs:-0} / (SECONDS - start + 1) ))/s)"
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    grep -a -m3 -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|^terminate called|^  what\(\)' $B/fuzz/$t.log | cut -c1-200 |
      sed 's/^/   /'
    echo "   log: $B/fuzz/$t.log; input: $(ls -t "$findings" | head -1)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in ${failed[*]}: minimise with $B/fuzz/fuzz_TARGET -minimize_crash=1 -runs=10000 INPUT," \
       "then commit to fuzz/regressions/TARGET/" >&2
  exit 1
fi
echo "fuzz.sh: no findings"
