"""winnow.Classifier and the filter.classifier stage from Python: a small
model trained here with `winnow train-classifier` (from files of positives
and negatives made here), predictions equal to the stage's recorded scores,
threads equal to serial, bad model files raise."""

import json
import os
import random
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

winnow = pytest.importorskip("winnow", reason="the winnow module is not built (PYTHONPATH=<build>/python)")

BIN = os.environ.get("WINNOW_BIN", "")

PROSE = ["river", "because", "although", "measured", "village", "winter", "history", "family",
         "method", "results", "question", "several", "people", "between", "through", "written"]
CHROME = ["Home", "Login", "Menu", "Share", "Subscribe", "Contact", "Privacy", "Search", "Cart",
          "Next", "Previous", "Tags", "Archive", "|", "»"]


def _prose(rng):
    return " ".join(rng.choice(PROSE) for _ in range(rng.randint(10, 25))) + "."


def _chrome(rng):
    return "\n".join(" ".join(rng.choice(CHROME) for _ in range(rng.randint(1, 3)))
                     for _ in range(rng.randint(3, 8)))


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    if not BIN or not os.path.exists(BIN):
        pytest.skip("no winnow binary (WINNOW_BIN)")
    d = tmp_path_factory.mktemp("cls")
    rng = random.Random(4)
    with open(d / "pos.jsonl", "w") as f:
        for _ in range(200):
            f.write(json.dumps({"text": _prose(rng)}) + "\n")
    with open(d / "neg.txt", "w") as f:  # plain text: one document per line
        for _ in range(200):
            f.write(_chrome(rng).replace("\n", " ") + "\n")
    path = d / "m.bin"
    r = subprocess.run([BIN, "train-classifier", "--positive", str(d / "pos.jsonl"),
                        "--negative", str(d / "neg.txt"), "--positive-label", "prose",
                        "--negative-label", "chrome", "--dim", "8", "--buckets", "5000",
                        "--epoch", "10", "-o", str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "AUC" in r.stdout and "prose" in r.stdout
    return str(path)


def test_predict_one_and_many(model):
    c = winnow.Classifier(model)
    assert sorted(c.labels) == ["chrome", "prose"]
    rng = random.Random(9)
    one = c.predict(_prose(rng))
    assert set(one) == {"chrome", "prose"}
    assert one["prose"] > 0.5
    assert abs(one["prose"] + one["chrome"] - 1) < 1e-3
    texts = [_prose(rng) for _ in range(20)] + [_chrome(rng) for _ in range(20)]
    many = c.predict(texts)
    assert len(many) == 40
    assert sum(s["prose"] >= 0.5 for s in many[:20]) >= 18
    assert sum(s["prose"] < 0.5 for s in many[20:]) >= 18


def test_stage_in_a_pipeline_records_the_same_scores(model):
    c = winnow.Classifier(model)
    rng = random.Random(10)
    texts = [_prose(rng) for _ in range(10)] + [_chrome(rng) for _ in range(10)]
    p = winnow.Pipeline({"stages": "filter.classifier.q",
                         "filter": {"classifier": {"q": {"model": model, "label": "prose", "mode": "tag"}}}})
    out = p.process([{"id": str(i), "text": t} for i, t in enumerate(texts)])
    for doc, text in zip(out, texts):
        assert doc["keep"]
        expected = c.predict(text)
        assert doc["quality"]["filter.classifier.q.prose"] == pytest.approx(expected["prose"], abs=1e-9)
        assert doc["tags"]["filter.classifier.q"] == ("pass" if expected["prose"] >= 0.5 else "below_threshold")
    drop = winnow.Pipeline({"stages": "filter.classifier", "filter.classifier.model": model,
                            "filter.classifier.label": "prose", "filter.classifier.mode": "drop"})
    out = drop.process([{"id": str(i), "text": t} for i, t in enumerate(texts)])
    assert [d["keep"] for d in out] == [c.predict(t)["prose"] >= 0.5 for t in texts]
    assert all(d["reason"] == "below_threshold" for d in out if not d["keep"])


def test_threads_equal_serial(model):
    c = winnow.Classifier(model)
    rng = random.Random(11)
    texts = [_prose(rng) if i % 2 else _chrome(rng) for i in range(400)]
    serial = c.predict(texts)
    batches = [texts[i:i + 25] for i in range(0, len(texts), 25)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = [s for batch in pool.map(c.predict, batches) for s in batch]
    assert parallel == serial


def test_bad_models_raise(model, tmp_path):
    with pytest.raises(FileNotFoundError):
        winnow.Classifier(str(tmp_path / "missing.bin"))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(open(model, "rb").read()[:500])
    with pytest.raises(Exception, match="truncated"):
        winnow.Classifier(str(bad))
    with pytest.raises(Exception, match="bad.bin"):
        winnow.Pipeline({"stages": "filter.classifier", "filter.classifier.model": str(bad),
                         "filter.classifier.label": "prose"})
