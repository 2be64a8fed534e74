#!/usr/bin/python3
"""Session 10 measure (issue 10): the in-language ceiling and the
leave-one-language-out figure with other learners on the same features, and
both restricted to documents with real main text.

Learners (`--learner`): `lr` (the shipped logistic regression), `mlp:H` (one
tanh layer, train_lines.py --hidden H), `xgb:ROUNDS:DEPTH[:ETA[:LAMBDA[:MCW]]]`
(gradient-boosted trees, Debian's python3-xgboost; min_child_weight MCW in
units of the mean line weight). Everything else is train_lines.py's own
recipe and functions (`--no-refit --extract-keep 3`: turku 0.82 of the weight,
a third of the extraction pages the rest, scale and main bias chosen on the
validation fifth of the turku training documents, Viterbi):

- `--mode cv`: in-language 5-fold cross-validation, the folds and protocol of
  `train_lines.py --cv-langs` (each fold's model: the language left out, plus
  its other four folds);
- `--mode lolo`: leave-one-language-out, as `train_lines.py --lolo --lolo-eval`.

Besides the figure over all of a language's documents (each distinct document
once), it prints the figure over the documents whose C4-rule line share
(`doc_c4_share`) is at least `--c4-min` (default 0.2), with the share of lines
and documents that leaves and keep-all on them: how much of the gap is pages
without main text.

Usage: /usr/bin/python3 scripts/text/ceiling_proto.py --build build --mode cv --learner xgb:200:6
(after text_features has dumped BUILD/linedata/{turku_train,turku_dev,extract_train}.feat.tsv,
e.g. by a train_lines.py run)
"""
import argparse
import os
import re
import sys
import time
from multiprocessing import Pool

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import train_lines as tl  # noqa: E402

FOLDS = 5
G = {}
XGB_PARAMS = {}
_EM = {}  # (id(net), id(X)) -> emissions before the main bias; cleared per task


def fit_xgb(X, y, w, rounds, depth):
    import xgboost  # Debian python3-xgboost
    params = {"objective": "multi:softprob", "num_class": tl.NSTATES, "max_depth": depth, "eta": 0.1,
              "min_child_weight": 5, "lambda": 1.0, "tree_method": "hist", "nthread": 1, "seed": 0}
    params.update(XGB_PARAMS)
    return xgboost.train(params, xgboost.DMatrix(X, label=y, weight=w / w.mean()), num_boost_round=rounds)


def decode(model, X, scale, bias):
    """tl.decode with the emissions computed once per (model, document): the
    validation grid decodes each document 24 times."""
    mean, sd, net, log_prior, log_start, log_trans = model
    key = (id(net), id(X))
    em0 = _EM.get(key)
    if em0 is None:
        Z = tl.scores(net, (X - mean) / sd)
        Z = Z - Z.max(axis=1, keepdims=True)
        em0 = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True)) - log_prior
        _EM[key] = em0
    em = em0.copy()
    em[:, 1] += bias
    return tl.viterbi(em, scale * log_start, tl.scaled_trans(log_trans, scale))


def set_learner(spec):
    kind, *p = spec.split(":")
    tl.HIDDEN, tl.XGB = 0, None
    XGB_PARAMS.clear()
    if kind == "mlp":
        tl.HIDDEN = int(p[0])
    elif kind == "xgb":
        tl.XGB = (int(p[0]), int(p[1]))
        for name, v in zip(("eta", "lambda", "min_child_weight"), p[2:]):
            XGB_PARAMS[name] = float(v)
    elif kind != "lr":
        raise SystemExit("unknown learner " + spec)


def per_doc(model, docs, scale, bias, c4j):
    """-> rows (lines, main lines, tp, fp, fn, doc C4 share) per document."""
    out = []
    for _, labels, X in docs:
        keep = decode(model, X, scale, bias) == 1
        lab = labels == 1
        out.append((len(lab), int(lab.sum()), int((keep & lab).sum()), int((keep & ~lab).sum()),
                    int((~keep & lab).sum()), float(X[0, c4j])))
    return out


def task(args):
    lang, fold = args
    set_learner(G["learner"])
    _EM.clear()
    langs = G["langs"]
    t = [d for d in G["turku"] if lang not in langs.get(d[0], ())]
    o = [d for d in G["extract"] if lang not in langs.get(d[0], ())]
    own = tl.distinct_docs_of(lang, G["pool"], langs)
    if fold is None:  # leave-one-language-out
        held, rest = [d for d, _ in own], []
    else:
        held = [d for d, key in own if int(key, 16) % FOLDS == fold]
        rest = [d for d, key in own if int(key, 16) % FOLDS != fold]
    model, scale, bias, _ = tl.fit_and_tune(t + rest, [(o, 0.5), ([], 0.5)], False, log=lambda *a: None)
    rows = per_doc(model, held, scale, bias, G["c4j"])
    _EM.clear()
    return lang, fold, scale, bias, rows


