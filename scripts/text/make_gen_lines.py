#!/usr/bin/python3
"""Makes more labelled plain text for the line classifier, in many languages,
with no new human labels. Writes two line tables (same format as
make_line_data.py) into OUT_DIR:

  gen_debian.tsv  distillation from winnow's HTML extractor: pages of the
                  multilingual documentation that Debian packages install,
                  rendered as full visible text one block per line (what a
                  WET record of the page looks like); a line is main text when
                  `winnow extract` keeps it (half of its token trigrams are in
                  the extraction; short lines: equal to an extracted line).
  gen_synth.tsv   synthetic WET pages: an article (a title and consecutive
                  paragraphs of one page) framed by chrome taken from other
                  pages: menus and footers (lines the extraction gold or the
                  extractor dropped), teasers of other articles in the same
                  language (a headline and a first sentence, sometimes cut
                  with "..."; good sentences, the seed page's hard case), and
                  promotion/cookie-like lines from pages in other languages.

The lang column is the page's language; synthetic pages list every language
their lines come from ("fr+de+en"), so a leave-one-language-out run can leave
out every document holding a line of the left-out language.

Sources: the extraction train pages of make_line_data.py (../shared, gold labels) and the HTML of
these Debian packages (install them first; packages absent are skipped):
  debian-reference debian-handbook installation-guide-amd64 harden-doc
  developers-reference(-de -fr -it -ru) maint-guide(-ca -de -es -fr -it -ru -vi)
  debian-history
Never postgresql-doc-*, apache2-doc or /usr/share/doc/*/copyright: they are
reserved for evaluation.

Deterministic: pages are chosen and pages are built by hashes and a seeded
random generator; the same inputs give the same tables.

Usage: /usr/bin/python3 scripts/text/make_gen_lines.py --winnow BUILD/winnow BUILD/linedata
(after make_line_data.py has written BUILD/linedata)
"""
import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_line_data as mld  # noqa: E402

DOC = "/usr/share/doc"
# (package folder, how to find the language: "dir" = first folder below root,
# "suffix" = name.<lang>.html, "html" = the <html lang> attribute)
DEBIAN_SOURCES = [
    ("debian-handbook/html", "dir"),
    ("harden-doc/html", "dir"),
    ("installation-guide-amd64", "dir"),
    ("debian-reference-common/docs", "suffix"),
    ("debian-history/docs", "suffix"),
    ("maint-guide/html", "suffix"),
    ("maint-guide-ca/html", "suffix"), ("maint-guide-de/html", "suffix"),
    ("maint-guide-es/html", "suffix"), ("maint-guide-fr/html", "suffix"),
    ("maint-guide-it/html", "suffix"), ("maint-guide-ru/html", "suffix"),
    ("maint-guide-vi/html", "suffix"),
    ("developers-reference/docs", "html"), ("developers-reference-de/docs", "html"),
    ("developers-reference-fr/docs", "html"), ("developers-reference-it/docs", "html"),
    ("developers-reference-ru/docs", "html"),
]
RESERVED = re.compile(r"(postgresql-doc|apache2-doc|/copyright$)")
HTML_LANG = re.compile(r"<html[^>]*\blang=\"([A-Za-z_-]+)\"", re.I)
PAGES_PER_SOURCE_LANG = 6
MAX_LINES_PER_PAGE = 300
WORDS = re.compile(r"\S+")


