#!/usr/bin/env bash
# The whole CLI as a user runs it: each command a process, timed by
# /usr/bin/time. Prints pages/s and MB/s per core from the process's CPU
# time (user + sys, the minimum of REPEAT runs: the machine may be shared),
# wall time, peak RSS, and the per-stage thread-seconds of `winnow clean`
# (stats.json: the stages, the reader thread and the ordered writer).
#
#   bench/cli/cli_bench.sh [BUILD_DIR] > bench/runs/DATE-cli-NAME.txt
#
# Environment: REPEAT (default 3), SETS (default "scrapinghub dragnet"),
# CASES (default: all; names as printed), DATA (default ../shared/data/extraction
# from the source tree), WORK (scratch folder, default a temp dir).
#
# Inputs: the JSONL sets of ../shared/data/extraction (one page a line, an
# `html` field), and a WARC (gzip per record, HTTP responses) made once from
# scrapinghub's pages into WORK, so the WARC reader is timed on the same pages.
# A peer runs beside winnow when installed (resiliparse's extract_plain_text
# on the same pages, as a process reading the same JSONL); else it says so.
name=cli_bench default_repeat=3 default_sets="scrapinghub dragnet"
. "$(dirname "$0")/common.sh" "$@"
[ -x /usr/bin/time ] || { echo "cli_bench: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
cases="${CASES:-extract-json extract-text clean-t1 clean-t2 clean-dedup-lines}"
work="${WORK:-$(mktemp -d /tmp/cli_bench.XXXXXX)}"
mkdir -p "$work"

# One timed run: prints "cpu wall rss_kb" (cpu = user + sys seconds).
time_once() {
  local out
  out=$( { /usr/bin/time -f 'TIME %U %S %e %M' "$@" > /dev/null 2>"$work/stderr.txt"; } 2>&1 )
  local rc=$?
  local line
  line=$(grep -a '^TIME ' "$work/stderr.txt" | tail -1)
  if [ -z "$line" ]; then echo "cli_bench: no timing from: $*" >&2; tail -3 "$work/stderr.txt" >&2; return 1; fi
  set -- $line
  awk -v u="$2" -v s="$3" -v e="$4" -v m="$5" 'BEGIN { printf "%.3f %.3f %d\n", u + s, e, m }'
}

# The minimum CPU of REPEAT runs (with that run's wall time; the max RSS).
# Runs the command's `prep` first each time (e.g. removing the output folder).
best_of() {
  local best_cpu="" best_wall="" max_rss=0 r cpu wall rss
  for ((r = 0; r < repeat; ++r)); do
    [ -n "${PREP:-}" ] && eval "$PREP"
    read -r cpu wall rss < <(time_once "$@") || return 1
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu=$cpu; best_wall=$wall
      [ -n "${KEEP:-}" ] && eval "$KEEP"
    fi
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  done
  echo "$best_cpu $best_wall $max_rss"
}

# Pages and uncompressed bytes of an input (cached in WORK).
input_size() {
  local f="$1" key
  key="$work/size.$(basename "$f")"
  if [ ! -s "$key" ]; then
    case "$f" in
      *.warc.gz) echo "$(zcat "$f" | grep -ac '^WARC-Type: response') $(zcat "$f" | wc -c)" > "$key" ;;
      *.gz) echo "$(zcat "$f" | wc -l) $(zcat "$f" | wc -c)" > "$key" ;;
      *) echo "$(wc -l < "$f") $(wc -c < "$f")" > "$key" ;;
    esac
  fi
  cat "$key"
}

# A WARC of the set's pages: gzip per record, an HTTP response each.
make_warc() {
  local jsonl="$1" warc="$2"
  [ -s "$warc" ] && return 0
  /usr/bin/python3 - "$jsonl" "$warc" <<'EOF'
import gzip, json, sys, uuid
src, dst = sys.argv[1], sys.argv[2]
with gzip.open(src, "rt", encoding="utf-8") as f, open(dst + ".tmp", "wb") as out:
    for n, line in enumerate(f):
        page = json.loads(line)
        body = page["html"].encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
        url = page.get("url") or "http://example.invalid/%d" % n
        head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
                "WARC-Date: 2026-12-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
                "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
                % (url, uuid.UUID(int=n), len(http))).encode()
        out.write(gzip.compress(head + http + b"\r\n\r\n", 6, mtime=0))
import os
os.rename(dst + ".tmp", dst)
EOF
}

# Prints one result line; $1 case, $2 input label, $3 pages, $4 bytes, then "cpu wall rss".
report() {
  local name="$1" label="$2" pages="$3" bytes="$4" cpu="$5" wall="$6" rss="$7" extra="${8:-}"
  awk -v n="$name" -v l="$label" -v p="$pages" -v b="$bytes" -v c="$cpu" -v w="$wall" -v m="$rss" -v x="$extra" 'BEGIN {
    printf "%-18s %-18s %6d %8.3f %8.3f %9.0f %8.1f %8.0f %s\n", n, l, p, c, w, (c > 0 ? p / c : 0), (c > 0 ? b / 1e6 / c : 0), m / 1024, x }'
}

