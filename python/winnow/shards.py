"""The units of work of a run split over processes or machines.

A run over many input shards (files) is cut into tasks that any scheduler can
run: Dask (:mod:`winnow.dask`), a Slurm job array or Kubernetes indexed jobs
(``python -m winnow.dask --step S --task-index I --task-count N``), or a
plain loop in one process. Every task is a function of plain values (paths,
a flat config dict, indexes), reads and writes only under the output folder
and is idempotent: it writes to a temporary name and commits by an atomic
rename, and a task whose output is committed is skipped. So a task may be
retried after its worker died, and a rerun of a killed run redoes only the
missing work. The output folder must be on a file system that every worker
sees (local disk for one machine, NFS/Lustre/... for a cluster).

Layout of the output folder ``OUT`` (doc/python.md):

    OUT/shards/NNNNN-<name>/     per-document pass of input shard NNNNN:
        kept-*.jsonl[.zst]        kept documents, rejected-*, unreadable.jsonl,
        stats.json, _COMPLETE     stats; _COMPLETE (written last) names the input
    OUT/lines/counts-NNNNN.bin   repeated lines: per-shard line counts per host
    OUT/lines/counts-all.bin     ... summed over all shards
    OUT/lines/NNNNN/             ... shard NNNNN with repeated lines removed
                                  (kept.jsonl, rejected-lines.jsonl, _COMPLETE)
    OUT/dedup/work/              the dedup passes' work files (dedup.h)
    OUT/dedup/apply-NNNNN.json   per-shard outcome of pass 4 (commit marker)
    OUT/kept-NNNNN.jsonl         with dedup: the kept documents of dedup input
                                  shard NNNNN (input order kept)
    OUT/rejected-dedup-NNNNN.jsonl  documents removed as duplicates
    OUT/stats.json               merged stats of the whole run
    OUT/manifest.json            inputs, shard folders and kept files in order

Stats conservation holds for the merged stats: docs_in = kept + rejected +
unreadable, with duplicates moved from kept to rejected (stage "dedup").
"""

import json
import os
import re
import shutil
import socket
import time
import uuid

import winnow

COMPLETE = "_COMPLETE"
STEPS = ("clean", "lines-count", "lines-merge", "lines-apply",
         "signatures", "pairs", "clusters", "apply", "merge")


def shard_name(index, path):
    """``NNNNN-<file name>``: unique, sorts in input order, readable."""
    base = os.path.basename(os.fspath(path).rstrip("/")) or "input"
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:80]
    return f"{index:05d}-{base}"


def shard_dir(output, index, path):
    return os.path.join(output, "shards", shard_name(index, path))


def _true(flat, key):
    return str(flat.get(key, "false")).strip().lower() in ("1", "true", "yes", "on")


def dedup_enabled(flat):
    return _true(flat, "dedup.enabled")


def repeated_lines_enabled(flat):
    return _true(flat, "repeated_lines.enabled")


def per_document_config(flat):
    """The config of one shard's per-document pass: the corpus-level steps
    run later over all shards, never inside one shard. With repeated-line
    removal the kept documents keep their blocks (the unit of that step,
    as in `winnow clean`)."""
    out = dict(flat)
    out["dedup.enabled"] = "false"
    out["repeated_lines.enabled"] = "false"
    if repeated_lines_enabled(flat):
        out["output.blocks"] = "true"
    return out


