#!/usr/bin/python3
"""Builds the same-site extraction set from multi-page HTML that Debian
documentation packages install, with gold text from each site's template.

    bench/extract/same_site_set.py [--out build/same-site/same_site.jsonl]
                                   [--max-pages 40] [--packages p1,p2,...]

A *site* is the HTML pages of one package in one language (one folder, or
one `.LANG.html` suffix in a folder). A page's blocks that most pages of its
site share by DOM position and shape are the template (chrome); the rest of
the page's visible text is gold. Precisely, an element is template when

  * its position (the path of tag.class names from <body>, with the
    element's index among same-named siblings) occurs on >= 60% of the
    site's pages (and on >= 3), and
  * on >= 60% of those pages it has the same text (a footer, a banner), or
    the same exact element structure (>= 4 elements, with a link: a
    Prev/Next table whose titles change from page to page), or the same
    structure as sets (each element with the set of its children's
    structures, so that lists of any length compare equal) and >= 50% of
    its text in links (a chapter's table of contents, a sidebar menu), and
  * it holds less than half of the page's text.

Maximal template elements are chrome; everything else visible is gold.
Index and table-of-contents pages of a site are one of a kind, so their link
lists are gold. Output: one JSON line per page with id, url, package, site,
lang, path, html, text (gold), chrome. Standard library only; deterministic
for a given set of installed packages. Reserved for evaluation and never read
here: postgresql-doc-*, apache2-doc, /usr/share/doc/*/copyright.
"""
import argparse
import collections
import gzip
import html.parser
import json
import os
import re
import subprocess
import sys

DEFAULT_PACKAGES = [
    "debian-reference-en", "debian-reference-de", "debian-reference-es",
    "debian-reference-fr", "debian-reference-id", "debian-reference-it",
    "debian-reference-ja", "debian-reference-pt", "debian-reference-zh-cn",
    "debian-reference-zh-tw", "debian-handbook", "installation-guide-amd64",
    "developers-reference", "developers-reference-de", "developers-reference-fr",
    "developers-reference-it", "developers-reference-ja", "developers-reference-ru",
    "maint-guide", "maint-guide-de", "maint-guide-es", "maint-guide-fr",
    "maint-guide-it", "maint-guide-ja", "maint-guide-ru", "maint-guide-zh-cn",
    "debian-faq", "debian-faq-de", "debian-faq-fr", "debian-faq-it",
    "debian-faq-ja", "debian-faq-nl", "debian-faq-ru", "debian-faq-zh-cn",
    "aptitude-doc-en", "aptitude-doc-fr", "aptitude-doc-ja", "aptitude-doc-es",
    "debmake-doc", "harden-doc", "debian-kernel-handbook",
]
RESERVED = re.compile(r"^(postgresql-doc|apache2-doc)")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr", "keygen"}
SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "math",
        "select", "textarea", "button", "iframe", "object"}
BLOCK = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details",
         "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
         "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "menu",
         "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
         "thead", "tr", "ul", "caption", "summary", "br"}
CLOSES_P = BLOCK - {"br", "td", "th", "tr", "li", "dd", "dt", "tbody", "thead", "tfoot"}


class Node:
    __slots__ = ("tag", "cls", "attrs", "children", "parent", "text", "key", "shape",
                 "cshape", "chars", "link_chars", "has_link", "own", "page_chars")

    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.cls = " ".join(sorted((self.attrs.get("class") or "").split()))
        self.children = []  # Node or str
        self.parent = parent


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.stack = [self.root]
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag in SKIP and tag not in VOID:
                self.skip += 1
            return
        if tag in SKIP:
            self.skip = 1
            return
        if tag in CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag in ("li", "dt", "dd", "tr", "td", "th"):
            # Implied end tags of HTML 4 markup (installation-guide).
            stop = {"li": ("ul", "ol", "menu"), "dt": ("dl",), "dd": ("dl",),
                    "tr": ("table", "tbody", "thead", "tfoot"), "td": ("tr",), "th": ("tr",)}[tag]
            for i in range(len(self.stack) - 1, 0, -1):
                t = self.stack[i].tag
                if t in stop:
                    break
                if t == tag or (tag in ("dt", "dd") and t in ("dt", "dd")) or \
                        (tag in ("td", "th") and t in ("td", "th")):
                    del self.stack[i:]
                    break
        n = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(n)
        if tag not in VOID:
            self.stack.append(n)

    def handle_startendtag(self, tag, attrs):
        if self.skip:
            return
        n = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(n)

    def handle_endtag(self, tag):
        if self.skip:
            if tag in SKIP:
                self.skip -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.skip:
            return
        self.stack[-1].children.append(data)


WORD = re.compile(r"\w+")


