#!/usr/bin/env bash
# Two builds of `winnow` alternated N times on one command (perf stat
# task-clock, every thread of the process): min and median of each, and the
# ratio A/B. Alternating keeps both under the same load on a shared machine.
#
#   bench/cli/ab_taskclock.sh N WINNOW_A WINNOW_B CASE
#
# CASE: ej-s ej-d (extract --format json), cl-s cl-d (clean -q -t 1), c2-s c2-d
# (clean -q -t 2), on scrapinghub (-s) or dragnet (-d). DATA as in
# callgrind_totals.sh.
set -euo pipefail
n=${1:?usage: ab_taskclock.sh N WINNOW_A WINNOW_B CASE}; a=$2; b=$3; c=$4
data=${DATA:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/extraction}
command -v perf >/dev/null || { echo "ab_taskclock: needs perf (Debian package linux-perf)" >&2; exit 2; }
case $c in *-s) set_=scrapinghub ;; *-d) set_=dragnet ;; *) echo "unknown case $c" >&2; exit 2 ;; esac
t=$(mktemp -d /tmp/ab_taskclock.XXXXXX)
run() {
  case $c in
    ej-*) perf stat -x, -e task-clock -o "$t/p" "$1" extract --input-format jsonl --format json "$data/$set_.jsonl.gz" >/dev/null ;;
    cl-*) rm -rf "$t/o"; perf stat -x, -e task-clock -o "$t/p" "$1" clean -q -t 1 "$data/$set_.jsonl.gz" -o "$t/o" >/dev/null 2>&1 ;;
    c2-*) rm -rf "$t/o"; perf stat -x, -e task-clock -o "$t/p" "$1" clean -q -t 2 "$data/$set_.jsonl.gz" -o "$t/o" >/dev/null 2>&1 ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
  grep task-clock "$t/p" | cut -d, -f1
}
for ((i = 0; i < n; ++i)); do echo "$(run "$a") $(run "$b")"; done > "$t/r"
/usr/bin/python3 - "$t/r" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
a = sorted(r[0] for r in rows); b = sorted(r[1] for r in rows)
print("A min %.1f med %.1f ms | B min %.1f med %.1f ms | A/B min %.3f med %.3f"
      % (a[0], statistics.median(a), b[0], statistics.median(b), a[0] / b[0],
         statistics.median(a) / statistics.median(b)))
PY
rm -rf "$t"
