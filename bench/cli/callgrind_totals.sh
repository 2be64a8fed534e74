#!/usr/bin/env bash
# Instructions of whole `winnow` processes (callgrind totals): the steady
# figure on a shared or virtual machine, where CPU time spreads by 15-50%.
#
#   bench/cli/callgrind_totals.sh BUILD_DIR [CASE...]
#
# CASE: ej-s ej-d (extract --input-format jsonl --format json) and cl-s cl-d
# (clean -q -t 1), on scrapinghub (-s) and dragnet (-d); default all four.
# DATA: the folder of the sets (default ../shared/data/extraction beside the
# source tree). Prints each total and the callgrind file it came from (read
# it with `callgrind_annotate --inclusive=yes FILE`).
set -euo pipefail
build=${1:?usage: callgrind_totals.sh BUILD_DIR [CASE...]}; shift
data=${DATA:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/extraction}
command -v valgrind >/dev/null || { echo "callgrind_totals: needs valgrind (Debian package valgrind)" >&2; exit 2; }
[ -d "$data" ] || { echo "callgrind_totals: no data folder $data (set DATA)" >&2; exit 2; }
out=$(mktemp -d /tmp/callgrind.XXXXXX)
for c in "${@:-ej-s ej-d cl-s cl-d}"; do
  for case_ in $c; do
    case $case_ in *-s) set_=scrapinghub ;; *-d) set_=dragnet ;; *) echo "unknown case $case_" >&2; exit 2 ;; esac
    case $case_ in
      ej-*) cmd=("$build/winnow" extract --input-format jsonl --format json "$data/$set_.jsonl.gz") ;;
      cl-*) rm -rf "$out/o_$case_"; cmd=("$build/winnow" clean -q -t 1 "$data/$set_.jsonl.gz" -o "$out/o_$case_") ;;
      *) echo "unknown case $case_" >&2; exit 2 ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.$case_" "${cmd[@]}" >/dev/null 2>"$out/log.$case_"
    total=$(grep -a -o 'Collected : [0-9]*' "$out/log.$case_" | awk '{print $3}')
    printf "%-6s %15s  (%s)\n" "$case_" "$total" "$out/cg.$case_"
  done
done
