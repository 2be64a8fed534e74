#!/usr/bin/python3
"""A deterministic corpus with planted near duplicates, its truth, and a scorer.

For the dedup scale run (issue 12): N short documents (40-160 words, ~0.7 KB
of text, so that 10 million stay a few GB) in SHARDS zstd JSONL shards,
written as a stream (one document in memory at a time per process).

    gen_near_dups.py gen N SHARDS OUT [--jobs J] [--seed S] [--no-truth]
        OUT/in/part-NNNNN.jsonl.zst, OUT/truth.tsv (every pair of documents
        of a planted family with its word 5-gram Jaccard), OUT/families.json
    gen_near_dups.py score N OUT REJECTED_FILES... [--seed S]
        recall and the share of removals with a real near copy, against the
        truth (--shards K/S: the run read only the first K of S shards;
        --sample F: from F random families and F random removals, computing
        their Jaccard here instead of reading truth.tsv); a removed document whose keeper is outside its family is
        regenerated and measured too.

Documents are a function of their logical number L only (its own random
generator), so the scorer can regenerate any of them. Positions in the corpus
are a pseudo-random permutation of L (a Feistel network with cycle walking),
so the copies of a family are spread over all shards. Words are made-up
syllable strings drawn from a Zipf distribution (20,000 words, s = 1), put
into sentences (capitalised, full stops) and paragraphs; copies are rendered
with their own sentence breaks, so their punctuation and case differ while
their words (what the MinHash shingles see) follow the edit.

Planted families (shares of the documents):
  exact     3%  2-5 copies, same text up to case and whitespace
  edit      8%  a base and 1-5 copies, each with its own rate of word
                substitutions, insertions and deletions (0-5% of words)
  wrap      3%  the same body under 2-5 sites' headers and footers (2-12
                words each)
  trunc     2%  a base and copies cut to 70-98% or extended by 2-30%
  chain     2%  5-10 documents, each 2% of words edited from the previous
  template  3%  3-8 documents sharing a template (50-75% of their words)
                with their own fill-ins: Jaccard mostly 0.2-0.7, traps
                for a dedup that removes without checking
The rest (79%) are unrelated documents. Truth: the Jaccard of the sets of
word 5-grams (lowercase words, punctuation dropped) of every pair within a
family. Pairs across families are assumed below 0.5 (random Zipf texts share
a few common 5-grams at most); the scorer measures any removal that crosses
families instead of assuming.
"""

import argparse
import bisect
import itertools
import json
import os
import random
import subprocess
import sys

SEED = 1
VOCAB_SIZE = 20000
N_GRAM = 5
TYPES = [  # (name, share of documents, min size, max size)
    ("exact", 0.03, 2, 5),
    ("edit", 0.08, 2, 6),
    ("wrap", 0.03, 2, 5),
    ("trunc", 0.02, 2, 4),
    ("chain", 0.02, 5, 10),
    ("template", 0.03, 3, 8),
]


class Words:
    """The vocabulary and a Zipf sampling table (65,536 quantiles)."""

    def __init__(self, seed):
        r = random.Random(seed * 7 + 1)
        syll = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["th", "sh", "ch", "qu"]
        seen, vocab = set(), []
        while len(vocab) < VOCAB_SIZE:
            w = "".join(r.choice(syll) for _ in range(r.choice((1, 2, 2, 3, 3, 4))))
            if w not in seen:
                seen.add(w)
                vocab.append(w)
        cw = list(itertools.accumulate(1.0 / (k + 2.7) for k in range(VOCAB_SIZE)))
        tot = cw[-1]
        self.table = [vocab[min(VOCAB_SIZE - 1, bisect.bisect(cw, (j + 0.5) / 65536 * tot))]
                      for j in range(65536)]

    def draw(self, rng, n):
        if n <= 0:
            return []
        b = rng.getrandbits(16 * n).to_bytes(2 * n, "little")
        return list(map(self.table.__getitem__, memoryview(b).cast("H")))  # x86: little-endian


