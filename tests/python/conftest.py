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

SHARED_DIR = os.environ.get("WINNOW_SHARED_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))


def require(feature):
    if feature not in winnow.features:
        pytest.skip(f"this build of winnow has no '{feature}' part "
                    f"(built: {sorted(winnow.features)})")


# ---- A corpus of English text documents with duplicates -------------------

_SUBJECTS = ["The old fisherman", "A young teacher", "My neighbour", "The city council",
             "Our small team", "The museum guide", "A local farmer", "The night nurse",
             "The bakery owner", "An experienced pilot", "The village doctor",
             "A retired engineer"]
_VERBS = ["repaired", "described", "painted", "measured", "photographed", "cleaned",
          "inspected", "carried", "ordered", "discovered", "rebuilt", "explained"]
_OBJECTS = ["the wooden boat", "a broken window", "the long bridge", "an old map",
            "the school garden", "a heavy table", "the church tower", "a new bicycle",
            "the stone wall", "a wide river", "the public library", "a silver clock"]
_PLACES = ["near the harbour", "after the storm", "during the summer festival",
           "before the guests arrived", "in the quiet morning", "with great care",
           "for the first time", "at the end of the week", "under a grey sky",
           "while the children watched", "on a cold evening", "in front of the station"]
_ENDINGS = ["and everyone agreed that it was worth the effort.",
            "because nobody else had the time to do it.",
            "so that the whole street could enjoy it again.",
            "although the weather was not very kind to them.",
            "and then wrote a short report about the work.",
            "which took much longer than anyone had expected."]


def _sentence(rng):
    return " ".join([rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS),
                     rng.choice(_PLACES), rng.choice(_ENDINGS)])


def _document_text(rng, n_lines):
    lines = []
    for _ in range(n_lines):
        lines.append(" ".join(_sentence(rng) for _ in range(2)))
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
                lines[rng.randrange(len(lines))] = " ".join(_sentence(rng) for _ in range(2))
                text = "\n".join(lines)  # near duplicate
            elif kind < 0.40:
                text = _sentence(rng)  # too short for the quality filters
            else:
                text = _document_text(rng, rng.randint(6, 10))
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
