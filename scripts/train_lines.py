#!/usr/bin/python3
"""Trains the line classifier's model (models/lines.model).

Steps (all deterministic, so anyone gets the same model back):
 1. scripts/text/make_line_data.py writes line tables from ../shared into
    BUILD/linedata (unless they are there already);
 2. BUILD/src/text/text_features dumps their features (the C++ code is the
    only feature implementation);
 3. a 3-state multinomial logistic regression (boiler / main / tail) is fit
    with L-BFGS on turku train + the extraction train pages (turku's dev split
    is never used: it is the held-out evaluation);
 4. start and transition probabilities are counted from the labelled
    sequences; a transition scale and a main-state bias are chosen on a
    validation fifth of the turku train documents (decoding with the same
    Viterbi as src/text/line_model.cc), then the final model is refit on
    everything and written.

Needs Debian's python3-numpy and python3-scipy.
Usage: /usr/bin/python3 scripts/train_lines.py --build build-text [--out models/lines.model]
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys

import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NSTATES = 3  # boiler, main, tail
L2 = 5.0      # L2 penalty on the weights, in units of total sample weight = 1e4 (LOLO macro: 1 0.805, 5 0.807, 10 0.803; 2026-12-02)
TURKU_SHARE = 0.82  # share of the total training weight given to turku lines (LOLO: 0.70 0.797, 0.76 0.804, 0.82 0.805, 0.88 0.801)
DROP = None        # boolean mask of features held at weight 0 (--drop)
HIDDEN = 0         # hidden units of the emission network (0 = logistic regression; --hidden)
NOSTOP = {}        # doc id -> the document's features with its language's stop list hidden (--hide-share)
HIDE_SHARE = 0.0
BALANCE_LANGS = False  # equal weight per turku language (--balance-langs)
LANGS = {}         # doc id -> set of languages
XGB = None         # gradient-boosted trees instead (--xgb ROUNDS:DEPTH; measured on LOLO only)
AUGMENT = 0.0      # > 0: shared + per-convention weights, this the L2 factor of the latter (--augment)


def keep_every(docs, k):
    """The documents whose id hashes to 0 mod k (--extract-keep k): a fixed
    share of a table, the same in every run and script."""
    if k <= 1:
        return list(docs)
    return [d for d in docs if int(hashlib.md5(d[0].encode()).hexdigest(), 16) % k == 0]


def load_recipe_tables(build, extract_keep=3):
    """-> names, turku train, turku dev, extraction pages (every extract_keep-th),
    the tables of build/linedata as the shipped recipe (--extract-keep 3) reads them."""
    data = os.path.join(build, "linedata")
    names, turku = load_features(os.path.join(data, "turku_train.feat.tsv"))
    _, dev = load_features(os.path.join(data, "turku_dev.feat.tsv"))
    _, extract = load_features(os.path.join(data, "extract_train.feat.tsv"))
    return names, turku, dev, keep_every(extract, extract_keep)


def load_features(path):
    """-> names, list of docs (id, labels array, features matrix). The numbers
    are parsed by numpy in one call (a Python float() per value was most of the
    training time), and kept in PATH.npz for the next run while PATH is unchanged."""
    cache = path + ".npz"
    if os.path.exists(cache) and os.path.getmtime(cache) > os.path.getmtime(path):
        z = np.load(cache, allow_pickle=False)
        names, ids, labels, X, starts = (list(z["names"]), z["ids"], z["labels"], z["X"], z["starts"])
        return names, [(str(ids[k]), labels[a:b], X[a:b])
                       for k, (a, b) in enumerate(zip(starts[:-1], starts[1:]))]
    names, docs = parse_features(path)
    starts = np.cumsum([0] + [len(d[1]) for d in docs])
    tmp = "%s.%d.tmp.npz" % (cache, os.getpid())  # parallel runs may write it at once
    np.savez(tmp, names=np.array(names), ids=np.array([d[0] for d in docs]),
             labels=np.concatenate([d[1] for d in docs]) if docs else np.zeros(0, int),
             X=np.vstack([d[2] for d in docs]) if docs else np.zeros((0, len(names))), starts=starts)
    os.replace(tmp, cache)
    return names, docs


def parse_features(path):
    ids, labels, chunks = [], [], []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = header[3:]
        for line in f:
            doc_id, _, label, rest = line.split("\t", 3)
            ids.append(doc_id)
            labels.append(int(label))
            chunks.append(rest)
    d = len(names)
    flat = np.array(" ".join(chunks).split(), dtype=np.float64) if chunks else np.zeros(0)
    X = flat.reshape(len(ids), d)
    labels = np.array(labels)
    docs = []
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            docs.append((ids[start], labels[start:i], X[start:i]))
            start = i
    return names, docs


def states_of(labels):
    """Label -> state: main lines 1; boilerplate 2 (tail) after the last main line, else 0."""
    st = np.where(labels == 1, 1, 0)
    main_idx = np.nonzero(labels == 1)[0]
    last = main_idx[-1] if len(main_idx) else -1
    st[(labels == 0) & (np.arange(len(labels)) > last)] = 2
    st[labels < 0] = -1
    return st


def fit_lr(X, y, w, l2):
    """Multinomial logistic regression by L-BFGS. X is copied feature-major in
    float32: with Debian's reference BLAS that makes the two products per step
    4x faster."""
    n, d = X.shape
    XT = np.ascontiguousarray(X.T, dtype=np.float32)
    Y = np.zeros((n, NSTATES))
    Y[np.arange(n), y] = 1.0
    wsum = w.sum()

    def f(theta):
        W = theta[: d * NSTATES].reshape(d, NSTATES)
        b = theta[d * NSTATES:]
        Z = (W.T.astype(np.float32) @ XT).T.astype(np.float64) + b
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        loss = -(w * (Y * logp).sum(axis=1)).sum() / wsum + 0.5 * l2 * (W * W).sum() / 1e4
        P = np.exp(logp)
        G = (P - Y) * (w / wsum)[:, None]
        gW = (XT @ G.astype(np.float32)).astype(np.float64) + l2 * W / 1e4
        gb = G.sum(axis=0)
        return loss, np.concatenate([gW.ravel(), gb])

    theta0 = np.zeros(d * NSTATES + NSTATES)
    res = minimize(f, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    W = res.x[: d * NSTATES].reshape(d, NSTATES)
    b = res.x[d * NSTATES:]
    return W, b


def fit_mlp(X, y, w, l2, hidden):
    """One tanh hidden layer, softmax output; deterministic start (seed 0)."""
    n, d = X.shape
    XT = np.ascontiguousarray(X.T, dtype=np.float32)
    Y = np.zeros((n, NSTATES))
    Y[np.arange(n), y] = 1.0
    wsum = w.sum()
    rng = np.random.RandomState(0)
    sizes = [(d, hidden), (hidden,), (hidden, NSTATES), (NSTATES,)]
    theta0 = np.concatenate([
        (rng.standard_normal(d * hidden) / np.sqrt(d)),
        np.zeros(hidden),
        (rng.standard_normal(hidden * NSTATES) / np.sqrt(hidden)),
        np.zeros(NSTATES)])

    def unpack(theta):
        out, i = [], 0
        for sh in sizes:
            k = int(np.prod(sh))
            out.append(theta[i:i + k].reshape(sh))
            i += k
        return out

    def f(theta):
        W1, b1, W2, b2 = unpack(theta)
        A = np.tanh((W1.T.astype(np.float32) @ XT).T.astype(np.float64) + b1)
        Z = A @ W2 + b2
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        loss = -(w * (Y * logp).sum(axis=1)).sum() / wsum + 0.5 * l2 * ((W1 * W1).sum() + (W2 * W2).sum()) / 1e4
        G = (np.exp(logp) - Y) * (w / wsum)[:, None]
        gW2 = A.T @ G + l2 * W2 / 1e4
        gb2 = G.sum(axis=0)
        GA = (G @ W2.T) * (1 - A * A)
        gW1 = (XT @ GA.astype(np.float32)).astype(np.float64) + l2 * W1 / 1e4
        gb1 = GA.sum(axis=0)
        return loss, np.concatenate([gW1.ravel(), gb1, gW2.ravel(), gb2])

    res = minimize(f, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 400})
    return unpack(res.x)


def convention_of(doc_id):
    """The labelling convention a document follows: its turku language's
    annotators, or the extraction sets' gold (one group)."""
    if doc_id.startswith("turku:"):
        return "turku:" + doc_id.split(":", 1)[1].split("/")[0]
    return "extraction"


