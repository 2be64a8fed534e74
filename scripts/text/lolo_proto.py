#!/usr/bin/python3
"""Measures a line-feature idea on the leave-one-language-out figure before
writing it in C++: the features of text_features (dumped by
scripts/train_lines.py into BUILD/linedata) plus prototype columns computed
here from each line's text, trained and scored with train_lines.py's own
functions and the recipe of `train_lines.py --lolo DIR --no-refit
--extract-keep 3` (same turku/extraction weights, validation fifth, bias
grid, Viterbi). `--variant base` reproduces `lines_eval --lolo` of that run
exactly (2026-12-02: 0.8053 macro).

A prototype is only a first measure: a feature ported to C++ tokenises a
little differently, and the LOLO figure moves by the main bias the validation
fifth picks (see doc/text.md, session 8): re-measure with train_lines.py
--lolo and lines_eval --lolo before keeping it.

Variants (doc/text.md, "Session 8, new line features"): base, topic,
topic_doc, topic_win, topic_block, shapes, title, win_chars, short_repeated,
low_prose, doc_relative, ablate (zero the base columns matching --ablate REGEX).

Usage: /usr/bin/python3 scripts/text/lolo_proto.py --build build --variant topic_doc [--diag] [--langs de,en]
(after `train_lines.py --build build --lolo DIR --no-refit --extract-keep 3` has dumped the features)
"""
import argparse
import hashlib
import os
import re
import sys
import time
from collections import Counter
from multiprocessing import Pool

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import train_lines as tl  # noqa: E402

WS = " \t\r\n\f\v"
TOK = re.compile(r"[^\W_]+")
SENT = re.compile(r"[.!?]['\")\]]?\s+[\"'(]?[^\W\d_]")
KEY_VALUE = re.compile(r"^[^:]{1,40}:\s*\S")


# ---- prototype features: (lines, base features X, base names) -> (names, matrix) ----

def _toks(lines):
    return [TOK.findall(l.lower()) for l in lines]


def _frequent(toks, k=16):
    cnt = Counter(w for ts in toks for w in ts)
    top = sorted((w for w, c in cnt.items() if c >= 2), key=lambda w: (-cnt[w], w))[:k]
    return cnt, set(top)


def topic(lines, X, names):
    """Lexical cohesion: share of the line's tokens outside the document's 16 most
    frequent that occur elsewhere in the document / in the main block / in the +-3
    window, and log of how many such tokens the line has."""
    toks = _toks(lines)
    cnt, top = _frequent(toks)
    n = len(lines)
    inb = X[:, names.index("in_block")] > 0.5
    block = Counter()
    for i in range(n):
        if inb[i]:
            block.update(toks[i])
    sets = [set(w for w in ts if w not in top) for ts in toks]
    out = np.zeros((n, 4))
    for i in range(n):
        ct = [w for w in toks[i] if w not in top]
        if not ct:
            continue
        own = Counter(toks[i])
        out[i, 0] = sum(cnt[w] > own[w] for w in ct) / len(ct)
        bo = own if inb[i] else Counter()
        out[i, 1] = sum(block[w] > bo[w] for w in ct) / len(ct)
        win = set()
        for j in range(max(0, i - 3), min(n, i + 4)):
            if j != i:
                win |= sets[j]
        out[i, 2] = sum(w in win for w in ct) / len(ct)
        out[i, 3] = np.log1p(len(ct))
    return ["topic_doc", "topic_block", "topic_win", "log_content_tokens"], out


def topic_doc(lines, X, names):
    n, a = topic(lines, X, names)
    return n[:1], a[:, :1]


def topic_block(lines, X, names):
    n, a = topic(lines, X, names)
    return n[1:2], a[:, 1:2]


def topic_win(lines, X, names):
    n, a = topic(lines, X, names)
    return n[2:3], a[:, 2:3]


