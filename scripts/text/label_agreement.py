#!/usr/bin/python3
"""How far the turku line labels agree with themselves: an estimate of the
human ceiling of line F1 (doc/text.md, session 9).

Turku holds documents that occur more than once (identical, or the same page
fetched twice with a few lines changed) and pages of one site that share lines.
For every pair of documents of one language whose lines overlap, the lines are
aligned (difflib on the normalised lines: lower case, whitespace collapsed) and
the labels of the aligned lines compared: the F1 of one labelling scored
against the other (symmetric: 2 * both main / (2 * both main + disagreements)).

Pairs are grouped by how much of the smaller document aligns:
  identical    every line (same line sequence)
  near         >= 70% of the smaller document's lines
  shared       30-70% (same site: shared menus, headers, footers)
Identical pairs whose labels are equal may be one annotation copied twice (the
data's train/dev splits share documents), so the `near` and `shared` groups and
the identical pairs that were labelled differently are the evidence of how two
labellings of the same text differ.

Usage: /usr/bin/python3 scripts/text/label_agreement.py [../shared/data/plaintext/turku_line_quality.jsonl.gz] [-v]
"""
import collections
import difflib
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "..", "shared", "data", "plaintext", "turku_line_quality.jsonl.gz")


def norm(s):
    return " ".join(s.lower().split())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    path = args[0] if args else DEFAULT
    docs = [json.loads(l) for l in gzip.open(path, "rt", encoding="utf-8")]
    lines = [[norm(x) for x in d["lines"]] for d in docs]
    sets = [set(x for x in ls if x) for ls in lines]
    inv = collections.defaultdict(set)
    for i, s in enumerate(sets):
        for x in s:
            inv[x].add(i)
    shared = collections.Counter()
    for x, ids in inv.items():
        ids = sorted(ids)
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                if docs[ids[a]]["lang"] == docs[ids[b]]["lang"]:
                    shared[(ids[a], ids[b])] += 1
    # group -> lang -> [pairs, aligned lines, both main, both drop, a main only, b main only]
    tab = collections.defaultdict(lambda: collections.defaultdict(lambda: [0] * 6))
    for (a, b), n in sorted(shared.items()):
        if n < 0.3 * min(len(sets[a]), len(sets[b])):
            continue
        sm = difflib.SequenceMatcher(None, lines[a], lines[b], autojunk=False)
        pairs = [(blk.a + k, blk.b + k) for blk in sm.get_matching_blocks() for k in range(blk.size)
                 if lines[a][blk.a + k]]
        la, lb = docs[a]["labels"], docs[b]["labels"]
        small = min(len([x for x in lines[a] if x]), len([x for x in lines[b] if x]))
        if lines[a] == lines[b]:
            group = "identical, labels equal" if la == lb else "identical, labels differ"
        elif len(pairs) >= 0.7 * small:
            group = "near (>= 70% aligned)"
        elif len(pairs) >= 0.3 * small:
            group = "shared (30-70% aligned)"
        else:
            continue
        t = tab[group][docs[a]["lang"]]
        t[0] += 1
        t[1] += len(pairs)
        for i, j in pairs:
            t[2 + {(1, 1): 0, (0, 0): 1, (1, 0): 2, (0, 1): 3}[(la[i], lb[j])]] += 1
        if verbose:
            dis = sum(la[i] != lb[j] for i, j in pairs)
            print("  %-8s %-12s %-12s aligned %3d of %3d/%3d  disagree %3d  %s"
                  % (docs[a]["lang"], docs[a]["id"], docs[b]["id"], len(pairs), len(lines[a]), len(lines[b]),
                     dis, group))
    print("group                      lang  pairs  lines  agree  main-share  F1(one vs other)")
    for group in sorted(tab):
        tot = [0] * 6
        for lang in sorted(tab[group]):
            t = tab[group][lang]
            tot = [x + y for x, y in zip(tot, t)]
            _print(group, lang, t)
        if len(tab[group]) > 1:
            _print(group, "all", tot)


def _print(group, lang, t):
    pairs, n, mm, dd, md, dm = t
    f1 = 2 * mm / max(1, 2 * mm + md + dm)
    print("%-26s %-4s %6d %6d  %.3f  %.3f       %.3f" % (group, lang, pairs, n, (mm + dd) / max(1, n),
                                                         (2 * mm + md + dm) / max(1, 2 * n), f1))


if __name__ == "__main__":
    main()
