"""One run, three drivers: `winnow clean` in one process, `winnow clean`
split over two processes (--task-index/--task-count), and winnow.dask on a
real local cluster (a `dask scheduler` and two `dask worker` processes on
127.0.0.1) write the same files, byte for byte, also when a worker is killed
in the middle of the run."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from conftest import winnow
from winnow import _winnow  # noqa: E402
from winnow import dask as wdask  # noqa: E402

# Repeated lines and dedup; one unit per input file, so that every step has
# several tasks; uncompressed, so that a failure shows readable text.
CONFIG = {"dedup": {"enabled": True, "partitions": 3},
          "repeated_lines": {"enabled": True},
          "output": {"compression": "none", "shard_mb": 0}}
SETS = ["dedup.enabled=true", "dedup.partitions=3", "repeated_lines.enabled=true",
        "output.compression=none", "output.shard_mb=0"]
COUNTS = ("docs_in", "kept", "rejected", "unreadable", "rejected_by", "blocks_dropped_by",
          "bytes_out", "conserved")


def _winnow_bin():
    path = os.environ.get("WINNOW_BIN")
    if not path or not os.path.exists(path):
        pytest.skip("WINNOW_BIN (the winnow program) is not set; run from ctest")
    return path


def _files(out):
    """name -> bytes of every file in an output folder but stats.json (its
    wall time and thread count differ between runs)."""
    files = {}
    for name in sorted(os.listdir(out)):
        if name != "stats.json":
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
    return files


def _counts(stats):
    return {k: stats.get(k) for k in COUNTS}


def _stats(out):
    return json.loads((out / "stats.json").read_text())


def _check_result(stats, out):
    assert stats["conserved"]
    assert stats["unreadable"] == 1  # the broken line
    assert sum(stats["rejected_by"].get("dedup", {}).values()) > 0, \
        "the corpus has exact duplicates: dedup must remove some"
    assert sum(n for k, n in stats["blocks_dropped_by"].items()
               if k.startswith("text.repeated_lines")) > 0, \
        "the corpus repeats a newsletter line on many pages of each site"
    kept_files = sorted(f for f in os.listdir(out) if f.startswith("kept-"))
    kept = [d for f in kept_files for d in winnow.read_documents(out / f)]
    assert len(kept) == stats["kept"]
    texts = [" ".join(d["text"].lower().split()) for d in kept]
    assert len(set(texts)) == len(texts), "no two kept documents are exact duplicates"
    order = [(int(i.split("-")[0][1:]), int(i.split("-")[1][1:])) for i in (d["id"] for d in kept)]
    assert order == sorted(order), "kept documents stay in input order"


@pytest.fixture
def single(tmp_path, corpus):
    """`winnow clean` in one process (the reference)."""
    out = tmp_path / "single"
    stats = winnow.run_clean(corpus, out, CONFIG, threads=2)
    _check_result(stats, out)
    assert _counts(stats) == _counts(_stats(out))
    return out, stats


def test_single_split_and_dask_runs_write_the_same_files(tmp_path, corpus, single,
                                                          dask_cluster):
    ref_out, ref_stats = single
    ref_files = _files(ref_out)
    assert "kept-00005.jsonl" in ref_files and "rejected-dedup-00003.jsonl" in ref_files

    # Two processes, each its share of the per-document step; then one run
    # that does the rest (it finds the shares' tasks done).
    split = tmp_path / "split"
    args = [_winnow_bin(), "clean", "-q", "-o", str(split), *corpus,
            *[a for s in SETS for a in ("--set", s)]]
    codes = []
    for i in range(2):
        proc = subprocess.run(args + ["--task-count", "2", "--task-index", str(i)],
                              capture_output=True, text=True, timeout=300)
        codes.append(proc.returncode)
        assert proc.returncode in (0, 1), proc.stderr
    assert sorted(codes) == [0, 1], "the broken line is in one share"
    assert not os.path.exists(split / "stats.json"), "the shares do not finish the run"
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr

    # Dask: the command line entry point `winnow clean --dask ADDR` runs.
    on_dask = tmp_path / "on-dask"
    cmd = [sys.executable, "-m", "winnow.dask", "--scheduler", dask_cluster.address,
           "--output", str(on_dask), "-q", *[a for s in SETS for a in ("--set", s)], *corpus]
    proc = subprocess.run(cmd, env=dask_cluster.env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr  # 1: some records were unreadable

    for out in (split, on_dask):
        assert _files(out) == ref_files, out.name
        assert _counts(_stats(out)) == _counts(ref_stats), out.name


def test_dask_worker_killed_mid_run(tmp_path, corpus, single, dask_cluster):
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
        if any("winnow-docs" in str(k) for k in busy):
            time.sleep(0.3)
            dask_cluster.kill_worker(victim)
            killed = True
            break
        time.sleep(0.05)
    assert killed, "worker w0 never ran a per-document task"
    runner.join(timeout=300)
    assert not runner.is_alive(), "the run did not finish after a worker was killed"
    assert "error" not in result, repr(result.get("error"))
    assert dask_cluster.workers[victim].poll() is not None
    ref_out, ref_stats = single
    assert _files(out) == _files(ref_out)
    assert _counts(result["stats"]) == _counts(ref_stats)
    assert not os.path.exists(out / "work"), "the work files are removed at the end"


def test_serial_schedule_equals_run_clean(tmp_path, corpus, single):
    """winnow.dask without a cluster runs the same tasks in this process."""
    out = tmp_path / "serial"
    stats = wdask.run(corpus, out, CONFIG)
    ref_out, ref_stats = single
    assert _files(out) == _files(ref_out)
    assert _counts(stats) == _counts(ref_stats)


def test_a_done_task_is_not_redone(tmp_path, corpus):
    out = str(tmp_path / "out")
    flat = winnow.load_config(CONFIG)
    plan = _winnow.plan_clean(corpus, out, flat)
    assert [name for name, _ in plan] == [
        "docs", "lines-merge", "lines", "dedup-signatures", "dedup-pairs", "dedup-clusters",
        "dedup", "finish"]
    assert dict(plan)["docs"] == len(corpus) and dict(plan)["dedup-pairs"] == 3
    first = json.loads(_winnow.run_clean_task(corpus, out, flat, "docs", 2))
    assert first["docs_in"] == 9  # the third file: 8 documents and the broken line
    made = {f: os.stat(os.path.join(dp, f)).st_mtime_ns
            for dp, _, names in os.walk(out) for f in names}
    again = json.loads(_winnow.run_clean_task(corpus, out, flat, "docs", 2))
    assert again == first
    assert made == {f: os.stat(os.path.join(dp, f)).st_mtime_ns
                    for dp, _, names in os.walk(out) for f in names}


def test_a_task_before_its_inputs_is_an_error(tmp_path, corpus):
    flat = winnow.load_config(CONFIG)
    with pytest.raises((OSError, RuntimeError, ValueError)):
        _winnow.run_clean_task(corpus, str(tmp_path / "o"), flat, "lines", 0)
    with pytest.raises(ValueError, match="no step"):
        _winnow.run_clean_task(corpus, str(tmp_path / "o"), flat, "signatures", 0)
