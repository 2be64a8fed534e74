#!/usr/bin/python3
"""Session 11 measures (issue 10) on the leave-one-language-out figure, with
train_lines.py's own functions and recipe (`--lolo --no-refit --extract-keep 3`:
turku 0.82 of the weight, a third of the extraction pages the rest, transition
scale and main bias chosen on the validation fifth of the turku training
documents, Viterbi). Modes:

- `ensemble`: the shipped regression and the tanh network (`--hidden 16`) fit on
  the same data; their emissions combined, each combination's scale and bias
  chosen on the validation fifth like the shipped model's. `logit A`: the scores
  (1 - A) Z_lr + A Z_mlp before the softmax (the model file's hidden-layer
  format could hold it: 3 more tanh units carrying the regression's scores x 1e-4,
  out weights 1e4 (1 - A)); `prob A`: the posteriors averaged (no format).
- `selftrain`: transductive self-training. The fold's model decodes the left-out
  language's documents (their labels unused); lines whose decoded state has a
  posterior of at least `--conf` become pseudo-labelled training lines (the rest
  left out of the loss) with `--pseudo-share` of the total weight; the regression
  is refit and the scale and bias chosen again on the validation fifth. Repeated
  `--rounds` times. What a run that adapts on its own shard would give.
- `selfprior`: self-training as a shard could run it without the training data:
  the fold's regression refit on the left-out documents' pseudo-labels alone,
  with L2 (`--prior-l2`) towards its own weights instead of towards 0; scored
  with the fold's scale and bias kept (`fixed`) and chosen again (`chosen`).
- `docrel`: the base features plus, for 16 per-line numeric features
  (REL_FEATURES), the line's z-score and rank (0..1) within its document,
  appended as columns (32).

Usage: /usr/bin/python3 scripts/text/adapt_proto.py --build build --mode ensemble
(after `train_lines.py --build build --lolo DIR --no-refit --extract-keep 3` has
dumped the features into BUILD/linedata)
"""
import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import train_lines as tl  # noqa: E402

GRID_SCALE = (0.0, 0.25, 0.5, 1.0)
GRID_BIAS = (-0.5, 0.0, 0.5, 1.0, 1.5, 2.0)
DIAG_BIAS = (-0.5, 0.5, 1.5, 2.5)


def log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def emissions(model, X):
    """-> log p(state | line) of a trained model (before dividing by the prior)."""
    mean, sd, net = model[:3]
    return log_softmax(tl.scores(net, (X - mean) / sd))


def decode_em(logp, model, scale, bias):
    log_prior, log_start, log_trans = model[3:]
    em = logp - log_prior
    em[:, 1] += bias
    return tl.viterbi(em, scale * log_start, tl.scaled_trans(log_trans, scale))


def counts(logps, docs, model, scale, bias):
    tp = fp = fn = 0
    for logp, (_, labels, _) in zip(logps, docs):
        keep = decode_em(logp, model, scale, bias) == 1
        lab = labels == 1
        tp += int((keep & lab).sum())
        fp += int((keep & ~lab).sum())
        fn += int((~keep & lab).sum())
    return tp, fp, fn


def prf(c):
    tp, fp, fn = c
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def choose(logps, docs, model):
    """The scale and bias the validation fifth picks (train_lines.fit_and_tune's grid and ties)."""
    best = None
    for s in GRID_SCALE:
        for b in GRID_BIAS:
            f1 = prf(counts(logps, docs, model, s, b))[2]
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, s, b)
    return best


def report(tag, lang, model, val_lp, val, ev_lp, ev):
    vf, s, b = choose(val_lp, val, model)
    c = counts(ev_lp, ev, model, s, b)
    p, r, f1 = prf(c)
    diag = " ".join("%+.1f:%.3f" % (bb, prf(counts(ev_lp, ev, model, s, bb))[2]) for bb in DIAG_BIAS)
    print("RES %s %s: scale %.2f bias %+.1f val %.4f  tp fp fn %d %d %d  P %.3f R %.3f F1 %.3f | %s"
          % (tag, lang, s, b, vf, *c, p, r, f1, diag), flush=True)
    return f1


def combos(lp_lr, lp_mlp):
    out = [("lr", lp_lr), ("mlp16", lp_mlp)]
    for a in (0.25, 0.5, 0.75):
        out.append(("logit%.2f" % a, log_softmax((1 - a) * lp_lr + a * lp_mlp)))
    for a in (0.5,):
        out.append(("prob%.2f" % a, np.log((1 - a) * np.exp(lp_lr) + a * np.exp(lp_mlp))))
    return out


def combos_docs(lr_lps, mlp_lps):
    """-> [(tag, [logp per document])]."""
    per_doc = [combos(a, b) for a, b in zip(lr_lps, mlp_lps)]
    tags = [t for t, _ in per_doc[0]]
    return [(tag, [pd[k][1] for pd in per_doc]) for k, tag in enumerate(tags)]