def parse(text):
    b = TreeBuilder()
    b.feed(text)
    b.close()
    body = None
    todo = [b.root]
    while todo:
        n = todo.pop()
        if n.tag == "body":
            body = n
            break
        todo.extend(c for c in reversed(n.children) if isinstance(c, Node))
    return body or b.root


def hidden(n):
    style = (n.attrs.get("style") or "").replace(" ", "").lower()
    return "hidden" in n.attrs or "display:none" in style or n.attrs.get("aria-hidden") == "true"


def annotate(body):
    """Fills key, shape, cshape, chars, link_chars, has_link bottom-up;
    returns the page's elements in pre-order."""
    order = []
    body.key = "body"
    todo = [(body, False)]
    while todo:
        n, done = todo.pop()
        if not done:
            order.append(n)
            seen = collections.Counter()
            for c in n.children:
                if isinstance(c, Node):
                    name = c.tag + ("." + c.cls if c.cls else "")
                    c.key = n.key + "/" + name + "[%d]" % seen[name]
                    seen[name] += 1
            todo.append((n, True))
            for c in reversed(n.children):
                if isinstance(c, Node) and not hidden(c):
                    todo.append((c, False))
            continue
        name = n.tag + ("." + n.cls if n.cls else "")
        parts, cparts = [], []
        chars = link = 0
        has_link = n.tag == "a" and "href" in n.attrs
        for c in n.children:
            if isinstance(c, str):
                k = len(c.strip())
                chars += k
                continue
            if hidden(c):
                continue
            parts.append(c.shape)
            if c.cshape:
                cparts.append(c.cshape)
            chars += c.chars
            link += c.link_chars
            has_link = has_link or c.has_link
        if n.tag == "a" and "href" in n.attrs:
            link = chars
        cset = sorted(set(p for c in cparts for p in c.split("|") if p))
        if n.tag in BLOCK or n.tag in ("a", "img"):
            n.shape = name + ("(" + ",".join(p for p in parts if p) + ")" if any(parts) else "")
            n.cshape = name + ("(" + ",".join(cset) + ")" if cset else "")
        else:
            # Inline markup (span, code, strong) differs with the titles it
            # formats: it is not part of the shape.
            n.shape = ",".join(p for p in parts if p)
            n.cshape = "|".join(cset)
        n.chars, n.link_chars, n.has_link = chars, link, has_link
    return order


def links_of(n):
    todo, out = [n], []
    while todo:
        x = todo.pop()
        if isinstance(x, str) or hidden(x):
            continue
        if x.tag == "a" and "href" in x.attrs:
            out.append(x.attrs["href"] or "")
        todo.extend(x.children)
    return out


def shared_links(nodes):
    """Share of the nodes' links whose target is linked on at least half of
    them: a menu or a table of contents links the same pages from page to
    page; the lists of an index page of letter D and of letter P share only
    their shape."""
    sets = [collections.Counter(links_of(n)) for n in nodes]
    df = collections.Counter(h for c in sets for h in c)
    total = sum(sum(c.values()) for c in sets)
    if not total:
        return 1.0
    return sum(k for c in sets for h, k in c.items() if df[h] * 2 >= len(sets)) / total


def size(shape):
    return shape.count("(") + shape.count(",") + 1


def text_of(n, out, chrome, is_chrome, on_chrome):
    """Visible text of `n` into out (gold) or chrome, one line per block."""
    todo = [(n, False)]
    cur = {"gold": [], "chrome": []}

    def flush():
        for which, dest in (("gold", out), ("chrome", chrome)):
            s = " ".join("".join(cur[which]).split())
            if s:
                dest.append(s)
            cur[which] = []

    todo = [(n, 0)]
    while todo:
        x, depth = todo.pop()
        if isinstance(x, tuple):  # closing marker
            flush()
            continue
        if isinstance(x, str):
            cur["chrome" if depth else "gold"].append(x)
            continue
        if hidden(x):
            continue
        d = depth + (1 if is_chrome(x) else 0)
        if x.tag in BLOCK:
            flush()
            todo.append(((x,), 0))
        for c in reversed(x.children):
            todo.append((c, d))
    flush()


def path_lang(path):
    """The language a path names: a `.LANG.html` suffix or a LANG folder."""
    m = re.search(r"\.([a-z]{2}(?:[-_][a-zA-Z]{2})?)\.html?(?:\.gz)?$", path)
    if m:
        return m.group(1).lower().replace("_", "-")
    m = re.fullmatch(r"[a-z]{2}(?:[-_][a-zA-Z]{2})?", os.path.basename(os.path.dirname(path)))
    return m.group(0).lower().replace("_", "-") if m else None


def lang_of(body_text):
    m = re.search(r'<html[^>]*\blang="([^"]+)"', body_text[:4000])
    if not m:
        m = re.search(r'xml:lang="([^"]+)"', body_text[:20000])
    return m.group(1).lower().replace("_", "-") if m else "en"