def render(ws, rng):
    """Sentences of 6-18 words, paragraphs of 2-5 sentences (one draw of
    random bytes decides the breaks)."""
    n = len(ws)
    nb = n // 3 + 4  # >= two bytes per sentence of >= 6 words, + 2
    b = rng.getrandbits(8 * nb).to_bytes(nb, "little")
    out, para, i, j = [], [], 0, 1
    para_len = 2 + b[0] % 4
    while i < n:
        k = 6 + b[j] % 13
        j += 1
        s = ws[i:i + k]
        i += k
        para.append(s[0].capitalize() + (" " if len(s) > 1 else "") + " ".join(s[1:]) + ".")
        if len(para) >= para_len:
            out.append(" ".join(para))
            para = []
            para_len = 2 + b[j] % 4
            j += 1
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


def edit(ws, rate, rng, words):
    """About rate * len(ws) substitutions, insertions and deletions."""
    ws = list(ws)
    k = max(0, int(round(rate * len(ws) + rng.uniform(-0.5, 0.5))))
    for _ in range(k):
        op = rng.random()
        pos = rng.randrange(len(ws) + 1) if ws else 0
        if op < 0.5 and pos < len(ws):
            ws[pos] = words.draw(rng, 1)[0]
        elif op < 0.75 or len(ws) < 10:
            ws.insert(pos, words.draw(rng, 1)[0])
        else:
            del ws[min(pos, len(ws) - 1)]
    return ws


class Corpus:
    def __init__(self, n, seed):
        self.n, self.seed = n, seed
        self.words = Words(seed)
        # Family layout: logical numbers [0, F) are family members, family k
        # holding [start[k], start[k] + size[k]); the rest are unrelated.
        r = random.Random(seed * 11 + 5)
        self.start, self.size, self.type = [], [], []
        quota = [int(share * n) for _, share, _, _ in TYPES]
        left = list(quota)
        pos = 0
        while any(q > 1 for q in left):
            t = r.choices(range(len(TYPES)), weights=[max(q, 0) for q in left])[0]
            lo, hi = TYPES[t][2], TYPES[t][3]
            size = max(lo, min(hi, r.randint(lo, hi), left[t]))
            self.start.append(pos)
            self.size.append(size)
            self.type.append(t)
            pos += size
            left[t] -= size
        self.family_docs = pos
        # Feistel permutation position -> L over 2^bits >= n.
        bits = max(2, (n - 1).bit_length())
        bits += bits & 1
        self.half = bits // 2
        self.mask = (1 << self.half) - 1
        self.keys = [random.Random(seed * 13 + i).getrandbits(32) for i in range(4)]

    def logical(self, i):
        x = i
        while True:
            left, right = x >> self.half, x & self.mask
            for k in self.keys:
                f = ((right * 0x9E3779B1 + k) ^ (right >> 3)) * 0x85EBCA6B
                left, right = right, left ^ ((f >> 13) & self.mask)
            x = (left << self.half) | right
            if x < self.n:
                return x

    def position(self, L):
        """The inverse of logical(): where document L is in the corpus."""
        x = L
        while True:
            left, right = x >> self.half, x & self.mask
            for k in reversed(self.keys):
                f = ((left * 0x9E3779B1 + k) ^ (left >> 3)) * 0x85EBCA6B
                left, right = right ^ ((f >> 13) & self.mask), left
            x = (left << self.half) | right
            if x < self.n:
                return x

    def family_of(self, L):
        """(family, member) of a logical number, or None."""
        if L >= self.family_docs:
            return None
        k = bisect.bisect_right(self.start, L) - 1
        return k, L - self.start[k]

    def family_member(self, k, m):
        """(words, text) of member m of family k: from the family's base
        (its own generator) and the member's own generator, so one member
        is made without the others (a chain walks from its first member)."""
        w = self.words
        rf = random.Random((self.seed << 40) ^ (k * 2654435761) ^ 0xFA)
        rm = random.Random((self.seed << 40) ^ (k * 2654435761) ^ ((m + 1) << 33) ^ 0xFB)
        t = TYPES[self.type[k]][0]
        base = w.draw(rf, rf.randint(40, 160))
        if t == "exact":
            v = render(base, rf)
            if m > 0:
                v = v.replace(". ", ".  ") if m % 2 else v.replace("\n\n", "\n")
                if m % 3 == 2:
                    v = v.upper()
            return base, v
        if t == "edit":
            ws = base if m == 0 else edit(base, rm.uniform(0.0, 0.05), rm, w)
        elif t == "wrap":
            ws = w.draw(rm, rm.randint(2, 12)) + base + w.draw(rm, rm.randint(2, 12))
        elif t == "trunc":
            if m == 0:
                ws = base
            elif rm.random() < 0.5:
                ws = base[:max(10, int(len(base) * rm.uniform(0.7, 0.98)))]
            else:
                ws = base + w.draw(rm, int(len(base) * rm.uniform(0.02, 0.3)))
        elif t == "chain":
            ws = base
            for i in range(1, m + 1):
                ri = random.Random((self.seed << 40) ^ (k * 2654435761) ^ ((i + 1) << 33) ^ 0xFB)
                ws = edit(ws, 0.02, ri, w)
        else:  # template: fixed segments of the base, each followed by fill-ins
            fill = rf.uniform(0.33, 1.0)  # fill words per template word: 25-50%
            ws, at = [], 0
            while at < len(base):
                seg = base[at:at + rf.randint(6, 20)]
                at += len(seg)
                ws += seg + w.draw(rm, max(1, int(len(seg) * fill * rm.uniform(0.5, 1.5))))
        return ws, render(ws, rm)

    def family_texts(self, k):
        return [self.family_member(k, m) for m in range(self.size[k])]

    def text(self, L):
        fm = self.family_of(L)
        if fm is not None:
            return self.family_member(fm[0], fm[1])
        r = random.Random((self.seed << 40) ^ (L * 0x9E3779B97F4A7C15 % (1 << 62)) ^ 0xB6)
        ws = self.words.draw(r, r.randint(40, 160))
        return ws, render(ws, r)


