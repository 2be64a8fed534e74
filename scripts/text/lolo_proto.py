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

Repetition across documents (doc/text.md, "Session 10"): crossdoc, crossdoc_line,
crossdoc_ge1 add columns counted over the corpus a document is processed with (no labels):
the fold's training documents (--xd-corpus one, or turku and the extraction pages
apart: two, the extraction pages in shards of about 100: chunks, or the extraction
pages without a corpus: none) and, for the left-out
language, its own documents, as a shard of one language. xd_penalty keeps the
shipped features and lowers the main bias of the lines other documents of the
corpus hold (>= --xd-min), the strength chosen on the validation fifth (inf: drop
them after decoding). --dump PREFIX writes each left-out line's label, decision
and count.

Usage: /usr/bin/python3 scripts/text/lolo_proto.py --build build --variant topic_doc [--diag] [--langs de,en]
(after `train_lines.py --build build --lolo DIR --no-refit --extract-keep 3` has dumped the features)
"""
import argparse
import hashlib
import os
import re
import sys
import time
import unicodedata
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


# ---- repetition across documents (session 10): columns computed over the corpus ----
# A document is processed with a corpus (a WET shard): for training, the fold's
# training documents (turku train of the other languages + the extraction pages);
# for the left-out language, that language's documents. No labels are used. Exact
# copies of a document (same lines) count as one document, and a line's count is
# the number of OTHER distinct documents holding it.

def norm_line(line):
    """As NormalizeRepeatedLine (src/text/repeated_lines.cc): lower case, every
    digit -> 0, punctuation and symbols removed, whitespace collapsed."""
    out, space = [], False
    for c in line:
        if c.isspace():
            space = bool(out)
            continue
        cat = unicodedata.category(c)
        if cat == "Nd":
            c = "0"
        elif cat[0] not in "LMN":
            continue
        if space:
            out.append(" ")
        space = False
        out.append(c.lower())
    return "".join(out)


NORM = {}  # doc id -> (normalised lines, their first 3 tokens)


def norm_of(doc_id):
    if doc_id not in NORM:
        nl = [norm_line(l) for l in TEXTS[doc_id]]
        NORM[doc_id] = (nl, [" ".join(x.split()[:3]) for x in nl])
    return NORM[doc_id]


def corpus_counts(ids):
    """-> (group of each doc id, Counter of full lines, Counter of 3-token prefixes):
    how many distinct documents (exact copies grouped) of the corpus hold each key."""
    group, full, pre = {}, Counter(), Counter()
    seen = set()
    for i in ids:
        key = hashlib.md5("\n".join(TEXTS[i]).encode()).hexdigest()
        group[i] = key
        if key in seen:
            continue
        seen.add(key)
        nl, p3 = norm_of(i)
        full.update(set(x for x in nl if x))
        pre.update(set(x for x in p3 if x))
    return group, full, pre, len(seen)


CAP = 20.0


def crossdoc_cols(doc_id, counts, which):
    """Columns of one document from its corpus's counts."""
    _, full, pre, _ = counts
    nl, p3 = norm_of(doc_id)
    c = np.array([full[x] - 1 if x else 0 for x in nl], float)  # other documents
    c3 = np.array([pre[x] - 1 if x else 0 for x in p3], float)
    rep = (c >= 1).astype(float)
    n = len(nl)
    cols = {
        "xd_log": np.log1p(np.minimum(c, CAP)),
        "xd_ge2": (c >= 2).astype(float),
        "xd_ge5": (c >= 5).astype(float),
        "xd_doc_share": np.full(n, rep.mean() if n else 0.0),
        "xd_pre_log": np.log1p(np.minimum(c3, CAP)),
        "xd_pre_ge2": (c3 >= 2).astype(float),
        "xd_ge1": rep,
    }
    return [cols[w] for w in which]


CROSS = {
    "crossdoc": ["xd_log", "xd_ge2", "xd_ge5", "xd_doc_share", "xd_pre_log", "xd_pre_ge2"],
    "crossdoc_line": ["xd_log", "xd_ge2", "xd_ge5"],
    "crossdoc_ge1": ["xd_ge1"],
}
for _v in list(CROSS) + ["xd_penalty"]:
    VARIANTS[_v] = base


def with_crossdoc(docs, corpus_ids, which):
    """The docs with the cross-document columns appended, counted over corpus_ids."""
    counts = corpus_counts(corpus_ids)
    out = []
    for did, labels, X in docs:
        E = np.stack(crossdoc_cols(did, counts, which), 1) if which else np.zeros((len(labels), 0))
        out.append((did, labels, np.hstack([X, E])))
    return out