def prf(rows):
    tp, fp, fn = (sum(r[k] for r in rows) for k in (2, 3, 4))
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def keep_all(rows):
    n, m = sum(r[0] for r in rows), sum(r[1] for r in rows)
    return 2 * m / max(1, n + m)


def summarise_log(path):
    """Pools the per-task counts an earlier run printed: per language P/R/F1 over
    all its documents and over those with C4 share >= the run's --c4-min."""
    acc = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"task (\w+) fold (\w+): .*lines main tp fp fn ([\d ]+) \| c4>=([\d.]+) ([\d ]+) ", line)
        if m:
            a = acc.setdefault(m.group(1), [np.zeros(5), np.zeros(5), 0])
            a[0] += [int(x) for x in m.group(3).split()]
            a[1] += [int(x) for x in m.group(5).split()]
            a[2] += 1
            c4 = m.group(4)
    f1s = []
    for lang, (al, sub, n) in acc.items():
        out = []
        for n_, m_, tp, fp, fn in (al, sub, al - sub):
            p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
            out.append((2 * m_ / max(1, n_ + m_), p, r, 2 * p * r / max(1e-9, p + r), n_))
        f1s.append((out[0][3], out[1][3]))
        print("%s (%d tasks): keep-all %.3f P %.3f R %.3f F1 %.3f | c4>=%s: %.0f%% of lines, keep-all %.3f "
              "P %.3f R %.3f F1 %.3f | the rest: keep-all %.3f P %.3f R %.3f F1 %.3f"
              % (lang, n, *out[0][:4], c4, 100 * out[1][4] / max(1, out[0][4]), *out[1][:4], *out[2][:4]))
    print("macro F1 %.4f | c4>=%s macro %.4f  (over %d languages)"
          % (np.mean([f for f, _ in f1s]), c4, np.mean([f for _, f in f1s]), len(f1s)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--mode", choices=("cv", "lolo"), default="cv")
    ap.add_argument("--learner", default="lr")
    ap.add_argument("--langs", default=",".join(tl.LOLO_LANGS))
    ap.add_argument("--c4-min", type=float, default=0.2)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--from-log", metavar="FILE",
                    help="only summarise the task lines of an earlier run's output (a partial one too)")
    args = ap.parse_args()
    if args.from_log:
        summarise_log(args.from_log)
        return
    t0 = time.time()
    data = os.path.join(args.build, "linedata")
    names, turku, dev, extract = tl.load_recipe_tables(args.build)  # --extract-keep 3
    langs = {}
    for n in ("turku_train", "turku_dev", "extract_train"):
        langs.update(tl.read_langs(os.path.join(data, n + ".tsv")))
    tl.LANGS = langs
    tl.fit_xgb = fit_xgb
    tl.decode = decode
    G.update(turku=turku, extract=extract, pool=turku + dev, langs=langs, learner=args.learner,
             c4j=names.index("doc_c4_share"))
    todo = [(l, k) for l in args.langs.split(",") for k in (range(FOLDS) if args.mode == "cv" else [None])]
    res = []
    with Pool(args.j) as p:
        for lang, fold, s, b, rows in p.imap_unordered(task, todo, chunksize=1):
            res.append((lang, fold, s, b, rows))
            sub = [r for r in rows if r[5] >= args.c4_min]
            print("task %s fold %s: scale %.2f bias %+.1f  lines main tp fp fn %s | c4>=%.2f %s  (%.0f s)"
                  % (lang, fold, s, b, " ".join(str(sum(r[k] for r in rows)) for k in range(5)), args.c4_min,
                     " ".join(str(sum(r[k] for r in sub)) for k in range(5)), time.time() - t0), flush=True)
    print("%s %s (%.0f s)" % (args.mode, args.learner, time.time() - t0))
    full, sub = [], []
    for lang in args.langs.split(","):
        rows = [r for l, _, _, _, rs in res if l == lang for r in rs]
        picks = " ".join("%.2f/%+.1f" % (s, b) for l, _, s, b, _ in res if l == lang)
        rs = [r for r in rows if r[5] >= args.c4_min]
        p, r, f1 = prf(rows)
        ps, r_s, f1s = prf(rs)
        full.append(f1)
        sub.append(f1s)
        print("%s %s: %d docs %d lines keep-all %.3f P %.3f R %.3f F1 %.3f | c4>=%.2f: %d docs (%.0f%%) "
              "%d lines (%.0f%%) keep-all %.3f P %.3f R %.3f F1 %.3f | scale/bias %s"
              % (args.mode.upper(), lang, len(rows), sum(r[0] for r in rows), keep_all(rows), p, r, f1,
                 args.c4_min, len(rs), 100.0 * len(rs) / max(1, len(rows)), sum(r[0] for r in rs),
                 100.0 * sum(r[0] for r in rs) / max(1, sum(r[0] for r in rows)), keep_all(rs), ps, r_s, f1s,
                 picks), flush=True)
    print("%s %s macro F1 %.4f | c4>=%.2f macro %.4f" % (args.mode.upper(), args.learner, np.mean(full),
                                                          args.c4_min, np.mean(sub)))


if __name__ == "__main__":
    main()