def shingles(ws):
    if len(ws) < N_GRAM:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i:i + N_GRAM]) for i in range(len(ws) - N_GRAM + 1)}


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def json_text(s):
    return json.dumps(s, ensure_ascii=False)


def write_shards(corpus, shards, out, job, jobs):
    os.makedirs(out + "/in", exist_ok=True)
    n = corpus.n
    for s in range(job, shards, jobs):
        path = "%s/in/part-%05d.jsonl.zst" % (out, s)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            z = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE, stdout=f)
            buf = []
            for i in range(s * n // shards, (s + 1) * n // shards):
                L = corpus.logical(i)
                _, text = corpus.text(L)
                buf.append('{"id":"d%d","text":%s}\n' % (L, json_text(text)))
                if len(buf) >= 2000:
                    z.stdin.write("".join(buf).encode())
                    buf = []
            z.stdin.write("".join(buf).encode())
            z.stdin.close()
            if z.wait() != 0:
                sys.exit("zstd failed on " + path)
        os.rename(tmp, path)
        print("wrote", path, file=sys.stderr, flush=True)


def write_truth(corpus, out):
    counts = {t[0]: [0, 0] for t in TYPES}
    with open(out + "/truth.tsv.tmp", "w") as f:
        for k in range(len(corpus.start)):
            mem = corpus.family_texts(k)
            sh = [shingles([x.lower() for x in ws]) for ws, _ in mem]
            t = TYPES[corpus.type[k]][0]
            counts[t][0] += 1
            counts[t][1] += len(mem)
            for a in range(len(mem)):
                for b in range(a + 1, len(mem)):
                    f.write("d%d\td%d\t%.4f\t%s\n" % (corpus.start[k] + a, corpus.start[k] + b,
                                                       jaccard(sh[a], sh[b]), t))
    os.rename(out + "/truth.tsv.tmp", out + "/truth.tsv")
    with open(out + "/families.json", "w") as f:
        json.dump({"documents": corpus.n, "seed": corpus.seed, "family_documents": corpus.family_docs,
                   "families": {t: {"families": c[0], "documents": c[1]} for t, c in counts.items()}},
                  f, indent=1)


def gen(args):
    corpus = Corpus(args.n, args.seed)
    pids = []
    for job in range(args.jobs):
        pid = os.fork()
        if pid == 0:
            write_shards(corpus, args.shards, args.out, job, args.jobs)
            os._exit(0)
        pids.append(pid)
    if not args.no_truth:
        write_truth(corpus, args.out)
    bad = 0
    for pid in pids:
        _, st = os.waitpid(pid, 0)
        bad += st != 0
    if bad:
        sys.exit("a generator process failed")


def read_rejected(paths):
    """id -> (reason, keeper id) of every removed document."""
    removed = {}
    for p in paths:
        cmd = ["zstd", "-dc", p] if p.endswith(".zst") else ["cat", p]
        with subprocess.Popen(cmd, stdout=subprocess.PIPE) as z:
            for line in z.stdout:
                d = json.loads(line)
                dec = d.get("decision") or {}
                detail, reason = dec.get("detail", ""), dec.get("reason", "")
                keeper = ""
                for lead in ("near duplicate of ", "same text as "):
                    if detail.startswith(lead):
                        keeper = detail[len(lead):].split(" ")[0].split(";")[0]
                removed[d["id"]] = (reason, keeper)
    return removed


def score(args):
    corpus = Corpus(args.n, args.seed)
    n = args.n
    removed = {}  # logical number -> (reason, keeper logical number or -1)
    for d, (reason, k) in read_rejected(args.rejected).items():
        removed[int(d[1:])] = (reason, int(k[1:]) if k.startswith("d") else -1)
    present = None
    if args.shards:  # a run on the first K of S shards: the pairs they hold
        k, total = (int(x) for x in args.shards.split("/"))
        present = set(corpus.logical(i) for i in range(k * n // total))
        print("documents present", len(present))
    truth = {}  # min * n + max -> Jaccard, every pair within a family
    for line in open(args.out + "/truth.tsv"):
        a, b, j, _ = line.split("\t")
        a, b = int(a[1:]), int(b[1:])
        if present is None or (a in present and b in present):
            truth[min(a, b) * n + max(a, b)] = float(j)

    def split(key):
        return key // n, key % n

    res = {}
    for lo, name in ((0.8, "recall_j>=0.8"), (0.9, "recall_j>=0.9")):
        sel = [split(key) for key, j in truth.items() if j >= lo]
        res[name] = (sum(a in removed or b in removed for a, b in sel), len(sel))
    mid = [split(key) for key, j in truth.items() if 0.5 < j < 0.7]
    res["pairs_(0.5,0.7)_removed_for_each_other"] = (
        sum(removed.get(a, ("", -1))[1] == b or removed.get(b, ("", -1))[1] == a for a, b in mid),
        len(mid))
    ok = ok07 = outside = kept_keeper = 0
    by_reason, worst = {}, []
    for d, (reason, k) in removed.items():
        by_reason[reason] = by_reason.get(reason, 0) + 1
        j = truth.get(min(d, k) * n + max(d, k)) if k >= 0 else 0.0
        if j is None:  # keeper outside the planted family: measure it
            outside += 1
            wa, _ = corpus.text(d)
            wb, _ = corpus.text(k)
            j = jaccard(shingles([x.lower() for x in wa]), shingles([x.lower() for x in wb]))
        ok += j >= 0.8 - 1e-9
        ok07 += j >= 0.7
        kept_keeper += k not in removed
        if j < 0.8:
            worst.append((round(j, 4), "d%d" % d, "d%d" % k))
    res["removed"] = len(removed)
    res["removed_by_reason"] = by_reason
    res["removed_with_keeper_j>=0.8"] = (ok, len(removed))
    res["removed_with_keeper_j>=0.7"] = (ok07, len(removed))
    res["removed_keeper_outside_family"] = outside
    res["removed_keeper_is_kept"] = (kept_keeper, len(removed))
    fam_removed = {}
    for d in removed:
        fm = corpus.family_of(d)
        t = TYPES[corpus.type[fm[0]]][0] if fm else "unrelated"
        fam_removed[t] = fam_removed.get(t, 0) + 1
    res["removed_by_family_type"] = fam_removed
    res["worst_removals"] = sorted(worst)[:10]
    for k, v in res.items():
        if isinstance(v, tuple):
            print("%-42s %d / %d = %.4f" % (k, v[0], v[1], v[0] / max(1, v[1])))
        else:
            print("%-42s %s" % (k, v))


def score_sampled(args):
    """Like score, from samples, without truth.tsv: F random families
    (their members' Jaccard computed here) for recall, and R random removed
    documents (regenerated with their keeper) for the guarantee."""
    corpus = Corpus(args.n, args.seed)
    n = args.n
    k_sh, total = (int(x) for x in (args.shards or "1/1").split("/"))
    limit = k_sh * n // total  # documents at positions < limit were in the run
    removed = {}
    for d, (reason, k) in read_rejected(args.rejected).items():
        removed[int(d[1:])] = (reason, int(k[1:]) if k.startswith("d") else -1)
    r = random.Random(99)
    fams = r.sample(range(len(corpus.start)), min(args.sample, len(corpus.start)))
    hi = [0, 0, 0, 0]  # resolved / pairs at J >= 0.8, at J >= 0.9
    mid = [0, 0]
    for k in fams:
        mem = corpus.family_texts(k)
        ids = [corpus.start[k] + m for m in range(len(mem))]
        here = [i for i in range(len(mem)) if corpus.position(ids[i]) < limit]
        sh = {i: shingles([x.lower() for x in mem[i][0]]) for i in here}
        for x in range(len(here)):
            for y in range(x + 1, len(here)):
                a, b = ids[here[x]], ids[here[y]]
                j = jaccard(sh[here[x]], sh[here[y]])
                res = a in removed or b in removed
                if j >= 0.8:
                    hi[0] += res
                    hi[1] += 1
                if j >= 0.9:
                    hi[2] += res
                    hi[3] += 1
                if 0.5 < j < 0.7:
                    mid[0] += removed.get(a, ("", -1))[1] == b or removed.get(b, ("", -1))[1] == a
                    mid[1] += 1
    out = {}
    out["documents_in_run"] = limit
    out["families_sampled"] = len(fams)
    out["recall_j>=0.8"] = (hi[0], hi[1])
    out["recall_j>=0.9"] = (hi[2], hi[3])
    out["pairs_(0.5,0.7)_removed_for_each_other"] = (mid[0], mid[1])
    out["removed"] = len(removed)
    by_reason, fam_removed = {}, {}
    for d, (reason, _) in removed.items():
        by_reason[reason] = by_reason.get(reason, 0) + 1
        fm = corpus.family_of(d)
        t = TYPES[corpus.type[fm[0]]][0] if fm else "unrelated"
        fam_removed[t] = fam_removed.get(t, 0) + 1
    out["removed_by_reason"] = by_reason
    out["removed_by_family_type"] = fam_removed
    sample = r.sample(sorted(removed), min(args.sample, len(removed)))
    ok = ok07 = kept = 0
    worst = []
    for d in sample:
        k = removed[d][1]
        j = 0.0
        if k >= 0:
            j = jaccard(shingles([x.lower() for x in corpus.text(d)[0]]),
                        shingles([x.lower() for x in corpus.text(k)[0]]))
        ok += j >= 0.8 - 1e-9
        ok07 += j >= 0.7
        kept += k not in removed
        if j < 0.8:
            worst.append((round(j, 4), "d%d" % d, "d%d" % k))
    out["sampled_removed_with_keeper_j>=0.8"] = (ok, len(sample))
    out["sampled_removed_with_keeper_j>=0.7"] = (ok07, len(sample))
    out["removed_keeper_is_kept"] = (sum(k not in removed for _, k in removed.values()), len(removed))
    out["worst_sampled_removals"] = sorted(worst)[:10]
    for k, v in out.items():
        if isinstance(v, tuple):
            print("%-42s %d / %d = %.4f" % (k, v[0], v[1], v[0] / max(1, v[1])))
        else:
            print("%-42s %s" % (k, v))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("n", type=int)
    g.add_argument("shards", type=int)
    g.add_argument("out")
    g.add_argument("--jobs", type=int, default=2)
    g.add_argument("--seed", type=int, default=SEED)
    g.add_argument("--no-truth", action="store_true",
                   help="skip truth.tsv (score with --sample instead): the generator's CPU is all shards")
    s = sub.add_parser("score")
    s.add_argument("n", type=int)
    s.add_argument("out")
    s.add_argument("rejected", nargs="+")
    s.add_argument("--shards", help="K/S: the run read only the first K of the S shards")
    s.add_argument("--sample", type=int, default=0,
                   help="F: score F random families and F random removals, without truth.tsv")
    s.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    if args.cmd == "gen":
        gen(args)
    elif args.sample:
        score_sampled(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
