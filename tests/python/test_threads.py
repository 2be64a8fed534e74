"""Native calls release the GIL: several Python threads give the same
results as one, document for document."""

import gzip
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import SHARED_DIR, make_corpus, winnow


def _pages(limit=60):
    path = os.path.join(SHARED_DIR, "data", "extraction", "cleaneval.jsonl.gz")
    if not os.path.exists(path):
        pytest.skip(f"shared data not found: {path} (set WINNOW_SHARED_DIR to ../shared)")
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            pages.append({"id": rec["id"], "url": rec.get("url") or "", "html": rec["html"]})
            if len(pages) == limit:
                break
    return pages


def _text_docs(tmp_path):
    docs = []
    for path in make_corpus(str(tmp_path / "in"), shards=3, docs_per_shard=10):
        with open(path) as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                docs.append(rec)
    return docs


def test_pipeline_threads_equal_serial(tmp_path):
    pipeline = winnow.Pipeline()
    docs = _pages() + _text_docs(tmp_path)
    serial = pipeline.process(docs)
    batches = [docs[i:i + 7] for i in range(0, len(docs), 7)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = [d for batch in pool.map(pipeline.process, batches) for d in batch]
    assert len(parallel) == len(serial) == len(docs)
    for a, b in zip(serial, parallel):
        assert (a["id"], a["keep"], a["stage"], a["reason"], a["text"], a["lang"]) == \
               (b["id"], b["keep"], b["stage"], b["reason"], b["text"], b["lang"])
    assert any(d["keep"] for d in serial) and any(not d["keep"] for d in serial)


def test_extract_and_langid_threads_equal_serial():
    pages = _pages(40)
    serial = [winnow.extract(p["html"], p["url"])["text"] for p in pages]
    langs = [winnow.identify_language(t)["lang"] for t in serial]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda p: winnow.extract(p["html"], p["url"])["text"], pages))
        parallel_langs = list(pool.map(lambda t: winnow.identify_language(t)["lang"], parallel))
    assert parallel == serial
    assert parallel_langs == langs
