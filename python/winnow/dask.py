"""Run ``winnow clean`` over many input shards on a Dask distributed cluster,
or one share of it under another scheduler (Slurm job arrays, Kubernetes).

The plan (the tasks are in :mod:`winnow.shards`):

1. per-document stages: one task per input shard, each running the native
   pipeline (through this module's extension, GIL released) into
   ``OUT/shards/NNNNN-name/``, committed by an atomic rename with a
   ``_COMPLETE`` marker written last; a rerun skips committed shards;
2. with ``repeated_lines.enabled``: per-host line counts per shard, summed
   in one task, then applied per shard (``OUT/lines/NNNNN/``);
   with ``dedup.enabled``: the four dedup passes of winnow/dedup.h over the
   kept shards, in input order: signatures (one task per shard), candidate
   pairs (one task per partition), clusters (one task), apply (one task per
   shard; writes ``OUT/kept-NNNNN.jsonl``);
3. merge: ``OUT/stats.json`` (docs in = kept + rejected + unreadable) and
   ``OUT/manifest.json`` (the kept files in input order).

The result does not depend on how many workers ran it, nor on a worker dying
in the middle (Dask reruns its tasks elsewhere; every task is idempotent).
Every worker must import this package (``PYTHONPATH=<build>/python`` or the
module installed for its python3) and see the inputs and ``OUT`` at the same
paths (shared file system across machines).

Command line (``winnow clean --dask tcp://HOST:PORT ...`` runs this):

    python3 -m winnow.dask --scheduler tcp://HOST:8786 --output OUT \\
        [--config run.yaml] [--set key=value ...] [--dedup] INPUTS...

Without --scheduler, ``--step STEP --task-index I --task-count N`` runs
share I of N of one step (clean, signatures, pairs, clusters, apply, merge)
in this process: that is how a Slurm job array or Kubernetes indexed job
runs the same plan (doc/slurm-example.sh). Without either, the whole plan
runs here, serially.
"""

import argparse
import json
import os
import sys
import time

import winnow
from winnow import shards as _shards


class _Serial:
    """Runs the tasks in this process, in order (no Dask)."""

    def map(self, fn, calls, name):
        return [fn(*args) for args in calls]


class _OnDask:
    """One Dask task per call; results gathered in call order."""

    def __init__(self, client, retries):
        self.client = client
        self.retries = retries
        self.run_id = f"{os.getpid()}-{time.time_ns()}"

    def map(self, fn, calls, name):
        futures = [
            self.client.submit(fn, *args, key=f"winnow-{name}-{i:05d}-{self.run_id}",
                               pure=False, retries=self.retries)
            for i, args in enumerate(calls)
        ]
        return self.client.gather(futures)


