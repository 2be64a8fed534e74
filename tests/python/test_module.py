"""The winnow module's functions on small inputs, and bad input."""

import json
import os
import random

import pytest

from conftest import make_corpus, winnow

ARTICLE = """<!doctype html><html lang="en"><head><title>Harbour bridge reopens</title>
<meta name="author" content="Jane Roe"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact</a></li></ul></nav>
<article><h1>Harbour bridge reopens after two years of repairs</h1>
<p>The old harbour bridge reopened on Monday morning after two years of careful repairs,
and hundreds of people walked across it before the first cars were allowed through.</p>
<p>Engineers replaced the rusted steel beams, repainted the railings and installed new
lights along the footpath, so that the bridge can be used safely at night as well.</p>
<p>The mayor thanked the workers and said that the town had waited a long time for this
day, because the detour through the industrial area had added twenty minutes to many trips.</p>
</article>
<footer><p>Copyright 2024 Harbour Times. All rights reserved.</p></footer>
</body></html>"""


def test_flatten_config_nested_lists_and_bools():
    flat = winnow.flatten_config({"filter": {"c4": {"enabled": False, "min_words": 3}},
                                  "stages": ["langid", "filter.c4"], "a.b": 1.5})
    assert flat == {"filter.c4.enabled": "false", "filter.c4.min_words": "3",
                    "stages": "langid,filter.c4", "a.b": "1.5"}
    with pytest.raises(TypeError):
        winnow.flatten_config(["not", "a", "dict"])


