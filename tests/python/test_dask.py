"""winnow.dask on a real local cluster (a `dask scheduler` and two
`dask worker` processes on 127.0.0.1): the output equals the single-process
run, also when a worker is killed in the middle of the run; and the batch
steps (--step/--task-index/--task-count) give the same output too."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from conftest import require, winnow

require("io")
require("dedup")
from winnow import dask as wdask  # noqa: E402
from winnow import shards  # noqa: E402

CONFIG = {"dedup": {"enabled": True, "partitions": 3}, "output": {"compression": "none"}}
SETS = ["dedup.enabled=true", "dedup.partitions=3", "output.compression=none"]
COUNTS = ("docs_in", "kept", "rejected", "unreadable", "rejected_by")


def _kept(out):
    return [(d["id"], d["text"]) for d in shards.kept_documents(str(out))]


def _counts(stats):
    return {k: stats.get(k) for k in COUNTS}


def _assert_same(out_a, stats_a, out_b, stats_b):
    assert _counts(stats_a) == _counts(stats_b)
    assert _kept(out_a) == _kept(out_b)


def _check_corpus_result(stats, out):
    assert stats["docs_in"] == stats["kept"] + stats["rejected"] + stats["unreadable"]
    assert stats["unreadable"] == 1  # the broken line
    assert stats["kept"] > 0
    removed = sum(stats["rejected_by"].get("dedup", {}).values())
    assert removed > 0, "the corpus has exact duplicates: dedup must remove some"
    kept = _kept(out)
    assert len(kept) == stats["kept"]
    texts = [" ".join(t.lower().split()) for _, t in kept]
    assert len(set(texts)) == len(texts), "no two kept documents are exact duplicates"
    ids = [i for i, _ in kept]
    order = [(int(i.split("-")[0][1:]), int(i.split("-")[1][1:])) for i in ids]
    assert order == sorted(order), "kept documents stay in input order"


@pytest.fixture
def reference(tmp_path, corpus):
    out = tmp_path / "serial"
    stats = wdask.run(corpus, out, CONFIG)  # the same plan, in this process
    _check_corpus_result(stats, out)
    return out, stats


def test_serial_plan_equals_run_clean(tmp_path, corpus, reference):
    """The sharded plan gives what one `winnow clean --dedup` process gives."""
    single = tmp_path / "single"
    try:
        stats = winnow.run_clean(corpus, single, CONFIG, threads=2)
    except ValueError as e:
        if "not wired" in str(e) or "unsupported" in str(e):
            pytest.skip(f"winnow clean --dedup is not available in this build: {e}")
        raise
    kept_files = sorted(f for f in os.listdir(single) if f.startswith("kept-"))
    single_kept = [(d["id"], d["text"]) for f in kept_files
                   for d in winnow.read_documents(single / f)]
    out, ref_stats = reference
    assert _counts(stats) == _counts(ref_stats)
    assert single_kept == _kept(out)


def test_dask_two_workers_equal_serial(tmp_path, corpus, reference, dask_cluster):
    out = tmp_path / "dask"
    # The command line entry point `winnow clean --dask ADDR` runs.
    cmd = [sys.executable, "-m", "winnow.dask", "--scheduler", dask_cluster.address,
           "--output", str(out), "-q", *[a for s in SETS for a in ("--set", s)], *corpus]
    proc = subprocess.run(cmd, env=dask_cluster.env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr  # 1: some records were unreadable
    stats = json.loads((out / "stats.json").read_text())
    ref_out, ref_stats = reference
    _assert_same(out, stats, ref_out, ref_stats)
    # Both workers took part (each shard's marker names the process that made it).
    pids = {json.loads((out / "shards" / d / shards.COMPLETE).read_text())["pid"]
            for d in os.listdir(out / "shards") if not d.startswith(".")}
    assert len(pids) == 2

    # A rerun finds every shard complete and redoes nothing.
    markers = {p: os.stat(os.path.join(out, "shards", p, shards.COMPLETE)).st_mtime_ns
               for p in os.listdir(out / "shards") if not p.startswith(".")}
    stats2 = wdask.run(corpus, out, CONFIG, client=dask_cluster.client)
    assert _counts(stats2) == _counts(stats)
    assert markers == {p: os.stat(os.path.join(out, "shards", p, shards.COMPLETE)).st_mtime_ns
                       for p in markers}


def test_dask_worker_killed_mid_run(tmp_path, corpus, reference, dask_cluster):
    client = dask_cluster.client
    out = tmp_path / "dask-kill"
    result = {}

    def go():
        try:
            result["stats"] = wdask.run(corpus, out, CONFIG, client=client, task_delay=1.0)
        except BaseException as e:  # reported below
            result["error"] = e

    runner = threading.Thread(target=go, daemon=True)
    runner.start()
    victim = "w0"
    deadline = time.time() + 120
    killed = False
    while time.time() < deadline and runner.is_alive():
        info = client.scheduler_info()["workers"]
        addr = next((a for a, w in info.items() if w.get("name") == victim), None)
        busy = client.processing().get(addr, []) if addr else []
        if any("winnow-clean" in str(k) for k in busy):
            time.sleep(0.3)  # inside the task: outputs written, not committed
            dask_cluster.kill_worker(victim)
            killed = True
            break
        time.sleep(0.05)
    assert killed, "worker w0 never ran a shard task"
    runner.join(timeout=300)
    assert not runner.is_alive(), "the run did not finish after a worker was killed"
    assert "error" not in result, repr(result.get("error"))
    assert dask_cluster.workers[victim].poll() is not None
    assert not [d for d in os.listdir(out / "shards") if d.startswith(".")], \
        "the killed attempt's temporary folder is removed at the end"
    ref_out, ref_stats = reference
    _assert_same(out, result["stats"], ref_out, ref_stats)


def test_batch_steps_equal_serial(tmp_path, corpus):
    """Slurm-style: each step run as N independent processes, in order
    (with repeated-line removal and dedup)."""
    require("repeated_lines")
    ref = tmp_path / "plan"
    ref_stats = wdask.run(corpus, ref, {"repeated_lines": {"enabled": True}, **CONFIG})
    out = tmp_path / "batch"
    base = [sys.executable, "-m", "winnow.dask", "--output", str(out), "-q",
            "--repeated-lines", *[a for s in SETS for a in ("--set", s)]]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(winnow.__file__)) + os.pathsep + \
        env.get("PYTHONPATH", "")
    plan = [("clean", 3), ("lines-count", 2), ("lines-merge", 1), ("lines-apply", 4),
            ("signatures", 2), ("pairs", 3), ("clusters", 1), ("apply", 2), ("merge", 1)]
    for step, n in plan:
        for i in range(n):
            proc = subprocess.run(base + ["--step", step, "--task-index", str(i),
                                          "--task-count", str(n), *corpus],
                                  env=env, capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, f"{step} {i}/{n}: {proc.stderr}"
    stats = json.loads((out / "stats.json").read_text())
    _assert_same(out, stats, ref, ref_stats)


LINES_CONFIG = {"repeated_lines": {"enabled": True}, **CONFIG}


def test_repeated_lines_serial_plan_equals_run_clean(tmp_path, corpus):
    require("repeated_lines")
    out = tmp_path / "plan"
    stats = wdask.run(corpus, out, LINES_CONFIG)
    _check_corpus_result(stats, out)
    dropped = sum(n for k, n in stats.get("blocks_dropped_by", {}).items()
                  if k.startswith("text.repeated_lines"))
    assert dropped > 0, "the corpus repeats a newsletter line on many pages of each site"
    single = tmp_path / "single"
    single_stats = winnow.run_clean(corpus, single, LINES_CONFIG, threads=2)
    kept_files = sorted(f for f in os.listdir(single) if f.startswith("kept-"))
    single_kept = [(d["id"], d["text"]) for f in kept_files
                   for d in winnow.read_documents(single / f)]
    assert _counts(stats) == _counts(single_stats)
    assert _kept(out) == single_kept


def test_repeated_lines_on_dask_equals_serial(tmp_path, corpus, dask_cluster):
    require("repeated_lines")
    ref = tmp_path / "plan"
    ref_stats = wdask.run(corpus, ref, LINES_CONFIG)
    out = tmp_path / "dask"
    stats = wdask.run(corpus, out, LINES_CONFIG, client=dask_cluster.client)
    _assert_same(out, stats, ref, ref_stats)
    assert stats.get("blocks_dropped_by") == ref_stats.get("blocks_dropped_by")


def test_rerun_redoes_only_changed_or_unfinished_shards(tmp_path, corpus):
    out = tmp_path / "out"
    first = wdask.run(corpus, out, CONFIG)
    shard_dirs = sorted(d for d in os.listdir(out / "shards") if not d.startswith("."))
    assert len(shard_dirs) == len(corpus)

    def marker(d):
        try:
            st = os.stat(out / "shards" / d / shards.COMPLETE)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    before = {d: marker(d) for d in shard_dirs}
    # A crash left shard 1 half-written (no marker) and a temporary folder.
    os.remove(out / "shards" / shard_dirs[1] / shards.COMPLETE)
    (out / "shards" / f".{shard_dirs[1]}.tmp-crashed").mkdir()
    before[shard_dirs[1]] = None
    # Input 3 changed since its shard was made.
    with open(corpus[3], "a") as f:
        f.write(json.dumps({"id": "s3-new", "url": "https://site3.example/new",
                            "text": "A new short record."}) + "\n")
    again = wdask.run(corpus, out, CONFIG)
    after = {d: marker(d) for d in shard_dirs}
    redone = {d for d in shard_dirs if before[d] != after[d]}
    assert redone == {shard_dirs[1], shard_dirs[3]}
    assert all(after.values())
    assert again["docs_in"] == first["docs_in"] + 1
    assert again["docs_in"] == again["kept"] + again["rejected"] + again["unreadable"]


def test_step_before_clean_is_an_error(tmp_path, corpus):
    with pytest.raises(RuntimeError, match="run --step clean first"):
        wdask.run_step("signatures", corpus, tmp_path / "o", CONFIG)
    with pytest.raises(ValueError):
        wdask.run_step("clean", corpus, tmp_path / "o", CONFIG, task_index=3, task_count=2)
