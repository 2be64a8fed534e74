#!/usr/bin/env bash
# How much of a `winnow clean` run is serial: each run with
# WINNOW_TRACE_PHASES=1 (src/pipeline/tasks.h, TracePhase) under
# `perf stat -e task-clock`, split in three at the run's phase points:
#   before:   process start -> the first document's work can start
#             (reader-start with a ring, writers-open at -t 1): start-up,
#             plan, the output folder claimed, the stages made;
#   parallel: -> docs-done (every document read, processed and written);
#   after:    -> the process's exit: the shards closed (the rest of their
#             compression, fsync), the task committed and marked, the
#             finish step (unreadable.jsonl, stats.json), work/ removed, exit.
# Prints the wall and the process CPU (ms) of each part per run and their
# medians, and (with a ring, -t 2 and more) the time the workers waited for
# work: each worker's wall time less its CPU and its time waiting for a core
# (/proc/thread-self/schedstat), summed; a load adds to it only through the
# reader's own delays. At -t N the "before" and "after" parts run on one core whatever
# N: with the CPU ratio of the parallel part they bound the speedup. Wall
# figures only mean something at a load below the number of cores; CPU
# figures are inflated by a load too, less.
#
#   bench/cli/phases.sh [BUILD_DIR] > bench/runs/DATE-phases-NAME.txt
#
# Environment: REPEAT (default 5), SETS (default "scrapinghub"), THREADS
# (default "1 2"), DATA (default ../shared/data/extraction), ARGS (more
# arguments for `winnow clean`, e.g. "--pipeline.read_ahead 4").
name=phases default_repeat=5 default_sets="scrapinghub"
. "$(dirname "$0")/common.sh" "$@"
command -v perf > /dev/null || { echo "phases: skipped: no perf (Debian linux-perf)"; exit 0; }
work="$(mktemp -d /tmp/phases.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "phases: $(date -u '+%Y-%m-%d %H:%M UTC'), source tree $(git -C "$src" rev-parse --short HEAD 2>/dev/null)"
echo "machine: $(nproc) cores; load before: $(load)"
echo "winnow clean -q -t N ${ARGS:+$ARGS }SET.jsonl.gz -o OUT; wall / process CPU in ms: before | parallel | after | total; workers' wait for work"
for set in $sets; do
  in="$data/$set.jsonl.gz"
  [ -s "$in" ] || { echo "phases: no $in, skipped"; continue; }
  for t in $threads; do
    : > "$work/rows"
    for ((r = 0; r < repeat; ++r)); do
      rm -rf "$work/out"
      start=$(date +%s.%N)
      WINNOW_TRACE_PHASES=1 perf stat -x, -e task-clock -o "$work/stat" \
        "$winnow" clean -q -t "$t" ${ARGS:-} "$in" -o "$work/out" > /dev/null 2> "$work/trace" ||
        { echo "phases: -t $t failed on $in" >&2; exit 1; }
      end=$(date +%s.%N)
      tc=$(grep task-clock "$work/stat" | cut -d, -f1)
      awk -v s="$start" -v e="$end" -v tc="$tc" -v t="$t" '
        $1 == "winnow-phase" { real[$2] = $4; cpu[$2] = $6 }
        $2 == "worker-start" { w0[$10] = $4; c0[$10] = $8; q0[$10] = $12 }
        $2 == "worker-end" { idle += ($4 - w0[$10]) - ($8 - c0[$10]) - ($12 - q0[$10]) }
        END {
          b = ("reader-start" in real) ? "reader-start" : "writers-open"
          w1 = (real[b] - s) * 1000; w2 = (real["docs-done"] - real[b]) * 1000; w3 = (e - real["docs-done"]) * 1000
          c1 = cpu[b] * 1000; c2 = (cpu["docs-done"] - cpu[b]) * 1000; c3 = tc - cpu["docs-done"] * 1000
          printf "%.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", w1, w2, w3, w1 + w2 + w3, c1, c2, c3, tc, idle * 1000
        }' "$work/trace" >> "$work/rows"
    done
    awk -v set="$set" -v t="$t" '
      { for (i = 1; i <= 9; ++i) v[i, NR] = $i; line[NR] = $0 }
      END {
        for (r = 1; r <= NR; ++r)
          printf "%-12s -t %-2s wall %6.1f | %6.1f | %6.1f | %6.1f   cpu %6.1f | %6.1f | %6.1f | %6.1f   wait %5.1f\n", set, t,
                 v[1, r], v[2, r], v[3, r], v[4, r], v[5, r], v[6, r], v[7, r], v[8, r], v[9, r]
        printf "%-12s -t %-2s median", set, t
        for (i = 1; i <= 9; ++i) {
          n = 0
          for (r = 1; r <= NR; ++r) a[++n] = v[i, r]
          for (x = 1; x <= n; ++x) for (y = x + 1; y <= n; ++y) if (a[y] < a[x]) { tmp = a[x]; a[x] = a[y]; a[y] = tmp }
          m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
          printf "%s%6.1f%s", (i == 1 ? " wall " : (i == 5 ? "   cpu " : (i == 9 ? "   wait " : ""))), m,
                 (i == 4 || i == 8 || i == 9 ? "" : " | ")
        }
        printf "\n"
      }' "$work/rows"
  done
done
echo "load after: $(load)"