def ensemble(lang, t, o, ev, hidden):
    fit_docs = [d for d in t if not tl.is_val(d[0])]
    val = [d for d in t if tl.is_val(d[0])]
    dw = tl.weighted(fit_docs, [(o, 0.5), ([], 0.5)])
    t0 = time.time()
    tl.HIDDEN = 0
    lr = tl.train(dw)
    tl.HIDDEN = hidden
    mlp = tl.train(dw)
    tl.HIDDEN = 0
    print("fold %s: fits %.0f s" % (lang, time.time() - t0), flush=True)
    vc = combos_docs([emissions(lr, d[2]) for d in val], [emissions(mlp, d[2]) for d in val])
    ec = combos_docs([emissions(lr, d[2]) for d in ev], [emissions(mlp, d[2]) for d in ev])
    return {tag: report(tag, lang, lr, vl, val, el, ev) for (tag, vl), (_, el) in zip(vc, ec)}


def posteriors_and_path(model, X, scale, bias):
    """Per-line state posteriors of the emission model and the Viterbi path."""
    logp = emissions(model, X)
    return np.exp(logp), decode_em(logp, model, scale, bias)


def selftrain(lang, t, o, ev, conf_grid, share_grid, rounds):
    fit_docs = [d for d in t if not tl.is_val(d[0])]
    val = [d for d in t if tl.is_val(d[0])]
    dw = tl.weighted(fit_docs, [(o, 0.5), ([], 0.5)])
    m0 = tl.train(dw)
    val_lp0 = [emissions(m0, d[2]) for d in val]
    _, s0, b0 = choose(val_lp0, val, m0)
    out = {"lr": report("lr", lang, m0, val_lp0, val, [emissions(m0, d[2]) for d in ev], ev)}
    total = sum(wt * int((d[1] >= 0).sum()) for d, wt in dw)
    # Pseudo-labelled copies of the left-out documents are given distinct ids: the
    # validation split is by id and must stay the other languages' fifth.
    for conf in conf_grid:
        for share in share_grid:
            model, s, b = m0, s0, b0
            for rnd in range(rounds):
                pseudo, n_lab, n_main = [], 0, 0
                for did, labels, X in ev:
                    post, path = posteriors_and_path(model, X, s, b)
                    # the decoded state's posterior; the label is main iff decoded main
                    c = post[np.arange(len(path)), path]
                    lab = np.where(path == 1, 1, 0)
                    lab[c < conf] = -1
                    n_lab += int((lab >= 0).sum())
                    n_main += int((lab == 1).sum())
                    pseudo.append(("pseudo:" + did, lab, X))
                n_pl = max(1, n_lab)
                wt = share / (1 - share) * total / n_pl
                model = tl.train(dw + [(d, wt) for d in pseudo])
                vl = [emissions(model, d[2]) for d in val]
                tag = "self c%.2f w%.2f r%d" % (conf, share, rnd + 1)
                print("PSEUDO %s %s: %d of %d lines labelled, %d main" %
                      (tag, lang, n_lab, sum(len(d[1]) for d in ev), n_main), flush=True)
                out[tag] = report(tag, lang, model, vl, val, [emissions(model, d[2]) for d in ev], ev)
                _, s, b = choose(vl, val, model)
    return out