def short_lang(lang):
    return lang.split("-")[0]


def package_files(pkg):
    try:
        out = subprocess.run(["dpkg-query", "-L", pkg], capture_output=True, text=True,
                             check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    files = []
    for line in out.splitlines():
        if re.search(r"\.html?(\.gz)?$", line) and os.path.isfile(line) and \
                not line.endswith("/copyright"):
            files.append(line)
    return sorted(files)


def read(path):
    raw = open(path, "rb").read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/same-site/same_site.jsonl")
    ap.add_argument("--max-pages", type=int, default=40, help="pages per site (evenly spaced)")
    ap.add_argument("--packages", default=",".join(DEFAULT_PACKAGES))
    args = ap.parse_args()
    sites = collections.OrderedDict()
    missing = []
    for pkg in args.packages.split(","):
        if RESERVED.match(pkg):
            sys.exit("same_site_set: %s is reserved for evaluation" % pkg)
        files = package_files(pkg)
        if files is None:
            missing.append(pkg)
            continue
        groups = collections.OrderedDict()
        for f in files:
            groups.setdefault((os.path.dirname(f), path_lang(f)), []).append(f)
        for (folder, lang), paths in groups.items():
            if len(paths) > args.max_pages:
                step = len(paths) / args.max_pages
                paths = [paths[int(i * step)] for i in range(args.max_pages)]
            for f in paths:
                text = read(f)
                if "<body" not in text.lower():
                    continue
                site = (pkg, folder, lang or lang_of(text))
                sites.setdefault(site, []).append((f, text))
    if missing:
        print("same_site_set: not installed (skipped): %s\n  apt-get install %s" %
              (" ".join(missing), " ".join(missing)), file=sys.stderr)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    rows = []
    summary = collections.Counter()
    for (pkg, folder, lang), pages in sites.items():
        if len(pages) < 5:
            continue
        parsed = []
        for f, text in pages:
            body = parse(text)
            order = annotate(body)
            parsed.append((f, text, body, order))
        # Per position: pages holding it, and its text / shapes there.
        by_key = collections.defaultdict(list)
        for pi, (_, _, body, order) in enumerate(parsed):
            for n in order:
                by_key[n.key].append(n)
                n.page_chars = max(1, body.chars)
        need = max(3, 0.6 * len(parsed))
        template_keys = set()
        for key, nodes in by_key.items():
            if len(nodes) < need:
                continue
            texts = collections.Counter(
                " ".join("".join(t for t in flat_text(n)).split()) for n in nodes)
            shapes = collections.Counter(n.shape for n in nodes)
            cshapes = collections.Counter(n.cshape for n in nodes)
            t, tc = texts.most_common(1)[0]
            s, sc = shapes.most_common(1)[0]
            c, cc = cshapes.most_common(1)[0]
            link_share = sum(n.link_chars for n in nodes) / max(1, sum(n.chars for n in nodes))
            if (tc >= need and t) or (sc >= need and size(s) >= 4 and
                                      any(n.has_link for n in nodes)) or \
                    (cc >= need and link_share >= 0.5 and
                     (sum(n.chars * 4 < n.page_chars for n in nodes) * 2 >= len(nodes) or
                      shared_links([n for n in nodes if n.cshape == c]) >= 0.5)):
                template_keys.add(key)
        site_id = "%s:%s:%s" % (pkg, folder, lang)
        base = os.path.commonpath([f for f, *_ in parsed])
        for f, text, body, order in parsed:
            page_chars = max(1, body.chars)

            def is_chrome(n):
                return n.key in template_keys and n.chars * 2 < page_chars

            gold, chrome = [], []
            text_of(body, gold, chrome, is_chrome, None)
            rel = os.path.relpath(f, os.path.dirname(base) if base == f else base)
            rows.append({
                "id": "%s/%s" % (pkg, os.path.relpath(f, "/usr/share")),
                "url": "http://%s.pkg.invalid/%s" % (pkg, os.path.relpath(f, "/usr/share")),
                "package": pkg, "site": site_id, "lang": short_lang(lang), "path": f,
                "html": text, "text": "\n".join(gold), "chrome": "\n".join(chrome),
            })
            summary[short_lang(lang)] += 1
    # Input order as a crawl of each package would give it: by package, then path.
    rows.sort(key=lambda r: (r["package"], r["path"]))
    with open(args.out, "w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("same_site_set: %d pages, %d sites, languages %s -> %s" %
          (len(rows), len({r["site"] for r in rows}),
           " ".join("%s:%d" % kv for kv in sorted(summary.items())), args.out))


def flat_text(n):
    todo = [n]
    while todo:
        x = todo.pop()
        if isinstance(x, str):
            yield x
        elif not hidden(x):
            todo.extend(reversed(x.children))


if __name__ == "__main__":
    main()
