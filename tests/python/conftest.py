"""Fixtures of the Python module tests: the built module, a synthetic corpus
with duplicates, and a real local Dask cluster (scheduler + 2 workers on
127.0.0.1, always killed at the end).

Run from ctest (tests/python/CMakeLists.txt sets PYTHONPATH to the build's
python/ folder) or by hand:
    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

winnow = pytest.importorskip(
    "winnow", reason="the winnow module is not built or not on PYTHONPATH "
                     "(PYTHONPATH=<build>/python)")

# dask_installed_test.sh: the module must be the installed copy, not the build's.
_EXPECTED = os.environ.get("WINNOW_EXPECT_MODULE_IN")
if _EXPECTED and not os.path.abspath(winnow.__file__).startswith(os.path.abspath(_EXPECTED) + os.sep):
    raise RuntimeError(f"imported winnow from {winnow.__file__}, not the install in {_EXPECTED}")

SHARED_DIR = os.environ.get("WINNOW_SHARED_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))


# ---- A corpus of English text documents with duplicates -------------------

_ADJECTIVES = ["old", "young", "quiet", "busy", "wooden", "narrow", "bright", "heavy",
               "small", "famous", "local", "broken", "careful", "modern", "ancient", "green",
               "distant", "friendly", "empty", "crowded", "tired", "clever", "stone", "silver"]
_NOUNS = ["fisherman", "teacher", "neighbour", "council", "team", "guide", "farmer", "nurse",
          "baker", "pilot", "doctor", "engineer", "boat", "window", "bridge", "map", "garden",
          "table", "tower", "bicycle", "wall", "river", "library", "clock", "harbour", "market",
          "station", "village", "school", "kitchen", "museum", "orchard"]
_VERBS = ["repaired", "described", "painted", "measured", "photographed", "cleaned",
          "inspected", "carried", "ordered", "discovered", "rebuilt", "explained", "visited",
          "opened", "followed", "admired", "moved", "protected", "watched", "finished"]
_LINKS = ["near", "behind", "beside", "for", "with", "across", "above", "after", "before",
          "inside", "outside", "around"]
_CLAUSES = ["and it took most of the day", "because the weather was kind",
            "so that everyone could use it", "although nobody had asked for it",
            "while the rain kept falling", "and then went home to rest",
            "since it was the last chance", "before anyone else had noticed",
            "as the town had long hoped", "until the light began to fade"]


def _phrase(rng):
    return f"the {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"


def _sentence(rng):
    text = (f"{_phrase(rng)} {rng.choice(_VERBS)} {_phrase(rng)} {rng.choice(_LINKS)} "
            f"{_phrase(rng)} {rng.choice(_CLAUSES)}.")
    return text[0].upper() + text[1:]


def _document_text(rng, n_lines):
    lines = []
    for _ in range(n_lines):
        lines.append(_sentence(rng))
    return "\n".join(lines)


def make_corpus(folder, shards=6, docs_per_shard=8, seed=7):
    """Writes ``shards`` JSONL files of text documents into ``folder``:
    original documents, exact copies (also with other case/spacing), near
    copies (one line changed), short documents the filters reject, and one
    broken JSON line (unreadable). Returns the sorted file paths."""
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    originals = []
    paths = []
    for s in range(shards):
        records = []
        for d in range(docs_per_shard):
            doc_id = f"s{s}-d{d}"
            kind = rng.random()
            if originals and kind < 0.15:
                text = rng.choice(originals)  # exact duplicate
            elif originals and kind < 0.22:
                text = rng.choice(originals).upper().replace(" ", "  ")  # same after normalising
            elif originals and kind < 0.32:
                lines = rng.choice(originals).split("\n")
                lines[rng.randrange(len(lines))] = _sentence(rng)
                text = "\n".join(lines)  # near duplicate
            elif kind < 0.40:
                text = _sentence(rng)  # too short for the quality filters
            else:
                text = _document_text(rng, rng.randint(7, 11))
                if kind > 0.7:  # a line the site repeats on many pages
                    text += (f"\nThe site{s} newsletter brings the best local stories to "
                             f"your inbox every Friday morning.")
                originals.append(text)
            records.append(json.dumps({"id": doc_id, "url": f"https://site{s}.example/{d}",
                                       "text": text}))
        if s == 2:
            records.insert(3, '{"id": "broken", "text": "no closing quote}')
        path = os.path.join(folder, f"part-{s:03d}.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(records) + "\n")
        paths.append(path)
    return sorted(paths)


@pytest.fixture
def corpus(tmp_path):
    return make_corpus(str(tmp_path / "in"))


# ---- A real local Dask cluster ----------------------------------------------

def _dask_command(kind):
    exe = shutil.which("dask")
    if exe:
        return [exe, kind]
    legacy = shutil.which(f"dask-{kind}")
    if legacy:
        return [legacy]
    pytest.skip(f"neither `dask {kind}` nor `dask-{kind}` is installed "
                "(apt-get install python3-distributed)")


class LocalCluster:
    """A scheduler and N worker processes started as separate programs."""

    def __init__(self, folder, n_workers=2):
        self.folder = folder
        self.procs = []
        self.workers = {}  # name -> Popen
        self.address = None
        env = dict(os.environ)
        module_dir = os.path.dirname(os.path.dirname(os.path.abspath(winnow.__file__)))
        env["PYTHONPATH"] = module_dir + os.pathsep + env.get("PYTHONPATH", "")
        env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
        self.env = env
        sched_file = os.path.join(folder, "scheduler.json")
        self._start("scheduler", _dask_command("scheduler") + [
            "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", sched_file])
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with open(sched_file) as f:
                    self.address = json.load(f)["address"]
                break
            except (OSError, ValueError, KeyError):
                if self.procs[0].poll() is not None:
                    raise RuntimeError("dask scheduler exited: " + self._log("scheduler"))
                time.sleep(0.2)
        if not self.address:
            raise RuntimeError("dask scheduler did not start in 60 s: " + self._log("scheduler"))
        for i in range(n_workers):
            name = f"w{i}"
            local = os.path.join(folder, f"local-{name}")
            os.makedirs(local, exist_ok=True)
            self.workers[name] = self._start(name, _dask_command("worker") + [
                self.address, "--name", name, "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--host", "127.0.0.1", "--local-directory", local,
                "--death-timeout", "60"])

    def _start(self, name, cmd):
        log = open(os.path.join(self.folder, f"{name}.log"), "w")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                             cwd=self.folder, start_new_session=True)
        log.close()
        self.procs.append(p)
        return p

    def _log(self, name):
        try:
            with open(os.path.join(self.folder, f"{name}.log")) as f:
                return f.read()[-3000:]
        except OSError:
            return "(no log)"

    def kill_worker(self, name):
        p = self.workers[name]
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except OSError:
                    pass
        for p in reversed(self.procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass
                p.wait(timeout=10)


@pytest.fixture
def dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "dask"
    folder.mkdir()
    cluster = LocalCluster(str(folder), n_workers=2)
    client = None
    try:
        client = distributed.Client(cluster.address, timeout=30, set_as_default=False)
        client.wait_for_workers(2, timeout=60)
        cluster.client = client
        yield cluster
    finally:
        if client is not None:
            client.close(timeout=10)
        cluster.close()