def _input_identity(path):
    st = os.stat(path)
    return {"input": os.path.abspath(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _write_json_atomic(path, value):
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_json(path):
    with open(path) as f:
        return json.load(f)


def is_complete(directory, path=None):
    """True when ``directory`` holds a committed shard output (of ``path``,
    unchanged since, when given)."""
    marker = os.path.join(directory, COMPLETE)
    try:
        done = _read_json(marker)
    except (OSError, ValueError):
        return False
    if path is None:
        return True
    try:
        ident = _input_identity(path)
    except OSError:
        return False
    return all(done.get(k) == v for k, v in ident.items())


def kept_files(directory):
    """The kept-* shards of one shard folder, in order."""
    names = sorted(n for n in os.listdir(directory)
                   if n.startswith("kept-") and ".jsonl" in n and ".tmp" not in n)
    return [os.path.join(directory, n) for n in names]


def clean_shard(index, path, output, flat, threads=1, task_delay=0.0):
    """Per-document pass over one input shard into OUT/shards/NNNNN-name/.

    Returns the shard's stats (a dict as in stats.json) and its kept files.
    Skips the work when the folder is already committed for this input.
    ``task_delay`` (seconds) waits between writing the outputs and committing
    them: for tests and demos of a worker dying in the middle of a task.
    """
    final = shard_dir(output, index, path)
    redone = not is_complete(final, path)
    if redone:
        parent = os.path.dirname(final)
        os.makedirs(parent, exist_ok=True)
        tmp = os.path.join(parent, f".{os.path.basename(final)}.tmp-"
                                   f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        winnow.run_clean([path], tmp, per_document_config(flat), threads=threads)
        if task_delay:
            time.sleep(task_delay)
        ident = _input_identity(path)
        ident["shard"] = os.path.basename(final)
        ident["host"] = socket.gethostname()
        ident["pid"] = os.getpid()
        _write_json_atomic(os.path.join(tmp, COMPLETE), ident)  # written last
        if os.path.isdir(final):
            if is_complete(final, path):  # another attempt committed first
                shutil.rmtree(tmp, ignore_errors=True)
            else:  # a stale output (input changed, or an old crash): replace it
                stale = f"{tmp}.stale"
                os.rename(final, stale)
                os.rename(tmp, final)
                shutil.rmtree(stale, ignore_errors=True)
        else:
            try:
                os.rename(tmp, final)  # the commit
            except OSError:
                if not is_complete(final, path):
                    raise
                shutil.rmtree(tmp, ignore_errors=True)
    stats = _read_json(os.path.join(final, "stats.json"))
    return {"index": index, "input": path, "dir": final, "stats": stats,
            "kept": kept_files(final), "redone": redone}


def remove_leftovers(output):
    """Removes the temporary folders of attempts that died before their
    commit (a killed worker's). Call only when no task of the run is
    running."""
    for sub in ("shards", "lines"):
        folder = os.path.join(output, sub)
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name.startswith(".") and ".tmp-" in name:
                shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def reset_corpus_outputs(output):
    """Removes what the corpus-level steps made (repeated lines, dedup,
    merged outputs): they depend on every shard, so they are redone when
    any shard was."""
    for sub in ("lines", "dedup"):
        shutil.rmtree(os.path.join(output, sub), ignore_errors=True)
    for name in os.listdir(output):
        if (re.fullmatch(r"(kept|rejected-dedup)-\d+\.jsonl", name)
                or name in ("stats.json", "manifest.json")):
            os.remove(os.path.join(output, name))


def _commit_dir(tmp, final, result):
    """Writes ``result`` as tmp/_COMPLETE (last), then renames tmp to final:
    one atomic commit. If another attempt committed first, keeps that one."""
    _write_json_atomic(os.path.join(tmp, COMPLETE), result)
    try:
        os.rename(tmp, final)
    except OSError:
        if not is_complete(final):
            stale = f"{tmp}.stale"
            os.rename(final, stale)
            os.rename(tmp, final)
            shutil.rmtree(stale, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return _read_json(os.path.join(final, COMPLETE))


def _tmp_dir(final):
    parent = os.path.dirname(final)
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".{os.path.basename(final)}.tmp-{socket.gethostname()}-"
                               f"{os.getpid()}-{uuid.uuid4().hex[:8]}")
    os.makedirs(tmp)
    return tmp


def lines_dir(output):
    return os.path.join(output, "lines")


def lines_counts_path(output, shard_index=None):
    name = "counts-all.bin" if shard_index is None else f"counts-{shard_index:05d}.bin"
    return os.path.join(lines_dir(output), name)


def lines_shard_dir(output, shard_index):
    return os.path.join(lines_dir(output), f"{shard_index:05d}")


def repeated_lines_count(shard_index, kept, output, flat):
    """Repeated lines pass 1 for one shard: its kept documents' lines
    counted per host, saved (atomically) to OUT/lines/counts-NNNNN.bin."""
    path = lines_counts_path(output, shard_index)
    if not os.path.exists(path):
        os.makedirs(lines_dir(output), exist_ok=True)
        winnow._winnow.repeated_lines_count(list(kept), path, dict(flat))
    return path


def repeated_lines_merge(n_shards, output, flat):
    """Sums the per-shard counts into OUT/lines/counts-all.bin (one task)."""
    path = lines_counts_path(output)
    if not os.path.exists(path):
        winnow._winnow.repeated_lines_merge(
            [lines_counts_path(output, i) for i in range(n_shards)], path, dict(flat))
    return path


def repeated_lines_apply(shard_index, kept, output, flat):
    """Repeated lines pass 2 for one shard: drops the lines repeated on more
    than repeated_lines.max_host_docs pages of their host, into
    OUT/lines/NNNNN/ (committed by rename). Returns what it did."""
    final = lines_shard_dir(output, shard_index)
    if is_complete(final):
        return _read_json(os.path.join(final, COMPLETE))
    tmp = _tmp_dir(final)
    keep_blocks = _true(flat, "output.blocks")
    r = winnow._winnow.repeated_lines_apply(
        list(kept), lines_counts_path(output), os.path.join(tmp, "kept.jsonl"),
        os.path.join(tmp, "rejected-lines.jsonl"), dict(flat), keep_blocks)
    for name in ("kept.jsonl", "rejected-lines.jsonl"):  # present even when empty
        open(os.path.join(tmp, name), "a").close()
    r = dict(r)
    r["shard"] = shard_index
    r["kept_file"] = os.path.join(final, "kept.jsonl")
    return _commit_dir(tmp, final, r)


def dedup_work_dir(output):
    return os.path.join(output, "dedup", "work")


def dedup_partitions(flat, partitions=None):
    if partitions:
        return int(partitions)
    return int(flat.get("dedup.partitions", 4))


def dedup_task(pass_name, dedup_inputs, output, flat, task_index, task_count,
               partitions=None, threads=1):
    """One share of dedup pass ``pass_name`` ("signatures", "pairs",
    "clusters") over the kept shards ``dedup_inputs`` (in input order).
    The dedup library skips work it finds complete (dedup.h)."""
    return winnow._winnow.dedup_pass(
        pass_name, list(dedup_inputs), dict(flat), "", dedup_work_dir(output),
        dedup_partitions(flat, partitions), int(task_index), int(task_count), int(threads))


def apply_marker(output, shard_index):
    return os.path.join(output, "dedup", f"apply-{shard_index:05d}.json")


def dedup_apply(dedup_inputs, output, flat, shard_index, partitions=None, threads=1):
    """Pass 4 for dedup input shard ``shard_index``: writes
    OUT/kept-NNNNN.jsonl and OUT/rejected-dedup-NNNNN.jsonl, then counts the
    removed documents by reason for the merged stats and commits that count
    as OUT/dedup/apply-NNNNN.json (written last)."""
    marker = apply_marker(output, shard_index)
    if os.path.exists(marker):
        return _read_json(marker)
    n = len(dedup_inputs)
    winnow._winnow.dedup_pass(
        "apply", list(dedup_inputs), dict(flat), "", dedup_work_dir(output),
        dedup_partitions(flat, partitions), int(shard_index), n, int(threads),
        os.path.join(output, "kept"), os.path.join(output, "rejected-dedup"))
    removed = {}
    removed_bytes = 0
    rejected_path = os.path.join(output, f"rejected-dedup-{shard_index:05d}.jsonl")
    if os.path.exists(rejected_path):
        for doc in winnow.read_documents(rejected_path):
            key = (doc.get("stage") or "dedup", doc.get("reason") or "duplicate")
            removed.setdefault(key[0], {}).setdefault(key[1], 0)
            removed[key[0]][key[1]] += 1
            removed_bytes += len(doc.get("text", "").encode("utf-8"))
    kept_path = os.path.join(output, f"kept-{shard_index:05d}.jsonl")
    result = {"shard": shard_index, "input": dedup_inputs[shard_index],
              "kept_file": kept_path if os.path.exists(kept_path) else None,
              "removed_by": removed, "removed_bytes": removed_bytes}
    _write_json_atomic(marker, result)
    return result


def merge(output, inputs, shard_results, apply_results=None, lines_results=None,
          wall_seconds=None):
    """Merges the shards' stats (and the repeated-line and dedup removals)
    into OUT/stats.json and writes OUT/manifest.json. Returns the stats."""
    shard_results = sorted(shard_results, key=lambda r: r["index"])
    stats = winnow.merge_stats([r["stats"] for r in shard_results])
    if not stats:
        stats = {"docs_in": 0, "kept": 0, "rejected": 0, "unreadable": 0, "rejected_by": {}}
    kept = [f for r in shard_results for f in r["kept"]]
    if lines_results is not None:
        lines_results = sorted(lines_results, key=lambda r: r["shard"])
        rejected_by = stats.setdefault("rejected_by", {})
        dropped = stats.setdefault("blocks_dropped_by", {})
        for r in lines_results:
            for stage, reasons in r["rejected_by"].items():
                for reason, count in reasons.items():
                    stats["kept"] -= count
                    stats["rejected"] += count
                    rejected_by.setdefault(stage, {}).setdefault(reason, 0)
                    rejected_by[stage][reason] += count
            for reason, count in r["blocks_dropped_by"].items():
                dropped[reason] = dropped.get(reason, 0) + count
        stats["bytes_out"] = sum(r["bytes_out"] for r in lines_results)
        kept = [r["kept_file"] for r in lines_results]
    if apply_results is not None:
        rejected_by = stats.setdefault("rejected_by", {})
        for a in apply_results:
            for stage, reasons in a["removed_by"].items():
                for reason, count in reasons.items():
                    stats["kept"] -= count
                    stats["rejected"] += count
                    rejected_by.setdefault(stage, {}).setdefault(reason, 0)
                    rejected_by[stage][reason] += count
            stats["bytes_out"] = stats.get("bytes_out", 0) - a["removed_bytes"]
        kept = [a["kept_file"] for a in sorted(apply_results, key=lambda a: a["shard"])
                if a["kept_file"]]
    if wall_seconds is not None:  # else the sum of the shards' wall times
        stats["wall_seconds"] = wall_seconds
    stats["conserved"] = stats["docs_in"] == stats["kept"] + stats["rejected"] + stats["unreadable"]
    manifest = {
        "inputs": list(inputs),
        "shards": [os.path.relpath(r["dir"], output) for r in shard_results],
        "kept": [os.path.relpath(f, output) for f in kept],
        "rejected": sorted(
            os.path.relpath(os.path.join(dp, n), output)
            for dp, _, names in os.walk(output) for n in names
            if n.startswith("rejected-") and ".tmp" not in n and "/." not in dp),
        "dedup": apply_results is not None,
        "repeated_lines": lines_results is not None,
    }
    _write_json_atomic(os.path.join(output, "stats.json"), stats)
    _write_json_atomic(os.path.join(output, "manifest.json"), manifest)
    return stats


def kept_documents(output):
    """Every kept document of a finished run, in input order (a generator)."""
    manifest = _read_json(os.path.join(output, "manifest.json"))
    for rel in manifest["kept"]:
        yield from winnow.read_documents(os.path.join(output, rel))