def end_marker_phrases():
    """The end-marker phrases of the line features ("read also", "lire aussi",
    ...), read from src/text/lexicon.cc so there is one list."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "text", "lexicon.cc")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"kEndMarkers\s*=\s*((?:\s*\"[^\"]*\")+)\s*;", src)
    return [p for p in "".join(re.findall(r"\"([^\"]*)\"", m.group(1))).split("|") if p] if m else []


def h(s):
    return int(hashlib.md5(s.encode()).hexdigest(), 16)


def norm_lang(lang):
    return (lang or "").lower().replace("_", "-").split("-")[0]


def debian_pages():
    """-> list of (id, lang, path), PAGES_PER_SOURCE_LANG per (source, language)."""
    picked = []
    for root, how in DEBIAN_SOURCES:
        base = os.path.join(DOC, root)
        if not os.path.isdir(base):
            continue
        by_lang = {}
        for dirpath, _, files in os.walk(base, followlinks=True):
            for fn in files:
                if not (fn.endswith(".html") or fn.endswith(".htm")):
                    continue
                path = os.path.join(dirpath, fn)
                # os.walk follows links: a linked folder may lead into a
                # reserved package, so the real path is checked too.
                if RESERVED.search(path) or RESERVED.search(os.path.realpath(path)):
                    continue
                rel = os.path.relpath(path, base)
                if how == "dir":
                    lang = rel.split(os.sep)[0] if os.sep in rel else ""
                elif how == "suffix":
                    parts = fn.split(".")
                    lang = parts[-2] if len(parts) >= 3 else ""
                else:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        m = HTML_LANG.search(f.read(4096))
                    lang = m.group(1) if m else ""
                lang = norm_lang(lang)
                if lang:
                    by_lang.setdefault(lang, []).append(rel)
        for lang, rels in sorted(by_lang.items()):
            rels.sort(key=lambda r: h(root + "/" + r))
            for rel in rels[:PAGES_PER_SOURCE_LANG]:
                picked.append(("debian:%s/%s" % (root, rel), lang, os.path.join(base, rel)))
    return picked


def winnow_extract(winnow, htmls):
    """Runs `winnow extract --format json` on pages; -> list of extracted texts
    (one per page, in order), or None when the output does not line up."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, html in enumerate(htmls):
            f.write(json.dumps({"id": str(i), "html": html}) + "\n")
        tmp = f.name
    try:
        out = subprocess.run([winnow, "extract", "--format", "json", "--input-format", "jsonl", tmp],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
    finally:
        os.unlink(tmp)
    texts = []
    for line in out.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            texts.append(json.loads(line).get("text") or "")
        except ValueError:
            return None
    return texts if len(texts) == len(htmls) else None


def write_doc(f, doc_id, lang, lines, labels):
    for line, lab in zip(lines, labels):
        f.write("%s\t%s\t%d\t%s\n" % (mld.clean(doc_id), lang, lab, mld.clean(line)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", required=True, help="the winnow binary (BUILD/tools/winnow)")
    ap.add_argument("--synthetic", type=int, default=3000, help="synthetic pages to make")
    ap.add_argument("--chrome-max", type=int, default=8,
                    help="longest run of chrome before and after the article (the first tables "
                         "used 25 and 20: 80%% of their lines were chrome, and a model trained on "
                         "them dropped English prose; with 8 about half the lines are article)")
    ap.add_argument("--teasers-max", type=int, default=5, help="most teasers after the article")
    ap.add_argument("out")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    # 1. Debian documentation, labelled by winnow's extractor.
    pages = debian_pages()
    htmls = []
    for _, _, path in pages:
        with open(path, encoding="utf-8", errors="replace") as f:
            htmls.append(f.read())
    texts = []
    for i in range(0, len(htmls), 200):  # in batches: one bad page cannot shift the rest far
        batch = winnow_extract(args.winnow, htmls[i:i + 200])
        if batch is None:
            batch = [winnow_extract(args.winnow, [x]) for x in htmls[i:i + 200]]
            batch = [b[0] if b else None for b in batch]
        texts.extend(batch)
    # Per language: (page id, lines, labels) of every labelled page, for the synthetic pages.
    pool = {}
    n_lines = 0
    langs = set()
    with open(os.path.join(args.out, "gen_debian.tsv"), "w", encoding="utf-8") as f:
        for (doc_id, lang, _), html, text in zip(pages, htmls, texts):
            if not text or not text.strip():
                continue
            lines, _ = mld.page_lines(html)
            lines = lines[:MAX_LINES_PER_PAGE]
            labels = mld.label_against_gold(lines, text)
            if not any(labels) or all(labels):
                continue
            write_doc(f, doc_id, lang, lines, labels)
            pool.setdefault(lang, []).append((doc_id, lines, labels))
            n_lines += len(lines)
            langs.add(lang)
    print("gen_debian: %d pages, %d lines, %d languages (%s)"
          % (sum(len(v) for v in pool.values()), n_lines, len(langs), " ".join(sorted(langs))),
          file=sys.stderr)

    # 2. The extraction train pages as full text with gold labels, for their
    # chrome and articles (make_line_data.py's extract_train.tsv: the test
    # fifth stays out). One page in three is plenty.
    table = os.path.join(args.out, "extract_train.tsv")
    if not os.path.exists(table):
        sys.exit("make_gen_lines: %s missing; run scripts/text/make_line_data.py first" % table)
    cur = None
    with open(table, encoding="utf-8") as src:
        for row in src:
            if row.startswith("#url\t"):
                continue
            parts = row.rstrip("\n").split("\t", 3)
            if len(parts) < 4:
                continue
            doc_id, lang, label, text = parts
            if cur is None or cur[0] != doc_id:
                if cur is not None and h(cur[0]) % 3 == 0:
                    pool.setdefault(cur[1], []).append((cur[0], cur[2], cur[3]))
                cur = (doc_id, norm_lang(lang) or "en", [], [])
            cur[2].append(text)
            cur[3].append(int(label))
        if cur is not None and h(cur[0]) % 3 == 0:
            pool.setdefault(cur[1], []).append((cur[0], cur[2], cur[3]))

    # 3. Synthetic WET pages.
    rng = random.Random(1234)
    markers = end_marker_phrases()
    articles = {}   # lang -> list of (title, [paragraphs])
    chrome = {}     # lang -> list of chrome lines
    for lang in sorted(pool):
        for doc_id, lines, labels in pool[lang]:
            paras = [l for l, lab in zip(lines, labels) if lab == 1 and len(WORDS.findall(l)) >= 8]
            heads = [l for l, lab in zip(lines, labels) if lab == 1 and 2 <= len(WORDS.findall(l)) <= 12
                     and not l.rstrip().endswith(".")]
            if len(paras) >= 3:
                start = rng.randrange(0, max(1, len(paras) - 3))
                title = heads[0] if heads else paras[0].split(". ")[0]
                articles.setdefault(lang, []).append((title, paras[start:start + rng.randint(3, 12)]))
            chrome.setdefault(lang, []).extend(
                l for l, lab in zip(lines, labels) if lab == 0 and len(l) <= 200)
    langs_a = sorted(l for l in articles if len(articles[l]) >= 4)
    all_chrome_langs = sorted(l for l in chrome if len(chrome[l]) >= 20)
    n_lines = n_main = 0
    with open(os.path.join(args.out, "gen_synth.tsv"), "w", encoding="utf-8") as f:
        for k in range(args.synthetic):
            lang = langs_a[k % len(langs_a)]
            arts = articles[lang]
            title, paras = arts[rng.randrange(len(arts))]
            used = {lang}
            lines, labels = [], []

            def add_chrome(n, clang):
                pool_c = chrome.get(clang) or chrome[all_chrome_langs[0]]
                start = rng.randrange(len(pool_c))
                run = pool_c[start:start + n]
                lines.extend(run)
                labels.extend([0] * len(run))
                used.add(clang if chrome.get(clang) else all_chrome_langs[0])

            def chrome_lang():
                # Mostly the page's own language; sometimes another (promotions,
                # cookie notices and widgets of another language).
                if chrome.get(lang) and rng.random() < 0.7:
                    return lang
                return all_chrome_langs[rng.randrange(len(all_chrome_langs))]

            if rng.random() < 0.85:
                add_chrome(rng.randint(1, args.chrome_max), chrome_lang())
            lines.append(title)
            labels.append(1)
            for p in paras:
                lines.append(p)
                labels.append(1)
            # Teasers of other articles of the same language: headline + first sentence,
            # half of the time after an end marker ("LIRE AUSSI", "Related stories").
            if rng.random() < 0.6:
                if rng.random() < 0.3:
                    add_chrome(rng.randint(1, 3), chrome_lang())
                if markers and rng.random() < 0.5:
                    m = rng.choice(markers)
                    lines.append(rng.choice([m.upper(), m[:1].upper() + m[1:], m[:1].upper() + m[1:] + ":"]))
                    labels.append(0)
                for _ in range(rng.randint(1, args.teasers_max)):
                    t_title, t_paras = arts[rng.randrange(len(arts))]
                    lines.append(t_title)
                    labels.append(0)
                    if rng.random() < 0.8:
                        s = t_paras[0]
                        if rng.random() < 0.4:
                            s = s[: rng.randint(60, 160)].rsplit(" ", 1)[0] + rng.choice(["...", " ...", "\u2026"])
                        lines.append(s)
                        labels.append(0)
                    if rng.random() < 0.3:
                        lines.append(rng.choice(["-", "|", "\u2022", "\u00bb"]))
                        labels.append(0)
            if rng.random() < 0.3:
                add_chrome(rng.randint(1, 4), all_chrome_langs[rng.randrange(len(all_chrome_langs))])
            if rng.random() < 0.85:
                add_chrome(rng.randint(1, args.chrome_max), chrome_lang())
            write_doc(f, "synth:%d" % k, "+".join([lang] + sorted(used - {lang})), lines, labels)
            n_lines += len(lines)
            n_main += sum(labels)
    print("gen_synth: %d pages, %d lines (%d article), %d article languages (%s)"
          % (args.synthetic, n_lines, n_main, len(langs_a), " ".join(langs_a)), file=sys.stderr)


if __name__ == "__main__":
    main()
