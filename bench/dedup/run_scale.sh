#!/bin/bash
# The dedup scale run (issue 12): `winnow dedup` with its defaults (verified
# clusters) on a corpus made by gen_near_dups.py, at a memory limit, niced;
# prints wall/CPU/peak RSS (/usr/bin/time -v), the work dir's disk peak
# (sampled every 5 s) and the accuracy against the planted truth.
#
#   bench/dedup/run_scale.sh WINNOW CORPUS_DIR N [MEMORY_MB] [THREADS]
#   FOLLOW=SHARDS bench/dedup/run_scale.sh ...   while the generator still
#       writes: every minute, pass 1 (--pass signatures) on the longest
#       complete prefix of the SHARDS shards, then the full run (RESUME=1)
#       when all are there (FOLLOW_UPTO=K: when the first K are). Each
#       pass-1 call's figures go to follow.log.
#
# CORPUS_DIR is gen_near_dups.py's OUT (in/, truth.tsv); the run writes
# CORPUS_DIR/out (kept/rejected, uncompressed) and CORPUS_DIR/out/work.
# NICE=N: the nice level of every job (default 15).
# RESUME=1 keeps out/work: pass-1 files made earlier for the same shard
# paths (e.g. `winnow dedup --pass signatures` on the shards generated so
# far, run while the generator writes the others) are reused.
set -u
winnow=$1 dir=$2 n=$3 mem=${4:-2048} threads=${5:-2}
here=$(cd "$(dirname "$0")" && pwd)
out=$dir/out
if [ -n "${FOLLOW:-}" ]; then
  RESUME=1
  done_shards=0
  while :; do
    files=()
    for ((s = 0; s < FOLLOW; s++)); do
      f=$(printf "%s/in/part-%05d.jsonl.zst" "$dir" $s)
      [ -f "$f" ] || break
      files+=("$f")
    done
    if [ ${#files[@]} -gt $done_shards ]; then
      echo "== $(date -u +%T) pass 1 on ${#files[@]} shards" >> "$dir/follow.log"
      nice -n "${NICE:-15}" /usr/bin/time -v "$winnow" dedup "${files[@]}" -o "$out" --pass signatures \
        --memory-limit-mb "$mem" -t "$threads" >> "$dir/follow.log" 2>&1
      done_shards=${#files[@]}
    fi
    [ $done_shards -ge "${FOLLOW_UPTO:-$FOLLOW}" ] && break
    sleep 60
  done
fi
[ "${RESUME:-0}" = 1 ] || rm -rf "$out"
mkdir -p "$out/work"
echo "date $(date -u +%FT%TZ)  host $(hostname)  nproc $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus $(ls "$dir"/in | wc -l) shards, $(du -sb "$dir/in" | cut -f1) bytes (zstd)"
df -h "$dir" | tail -1
peak=0
(
  while sleep 5; do
    b=$(du -sb "$out/work" 2>/dev/null | cut -f1)
    echo "$b"
  done
) > "$dir/work-du.txt" &
watcher=$!
inputs=("$dir/in")
if [ -n "${FOLLOW_UPTO:-}" ]; then
  inputs=()
  for ((s = 0; s < FOLLOW_UPTO; s++)); do inputs+=("$(printf "%s/in/part-%05d.jsonl.zst" "$dir" $s)"); done
fi
nice -n "${NICE:-15}" /usr/bin/time -v "$winnow" dedup "${inputs[@]}" -o "$out" --memory-limit-mb "$mem" -t "$threads" \
  > "$dir/dedup.out" 2> "$dir/dedup.err"
rc=$?
kill "$watcher"
echo "exit $rc"
peak=$(sort -n "$dir/work-du.txt" | tail -1)
echo "work_dir_peak_bytes $peak  (sampled every 5 s)"
echo "work_dir_final_bytes $(du -sb "$out/work" | cut -f1)"
for f in sig ids sets keys pairs; do
  echo "work_dir_${f}_bytes $(cat "$out"/work/$f-* 2>/dev/null | wc -c)"
done
echo "output_bytes $(du -sb --exclude=work "$out" | cut -f1)"
cat "$dir/dedup.err"
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- accuracy against the planted truth"
# SCORE_ARGS: e.g. "--sample 20000" (no truth.tsv), "--shards K/S".
nice -n "${NICE:-15}" /usr/bin/python3 "$here/gen_near_dups.py" score "$n" "$dir" "$out"/rejected-*.jsonl ${SCORE_ARGS:-}