def list_input_files(inputs):
    """Files and folders to the sorted list of input shards, as absolute
    paths (workers do not share this process's working directory)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    return [f if f == "-" else os.path.abspath(f)
            for f in winnow.list_inputs([os.fspath(p) for p in inputs])]


def run(inputs, output, config=None, sets=(), client=None, scheduler=None,
        threads_per_task=1, partitions=None, retries=2, task_delay=0.0, log=None):
    """Runs the whole plan; returns the merged stats (a dict).

    ``client`` is a ``distributed.Client``; or ``scheduler`` its address
    ("tcp://127.0.0.1:8786"); with neither the plan runs in this process.
    ``config`` is a dict or YAML path, ``sets`` "key=value" strings over it.
    ``partitions`` overrides ``dedup.partitions`` (the units of pass 2).
    ``task_delay`` makes each per-shard task wait before committing (tests).
    """
    flat = winnow.load_config(config, sets)
    files = list_input_files(inputs)
    if not files:
        raise ValueError("no input files found in the paths given")
    if "-" in files:
        raise ValueError("stdin (-) cannot be split into shards: give files or folders")
    output = os.path.abspath(os.fspath(output))
    os.makedirs(output, exist_ok=True)
    say = log or (lambda msg: None)

    own_client = None
    if client is None and scheduler:
        from distributed import Client
        client = own_client = Client(scheduler, set_as_default=False)
    try:
        ex = _OnDask(client, retries) if client is not None else _Serial()
        t0 = time.time()
        shard_results = ex.map(
            _shards.clean_shard,
            [(i, f, output, flat, threads_per_task, task_delay) for i, f in enumerate(files)],
            "clean")
        redone = sum(1 for r in shard_results if r["redone"])
        say(f"per-document pass: {len(files)} shards ({redone} done now, "
            f"{len(files) - redone} already complete) in {time.time() - t0:.1f}s")
        if redone:
            _shards.reset_corpus_outputs(output)
        corpus_inputs = [f for r in shard_results for f in r["kept"]]
        lines_results = apply_results = None
        if _shards.repeated_lines_enabled(flat):
            lines_results = run_repeated_lines(ex, output, flat, shard_results, say)
            corpus_inputs = [r["kept_file"] for r in lines_results]
        if _shards.dedup_enabled(flat):
            apply_results = run_dedup(ex, output, flat, corpus_inputs, partitions,
                                      threads_per_task, say)
        _shards.remove_leftovers(output)  # every task of the run has finished
        stats = _shards.merge(output, files, shard_results, apply_results, lines_results,
                              wall_seconds=time.time() - t0)
        say(f"done in {time.time() - t0:.1f}s: documents in {stats['docs_in']} = kept "
            f"{stats['kept']} + rejected {stats['rejected']} + unreadable {stats['unreadable']}")
        return stats
    finally:
        if own_client is not None:
            own_client.close()


def run_repeated_lines(ex, output, flat, shard_results, say):
    """Repeated-line removal: count per shard, sum, apply per shard."""
    t = time.time()
    n = len(shard_results)
    ex.map(_shards.repeated_lines_count,
           [(r["index"], r["kept"], output, flat) for r in shard_results], "lines-count")
    ex.map(_shards.repeated_lines_merge, [(n, output, flat)], "lines-merge")
    applied = ex.map(_shards.repeated_lines_apply,
                     [(r["index"], r["kept"], output, flat) for r in shard_results],
                     "lines-apply")
    say(f"repeated lines: {n} shards in {time.time() - t:.1f}s")
    return applied


def run_dedup(ex, output, flat, dedup_inputs, partitions, threads, say):
    if not dedup_inputs:
        return []
    n = len(dedup_inputs)
    p = _shards.dedup_partitions(flat, partitions)
    t = time.time()
    ex.map(_shards.dedup_task,
           [("signatures", dedup_inputs, output, flat, i, n, p, threads) for i in range(n)],
           "signatures")
    ex.map(_shards.dedup_task,
           [("pairs", dedup_inputs, output, flat, i, p, p, threads) for i in range(p)], "pairs")
    ex.map(_shards.dedup_task,
           [("clusters", dedup_inputs, output, flat, 0, 1, p, threads)], "clusters")
    applied = ex.map(_shards.dedup_apply,
                     [(dedup_inputs, output, flat, i, p, threads) for i in range(n)], "apply")
    say(f"dedup: {n} shards, {p} partitions in {time.time() - t:.1f}s")
    return applied


def run_step(step, inputs, output, config=None, sets=(), task_index=0, task_count=1,
             threads=1, partitions=None):
    """Share ``task_index`` of ``task_count`` of one step, in this process.

    Steps must run in order, each after every share of the previous one
    finished (a job dependency in Slurm): clean; with repeated_lines
    lines-count, lines-merge (task count 1), lines-apply; with dedup
    signatures, pairs (task count = partitions), clusters (task count 1),
    apply; then merge (task count 1). Returns a dict describing what this share did.
    """
    if not 0 <= task_index < task_count:
        raise ValueError(f"--task-index must be in [0, {task_count}), got {task_index}")
    flat = winnow.load_config(config, sets)
    files = list_input_files(inputs)
    output = os.path.abspath(os.fspath(output))
    os.makedirs(output, exist_ok=True)
    mine = [i for i in range(len(files)) if i % task_count == task_index]
    if step == "clean":
        done = [_shards.clean_shard(i, files[i], output, flat, threads) for i in mine]
        return {"step": step, "shards": [d["dir"] for d in done]}
    # The later steps need every shard's per-document output.
    missing = [f for i, f in enumerate(files)
               if not _shards.is_complete(_shards.shard_dir(output, i, f), f)]
    if missing:
        raise RuntimeError(f"step {step}: {len(missing)} shards have no complete clean "
                           f"output yet (first: {missing[0]}); run --step clean first")
    shard_results = [_shards.clean_shard(i, f, output, flat) for i, f in enumerate(files)]
    lines = _shards.repeated_lines_enabled(flat)
    if step == "lines-count":
        return {"counts": [_shards.repeated_lines_count(r["index"], r["kept"], output, flat)
                           for r in shard_results if r["index"] in mine]}
    if step == "lines-merge":
        return {"counts": _shards.repeated_lines_merge(len(shard_results), output, flat)}
    if step == "lines-apply":
        return {"applied": [_shards.repeated_lines_apply(r["index"], r["kept"], output, flat)
                            for r in shard_results if r["index"] in mine]}
    lines_results = None
    dedup_inputs = [f for r in shard_results for f in r["kept"]]
    if lines:
        undone = [r["index"] for r in shard_results
                  if not _shards.is_complete(_shards.lines_shard_dir(output, r["index"]))]
        if undone:
            raise RuntimeError(f"step {step}: {len(undone)} shards have no repeated-lines "
                               f"output yet; run --step lines-apply first")
        lines_results = [_shards.repeated_lines_apply(r["index"], r["kept"], output, flat)
                         for r in shard_results]  # reads the committed results
        dedup_inputs = [r["kept_file"] for r in lines_results]
    p = _shards.dedup_partitions(flat, partitions)
    n = len(dedup_inputs)
    if step == "signatures":
        return _shards.dedup_task(step, dedup_inputs, output, flat, task_index, task_count,
                                  p, threads) if n else {}
    if step == "pairs":
        return _shards.dedup_task(step, dedup_inputs, output, flat, task_index, task_count,
                                  p, threads) if n else {}
    if step == "clusters":
        return _shards.dedup_task(step, dedup_inputs, output, flat, 0, 1, p, threads) if n else {}
    if step == "apply":
        return {"applied": [_shards.dedup_apply(dedup_inputs, output, flat, i, p, threads)
                            for i in range(n) if i % task_count == task_index]}
    if step == "merge":
        apply_results = None
        if _shards.dedup_enabled(flat):
            apply_results = [_shards.dedup_apply(dedup_inputs, output, flat, i, p, threads)
                             for i in range(n)]
        return _shards.merge(output, files, shard_results, apply_results, lines_results)
    raise ValueError(f"unknown step {step!r} (one of {', '.join(_shards.STEPS)})")


def _parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="python3 -m winnow.dask",
        description="winnow clean over many input shards on a Dask cluster (--scheduler), "
                    "or one share of one step (--step/--task-index/--task-count) for "
                    "Slurm/Kubernetes; serially in this process otherwise.")
    ap.add_argument("inputs", nargs="+", help="input files or folders (sorted into shards)")
    ap.add_argument("-o", "--output", required=True, help="output folder (shared by all workers)")
    ap.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.1:8786")
    ap.add_argument("-c", "--config", help="YAML config file")
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="config setting over the file (repeatable)")
    ap.add_argument("--dedup", action="store_true", help="remove duplicates (= dedup.enabled)")
    ap.add_argument("--repeated-lines", action="store_true",
                    help="remove lines repeated across a site's pages (= repeated_lines.enabled)")
    ap.add_argument("--stages", help="comma-separated per-document stages (= stages)")
    ap.add_argument("-f", "--format", help="input format (= input.format)")
    ap.add_argument("--compression", help="output compression: zst, gz, none (= output.compression)")
    ap.add_argument("-t", "--threads", type=int, default=1, help="threads inside each task")
    ap.add_argument("--partitions", type=int, help="dedup pass-2 partitions (= dedup.partitions)")
    ap.add_argument("--retries", type=int, default=2, help="Dask retries of a failed task")
    ap.add_argument("--step", choices=_shards.STEPS, help="run one step only (no Dask)")
    ap.add_argument("--task-index", type=int, default=0)
    ap.add_argument("--task-count", type=int, default=1)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.dedup:
        args.sets.append("dedup.enabled=true")
    if args.repeated_lines:
        args.sets.append("repeated_lines.enabled=true")
    for key, value in (("stages", args.stages), ("input.format", args.format),
                       ("output.compression", args.compression)):
        if value:
            args.sets.append(f"{key}={value}")
    return args


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    log = None if args.quiet else (lambda m: print(f"winnow.dask: {m}", file=sys.stderr))
    try:
        if args.step:
            if args.scheduler:
                raise ValueError("--step runs one share in this process; drop --scheduler")
            result = run_step(args.step, args.inputs, args.output, args.config, args.sets,
                              args.task_index, args.task_count, args.threads, args.partitions)
            print(json.dumps(result, indent=1, sort_keys=True, default=str))
            return 0
        stats = run(args.inputs, args.output, args.config, args.sets, scheduler=args.scheduler,
                    threads_per_task=args.threads, partitions=args.partitions,
                    retries=args.retries, log=log)
        if not args.quiet:
            print(winnow.stats_table(stats), file=sys.stderr, end="")
            print(f"output in {args.output}/ (manifest.json lists the kept files in order)",
                  file=sys.stderr)
        return 1 if stats.get("unreadable", 0) else 0
    except (ValueError, OSError, RuntimeError, NotImplementedError) as e:
        print(f"winnow.dask: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # e.g. distributed's KilledWorker after too many worker deaths
        print(f"winnow.dask: {type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