def fit_lr_augmented(X, y, w, groups, l2, group_l2):
    """Feature augmentation across labelling conventions (after Daume III 2007):
    each line's scores are X (W0 + W_g) + b0 + b_g, g its convention; the W_g carry
    L2 x group_l2. The model written keeps W0 + the mean of the W_g, so what one
    convention alone wants is averaged with the others. Measured on LOLO only
    (doc/text.md): it separates fi better at its best bias, but no bias chosen
    without the language's labels suits both fi and en."""
    n, d = X.shape
    names = sorted(set(groups))
    gi = np.array([names.index(g) for g in groups])
    order = np.argsort(gi, kind="stable")
    X, y, w, gi = X[order], y[order], w[order], gi[order]
    bounds = np.searchsorted(gi, np.arange(len(names) + 1))
    XT = np.ascontiguousarray(X.T, dtype=np.float32)
    Y = np.zeros((n, NSTATES))
    Y[np.arange(n), y] = 1.0
    wsum = w.sum()
    m = d * NSTATES + NSTATES

    def f(theta):
        P = theta.reshape(len(names) + 1, m)
        Z = (P[0, :d * NSTATES].reshape(d, NSTATES).T.astype(np.float32) @ XT).T.astype(np.float64) + P[0, d * NSTATES:]
        for g in range(len(names)):
            a, b = bounds[g], bounds[g + 1]
            Z[a:b] += (P[g + 1, :d * NSTATES].reshape(d, NSTATES).T.astype(np.float32) @ XT[:, a:b]).T + P[g + 1, d * NSTATES:]
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        W0 = P[0, :d * NSTATES]
        loss = (-(w * (Y * logp).sum(axis=1)).sum() / wsum
                + 0.5 * l2 * ((W0 * W0).sum() + group_l2 * (P[1:] * P[1:]).sum()) / 1e4)
        G = (np.exp(logp) - Y) * (w / wsum)[:, None]
        grad = np.zeros_like(P)
        grad[0, :d * NSTATES] = (XT @ G.astype(np.float32)).astype(np.float64).ravel() + l2 * W0 / 1e4
        grad[0, d * NSTATES:] = G.sum(axis=0)
        for g in range(len(names)):
            a, b = bounds[g], bounds[g + 1]
            grad[g + 1, :d * NSTATES] = (XT[:, a:b] @ G[a:b].astype(np.float32)).astype(np.float64).ravel()
            grad[g + 1, d * NSTATES:] = G[a:b].sum(axis=0)
            grad[g + 1] += group_l2 * l2 * P[g + 1] / 1e4
        return loss, grad.ravel()

    res = minimize(f, np.zeros((len(names) + 1) * m), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    P = res.x.reshape(len(names) + 1, m)
    flat = P[0] + P[1:].mean(axis=0)
    return flat[:d * NSTATES].reshape(d, NSTATES), flat[d * NSTATES:]


def count_transitions(seqs, weights):
    start = np.ones(NSTATES)
    trans = np.ones((NSTATES, NSTATES))
    for st, wt in zip(seqs, weights):
        if len(st) == 0 or (st < 0).any():
            continue
        start[st[0]] += wt
        np.add.at(trans, (st[:-1], st[1:]), wt)
    return np.log(start / start.sum()), np.log(trans / trans.sum(axis=1, keepdims=True))


def viterbi(em, log_start, log_trans):
    n = em.shape[0]
    score = log_start + em[0]
    back = np.zeros((n, NSTATES), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + log_trans  # from x to
        back[t] = cand.argmax(axis=0)  # ties -> lower index, as in C++
        score = cand.max(axis=0) + em[t]
    path = np.zeros(n, dtype=np.int64)
    s = int(score.argmax())
    for t in range(n - 1, -1, -1):
        path[t] = s
        s = back[t, s]
    return path


def scaled_trans(log_trans, scale):
    """The transition scale applies to the boiler and main rows; the tail row
    (after the article ended, going back to main text is rare) keeps its learned
    strength, so an end marker followed by good sentences stays out."""
    t = scale * log_trans
    t[2] = log_trans[2]
    return t


def fit_xgb(X, y, w, rounds, depth):
    import xgboost  # Debian python3-xgboost; only for this experiment
    dm = xgboost.DMatrix(X, label=y, weight=w / w.mean())
    params = {"objective": "multi:softprob", "num_class": NSTATES, "max_depth": depth, "eta": 0.1,
              "min_child_weight": 5, "lambda": 1.0, "tree_method": "hist", "nthread": 1, "seed": 0}
    return xgboost.train(params, dm, num_boost_round=rounds)


def scores(net, Xs):
    if not isinstance(net, tuple):
        import xgboost
        return net.predict(xgboost.DMatrix(Xs), output_margin=True)
    if len(net) == 2:
        W, b = net
        return Xs @ W + b
    W1, b1, W2, b2 = net
    return np.tanh(Xs @ W1 + b1) @ W2 + b2


def decode(model, X, scale, bias):
    mean, sd, net, log_prior, log_start, log_trans = model
    Z = scores(net, (X - mean) / sd)
    Z -= Z.max(axis=1, keepdims=True)
    logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    em = logp - log_prior
    em[:, 1] += bias
    return viterbi(em, scale * log_start, scaled_trans(log_trans, scale))


def with_hidden(docs_weighted):
    """Stop-word dropout: each document that has a copy computed with its
    language's stop list hidden (NOSTOP) is trained on both, the copy with
    HIDE_SHARE of its weight."""
    if not NOSTOP:
        return docs_weighted
    out = []
    for d, wt in docs_weighted:
        h = NOSTOP.get(d[0])
        if h is None:
            out.append((d, wt))
        else:
            out.append((d, wt * (1 - HIDE_SHARE)))
            out.append((h, wt * HIDE_SHARE))
    return out


def train(docs_weighted):
    """-> (mean, sd, net, log_prior, log_start, log_trans); net = (W, b) or (W1, b1, W2, b2)."""
    docs_weighted = with_hidden(docs_weighted)
    X = np.vstack([d[2] for d, _ in docs_weighted])
    st = np.concatenate([states_of(d[1]) for d, _ in docs_weighted])
    w = np.concatenate([np.full(len(d[1]), wt) for d, wt in docs_weighted])
    mask = st >= 0
    groups = (np.concatenate([[convention_of(d[0])] * len(d[1]) for d, _ in docs_weighted])[mask]
              if AUGMENT > 0 else None)
    X, st, w = X[mask], st[mask], w[mask]
    mean = X.mean(axis=0)
    sd = X.std(axis=0)
    sd[sd < 1e-6] = 1.0
    if DROP is not None:
        X = X.copy()
        X[:, DROP] = mean[DROP]
    Xs = (X - mean) / sd
    if XGB:
        net = fit_xgb(Xs, st, w, *XGB)
    elif HIDDEN > 0:
        net = tuple(fit_mlp(Xs, st, w, L2, HIDDEN))
    elif AUGMENT > 0:
        net = fit_lr_augmented(Xs, st, w, list(groups), L2, AUGMENT)
    else:
        net = tuple(fit_lr(Xs, st, w, L2))
    if DROP is not None and isinstance(net, tuple):
        net[0][DROP] = 0.0
    prior = np.array([w[st == s].sum() for s in range(NSTATES)]) / w.sum()
    log_start, log_trans = count_transitions([states_of(d[1]) for d, _ in docs_weighted],
                                             [wt for _, wt in docs_weighted])
    return mean, sd, net, np.log(prior), log_start, log_trans


def prf_of(model, docs, scale, bias):
    """-> (P, R, F1) of the decoded keep decisions over the docs' labelled lines."""
    tp = fp = fn = 0
    for _, labels, X in docs:
        keep = decode(model, X, scale, bias) == 1
        lab = labels == 1
        tp += int((keep & lab).sum())
        fp += int((keep & ~lab).sum())
        fn += int((~keep & lab).sum())
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def f1_of(model, docs, scale, bias):
    return prf_of(model, docs, scale, bias)[2]


def weighted(turku, other):
    """Turku lines get TURKU_SHARE of the total weight; the other groups
    (`other`: list of (docs, share)) split the rest by their shares. With
    BALANCE_LANGS each turku language gets an equal part of the turku share."""
    if BALANCE_LANGS:
        by_lang = {}
        for d in turku:
            by_lang.setdefault(min(LANGS.get(d[0], {""})), []).append(d)
        tgroups = [(docs, TURKU_SHARE / len(by_lang)) for _, docs in sorted(by_lang.items())]
    else:
        tgroups = [(turku, TURKU_SHARE)]
    # The other groups that have documents split 1 - TURKU_SHARE by their shares:
    # an empty group (no generated tables) gives its share to the others. (Until
    # 2026-12-02 its share was dropped before normalising, so with the default
    # 0.7 turku really had 0.7 / 0.85 = 82% of the weight.)
    other = [(docs, sh) for docs, sh in other if docs and sh > 0]
    other_total = sum(sh for _, sh in other)
    groups = tgroups + [(docs, (1 - TURKU_SHARE) * sh / other_total) for docs, sh in other]
    total_share = sum(sh for _, sh in groups)
    n_all = sum(sum(int((d[1] >= 0).sum()) for d in docs) for docs, _ in groups)
    out = []
    for docs, sh in groups:
        n = sum(int((d[1] >= 0).sum()) for d in docs)
        wt = sh / total_share * n_all / max(1, n)
        out.extend((d, wt) for d in docs)
    return out


def write_model(path, names, model, scale, bias, note):
    mean, sd, net, log_prior, log_start, log_trans = model
    W, b = (net[0], net[3]) if len(net) == 4 else net
    with open(path, "w", encoding="utf-8") as f:
        f.write("winnow-lines-model 1\n")
        f.write("# Trained by scripts/train_lines.py: %s\n" % note)
        f.write("# Transition scale %.3g and main bias %.3g are folded in below.\n" % (scale, bias))
        f.write("states boiler main tail\nfeatures %d\n" % len(names))
        if len(net) == 4:
            f.write("hidden %d\n" % W.shape[1])
        for j, n in enumerate(names):
            f.write("f %s %.9g %.9g %s\n" % (n, mean[j], sd[j], " ".join("%.9g" % x for x in W[j])))
        if len(net) == 4:
            f.write("hidden_bias %s\n" % " ".join("%.9g" % x for x in net[1]))
            for s_ in range(NSTATES):
                f.write("out %s\n" % " ".join("%.9g" % x for x in net[2][:, s_]))
        # The main bias is folded into the prior: emission = log p(s|x) - log_prior(s).
        lp = log_prior.copy()
        lp[1] -= bias
        f.write("bias %s\n" % " ".join("%.9g" % x for x in b))
        f.write("log_prior %s\n" % " ".join("%.9g" % x for x in lp))
        f.write("log_start %s\n" % " ".join("%.9g" % (scale * x) for x in log_start))
        f.write("log_trans %s\n" % " ".join("%.9g" % x for x in scaled_trans(log_trans, scale).ravel()))
        f.write("end\n")


LOLO_LANGS = ("de", "en", "es", "fi", "fr", "sv")


def norm_lang(lang):
    return (lang or "").lower().replace("_", "-").split("-")[0]


def read_langs(table):
    """doc_id -> set of normalised languages, from a line table (synthetic
    pages list every language they hold: "fr+de")."""
    langs = {}
    with open(table, encoding="utf-8") as f:
        for row in f:
            if row.startswith("#url\t"):
                continue
            parts = row.split("\t", 2)
            if len(parts) >= 2 and parts[0] not in langs:
                langs[parts[0]] = {norm_lang(x) for x in parts[1].split("+")}
    return langs


def is_val(doc_id):
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 5 == 0


def fit_and_tune(turku, other, refit, log=print):
    """Fits on turku train (less a validation fifth) + other, picks the transition
    scale and main bias on the fifth, refits on everything when refit is set."""
    fit_docs = [d for d in turku if not is_val(d[0])]
    val_docs = [d for d in turku if is_val(d[0])]
    model = train(weighted(fit_docs, other))
    best = None
    for scale in (0.0, 0.25, 0.5, 1.0):
        for bias in (-0.5, 0.0, 0.5, 1.0, 1.5, 2.0):
            f1 = f1_of(model, val_docs, scale, bias)
            log("validation: transition scale %.2f main bias %+.1f  F1 %.4f" % (scale, bias, f1))
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, scale, bias)
    _, scale, bias = best
    log("chosen: scale %.2f bias %+.1f (validation F1 %.4f)" % (scale, bias, best[0]))
    if refit:
        model = train(weighted(turku, other))
    return model, scale, bias, (len(turku) if refit else len(fit_docs))


def distinct_docs_of(lang, pool, langs):
    """The labelled turku documents of `lang`, each distinct document once
    (turku has copies across and within its splits)."""
    ev, seen = [], set()
    for d in pool:
        key = hashlib.md5(d[1].tobytes() + d[2].tobytes()).hexdigest()
        if lang in langs.get(d[0], ()) and key not in seen:
            seen.add(key)
            ev.append((d, key))
    return ev


def cross_validate(cv_langs, turku, extract, gen, pool, langs, gen_share, refit, folds=5):
    """In-language K-fold cross-validation: what the features reach on a language
    when its own labels (the other folds) are in training. Set beside the
    leave-one-language-out figure, the difference is what the language's own
    labelling convention is worth; the rest of the gap to the aim is the features'."""
    res = []
    for lang in cv_langs:
        own = distinct_docs_of(lang, pool, langs)
        t = [d for d in turku if lang not in langs.get(d[0], ())]
        o = [d for d in extract if lang not in langs.get(d[0], ())]
        g = [d for d in gen if lang not in langs.get(d[0], ())]
        tp = fp = fn = 0
        for k in range(folds):
            held = [d for d, key in own if int(key, 16) % folds == k]
            rest = [d for d, key in own if int(key, 16) % folds != k]
            model, scale, bias, _ = fit_and_tune(t + rest, [(o, 1 - gen_share), (g, gen_share)], refit,
                                                 log=lambda *a: None)
            for _, labels, X in held:
                keep = decode(model, X, scale, bias) == 1
                lab = labels == 1
                tp += int((keep & lab).sum())
                fp += int((keep & ~lab).sum())
                fn += int((~keep & lab).sum())
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * p * r / max(1e-9, p + r)
        res.append((lang, f1))
        print("CV %s: %d documents, %d folds  P %.3f R %.3f F1 %.3f" % (lang, len(own), folds, p, r, f1), flush=True)
    print("CV macro F1 %.3f over %s" % (np.mean([f for _, f in res]), " ".join("%s %.3f" % e for e in res)), flush=True)


def main():
    global TURKU_SHARE, L2, DROP, HIDDEN, XGB, BALANCE_LANGS, LANGS, HIDE_SHARE, NOSTOP, AUGMENT
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, help="build dir holding src/text/text_features")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "lines.model"))
    ap.add_argument("--no-refit", dest="refit", action="store_false",
                    help="keep the model fit without the validation fifth (faster)")
    ap.add_argument("--hidden", type=int, default=0,
                    help="hidden tanh units (0: logistic regression, the shipped model; "
                         "16 measured worse on turku dev and on LOLO en 0.609, see doc/text.md)")
    ap.add_argument("--xgb", metavar="ROUNDS:DEPTH",
                    help="gradient-boosted trees (python3-xgboost) instead of the regression; "
                         "leave-one-language-out experiments only (no model file format for trees; "
                         "200:6 gave LOLO en 0.619, see doc/text.md)")
    ap.add_argument("--extract-keep", type=int, default=1,
                    help="use one extraction or generated page in N (by hash of its id), for speed "
                         "(the leave-one-language-out runs use 3, with --no-refit)")
    ap.add_argument("--gen", action="store_true",
                    help="also train on the generated tables (gen_*.tsv of "
                         "scripts/text/make_gen_lines.py in BUILD/linedata)")
    ap.add_argument("--gen-share", type=float, default=0.5,
                    help="share of the non-turku weight given to the generated tables")
    ap.add_argument("--turku-share", type=float, default=TURKU_SHARE)
    ap.add_argument("--drop", default="",
                    help="regular expression: features whose names match get weight 0 "
                         "(to measure what word-list features carry)")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--hide-share", type=float, default=0.0,
                    help="stop-word dropout: also train on each document's features computed with its "
                         "language's stop list hidden, with this share of its weight")
    ap.add_argument("--augment", type=float, default=0.0, metavar="L2_FACTOR",
                    help="feature augmentation across labelling conventions (turku languages, extraction "
                         "gold): shared weights plus per-convention ones with this factor on their L2; the "
                         "model keeps shared + mean (LOLO macro 0.797 at 3, see doc/text.md)")
    ap.add_argument("--balance-langs", action="store_true",
                    help="give each turku language an equal part of the turku weight")
    ap.add_argument("--turku-dev", action="store_true",
                    help="also train on the turku dev split (each distinct document once): with --lolo, "
                         "the other languages' dev documents (fr and sv have no train split); without, "
                         "all of it, so lines_eval's turku dev figure is no longer held out")
    ap.add_argument("--lolo", metavar="DIR",
                    help="leave-one-language-out: write DIR/<lang>.model for each turku language, "
                         "trained without any document of that language (scored by "
                         "lines_eval --lolo DIR), instead of the shipped model")
    ap.add_argument("--lolo-eval", action="store_true",
                    help="with --lolo: also score each left-out model here on every labelled turku "
                         "document of its language (train and dev; same decoding as lines_eval) "
                         "and print per-language P/R/F1 and the macro F1")
    ap.add_argument("--lolo-diag", action="store_true",
                    help="with --lolo-eval: also print the left-out F1 at other main biases "
                         "(a diagnosis; the bias stays chosen on the validation fifth)")
    ap.add_argument("--lolo-hide-stop", action="store_true",
                    help="with --lolo-eval: score the left-out language with its stop-word list hidden "
                         "from the features (text_features --hide-stop-lang), as for a language the "
                         "lexicon does not cover")
    ap.add_argument("--also-out", metavar="PATH",
                    help="with --lolo: then also train the model on every language and write it to PATH")
    ap.add_argument("--cv-langs", metavar="L1,L2",
                    help="in-language cross-validation (the ceiling of the features): for each language, "
                         "5 folds of its labelled turku documents (train and dev, each distinct document "
                         "once); each fold's model is trained as the leave-one-language-out one plus the "
                         "language's other four folds, and scored on the fold; prints pooled P/R/F1 per "
                         "language and the macro F1, then stops")
    ap.add_argument("--lolo-langs", default=",".join(LOLO_LANGS),
                    help="comma-separated languages to leave out in turn (default: all six)")
    args = ap.parse_args()
    data = os.path.join(args.build, "linedata")
    if not os.path.exists(os.path.join(data, "extract_gold.tsv")):
        subprocess.check_call([sys.executable, os.path.join(HERE, "text", "make_line_data.py"),
                               "--shared", args.shared, data])
    tool = os.path.join(args.build, "src", "text", "text_features")
    langs = {}
    tables = ["turku_train", "extract_train"]
    if (args.lolo and args.lolo_eval) or args.turku_dev or args.cv_langs:
        tables.append("turku_dev")  # scored only, unless --turku-dev
    if args.gen:
        tables += sorted(n[:-4] for n in os.listdir(data) if n.startswith("gen_") and n.endswith(".tsv")
                         and not n.endswith(".feat.tsv"))
    feats = {}

    def features_of(name, hide=None):
        """Dumps (when stale) and loads a table's features; with `hide`, as if the
        lexicon had no stop words of that language."""
        table = os.path.join(data, name + ".tsv")
        fpath = os.path.join(data, name + (".hide-%s" % hide if hide else "") + ".feat.tsv")
        if not (os.path.exists(fpath) and os.path.getmtime(fpath) > max(os.path.getmtime(table),
                                                                         os.path.getmtime(tool))):
            tmp = "%s.%d.tmp" % (fpath, os.getpid())
            with open(tmp, "w") as out:
                subprocess.check_call([tool] + (["--hide-stop-lang", hide] if hide else []) + [table],
                                      stdout=out)
            os.replace(tmp, fpath)
        return load_features(fpath)

    for name in tables:
        langs.update(read_langs(os.path.join(data, name + ".tsv")))
        feats[name] = features_of(name)
    if args.hide_share > 0:
        HIDE_SHARE = args.hide_share
        stop_langs = set(LOLO_LANGS)  # the languages of the labelled data that have a stop list
        for name in tables:
            if name == "turku_dev" and not args.turku_dev:
                continue
            present = sorted({min(v) for k, v in langs.items() if len(v) == 1 and min(v) in stop_langs})
            ids = {d[0] for d in feats[name][1]}
            for hl in present:
                if not any(min(langs.get(i, {""})) == hl for i in ids):
                    continue
                for d in features_of(name, hl)[1]:
                    if langs.get(d[0]) == {hl}:
                        NOSTOP[d[0]] = d
        print("stop-word dropout: %d documents also trained with their stop list hidden, share %.2f"
              % (len(NOSTOP), HIDE_SHARE), flush=True)
    names = feats["turku_train"][0]
    assert all(v[0] == names for v in feats.values())
    turku, extract = feats["turku_train"][1], feats["extract_train"][1]
    if args.turku_dev:
        # Each distinct document once (turku holds copies across and within splits).
        seen, pool = set(), []
        for d in turku + feats["turku_dev"][1]:
            key = hashlib.md5(d[1].tobytes() + d[2].tobytes()).hexdigest()
            if key not in seen:
                seen.add(key)
                pool.append(d)
        turku = pool
    gen = [d for name in tables if name.startswith("gen_") for d in feats[name][1]]
    TURKU_SHARE, L2 = args.turku_share, args.l2
    BALANCE_LANGS, LANGS = args.balance_langs, langs
    if args.drop:
        DROP = np.array([bool(re.search(args.drop, n)) for n in names])
        print("features given weight 0:", " ".join(n for n, d in zip(names, DROP) if d))
    if args.extract_keep > 1:
        extract, gen = (keep_every(docs, args.extract_keep) for docs in (extract, gen))
    HIDDEN = args.hidden
    AUGMENT = args.augment
    if args.xgb:
        XGB = tuple(int(x) for x in args.xgb.split(":"))
    kind = "tanh network, %d hidden units" % HIDDEN if HIDDEN else "logistic regression"

    if args.cv_langs:
        cross_validate(args.cv_langs.split(","), turku, extract, gen, feats["turku_train"][1] + feats["turku_dev"][1],
                       langs, args.gen_share, args.refit)
        return

    if args.lolo:
        os.makedirs(args.lolo, exist_ok=True)
        evals = []
        for lang in args.lolo_langs.split(","):
            t = [d for d in turku if lang not in langs.get(d[0], ())]
            o = [d for d in extract if lang not in langs.get(d[0], ())]
            g = [d for d in gen if lang not in langs.get(d[0], ())]
            model, scale, bias, nt = fit_and_tune(t, [(o, 1 - args.gen_share), (g, args.gen_share)],
                                                  args.refit, log=lambda *a: None)
            note = ("LEAVE-ONE-LANGUAGE-OUT model without %s: %s; turku train (%d docs) + "
                    "extraction train pages (%d docs) + generated (%d docs)" % (lang, kind, nt, len(o), len(g)))
            path = os.path.join(args.lolo, lang + ".model")
            if not XGB:
                write_model(path, names, model, scale, bias, note)
            print("without %s: %d turku + %d extraction + %d generated docs, scale %.2f bias %+.1f -> %s"
                  % (lang, nt, len(o), len(g), scale, bias, path), flush=True)
            if args.lolo_eval:
                variants = [("", feats["turku_train"][1] + feats["turku_dev"][1])]
                if args.lolo_hide_stop:
                    variants.append((" (its stop list hidden)",
                                     features_of("turku_train", lang)[1] + features_of("turku_dev", lang)[1]))
                for tag, pool in variants:
                    # Each document once (turku has copies; lines_eval --lolo does the same).
                    ev = [d for d, _ in distinct_docs_of(lang, pool, langs)]
                    p, r, f1 = prf_of(model, ev, scale, bias)
                    lab = np.concatenate([d[1] for d in ev]) == 1
                    keep_all = 2 * lab.mean() / (1 + lab.mean())
                    evals.append((tag, lang, f1))
                    print("LOLO %s%s: %d lines  keep-all F1 %.3f  P %.3f R %.3f F1 %.3f"
                          % (lang, tag, len(lab), keep_all, p, r, f1), flush=True)
                    if args.lolo_diag:  # what other main biases would have given (diagnosis only)
                        print("  by bias: " + "  ".join("%+.1f %.3f" % (b, prf_of(model, ev, scale, b)[2])
                                                       for b in (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5)),
                              flush=True)
        for tag in sorted({e[0] for e in evals}):
            ev = [(l, f) for t, l, f in evals if t == tag]
            print("LOLO%s macro F1 %.3f over %s" % (tag, np.mean([f for _, f in ev]),
                                                     " ".join("%s %.3f" % e for e in ev)), flush=True)
        if not args.also_out:
            return
        args.out = args.also_out

    model, scale, bias, nt = fit_and_tune(turku, [(extract, 1 - args.gen_share), (gen, args.gen_share)],
                                          args.refit, log=lambda *a: None if args.lolo else print(*a))
    note = ("%s; turku train (%d docs%s) + extraction train pages (%d docs) + generated (%d docs); "
            "turku dev held out"
            % (kind, nt, "" if args.refit else ", the validation fifth left out", len(extract), len(gen)))
    write_model(args.out, names, model, scale, bias, note)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
