"""Run ``winnow clean`` on a Dask distributed cluster.

A run is a list of steps, each a list of independent tasks (winnow/pipeline.h
and doc/design.md, "Steps and tasks"): the per-document stages per unit of
input files, the corpus steps (repeated lines, the dedup passes), then
``finish``. This module only schedules them: it asks the engine for the plan
(``_winnow.plan_clean``), submits every task of a step as one Dask task
(``_winnow.run_clean_task``, GIL released), waits for the step, and goes on.
Which files a task reads and writes, when it is done and what the figures
are is the engine's business, the same as in ``winnow clean`` in one process
or split with ``--step/--task-index/--task-count``; so the three write the
same files.

Every task is idempotent (temporary names, renamed when complete, a marker
written last), so Dask may rerun a task whose worker died. Every worker must
import this package and see the inputs and ``OUT`` at the same paths (a
shared file system across machines).

Command line (``winnow clean --dask tcp://HOST:PORT ...`` runs this):

    python3 -m winnow.dask --scheduler tcp://HOST:8786 --output OUT \\
        [--config run.yaml] [--set key=value ...] [--threads N] INPUTS...

Without --scheduler the tasks run here, one after the other.
"""

import argparse
import json
import os
import sys
import time

import winnow
from winnow import _winnow


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


def _run_task(inputs, output, flat, step, task, threads, delay=0.0):
    if delay:
        time.sleep(delay)
    return json.loads(_winnow.run_clean_task(inputs, output, flat, step, task, threads))


def run(inputs, output, config=None, sets=(), client=None, scheduler=None,
        threads_per_task=1, retries=2, task_delay=0.0, log=None):
    """Runs every task of the run; returns the run's stats (a dict, as in
    stats.json).

    ``client`` is a ``distributed.Client``; or ``scheduler`` its address
    ("tcp://127.0.0.1:8786"); with neither the tasks run in this process.
    ``config`` is a dict or YAML path, ``sets`` "key=value" strings over it.
    ``task_delay`` makes each per-document task wait before it starts (tests).
    """
    flat = winnow.load_config(config, sets)
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    # Workers do not share this process's working directory.
    inputs = [p if p == "-" else os.path.abspath(os.fspath(p)) for p in inputs]
    if "-" in inputs:
        raise ValueError("stdin (-) cannot be split into tasks: give files or folders")
    output = os.path.abspath(os.fspath(output))
    say = log or (lambda msg: None)

    own_client = None
    if client is None and scheduler:
        from distributed import Client
        client = own_client = Client(scheduler, set_as_default=False)
    try:
        ex = _OnDask(client, retries) if client is not None else _Serial()
        t0 = time.time()
        stats = None
        for step, tasks in _winnow.plan_clean(inputs, output, flat):
            t = time.time()
            delay = task_delay if step == "docs" else 0.0
            results = ex.map(_run_task, [(inputs, output, flat, step, i, threads_per_task, delay)
                                         for i in range(tasks)], step)
            say(f"{step}: {tasks} tasks in {time.time() - t:.1f}s")
            stats = results[-1]
        say(f"done in {time.time() - t0:.1f}s: documents in {stats['docs_in']} = kept "
            f"{stats['kept']} + rejected {stats['rejected']} + unreadable {stats['unreadable']}")
        return stats
    finally:
        if own_client is not None:
            own_client.close()


def _parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="python3 -m winnow.dask",
        description="winnow clean with its tasks scheduled on a Dask cluster (--scheduler); "
                    "serially in this process otherwise.")
    ap.add_argument("inputs", nargs="+", help="input files or folders")
    ap.add_argument("-o", "--output", required=True, help="output folder (shared by all workers)")
    ap.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.1:8786")
    ap.add_argument("-c", "--config", help="YAML config file")
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="config setting over the file (repeatable)")
    ap.add_argument("-t", "--threads", type=int, default=1, help="threads inside each task")
    ap.add_argument("--retries", type=int, default=2, help="Dask retries of a failed task")
    ap.add_argument("-q", "--quiet", action="store_true")
    return ap.parse_args(argv)


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    log = None if args.quiet else (lambda m: print(f"winnow.dask: {m}", file=sys.stderr))
    try:
        stats = run(args.inputs, args.output, args.config, args.sets, scheduler=args.scheduler,
                    threads_per_task=args.threads, retries=args.retries, log=log)
        if not args.quiet:
            print(winnow.stats_table(stats), file=sys.stderr, end="")
            print(f"output in {args.output}/", file=sys.stderr)
        return 1 if stats.get("unreadable", 0) else 0
    except (ValueError, OSError, RuntimeError) as e:
        print(f"winnow.dask: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # e.g. distributed's KilledWorker after too many worker deaths
        print(f"winnow.dask: {type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