# ---- the LOLO run ----

G = {}
TEXTS = {}  # doc id -> its non-blank lines


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
        TEXTS[did] = texts[did]
        out.append((did, labels, np.hstack([X, np.asarray(E, float).reshape(len(labels), -1)])))
    return names + list(extra), out


PENALTIES = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, np.inf)


def prf_penalised(model, docs, scale, bias, reps, k):
    """P/R/F1 with the main bias lowered by k on the lines repeated in other
    documents of the corpus (k = inf: decode as usual, then drop them)."""
    tp = fp = fn = 0
    for (did, labels, X), rep in zip(docs, reps):
        if np.isinf(k):
            keep = (tl.decode(model, X, scale, bias) == 1) & (rep < 0.5)
        else:
            keep = tl.decode(model, X, scale, bias - k * rep) == 1
        lab = labels == 1
        tp += int((keep & lab).sum())
        fp += int((keep & ~lab).sum())
        fn += int((~keep & lab).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def penalty_run(lang, model, scale, bias, t, o, ev):
    """Variant xd_penalty: the shipped model, and a penalty on lines that other
    documents of the corpus hold (>= --xd-min others), its strength chosen on
    the validation fifth (corpus: the fold's turku documents, or with
    --xd-corpus one the extraction pages too)."""
    val = [d for d in t if tl.is_val(d[0])]
    corpus = [d[0] for d in t] + ([d[0] for d in o] if G["xd_corpus"] == "one" else [])
    m = G["xd_min"]

    def reps_of(docs, ids):
        counts = corpus_counts(ids)
        return [(np.expm1(crossdoc_cols(d[0], counts, ["xd_log"])[0]) >= m - 0.5).astype(float) for d in docs]
    vr, er = reps_of(val, corpus), reps_of(ev, [d[0] for d in ev])
    vf = {k: prf_penalised(model, val, scale, bias, vr, k)[2] for k in PENALTIES}
    k = max(PENALTIES, key=lambda x: (vf[x] + 1e-9 * (x == 0), -x))  # ties: the weakest
    p, r, f1 = prf_penalised(model, ev, scale, bias, er, k)
    by_k = {kk: prf_penalised(model, ev, scale, bias, er, kk)[2] for kk in PENALTIES}
    lab = np.concatenate([d[1] for d in ev]) == 1
    print("LOLO %s penalty chosen %s (validation %s) | left out by penalty %s" % (
        lang, k, " ".join("%s:%.4f" % kv for kv in vf.items()), " ".join("%s:%.3f" % kv for kv in by_k.items())),
        flush=True)
    return lang, p, r, f1, scale, bias, 2 * lab.mean() / (1 + lab.mean()), {}


def shard_rule_f1(docs, keeps, drop):
    """F1 when, after decoding, the kept lines that drop(doc id, line index, normalised
    line) says are dropped."""
    tp = fp = fn = 0
    for (did, labels, X), keep in zip(docs, keeps):
        nl = norm_of(did)[0]
        k = keep & ~np.array([bool(nl[i]) and drop(did, i, nl[i]) for i in range(len(nl))], bool)
        lab = labels == 1
        tp += int((k & lab).sum())
        fp += int((k & ~lab).sum())  # as train_lines.prf_of
        fn += int((~k & lab).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return 2 * p * r / max(1e-9, p + r)


def rule_report(lang, model, scale, bias, ev):
    """--rules: the shard rule "drop a kept line that N documents of the shard hold"
    after decoding, the shard being the language's documents (counts over all their
    lines, or over the lines text.lines kept, as text.repeated_lines counts them in
    the chain), or the mixed shard of every turku document and extraction page; and
    the ceiling (every repeated line that is not main dropped, the main ones kept)."""
    keeps = [tl.decode(model, X, scale, bias) == 1 for _, _, X in ev]
    raw = corpus_counts([d[0] for d in ev])[1]
    kept, seen = Counter(), set()
    for (did, _, _), keep in zip(ev, keeps):
        key = hashlib.md5("\n".join(TEXTS[did]).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            kept.update(set(x for x, k in zip(norm_of(did)[0], keep) if x and k))
    mixed = G["mixed"]
    labels = {d[0]: d[1] for d in ev}
    f = {"none": shard_rule_f1(ev, keeps, lambda d, i, x: False)}
    for m in (2, 3, 5):
        f["raw>=%d" % m] = shard_rule_f1(ev, keeps, lambda d, i, x: raw[x] >= m)
    for m in (2, 3):
        f["kept>=%d" % m] = shard_rule_f1(ev, keeps, lambda d, i, x: kept[x] >= m)
    for m in (2, 10):
        f["mixed>=%d" % m] = shard_rule_f1(ev, keeps, lambda d, i, x: mixed[x] >= m)
    f["ceiling"] = shard_rule_f1(ev, keeps, lambda d, i, x: raw[x] >= 2 and labels[d][i] != 1)
    print("RULES %s %s" % (lang, " ".join("%s:%.4f" % kv for kv in f.items())), flush=True)


def extract_test_report(data, turku, extract):
    """--extract-test: the shipped recipe's model (every language) on the extraction
    test pages (full gold, never trained on), with the shard rule over those pages
    (467 pages of many hosts, counted as one shard, no host)."""
    _, test = load(data, "extract_test", base)
    model, scale, bias, _ = tl.fit_and_tune(turku, [(extract, 0.5), ([], 0.5)], False, log=lambda *a: None)
    keeps = [tl.decode(model, X, scale, bias) == 1 for _, _, X in test]
    raw, kept, seen = Counter(), Counter(), set()
    for (did, _, _), keep in zip(test, keeps):
        key = hashlib.md5("\n".join(TEXTS[did]).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            nl = norm_of(did)[0]
            raw.update(set(x for x in nl if x))
            kept.update(set(x for x, k in zip(nl, keep) if x and k))
    # The repeated-line step's host rule (--repeated-lines: a kept line in more than 2
    # documents of its host dropped), for the pages with a URL (host as UrlHost).
    hosts = {}
    with open(os.path.join(data, "extract_test.tsv"), encoding="utf-8") as f:
        for row in f:
            if row.startswith("#url\t"):
                _, did, url = row.rstrip("\n").split("\t", 2)
                h = re.sub(r"^www\.", "", url.split("://", 1)[-1].split("/")[0].split("?")[0]
                           .split("#")[0].rsplit("@", 1)[-1].split(":")[0].lower()) if "://" in url else ""
                if h:
                    hosts[did] = h
    by_host, seen = Counter(), set()
    for (did, _, _), keep in zip(test, keeps):
        key = hashlib.md5("\n".join(TEXTS[did]).encode()).hexdigest()
        if did in hosts and key not in seen:
            seen.add(key)
            by_host.update(set((hosts[did], x) for x, k in zip(norm_of(did)[0], keep) if x and k))
    host_rule = lambda d, x: d in hosts and by_host[(hosts[d], x)] > 2
    f = {"none": shard_rule_f1(test, keeps, lambda d, i, x: False)}
    for m in (2, 3, 5):
        f["raw>=%d" % m] = shard_rule_f1(test, keeps, lambda d, i, x: raw[x] >= m)
    for m in (2, 3, 5):
        f["kept>=%d" % m] = shard_rule_f1(test, keeps, lambda d, i, x: kept[x] >= m)
    f["host>2"] = shard_rule_f1(test, keeps, lambda d, i, x: host_rule(d, x))
    for m in (2, 3, 5):
        f["host>2+kept>=%d" % m] = shard_rule_f1(test, keeps, lambda d, i, x: host_rule(d, x) or kept[x] >= m)
    print("EXTRACT-TEST %d pages with a URL, %d hosts" % (len(hosts), len(set(hosts.values()))), flush=True)
    print("EXTRACT-TEST %d pages (scale %.2f bias %+.1f) line F1 %s" % (
        len(test), scale, bias, " ".join("%s:%.4f" % kv for kv in f.items())), flush=True)


def run(lang):
    turku, extract, pool, langs, diag = G["turku"], G["extract"], G["pool"], G["langs"], G["diag"]
    t = [d for d in turku if lang not in langs.get(d[0], ())]
    o = [d for d in extract if lang not in langs.get(d[0], ())]
    # As train_lines.py --lolo without --gen (turku tl.TURKU_SHARE, the extraction pages the rest).
    ev = [d for d, _ in tl.distinct_docs_of(lang, pool, langs)]
    which = CROSS.get(G["variant"])
    if which:
        # The documents trained with (validation fifth included) are one corpus, or
        # (--xd-corpus) turku and the extraction pages are two, or the extraction
        # pages get no corpus (their columns 0: a page seen alone).
        tc, oc = [d[0] for d in t], [d[0] for d in o]
        if G["xd_corpus"] == "one":
            tc = oc = tc + oc
        elif G["xd_corpus"] == "none":
            oc = None
        t = with_crossdoc(t, tc, which)
        if G["xd_corpus"] == "chunks":  # the extraction pages in shards of about 100 pages (by hash)
            k = max(1, len(o) // 100)
            part = lambda i: int(hashlib.md5(("chunk" + i).encode()).hexdigest(), 16) % k
            o = [d for c in range(k) for d in with_crossdoc([d for d in o if part(d[0]) == c],
                                                            [d[0] for d in o if part(d[0]) == c], which)]
        elif oc is not None:
            o = with_crossdoc(o, oc, which)
        else:
            o = [(i, lab, np.hstack([X, np.zeros((len(lab), len(which)))])) for i, lab, X in o]
        ev = with_crossdoc(ev, [d[0] for d in ev], which)  # the left-out language's own shard
    model, scale, bias, _ = tl.fit_and_tune(t, [(o, 0.5), ([], 0.5)], False, log=lambda *a: None)
    p, r, f1 = tl.prf_of(model, ev, scale, bias)
    if G["variant"] == "xd_penalty":
        return penalty_run(lang, model, scale, bias, t, o, ev)
    if G.get("dump"):  # per line: label, kept, other documents of the shard holding it
        counts = corpus_counts([d[0] for d in ev])
        with open("%s.%s.tsv" % (G["dump"], lang), "w", encoding="utf-8") as f:
            for did, labels, X in ev:
                keep = tl.decode(model, X, scale, bias) == 1
                c = np.expm1(crossdoc_cols(did, counts, ["xd_log"])[0])
                share = crossdoc_cols(did, counts, ["xd_doc_share"])[0]
                for k in range(len(labels)):
                    f.write("%s\t%d\t%d\t%d\t%d\t%.3f\t%s\n" % (did, k, labels[k], keep[k], round(c[k]), share[k],
                                                             TEXTS[did][k][:80]))
    if G.get("rules"):
        rule_report(lang, model, scale, bias, ev)
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
    ap.add_argument("--xd-corpus", default="one", choices=("one", "two", "none", "chunks"),
                    help="cross-document variants: the training corpus is the fold's training documents "
                         "(one), turku and the extraction pages apart (two), the extraction pages in shards "
                         "of about 100 pages (chunks), or turku only with the extraction pages' columns 0 (none)")
    ap.add_argument("--xd-min", type=int, default=1,
                    help="variant xd_penalty: a line is repeated when this many other documents hold it")
    ap.add_argument("--rules", action="store_true",
                    help="also score the shard rule (drop kept lines other documents hold) after decoding "
                         "(a line's documents counted in the language's shard, over kept lines, or in a "
                         "mixed shard of all turku documents and extraction pages)")
    ap.add_argument("--extract-test", action="store_true",
                    help="instead of LOLO: the model of every language on the extraction test pages, "
                         "with the shard rule over them")
    ap.add_argument("--dump", metavar="PREFIX",
                    help="write PREFIX.<lang>.tsv: each left-out line's label, kept or not, and the "
                         "number of other documents of its language holding it (a diagnosis)")
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
    mixed = Counter()
    if args.rules:  # the mixed shard: every distinct turku document and extraction page
        seen = set()
        for n in ("turku_train", "turku_dev", "extract_train", "extract_test"):
            for lines in texts_of(os.path.join(data, n + ".tsv")).values():
                key = hashlib.md5("\n".join(lines).encode()).hexdigest()
                if key not in seen:
                    seen.add(key)
                    mixed.update(set(norm_line(x) for x in lines) - {""})
        print("mixed shard: %d distinct documents" % len(seen), flush=True)
    G.update(turku=turku, extract=extract, pool=turku + dev, langs=langs, diag=args.diag, variant=args.variant,
             xd_corpus=args.xd_corpus, dump=args.dump,
             xd_min=args.xd_min, rules=args.rules, mixed=mixed)
    if args.extract_test:
        extract_test_report(data, turku, extract)
        return
    print("variant %s: %d features" % (args.variant, len(names) + len(CROSS.get(args.variant, []))), flush=True)
    with Pool(args.j) as p:
        res = p.map(run, args.langs.split(","), chunksize=1)
    for lang, p_, r, f1, s, b, ka, by_bias in res:
        print("LOLO %s keep-all %.3f P %.3f R %.3f F1 %.3f (scale %.2f bias %+.1f) %s"
              % (lang, ka, p_, r, f1, s, b, " ".join("%+.1f:%.3f" % kv for kv in by_bias.items())), flush=True)
    print("variant %s%s macro F1 %.4f | %s  (%.0f s)" % (args.variant,
          " (xd-corpus %s)" % args.xd_corpus if args.variant in CROSS or args.variant == "xd_penalty" else "", np.mean([x[3] for x in res]),
          " ".join("%s %.3f" % (x[0], x[3]) for x in res), time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