def shapes(lines, X, names):
    """Punctuation shapes: sentences inside the line, "key: value" rows, share of
    numeric tokens, starts with a digit, a date or time."""
    toks = _toks(lines)
    out = np.zeros((len(lines), 5))
    for i, l in enumerate(lines):
        s = l.strip()
        out[i, 0] = np.log1p(len(SENT.findall(s)))
        out[i, 1] = float(bool(KEY_VALUE.match(s)) and len(toks[i]) <= 10 and not s.endswith(":"))
        out[i, 2] = sum(w.isdigit() for w in toks[i]) / len(toks[i]) if toks[i] else 0.0
        out[i, 3] = float(s[:1].isdigit())
        out[i, 4] = float(bool(re.search(r"\d{1,4}[./:-]\d{1,2}([./:-]\d{1,4})?", s)))
    return ["sentences_in", "key_value", "num_token_share", "starts_digit", "date_time"], out


def title(lines, X, names):
    """Title-like lines (2-12 words, no final punctuation, half the words capitalised),
    the run of them the line is in, the document's share of them."""
    n = len(lines)
    tl_ = np.zeros(n, bool)
    for i, l in enumerate(lines):
        w = l.split()
        if 2 <= len(w) <= 12 and not re.search(r"[.!?:]['\")\]]?$", l.strip()):
            tl_[i] = sum(1 for x in w if x[:1].isupper()) >= 0.5 * len(w)
    run = np.zeros(n)
    i = 0
    while i < n:
        if not tl_[i]:
            i += 1
            continue
        j = i
        while j < n and tl_[j]:
            j += 1
        run[i:j] = np.log1p(j - i)
        i = j
    return ["title_like", "title_run", "doc_title_share"], np.stack([tl_.astype(float), run, np.full(n, tl_.mean())], 1)


def win_chars(lines, X, names):
    """Share of the document's characters in the +-3 window around the line, and
    the same relative to the document's fullest window."""
    c = np.array([len(l.strip()) for l in lines], float)
    cs = np.concatenate([[0], np.cumsum(c)])
    n = len(lines)
    w = np.array([cs[min(n, i + 4)] - cs[max(0, i - 3)] for i in range(n)]) / max(1.0, c.sum())
    return ["win_char_share", "win_char_rel"], np.stack([w, w / max(1e-9, w.max())], 1)


def short_repeated(lines, X, names):
    """A line of <= 6 words whose normalised form (lower case, digits -> 0, no
    punctuation) occurs 3+ times in the document."""
    nm = [" ".join(TOK.findall(re.sub(r"\d", "0", l.lower()))) for l in lines]
    cnt = Counter(nm)
    out = np.array([[float(len(l.split()) <= 6 and bool(nm[i]) and cnt[nm[i]] >= 3)] for i, l in enumerate(lines)])
    return ["short_repeated3"], out.reshape(len(lines), 1)


def low_prose(lines, X, names):
    """Documents with little prose: the document's C4 share < 0.1, < 0.2, and log of
    the C4 share over its distinct lines."""
    c = X[0, names.index("doc_c4_share")] if len(lines) else 0.0
    c4 = X[:, names.index("c4_rule")] > 0.5
    seen = {}
    for i, l in enumerate(lines):
        seen[l.strip()] = seen.get(l.strip(), False) or bool(c4[i])
    dc = sum(seen.values()) / max(1, len(seen))
    return (["doc_c4_lt10", "doc_c4_lt20", "log_doc_c4_distinct"],
            np.tile([float(c < 0.1), float(c < 0.2), np.log(dc + 0.02)], (len(lines), 1)))


def doc_relative(lines, X, names):
    """The line's length relative to its document: z-score of log characters, log
    characters minus the document's median, and the share of the document's
    characters in the line and its two neighbours."""
    c = np.array([len(l.strip()) for l in lines], float)
    lc = np.log1p(c)
    sd = lc.std() if len(lc) > 1 else 0.0
    z = (lc - lc.mean()) / sd if sd > 1e-6 else np.zeros(len(lc))
    cs = np.concatenate([[0], np.cumsum(c)])
    n = len(lines)
    nb = np.array([cs[min(n, i + 2)] - cs[max(0, i - 1)] for i in range(n)]) / max(1.0, c.sum())
    return ["len_z", "len_minus_median", "nb_char_share"], np.stack([z, lc - np.median(lc), nb], 1)


ABLATE = None


def ablate(lines, X, names):
    """Base columns matching --ablate set to 0 (a constant column carries nothing)."""
    for j, nm in enumerate(names):
        if ABLATE.search(nm):
            X[:, j] = 0.0
    return [], np.zeros((len(lines), 0))


