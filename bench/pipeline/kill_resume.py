#!/usr/bin/python3
"""Kill and resume: how much a rerun after kill -9 redoes, and how long it takes.

Runs `winnow clean` once without interruption, then, for each kill point,
runs the same command killed at that point (WINNOW_TEST_KILL_AT, see
src/pipeline/tasks.h KillPoint: a SIGKILL the process sends itself at a
named instant), reruns it, and prints per point: the tasks done before the
kill (their markers), the tasks the rerun ran (markers written anew: the
killed task, those running beside it, and all later ones), the tasks it
skipped (markers left as they were: should equal "done"), the
rerun's wall and CPU time beside the full run's, and whether every final file
is byte-identical to the uninterrupted run's.

    bench/pipeline/kill_resume.py [--winnow build/winnow] [--work /tmp/kr] [INPUT...]

Default inputs: three extraction sets of ../shared/data (HTML pages) and the
bundled sample: 5 units (--shard-mb 0), the default chain, repeated lines
and dedup, 2 threads. CPU time is user + system of the winnow process
(the machine is shared: CPU time is the steadier figure).
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data", "extraction")
POINTS = [
    "docs-00001:written",       # per-document pass, second unit written, not renamed
    "docs-00003:unmarked",      # per-document pass, fourth unit in place, no marker
    "lines-merge-00000:unmarked",
    "lines-00002:written",
    "dedup-signatures-00004:unmarked",
    "dedup-pairs-00001:unmarked",
    "dedup-clusters-00000:unmarked",
    "dedup-00002:unmarked",
    "finish-00000:unreadable",
    "finish-00000:stats",
]


def run(cmd, env=None):
    """(exit code or -signal, wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return p.returncode, wall, cpu, p.stderr.decode(errors="replace")


def markers(out):
    d = os.path.join(out, "work", "done")
    if not os.path.isdir(d):
        return {}
    return {n: os.stat(os.path.join(d, n)).st_ino for n in os.listdir(d) if n.endswith(".json")}


def final_files(out):
    return {n: open(os.path.join(out, n), "rb").read() for n in sorted(os.listdir(out))
            if n not in ("work", "stats.json") and os.path.isfile(os.path.join(out, n))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=os.path.join(ROOT, "build", "winnow"))
    ap.add_argument("--work", default="/tmp/winnow-kill-resume")
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()
    inputs = a.inputs or [os.path.join(SHARED, f) for f in
                          ("cleaneval.jsonl.gz", "readability.jsonl.gz", "scrapinghub.jsonl.gz")] + [
        os.path.join(ROOT, "examples", "sample.warc.gz")]
    missing = [i for i in inputs if not os.path.exists(i)]
    if missing:
        print("kill_resume: skipped, inputs not found: %s" % ", ".join(missing))
        return 0
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    # (--set takes several values: the inputs go before it.)
    base = [a.winnow, "clean", *inputs, "-q", "--shard-mb", "0", "--dedup", "--repeated-lines", "-t", "2",
            "--set", "corpus.keep_work=true", "-o"]
    ref = os.path.join(a.work, "ref")
    code, wall, cpu, err = run(base + [ref])
    if code not in (0, 1):
        print("kill_resume: the full run failed (%d): %s" % (code, err))
        return 1
    want = final_files(ref)
    total = len(markers(ref))
    print("inputs: %s" % " ".join(os.path.relpath(i, ROOT) for i in inputs))
    print("full run: %d tasks with markers (+ finish), %.1f s wall, %.1f s CPU" % (total, wall, cpu))
    print("%-32s %6s %9s %8s %10s %9s %9s %s" % ("kill point", "done", "rerun ran", "skipped", "kill-run s",
                                                 "rerun s", "rerun CPU", "same bytes"))
    bad = 0
    for point in POINTS:
        out = os.path.join(a.work, point.replace(":", "-"))
        env = dict(os.environ, WINNOW_TEST_KILL_AT=point)
        kcode, kwall, kcpu, _ = run(base + [out], env)
        before = markers(out)
        rcode, rwall, rcpu, err = run(base + [out])
        after = markers(out)
        redone = sum(1 for m, ino in after.items() if before.get(m) != ino)
        skipped = sum(1 for m, ino in before.items() if after.get(m) == ino)
        same = final_files(out) == want and rcode == code
        bad += not same
        print("%-32s %6d %9d %8d %10.1f %9.1f %9.1f %s%s" % (
            point, len(before), redone, skipped, kwall, rwall, rcpu, "yes" if same else "NO",
            "" if kcode < 0 else " (not killed: exit %d)" % kcode))
    shutil.rmtree(a.work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
