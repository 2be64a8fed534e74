#!/usr/bin/python3
"""Builds the line tables the line classifier is trained and evaluated on.

Reads ../shared (never copies it into the repo) and writes, into OUT_DIR:
  turku_train.tsv, turku_dev.tsv        OSCAR documents with human line labels
  extract_train.tsv, extract_test.tsv   HTML pages of ../shared/data/extraction
                                        turned into full-page text (every
                                        visible line), each line labelled by
                                        whether it belongs to the gold text
  extract_gold.tsv                      doc_id <TAB> gold text (newlines -> spaces)
Line table format: doc_id<TAB>lang<TAB>label<TAB>text, one row per line
(label 1 main, 0 boilerplate, -1 unknown); "#url<TAB>doc_id<TAB>url" rows give
a page's URL (or the canonical URL found in its HTML) for per-host grouping.
Deterministic: pages go to train/test by a hash of their id.

Usage: /usr/bin/python3 scripts/text/make_line_data.py [--shared ../shared] OUT_DIR
"""
import argparse
import ast
import gzip
import hashlib
import html.parser
import json
import os
import re
import sys

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul", "caption", "legend", "menu",
    "title", "body",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "select", "textarea",
             "math", "iframe", "object"}
WS = re.compile(r"\s+")
TOKEN = re.compile(r"\w+")


class FullText(html.parser.HTMLParser):
    """Every visible text of a page, one line per block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.cur = []
        self.skip = 0
        self.canonical = None

    def flush(self):
        line = WS.sub(" ", "".join(self.cur)).strip()
        if line:
            self.lines.append(line)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "meta") and self.canonical is None:
            a = dict(attrs)
            if (a.get("rel") or "").lower() == "canonical" and a.get("href"):
                self.canonical = a["href"]
            elif (a.get("property") or "").lower() == "og:url" and a.get("content"):
                self.canonical = a["content"]
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def page_lines(html_text):
    p = FullText()
    try:
        p.feed(html_text)
        p.close()
    except Exception:  # html.parser can choke on hostile markup; keep what we have
        pass
    p.flush()
    return p.lines, p.canonical


def clean(s):
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def label_against_gold(lines, gold):
    gold_lines = {WS.sub(" ", g).strip().lower() for g in gold.split("\n")}
    gtok = [t.lower() for t in TOKEN.findall(gold)]
    tri = {tuple(gtok[i:i + 3]) for i in range(len(gtok) - 2)}
    labels = []
    for line in lines:
        toks = [t.lower() for t in TOKEN.findall(line)]
        if len(toks) >= 4:
            grams = [tuple(toks[i:i + 3]) for i in range(len(toks) - 2)]
            share = sum(g in tri for g in grams) / len(grams)
            labels.append(1 if share >= 0.5 else 0)
        else:
            labels.append(1 if WS.sub(" ", line).strip().lower() in gold_lines else 0)
    return labels


def label_segments(lines, with_segs, without_segs):
    """trafilatura set: a line holding a `with` segment is main text, one holding a
    `without` segment is boilerplate, others unknown (-1)."""
    norm = [WS.sub(" ", l) for l in lines]
    labels = [-1] * len(lines)
    for segs, lab in ((without_segs, 0), (with_segs, 1)):
        for s in segs:
            s = WS.sub(" ", s).strip()
            if len(s) < 4:
                continue
            for i, l in enumerate(norm):
                if s in l:
                    labels[i] = lab
    return labels


def is_test(doc_id):
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 5 == 0


def write_doc(f, doc_id, lang, lines, labels, url=None):
    doc_id = clean(doc_id)
    if url:
        f.write("#url\t%s\t%s\n" % (doc_id, clean(url)))
    for line, lab in zip(lines, labels):
        f.write("%s\t%s\t%d\t%s\n" % (doc_id, lang or "", lab, clean(line)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    ap.add_argument("out")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    data = os.path.join(args.shared, "data")

    outs = {s: open(os.path.join(args.out, "turku_%s.tsv" % s), "w", encoding="utf-8")
            for s in ("train", "dev")}
    with gzip.open(os.path.join(data, "plaintext", "turku_line_quality.jsonl.gz"), "rt", encoding="utf-8") as f:
        for row in f:
            d = json.loads(row)
            write_doc(outs[d["split"]], "turku:" + d["id"], d["lang"], d["lines"], d["labels"])
    for o in outs.values():
        o.close()

    train = open(os.path.join(args.out, "extract_train.tsv"), "w", encoding="utf-8")
    test = open(os.path.join(args.out, "extract_test.tsv"), "w", encoding="utf-8")
    gold_out = open(os.path.join(args.out, "extract_gold.tsv"), "w", encoding="utf-8")
    counts = {}
    for name in ("cleaneval", "dragnet", "scrapinghub", "readability", "trafilatura"):
        with gzip.open(os.path.join(data, "extraction", name + ".jsonl.gz"), "rt", encoding="utf-8") as f:
            for row in f:
                d = json.loads(row)
                if d.get("synthetic"):
                    continue
                doc_id = "%s:%s" % (name, d["id"])
                lines, canonical = page_lines(d.get("html") or "")
                if not lines:
                    continue
                url = d.get("url") or canonical
                if url and url.startswith("x"):  # "xhttps://" in the trafilatura set
                    url = url[1:]
                if name == "trafilatura":
                    try:
                        w, wo = (v if isinstance(v, list) else ast.literal_eval(v or "[]")
                                 for v in (d.get("with"), d.get("without")))
                    except (ValueError, SyntaxError):
                        continue
                    labels = label_segments(lines, w, wo)
                    if all(l < 0 for l in labels):
                        continue
                    train_side = True  # no full gold: training only
                else:
                    gold = d.get("text") or ""
                    if not gold.strip():
                        continue
                    labels = label_against_gold(lines, gold)
                    train_side = not is_test(doc_id)
                    if not train_side:
                        gold_out.write("%s\t%s\n" % (clean(doc_id), clean(gold)))
                write_doc(train if train_side else test, doc_id, d.get("lang") or "", lines, labels, url)
                c = counts.setdefault(name, [0, 0, 0])
                c[0 if train_side else 1] += 1
                c[2] += len(lines)
    for f in (train, test, gold_out):
        f.close()
    for name, c in counts.items():
        print("%-12s train pages %4d  test pages %4d  lines %d" % (name, c[0], c[1], c[2]), file=sys.stderr)


if __name__ == "__main__":
    main()
