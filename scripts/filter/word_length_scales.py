#!/usr/bin/python3
"""Mean word length of the same book in several languages, as a ratio to English.

Gopher's mean-word-length bounds (3..10 characters) were set on English. A
language that glues words together (Finnish, Turkish, German compounds) has
longer words in ordinary prose, and its documents fail the upper bound. This
script measures, on translations of the same text (so that register and
subject are held fixed), each language's mean word length over English's: the
factor by which filter.gopher_quality scales its bounds for documents of that
language (word_length_by_language, doc/filter.md).

Sources: Debian packages' translated manuals (never used for training or
tuning; not the reserved evaluation packages): debian-handbook (28
languages) and aptitude-doc-* (en, fi, ...: the only Finnish one). Each page
goes through `winnow extract` (main text); words are winnow's: white-space
pieces with leading/trailing punctuation and symbols cut off, all-punctuation
pieces dropped, lengths in code points (filter.h, "Words"). Scripts written
without spaces (zh, ja, ko is spaced) are skipped: the rule does not apply to them.

Usage: /usr/bin/python3 scripts/filter/word_length_scales.py --winnow build/winnow
"""
import argparse
import json
import os
import subprocess
import sys
import unicodedata

BOOKS = [
    ("debian-handbook", "/usr/share/doc/debian-handbook/html", lambda d: d.split("-")[0].lower()),
    ("aptitude-doc", "/usr/share/doc/aptitude/html", lambda d: d.split("-")[0].lower()),
]
UNSPACED = {"zh", "ja", "th", "lo", "km", "my"}


def is_punct(ch):
    return unicodedata.category(ch)[0] in "PS"


def words(text):
    for piece in text.split():
        a, b = 0, len(piece)
        while a < b and is_punct(piece[a]):
            a += 1
        while b > a and is_punct(piece[b - 1]):
            b -= 1
        if a < b:
            yield piece[a:b]


def mean_word_length(winnow, folder):
    out = subprocess.run([winnow, "extract", "--format", "json", folder], capture_output=True,
                         text=True, check=True).stdout
    n = chars = 0
    for line in out.splitlines():
        try:
            page = json.loads(line)
        except ValueError:
            continue
        for w in words(page.get("text", "")):
            n += 1
            chars += len(w)
    return (chars / n if n else 0.0), n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", required=True)
    args = ap.parse_args()
    table = {}
    for book, root, lang_of in BOOKS:
        if not os.path.isdir(root):
            print("missing %s (%s): install it" % (book, root), file=sys.stderr)
            continue
        langs = {}
        for d in sorted(os.listdir(root)):
            path = os.path.join(root, d)
            lang = lang_of(d)
            if not os.path.isdir(path) or lang in UNSPACED or lang == "common_content":
                continue
            langs[lang] = mean_word_length(args.winnow, path)
        if "en" not in langs:
            continue
        en = langs["en"][0]
        for lang, (m, n) in sorted(langs.items()):
            print("%-16s %-4s words %7d  mean %.2f  ratio to en %.3f" % (book, lang, n, m, m / en))
            table.setdefault(lang, []).append(m / en)
    print("\nscale per language (mean of the books' ratios):")
    print(", ".join('{"%s", %.2f}' % (lang, sum(r) / len(r)) for lang, r in sorted(table.items())))


if __name__ == "__main__":
    main()
