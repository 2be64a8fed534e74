#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang, ASan and UBSan in a
# build folder of their own, makes seed corpora from winnow's samples
# (scripts/fuzz_seeds.py), and runs each harness for SECONDS.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     # default 60 s, every harness
#
# Harnesses: html_extract charset warc jsonl compressed json_roundtrip. Environment:
#   WINNOW_FUZZ_BUILD_DIR  build folder (build-fuzz)
#   WINNOW_FUZZ_OUT        corpora, findings and logs ($BUILD/fuzz-out); the
#                          corpus grows from run to run (a long campaign
#                          can be done in steps)
#   WINNOW_FUZZ_NICE       nice level of the fuzzers (0)
#   WINNOW_FUZZ_FORK       1: libFuzzer's fork mode, which goes on after a
#                          finding (each one saved) for long campaigns; it
#                          runs fewer inputs per second on short runs (0)
# A finding (crash, sanitizer report, broken invariant, timeout, > 2 GB) is
# saved as $OUT/findings/HARNESS/crash-*|timeout-*|oom-*; reproduce it with
#   build-fuzz/tests/fuzz/HARNESS_fuzzer FILE
# and add it as a regression test. Exit 1 when there is a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-60}
shift || true
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(html_extract charset warc jsonl compressed json_roundtrip)
BUILD=${WINNOW_FUZZ_BUILD_DIR:-build-fuzz}
OUT=${WINNOW_FUZZ_OUT:-$BUILD/fuzz-out}
NICE=${WINNOW_FUZZ_NICE:-0}
FORK=()
if [ "${WINNOW_FUZZ_FORK:-0}" = "1" ]; then
  FORK=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (apt-get install clang; scripts/setup.sh installs it with WINNOW_FUZZ=1)" >&2
  exit 2
fi
start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_FUZZ=ON \
  -DWINNOW_BUILD_TESTS=OFF -DWINNOW_BUILD_BENCH=OFF -DWINNOW_BUILD_PYTHON=OFF >/dev/null
targets=()
for h in "${HARNESSES[@]}"; do targets+=(--target "${h}_fuzzer"); done
nice -n "$NICE" cmake --build "$BUILD" -j"$(nproc)" "${targets[@]}"
built=$(date +%s)
echo "fuzz: built in $((built - start)) s"

/usr/bin/python3 scripts/fuzz_seeds.py "$OUT/seeds" >/dev/null
found=0
printf '%-14s %8s %10s %8s %8s %8s %8s\n' harness seconds execs execs/s cov ft findings
for h in "${HARNESSES[@]}"; do
  # Small inputs mutate well and run fast; the seeds are cut to fit.
  max_len=16384
  mkdir -p "$OUT/corpus/$h" "$OUT/findings/$h"
  # Inputs that once broke a harness (tests/fuzz/regressions/HARNESS/) are
  # replayed first, as part of the seed corpus.
  REGRESSIONS=()
  [ -d "tests/fuzz/regressions/$h" ] && REGRESSIONS=("tests/fuzz/regressions/$h")
  log="$OUT/$h.log"
  stamp="$OUT/findings/.start-$h"
  touch "$stamp"
  set +e
  t0=$(date +%s)
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice -n "$NICE" "$BUILD/tests/fuzz/${h}_fuzzer" -max_total_time="$SECS" -timeout=20 \
    -rss_limit_mb=2560 -max_len="$max_len" -print_final_stats=1 "${FORK[@]}" \
    -artifact_prefix="$OUT/findings/$h/" "$OUT/corpus/$h" "$OUT/seeds/$h" "${REGRESSIONS[@]}" >"$log" 2>&1
  set -e
  took=$(( $(date +%s) - t0 ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  if [ -z "$execs" ]; then  # fork mode prints "#N ... exec/s" lines instead
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
  fi
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  n=$(find "$OUT/findings/$h" -type f -newer "$stamp" | wc -l)  # this run's
  rate=$(( ${execs:-0} / (took > 0 ? took : 1) ))
  printf '%-14s %8s %10s %8s %8s %8s %8s\n' "$h" "$took" "${execs:-?}" "$rate" "${cov:-?}" "${ft:-?}" "$n"
  if [ "$n" -gt 0 ]; then
    found=1
    echo "fuzz: $h found $n input(s) in $OUT/findings/$h (log: $log):" >&2
    grep -m5 -E 'ERROR: |runtime error|winnow fuzz:|Timeout|out-of-memory' "$log" >&2 || true
  fi
done
echo "fuzz: total $(( $(date +%s) - start )) s"
exit $found