stage_line() {
  # stats.json's stage_seconds, one line, values in ms per page.
  local stats="$1" pages="$2"
  /usr/bin/python3 - "$stats" "$pages" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
pages = int(sys.argv[2])
secs = s.get("stage_seconds", {})
total = sum(secs.values())
parts = ["%s %.3f" % (k, v) for k, v in sorted(secs.items(), key=lambda kv: -kv[1])]
print("    thread-s: " + ", ".join(parts) + "  (sum %.3f; kept %d, rejected %d)" % (total, s.get("kept", 0), s.get("rejected", 0)))
serial = secs.get("reader", 0) + secs.get("writer", 0)
workers = total - serial
if total > 0 and secs.get("reader", 0) > 0:
    # A ring's reader keeps W / R workers busy (doc/performance.md). At -t 1
    # all of it is one thread (reader and writer are its shares).
    print("    serial (reader+writer) %.0f%% of CPU; one reader feeds %.1f workers"
          % (100.0 * serial / total, workers / secs["reader"]))
EOF
}

echo "cli_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), source tree $(git -C "$src" rev-parse --short HEAD 2>/dev/null) $(git -C "$src" log -1 --format=%s 2>/dev/null | cut -c1-60)"
# The binary may come from another tree (an A/B of two builds): name it by
# its path, time and size, not by this tree's commit.
echo "binary: $winnow ($(date -u -r "$winnow" '+%Y-%m-%d %H:%M UTC' 2>/dev/null), $(stat -c %s "$winnow" 2>/dev/null) bytes)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load before: $(load)"
echo "each figure: min CPU (user+sys) of $repeat runs of the whole process; pages/s and MB/s per core = pages / CPU s, uncompressed input MB / CPU s"
printf "%-18s %-18s %6s %8s %8s %9s %8s %8s %s\n" case input pages cpu_s wall_s "pages/s" "MB/s" "rss_MB" ""

declare -A t1_wall t1_cpu
warc="$work/scrapinghub.warc.gz"
make_warc "$data/scrapinghub.jsonl.gz" "$warc" || echo "cli_bench: could not make $warc" >&2

for case in $cases; do
  for set in $sets warc; do
    if [ "$set" = warc ]; then
      in="$warc"; label="scrapinghub.warc"; fmt=warc
      case "$case" in extract-json|clean-t1) ;; *) continue ;; esac
      [ -s "$in" ] || continue
    else
      in="$data/$set.jsonl.gz"; label="$set"; fmt=jsonl
      [ -s "$in" ] || { echo "cli_bench: no $in, skipped"; continue; }
    fi
    read -r pages bytes < <(input_size "$in")
    out="$work/out"
    case "$case" in
      extract-json | extract-text)
        PREP="" KEEP=""
        read -r cpu wall rss < <(best_of "$winnow" extract --input-format "$fmt" --format "${case#extract-}" "$in") || continue
        report "$case" "$label" "$pages" "$bytes" "$cpu" "$wall" "$rss"
        ;;
      clean-t1 | clean-t2 | clean-dedup-lines)
        local_args=(-t 1)
        [ "$case" = clean-t2 ] && local_args=(-t 2)
        [ "$case" = clean-dedup-lines ] && local_args=(-t 1 --dedup --repeated-lines)
        PREP="rm -rf '$out'" KEEP="cp '$out/stats.json' '$work/stats.best.json'"
        read -r cpu wall rss < <(best_of "$winnow" clean -q "${local_args[@]}" "$in" -o "$out") || continue
        extra=""
        [ "$case" = clean-t1 ] && { t1_wall[$label]=$wall; t1_cpu[$label]=$cpu; }
        if [ "$case" = clean-t2 ] && [ -n "${t1_wall[$label]:-}" ]; then
          extra=$(awk -v w1="${t1_wall[$label]}" -v w2="$wall" -v c1="${t1_cpu[$label]}" -v c2="$cpu" \
            'BEGIN { printf "wall speedup %.2fx over -t 1 (a shared machine: see the load); CPU per page %.2fx of -t 1", w1 / w2, c2 / c1 }')
        fi
        report "$case" "$label" "$pages" "$bytes" "$cpu" "$wall" "$rss" "$extra"
        stage_line "$work/stats.best.json" "$pages"
        ;;
    esac
  done
done

# A peer, where one is installed on this machine.
if /usr/bin/python3 -c 'import resiliparse.extract.html2text' 2>/dev/null; then
  for set in $sets; do
    in="$data/$set.jsonl.gz"
    read -r pages bytes < <(input_size "$in")
    PREP="" KEEP=""
    read -r cpu wall rss < <(best_of /usr/bin/python3 -c '
import gzip, json, sys
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
    for line in f:
        page = json.loads(line)
        sys.stdout.write(json.dumps({"id": page.get("id"), "text": extract_plain_text(HTMLTree.parse(page["html"]), main_content=True)}) + "\n")
' "$in") || continue
    report "peer-resiliparse" "$set" "$pages" "$bytes" "$cpu" "$wall" "$rss" "(python3 process: read JSONL, extract main content, write JSON)"
  done
else
  echo "peer: resiliparse not installed on this machine (python3 cannot import resiliparse); no peer run"
fi
echo "load after: $(load)"
[ -z "${WORK:-}" ] && rm -rf "$work"
exit 0