def fit_lr_towards(Xs, y, w, W0, b0, l2):
    """The regression refit on (Xs, y, w) alone with L2 l2 towards (W0, b0) instead of
    towards 0: what a shard could adapt without the training data."""
    from scipy.optimize import minimize
    n, d = Xs.shape
    Y = np.zeros((n, tl.NSTATES))
    Y[np.arange(n), y] = 1.0
    wsum = w.sum()
    theta0 = np.concatenate([W0.ravel(), b0])

    def f(theta):
        W = theta[:d * tl.NSTATES].reshape(d, tl.NSTATES)
        b = theta[d * tl.NSTATES:]
        logp = log_softmax(Xs @ W + b)
        D = theta - theta0
        loss = -(w * (Y * logp).sum(axis=1)).sum() / wsum + 0.5 * l2 * (D * D).sum() / 1e4
        G = (np.exp(logp) - Y) * (w / wsum)[:, None]
        grad = np.concatenate([(Xs.T @ G).ravel(), G.sum(axis=0)]) + l2 * D / 1e4
        return loss, grad

    res = minimize(f, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return res.x[:d * tl.NSTATES].reshape(d, tl.NSTATES), res.x[d * tl.NSTATES:]


def selfprior(lang, t, o, ev, conf_grid, l2_grid, rounds):
    """Self-training as a shard could do it without the training data: the
    regression refit on the shard's pseudo-labels alone, L2 towards its weights;
    the scale and bias kept (a shard has no validation documents) and, beside,
    chosen again on the validation fifth (LOLO only)."""
    fit_docs = [d for d in t if not tl.is_val(d[0])]
    val = [d for d in t if tl.is_val(d[0])]
    m0 = tl.train(tl.weighted(fit_docs, [(o, 0.5), ([], 0.5)]))
    val_lp0 = [emissions(m0, d[2]) for d in val]
    _, s0, b0 = choose(val_lp0, val, m0)
    out = {"lr": report("lr", lang, m0, val_lp0, val, [emissions(m0, d[2]) for d in ev], ev)}
    mean, sd = m0[0], m0[1]
    for conf in conf_grid:
        for l2 in l2_grid:
            model = m0
            for rnd in range(rounds):
                Xs, ys = [], []
                for did, labels, X in ev:
                    post, path = posteriors_and_path(model, X, s0, b0)
                    ok = post[np.arange(len(path)), path] >= conf
                    Xs.append(((X - mean) / sd)[ok])
                    ys.append(path[ok])
                Xs, ys = np.vstack(Xs), np.concatenate(ys)
                W, b = fit_lr_towards(Xs, ys, np.ones(len(ys)), model[2][0], model[2][1], l2)
                model = (mean, sd, (W, b)) + tuple(m0[3:])
                tag = "prior c%.2f l2 %g r%d" % (conf, l2, rnd + 1)
                ev_lp = [emissions(model, d[2]) for d in ev]
                c = counts(ev_lp, ev, model, s0, b0)
                print("RES %s fixed %s: scale %.2f bias %+.1f  %d pseudo lines  tp fp fn %d %d %d  "
                      "P %.3f R %.3f F1 %.3f" % (tag, lang, s0, b0, len(ys), *c, *prf(c)), flush=True)
                out[tag + " fixed"] = prf(c)[2]
                out[tag + " chosen"] = report(tag + " chosen", lang, model,
                                              [emissions(model, d[2]) for d in val], val, ev_lp, ev)
    return out


REL_FEATURES = ("log_chars", "log_words", "alpha_ratio", "digit_ratio", "upper_ratio", "punct_ratio",
                 "commas_per_word", "cap_word_ratio", "avg_word_len", "stop_share", "any_stop_share",
                 "freq_share", "win_freq_share", "win_log_words", "short_run", "c4_distance")


def doc_rel_cols(X, names):
    """For each of REL_FEATURES: the line's z-score within its document and its rank
    (0..1, ties averaged) within its document."""
    n = X.shape[0]
    out = []
    for nm in REL_FEATURES:
        v = X[:, names.index(nm)]
        sd = v.std()
        out.append((v - v.mean()) / sd if sd > 1e-6 else np.zeros(n))
        order = np.argsort(v, kind="stable")
        ranks = np.empty(n)
        ranks[order] = np.arange(n)
        _, inv, cnt = np.unique(v, return_inverse=True, return_counts=True)
        out.append((np.bincount(inv, weights=ranks) / cnt)[inv] / max(1, n - 1))
    return np.stack(out, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--mode", choices=("ensemble", "selftrain", "selfprior", "docrel"), default="ensemble")
    ap.add_argument("--langs", default=",".join(tl.LOLO_LANGS))
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--conf", default="0.9", help="selftrain: comma-separated posterior thresholds")
    ap.add_argument("--pseudo-share", default="0.2", help="selftrain: comma-separated shares of the total weight")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--prior-l2", default="100,1000",
                    help="selfprior: comma-separated L2 strengths towards the fold's model")
    args = ap.parse_args()
    t0 = time.time()
    data = os.path.join(args.build, "linedata")
    names, turku, dev, extract = tl.load_recipe_tables(args.build)  # --extract-keep 3
    if args.mode == "docrel":
        def aug(docs):
            return [(i, lab, np.hstack([X, doc_rel_cols(X, names)])) for i, lab, X in docs]
        turku, dev, extract = aug(turku), aug(dev), aug(extract)
    langs = {}
    for n in ("turku_train", "turku_dev", "extract_train"):
        langs.update(tl.read_langs(os.path.join(data, n + ".tsv")))
    tl.LANGS = langs
    res = {}
    for lang in args.langs.split(","):
        t = [d for d in turku if lang not in langs.get(d[0], ())]
        o = [d for d in extract if lang not in langs.get(d[0], ())]
        ev = [d for d, _ in tl.distinct_docs_of(lang, turku + dev, langs)]
        if args.mode == "ensemble":
            r = ensemble(lang, t, o, ev, args.hidden)
        elif args.mode == "selftrain":
            r = selftrain(lang, t, o, ev, [float(x) for x in args.conf.split(",")],
                          [float(x) for x in args.pseudo_share.split(",")], args.rounds)
        elif args.mode == "selfprior":
            r = selfprior(lang, t, o, ev, [float(x) for x in args.conf.split(",")],
                          [float(x) for x in args.prior_l2.split(",")], args.rounds)
        else:
            r = {"lr": report("lr", lang, *fold_docrel(t, o, ev))}
        for tag, f1 in r.items():
            res.setdefault(tag, {})[lang] = f1
        print("(%.0f s)" % (time.time() - t0), flush=True)
    for tag, by in res.items():
        print("MACRO %s %.4f | %s" % (tag, np.mean(list(by.values())), " ".join("%s %.3f" % kv for kv in by.items())))


def fold_docrel(t, o, ev):
    fit_docs = [d for d in t if not tl.is_val(d[0])]
    val = [d for d in t if tl.is_val(d[0])]
    m = tl.train(tl.weighted(fit_docs, [(o, 0.5), ([], 0.5)]))
    return (m, [emissions(m, d[2]) for d in val], val, [emissions(m, d[2]) for d in ev], ev)


if __name__ == "__main__":
    main()
