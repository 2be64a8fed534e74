"""python_bench: throughput of winnow.dask with 1 and 2 Dask workers
(documents/s), against the same plan run serially in one process and one
`winnow clean` process (run_clean), on HTML pages of ../shared/data/extraction
written as JSONL shards into a temporary folder.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/python_bench.py \\
        [--shared ../shared] [--docs 600] [--shards 8] [--dedup]

Prints one line per configuration; keep the output as
bench/runs/<date>-python.txt. The workers are local processes
(distributed.LocalCluster, 1 thread each, no dashboard, 127.0.0.1 only).
"""

import argparse
import gzip
import json
import os
import platform
import shutil
import sys
import tempfile
import time

import winnow
from winnow import dask as wdask


def make_shards(shared, folder, n_docs, n_shards):
    src_dir = os.path.join(shared, "data", "extraction")
    names = ["cleaneval.jsonl.gz", "scrapinghub.jsonl.gz", "dragnet.jsonl.gz"]
    docs = []
    for name in names:
        path = os.path.join(src_dir, name)
        if not os.path.exists(path):
            continue
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                docs.append({"id": f"{name.split('.')[0]}/{rec['id']}", "url": rec.get("url") or "",
                             "html": rec["html"]})
                if len(docs) >= n_docs:
                    break
        if len(docs) >= n_docs:
            break
    if not docs:
        sys.exit(f"python_bench: no pages found in {src_dir} (pass --shared)")
    os.makedirs(folder, exist_ok=True)
    per = (len(docs) + n_shards - 1) // n_shards
    paths = []
    total = 0
    for s in range(n_shards):
        part = docs[s * per:(s + 1) * per]
        if not part:
            break
        path = os.path.join(folder, f"pages-{s:03d}.jsonl")
        with open(path, "w") as f:
            for d in part:
                f.write(json.dumps(d) + "\n")
        total += os.path.getsize(path)
        paths.append(path)
    return paths, len(docs), total


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.environ.get(
        "WINNOW_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")))
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--dedup", action="store_true")
    ap.add_argument("--stages", help="comma-separated stages (default: the build's default)")
    args = ap.parse_args()

    module_dir = os.path.dirname(os.path.dirname(os.path.abspath(winnow.__file__)))
    os.environ["PYTHONPATH"] = module_dir + os.pathsep + os.environ.get("PYTHONPATH", "")
    from distributed import Client, LocalCluster

    tmp = tempfile.mkdtemp(prefix="winnow-python-bench-")
    try:
        inputs, n_docs, n_bytes = make_shards(args.shared, os.path.join(tmp, "in"),
                                              args.docs, args.shards)
        # One unit (task) per input shard, so that Dask has tasks to spread.
        config = {"output": {"compression": "none", "shard_mb": 0}}
        if args.dedup:
            config["dedup"] = {"enabled": True}
        if args.stages:
            config["stages"] = args.stages
        stages = winnow.Pipeline(config).stages
        print(f"python_bench {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
              f"host={platform.node()} cpus={os.cpu_count()} python={platform.python_version()} "
              f"loadavg={os.getloadavg()[0]:.1f} (other processes share these cpus)")
        print(f"input: {n_docs} HTML pages ({n_bytes / 1e6:.1f} MB) from "
              f"{os.path.abspath(args.shared)}/data/extraction in {len(inputs)} JSONL shards; "
              f"stages {','.join(stages)}; dedup={'on' if args.dedup else 'off'}")
        print(f"{'configuration':38s} {'seconds':>8s} {'docs/s':>8s} {'MB/s':>6s}  kept")

        def report(name, stats, secs):
            print(f"{name:38s} {secs:8.2f} {n_docs / secs:8.1f} {n_bytes / 1e6 / secs:6.2f}  "
                  f"{stats['kept']}", flush=True)

        stats, secs = timed(lambda: winnow.run_clean(inputs, os.path.join(tmp, "rc1"), config,
                                                     threads=1))
        report("run_clean, 1 thread (one process)", stats, secs)
        stats, secs = timed(lambda: winnow.run_clean(inputs, os.path.join(tmp, "rc2"), config,
                                                     threads=2))
        report("run_clean, 2 threads (one process)", stats, secs)
        stats, secs = timed(lambda: wdask.run(inputs, os.path.join(tmp, "serial"), config))
        report("winnow.dask tasks, serial, no Dask", stats, secs)
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                client.wait_for_workers(workers, timeout=60)
                out = os.path.join(tmp, f"dask{workers}")
                stats, secs = timed(lambda: wdask.run(inputs, out, config, client=client))
                report(f"winnow.dask, {workers} worker(s) x 1 thread", stats, secs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
