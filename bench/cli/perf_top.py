#!/usr/bin/python3
"""Top functions of each thread of a `perf record` of one winnow process.

    perf record -F 4000 -g -o perf.data build/winnow clean -q -t 1 IN -o OUT
    bench/cli/perf_top.py perf.data [N]

Prints, per thread (largest first), its share of all samples and the N
functions (default 15) where its samples landed (self time). `[unknown]`
is code without symbols: for the reader thread that is libz's inflate
(Debian's libz is stripped).
"""
import collections
import subprocess
import sys


def main():
    data = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    out = subprocess.run(["perf", "script", "-i", data, "-F", "tid,ip,sym"],
                         capture_output=True, text=True, check=True).stdout
    by_tid = collections.defaultdict(collections.Counter)
    cur = None
    for line in out.splitlines():
        if not line.strip():
            cur = None
            continue
        if not line.startswith("\t"):  # a sample's header: its thread id
            cur = line.split()[0]
            continue
        if cur is not None:  # the first frame of a sample: where it landed
            parts = line.strip().split(None, 1)
            sym = parts[1] if len(parts) > 1 else "?"
            by_tid[cur][sym.rsplit(" (", 1)[0][:100]] += 1
            cur = None
    total = sum(sum(c.values()) for c in by_tid.values())
    for tid, c in sorted(by_tid.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        print("thread %s: %.1f%% of %d samples" % (tid, 100.0 * n / total, total))
        for sym, k in c.most_common(top):
            print("  %5.1f%%  %s" % (100.0 * k / n, sym))


if __name__ == "__main__":
    main()
