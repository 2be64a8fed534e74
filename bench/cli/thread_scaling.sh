#!/usr/bin/env bash
# Wall-clock scaling of `winnow clean` with threads: -t 1 and -t 2 (or
# THREADS="1 2 4"...) alternated REPEAT times on each set, the wall seconds
# of every run, the median and minimum per thread count, and the ratio of
# -t 1's to each (the speedup). Wall time is only meaningful on an idle
# machine: the load average is printed before and after, and a load above
# the number of cores makes the ratio say nothing.
#
#   bench/cli/thread_scaling.sh [BUILD_DIR] > bench/runs/DATE-scaling-NAME.txt
#
# Environment: REPEAT (default 5), SETS (default "scrapinghub dragnet"),
# THREADS (default "1 2"), DATA (default ../shared/data/extraction), ARGS
# (more arguments for the set runs, e.g. "--pipeline.read_ahead 64").
name=thread_scaling default_repeat=5 default_sets="scrapinghub dragnet"
. "$(dirname "$0")/common.sh" "$@"
work="$(mktemp -d /tmp/thread_scaling.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "thread_scaling: $(date -u '+%Y-%m-%d %H:%M UTC'), source tree $(git -C "$src" rev-parse --short HEAD 2>/dev/null)"
echo "binary: $winnow; machine: $(nproc) cores; load before: $(load)"
echo "winnow clean -q -t N ${ARGS:+$ARGS }SET.jsonl.gz -o OUT, N alternating ($threads), $repeat rounds; wall seconds"
# The fixed cost of a run (start-up, the output folder's files and their
# fsyncs): the wall time of a one-document run; it does not shrink with
# threads, so on a small set it caps the speedup on its own.
head -c 100000 "$data/scrapinghub.jsonl.gz" | gzip -dc 2>/dev/null | head -1 > "$work/one.jsonl"
fixed=""
if [ -s "$work/one.jsonl" ]; then
  for ((r = 0; r < repeat; ++r)); do
    rm -rf "$work/out"
    start=$(date +%s.%N)
    "$winnow" clean -q -t 1 "$work/one.jsonl" -o "$work/out" > /dev/null 2>&1
    end=$(date +%s.%N)
    fixed="$fixed $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
  done
  fixed_median=$(echo $fixed | median)
  echo "fixed cost (a one-document run, -t 1): wall$fixed  median $fixed_median"
fi
for set in $sets; do
  in="$data/$set.jsonl.gz"
  [ -s "$in" ] || { echo "thread_scaling: no $in, skipped"; continue; }
  declare -A walls=()
  for ((r = 0; r < repeat; ++r)); do
    for t in $threads; do
      rm -rf "$work/out"
      start=$(date +%s.%N)
      "$winnow" clean -q -t "$t" ${ARGS:-} "$in" -o "$work/out" > /dev/null 2>&1 || { echo "thread_scaling: -t $t failed on $in" >&2; exit 1; }
      end=$(date +%s.%N)
      walls[$t]="${walls[$t]:-} $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    done
  done
  base_median=""
  for t in $threads; do
    median=$(echo ${walls[$t]} | median)
    minimum=$(echo ${walls[$t]} | tr ' ' '\n' | sort -n | head -1)
    [ -z "$base_median" ] && { base_median=$median; base_min=$minimum; }
    printf "%-12s -t %-3s wall %s  median %.3f min %.3f  speedup over -t %s: median %.2fx, min %.2fx\n" \
      "$set" "$t" "${walls[$t]# }" "$median" "$minimum" "${threads%% *}" \
      "$(awk -v a="$base_median" -v b="$median" 'BEGIN { print a / b }')" \
      "$(awk -v a="$base_min" -v b="$minimum" 'BEGIN { print a / b }')"
    [ -n "${fixed_median:-}" ] && printf "%-12s -t %-3s without the fixed cost: median %.3f, speedup %.2fx\n" "$set" "$t" \
      "$(awk -v m="$median" -v f="$fixed_median" 'BEGIN { print m - f }')" \
      "$(awk -v a="$base_median" -v b="$median" -v f="$fixed_median" 'BEGIN { print (a - f) / (b - f) }')"
  done
  unset walls
done
echo "load after: $(load)"