def test_load_config_yaml_then_sets(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("filter:\n  gopher_quality:\n    min_words: 50\nstages: [langid, pii]\n")
    flat = winnow.load_config(str(path), ["filter.gopher_quality.min_words=7"])
    assert flat["filter.gopher_quality.min_words"] == "7"
    assert flat["stages"].replace(" ", "") == "langid,pii"
    with pytest.raises(FileNotFoundError):
        winnow.load_config(str(tmp_path / "missing.yaml"))
    with pytest.raises(ValueError):
        winnow.load_config({}, ["no_equals_sign"])


def test_identify_language():
    fr = winnow.identify_language(
        "Le conseil municipal a voté hier soir la rénovation complète de la bibliothèque, "
        "qui rouvrira ses portes au printemps prochain après des travaux importants.")
    assert fr["lang"] == "fr" and fr["script"] == "Latn" and 0 < fr["confidence"] <= 1
    de = winnow.identify_language(
        "Der Gemeinderat hat gestern Abend beschlossen, die Bibliothek vollständig zu "
        "renovieren, damit sie im nächsten Frühjahr wieder öffnen kann.")
    assert de["lang"] == "de"
    assert winnow.identify_language("")["lang"] == "un"
    assert winnow.identify_language("12345 !!! ...")["lang"] == "un"


def test_text_lines_keeps_prose_drops_navigation():
    body = [
        "The old harbour bridge reopened on Monday morning after two years of careful "
        "repairs, and hundreds of people walked across it before the first cars came.",
        "Engineers replaced the rusted steel beams, repainted the railings and installed new "
        "lights along the footpath, so that the bridge can be used safely at night.",
        "The mayor thanked the workers and said that the town had waited a long time for "
        "this day, because the detour had added twenty minutes to many trips.",
    ]
    text = "\n".join(["Home | News | Sport | Weather | Contact", "Log in", *body,
                      "Share on Facebook", "Copyright 2024 Harbour Times. All rights reserved."])
    cleaned = winnow.text_lines(text, lang="en")
    kept = cleaned.split("\n")
    assert all(line in text.split("\n") for line in kept)  # lines are kept or dropped, not edited
    assert body[1] in kept
    assert "Home | News | Sport | Weather | Contact" not in kept
    assert winnow.text_lines(text) == cleaned or body[1] in winnow.text_lines(text)
    assert winnow.text_lines("") == ""


def test_extract_article():
    r = winnow.extract(ARTICLE, url="https://harbour.example/bridge")
    assert "rusted steel beams" in r["text"]
    assert "Sport" not in r["text"].split()
    assert "All rights reserved" not in r["text"]
    assert r["metadata"]["title"]
    assert r["metadata"]["authors"] == ["Jane Roe"]
    assert r["reason"] == ""
    assert any(b["kind"] == "paragraph" and "mayor" in b["text"] for b in r["blocks"])
    assert set(r["blocks"][0]) >= {"kind", "text", "lang"}
    md = winnow.extract(ARTICLE.encode("utf-8"), format="markdown")
    assert "rusted steel beams" in md["text"]
    js = json.loads(winnow.extract(ARTICLE, format="json")["text"])
    assert "rusted steel beams" in js["text"]
    with pytest.raises(ValueError):
        winnow.extract(ARTICLE, format="pdf")


def test_extract_never_crashes_on_garbage():
    rng = random.Random(1)
    samples = ["", "<", "<<<>>>", "<html><body>" * 5000, "\x00\xff<p>x</p>",
               "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(20000)),
               "<table>" + "<tr><td>a" * 3000, "<p>" + "&amp;" * 10000]
    for s in samples:
        r = winnow.extract(s)
        assert isinstance(r["text"], str)
        if not r["blocks"]:
            assert r["reason"]


def test_pipeline_process_decisions():
    p = winnow.Pipeline()
    assert p.stages, "the default pipeline has stages"
    docs = [
        {"id": "short", "url": "https://a.example/1", "text": "Too short."},
        {"id": "page", "url": "https://a.example/2", "html": ARTICLE},
        {"url": "https://a.example/3", "text": None},
    ]
    out = p.process(docs)
    assert [d["id"] for d in out] == ["short", "page", "2"]
    for d in out:
        assert isinstance(d["keep"], bool)
        if d["keep"]:
            assert d["stage"] == "" and d["reason"] == ""
        else:
            assert d["stage"] and d["reason"]
    assert out[0]["keep"] is False
    # One name for the extraction metadata's authors: a list, as winnow.extract gives.
    assert out[1]["metadata"]["authors"] == ["Jane Roe"]
    single = p.process(docs[0])
    assert single["keep"] == out[0]["keep"] and single["reason"] == out[0]["reason"]


def test_pipeline_config_forms(tmp_path):
    p = winnow.Pipeline({"stages": ["langid"], "langid": {"languages": ["fr"]}})
    assert p.stages == ["langid"]
    yaml_path = tmp_path / "p.yaml"
    yaml_path.write_text("stages: langid\n")
    assert winnow.Pipeline(str(yaml_path)).stages == ["langid"]
    assert winnow.Pipeline(stages="langid").stages == ["langid"]
    with pytest.raises(ValueError):
        winnow.Pipeline({"stages": ["no.such.stage"]})
    en = ("The council voted last night to renovate the library completely, so that it "
          "can open its doors again next spring after major works.")
    out = p.process([{"id": "en", "text": en}])[0]
    assert out["lang"] == "en"


def test_pipeline_bad_documents():
    p = winnow.Pipeline(stages="langid")
    with pytest.raises(TypeError):
        p.process(["not a dict"])
    out = p.process([{"id": 1, "text": "\udcff broken surrogate? no: plain"},
                     {"id": "x", "text": "a" * 2_000_000}])
    assert [d["id"] for d in out] == ["1", "x"]


def test_run_clean_and_read_documents(tmp_path):
    inputs = make_corpus(str(tmp_path / "in"), shards=3, docs_per_shard=4)
    stats = winnow.run_clean(inputs, tmp_path / "out", {"output": {"compression": "none"}})
    assert stats["docs_in"] == 13  # 12 documents + 1 broken line
    assert stats["unreadable"] == 1
    assert stats["docs_in"] == stats["kept"] + stats["rejected"] + stats["unreadable"]
    on_disk = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert on_disk["kept"] == stats["kept"]
    kept_files = sorted(f for f in os.listdir(tmp_path / "out") if f.startswith("kept-"))
    kept = [d for f in kept_files for d in winnow.read_documents(tmp_path / "out" / f)]
    assert len(kept) == stats["kept"]
    assert all(d["text"] for d in kept)
    with pytest.raises((FileNotFoundError, OSError, ValueError)):
        winnow.read_documents(tmp_path / "nope.jsonl")
    # A damaged record is skipped and said (a RuntimeWarning naming the file), not lost silently.
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text('{"id": "a", "text": "first"}\n{"id": "b", "te\n{"id": "c", "text": "third"}\n')
    with pytest.warns(RuntimeWarning, match="1 damaged record.*damaged.jsonl"):
        docs = winnow.read_documents(damaged)
    assert [d["id"] for d in docs] == ["a", "c"]
    # A missing input is an error, or one unreadable record (never a crash).
    try:
        missing = winnow.run_clean([str(tmp_path / "does-not-exist")], tmp_path / "o2")
    except (ValueError, FileNotFoundError, OSError):
        pass
    else:
        assert (missing["docs_in"], missing["unreadable"], missing["kept"]) == (1, 1, 0)


def test_merge_stats_sums_counts():
    a = {"docs_in": 3, "kept": 2, "rejected": 1, "unreadable": 0,
         "rejected_by": {"filter.c4": {"too_short": 1}}}
    b = {"docs_in": 4, "kept": 1, "rejected": 2, "unreadable": 1,
         "rejected_by": {"filter.c4": {"too_short": 2}, "langid": {"lang": 0}}}
    m = winnow.merge_stats([a, b])
    assert (m["docs_in"], m["kept"], m["rejected"], m["unreadable"]) == (7, 3, 3, 1)
    assert m["rejected_by"]["filter.c4"]["too_short"] == 3
    assert m["conserved"] is True
    assert "documents in 7" in winnow.stats_table(m)


def test_settings_table_is_the_engines_and_checks_keys():
    table = winnow.settings()
    names = [s["name"] for s in table]
    assert names == sorted(names) and "filter.gopher_quality.min_doc_words" in names
    for s in table:
        assert s["doc"] and s["type"] in ("bool", "int", "number", "string", "list", "per-language")
    # Every default passes the engine's own checks.
    winnow.check_config({s["name"]: s["default"] for s in table if "*" not in s["name"]})
    with pytest.raises(ValueError, match="did you mean 'filter.gopher_quality.min_doc_words'"):
        winnow.check_config({"filter": {"gopher_quality": {"min_words": 30}}})
    with pytest.raises(ValueError, match="output.shard_mb=abc"):
        winnow.check_config(sets=["output.shard_mb=abc"])
    with pytest.raises(ValueError, match="langid.min_confidence=2"):
        winnow.Pipeline({"langid": {"min_confidence": 2}})