def base(lines, X, names):
    return [], np.zeros((len(lines), 0))


VARIANTS = {f.__name__: f for f in (base, topic, topic_doc, topic_block, topic_win, shapes, title,
                                      win_chars, short_repeated, low_prose, doc_relative, ablate)}

# ---- the LOLO run ----

G = {}


def texts_of(table):
    """doc id -> its non-blank lines, in order (the rows text_features prints)."""
    out = {}
    with open(table, encoding="utf-8") as f:
        for row in f:
            if row.startswith("#url\t"):
                continue
            row = row.rstrip("\n").rstrip("\r")
            p = row.split("\t", 3)
            if len(p) == 4 and p[3].strip(WS):
                out.setdefault(p[0], []).append(p[3])
    return out


def load(data, name, fn, keep=None):
    names, docs = tl.load_features(os.path.join(data, name + ".feat.tsv"))
    texts = texts_of(os.path.join(data, name + ".tsv"))
    out, extra = [], []
    for did, labels, X in docs:
        if keep and not keep(did):
            continue
        X = X.copy()
        extra, E = fn(texts[did], X, names)
        out.append((did, labels, np.hstack([X, np.asarray(E, float).reshape(len(labels), -1)])))
    return names + list(extra), out


def run(lang):
    turku, extract, pool, langs, diag = G["turku"], G["extract"], G["pool"], G["langs"], G["diag"]
    t = [d for d in turku if lang not in langs.get(d[0], ())]
    o = [d for d in extract if lang not in langs.get(d[0], ())]
    # As train_lines.py --lolo without --gen (turku tl.TURKU_SHARE, the extraction pages the rest).
    model, scale, bias, _ = tl.fit_and_tune(t, [(o, 0.5), ([], 0.5)], False, log=lambda *a: None)
    ev = [d for d, _ in tl.distinct_docs_of(lang, pool, langs)]
    p, r, f1 = tl.prf_of(model, ev, scale, bias)
    lab = np.concatenate([d[1] for d in ev]) == 1
    by_bias = {b: tl.prf_of(model, ev, scale, b)[2] for b in (-0.5, 0.5, 1.5, 2.5)} if diag else {}
    return lang, p, r, f1, scale, bias, 2 * lab.mean() / (1 + lab.mean()), by_bias


def main():
    global ABLATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--variant", default="base", choices=sorted(VARIANTS))
    ap.add_argument("--ablate", default="^$", help="with --variant ablate: base feature names to zero")
    ap.add_argument("--langs", default=",".join(tl.LOLO_LANGS))
    ap.add_argument("--diag", action="store_true", help="also the left-out F1 at other main biases")
    ap.add_argument("-j", type=int, default=2)
    args = ap.parse_args()
    ABLATE = re.compile(args.ablate)
    t0 = time.time()
    data = os.path.join(args.build, "linedata")
    fn = VARIANTS[args.variant]
    keep3 = lambda i: int(hashlib.md5(i.encode()).hexdigest(), 16) % 3 == 0  # --extract-keep 3
    names, turku = load(data, "turku_train", fn)
    _, dev = load(data, "turku_dev", fn)
    _, extract = load(data, "extract_train", fn, keep3)
    langs = {}
    for n in ("turku_train", "turku_dev", "extract_train"):
        langs.update(tl.read_langs(os.path.join(data, n + ".tsv")))
    tl.LANGS = langs
    G.update(turku=turku, extract=extract, pool=turku + dev, langs=langs, diag=args.diag)
    print("variant %s: %d features" % (args.variant, len(names)), flush=True)
    with Pool(args.j) as p:
        res = p.map(run, args.langs.split(","), chunksize=1)
    for lang, p_, r, f1, s, b, ka, by_bias in res:
        print("LOLO %s keep-all %.3f P %.3f R %.3f F1 %.3f (scale %.2f bias %+.1f) %s"
              % (lang, ka, p_, r, f1, s, b, " ".join("%+.1f:%.3f" % kv for kv in by_bias.items())), flush=True)
    print("variant %s macro F1 %.4f | %s  (%.0f s)" % (args.variant, np.mean([x[3] for x in res]),
          " ".join("%s %.3f" % (x[0], x[3]) for x in res), time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
