#!/usr/bin/python3
"""Builds examples/sample.warc.gz and examples/sample.wet.gz from Debian's
documentation packages (licences in examples/README.md).

    apt-get install -y --no-install-recommends debian-handbook python3-doc
    /usr/bin/python3 scripts/make_sample.py [OUT_DIR]   # default: examples/

The WARC is gzip per record, as crawlers write it, and holds what a crawl
holds besides pages: warcinfo, request and metadata records, an image, a 404,
a redirect, a chunked response, a page served as windows-1252 (HTTP charset),
one as Shift_JIS (meta charset only), an exact duplicate and a near-duplicate
under other URLs. The WET holds the visible text of the same pages (one block
per line), with its duplicates. The output is deterministic (fixed dates,
ids, gzip mtime 0). Standard library only.
"""
import gzip
import hashlib
import html.parser
import io
import os
import re
import sys

HANDBOOK = "/usr/share/doc/debian-handbook/html"
PYDOC = "/usr/share/doc/python3-doc/html"
HANDBOOK_PAGES = ["sect.apt-get.html", "sect.apt-cache.html", "sect.package-meta-information.html"]
LANGS = ["en-US", "fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR", "ru-RU", "ja-JP", "zh-CN", "ar-MA"]
PY_PAGES = ["tutorial/appetite.html", "tutorial/controlflow.html", "tutorial/datastructures.html",
            "tutorial/errors.html", "tutorial/classes.html", "tutorial/stdlib.html"]
DATE = "2026-11-29T00:00:00Z"


def record_id(n, salt=b""):
    return "<urn:uuid:%s>" % hashlib.md5(salt + b"winnow-sample-%d" % n).hexdigest()


class Warc:
    # salt: the WET file's records get ids of their own (as in Common Crawl,
    # where a conversion record names its response in WARC-Refers-To), so that
    # a dedup decision's keeper id names one record.
    def __init__(self, salt=b""):
        self.out = io.BytesIO()
        self.n = 0
        self.salt = salt

    def record(self, wtype, uri, block, content_type, extra=()):
        headers = ["WARC/1.1", "WARC-Type: " + wtype]
        if uri:
            headers.append("WARC-Target-URI: " + uri)
        rid = record_id(self.n, self.salt)
        headers += ["WARC-Date: " + DATE, "WARC-Record-ID: " + rid]
        headers += list(extra)
        headers += ["Content-Type: " + content_type, "Content-Length: %d" % len(block)]
        rec = ("\r\n".join(headers) + "\r\n\r\n").encode() + block + b"\r\n\r\n"
        self.n += 1
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
            g.write(rec)
        self.out.write(buf.getvalue())
        return rid

    def response(self, uri, body, content_type, status="200 OK", extra_http=()):
        http = ["HTTP/1.1 " + status, "Content-Type: " + content_type]
        http += list(extra_http)
        if not any(h.lower().startswith("transfer-encoding") for h in extra_http):
            http.append("Content-Length: %d" % len(body))
        block = ("\r\n".join(http) + "\r\n\r\n").encode() + body
        self.record("request", uri, ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (uri, uri.split("/")[2])).encode(),
                    "application/http; msgtype=request")
        return self.record("response", uri, block, "application/http; msgtype=response")


class TextOf(html.parser.HTMLParser):
    """Visible text, one block per line (what a WET conversion holds)."""
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "table",
             "dt", "dd", "title", "blockquote", "section", "header", "footer", "nav"}
    SKIP = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self):
        lines = [re.sub(r"\s+", " ", l).strip() for l in "".join(self.parts).split("\n")]
        return "\n".join(l for l in lines if l)


def visible_text(html_text):
    p = TextOf()
    p.feed(html_text)
    return p.text()


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples")
    for d in (HANDBOOK, PYDOC):
        if not os.path.isdir(d):
            sys.exit("missing %s: apt-get install -y --no-install-recommends debian-handbook python3-doc" % d)
    pages = []  # (url, html str)
    for lang in LANGS:
        for name in HANDBOOK_PAGES:
            path = os.path.join(HANDBOOK, lang, name)
            if os.path.exists(path):
                pages.append(("https://debian-handbook.info/browse/%s/stable/%s" % (lang, name),
                              open(path, encoding="utf-8").read()))
    for name in PY_PAGES:
        pages.append(("https://docs.python.org/3.11/" + name, open(os.path.join(PYDOC, name), encoding="utf-8").read()))

    warc = Warc()
    wet_records = []
    warc.record("warcinfo", "", b"software: winnow scripts/make_sample.py\r\nformat: WARC File Format 1.1\r\n"
                b"description: sample crawl of Debian documentation (debian-handbook, python3-doc)\r\n",
                "application/warc-fields")
    for url, page in pages:
        rid = warc.response(url, page.encode("utf-8"), "text/html; charset=utf-8")
        wet_records.append((url, visible_text(page), rid))
    # windows-1252 declared by the HTTP header only (meta removed).
    url, page = next(p for p in pages if "/fr-FR/" in p[0])
    latin = re.sub(r'<meta http-equiv="Content-Type"[^>]*>', "", page)
    warc.response(url.replace("stable", "cp1252"), latin.encode("cp1252", "xmlcharrefreplace"),
                  "text/html; charset=windows-1252")
    # Shift_JIS declared only by <meta>.
    url, page = next(p for p in pages if "/ja-JP/" in p[0])
    sjis = page.replace("charset=UTF-8", "charset=Shift_JIS")
    warc.response(url.replace("stable", "sjis"), sjis.encode("shift_jis", "xmlcharrefreplace"), "text/html")
    # Exact duplicate and near-duplicate under other URLs.
    url, page = pages[0]
    rid = warc.response(url.replace("debian-handbook.info", "mirror.example.org"), page.encode("utf-8"),
                        "text/html; charset=utf-8")
    wet_records.append((url.replace("debian-handbook.info", "mirror.example.org"), visible_text(page), rid))
    near = page.replace("</h1>", " (mirror)</h1>", 1).replace("<p>", "<p>Mirrored copy. ", 1)
    rid = warc.response(url.replace("debian-handbook.info", "copy.example.net"), near.encode("utf-8"),
                        "text/html; charset=utf-8")
    wet_records.append((url.replace("debian-handbook.info", "copy.example.net"), visible_text(near), rid))
    # Chunked transfer encoding.
    url, page = pages[1]
    body = page.encode("utf-8")
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096]) for i in range(0, len(body), 4096))
    warc.response(url + "?chunked", chunks + b"0\r\n\r\n", "text/html; charset=utf-8",
                  extra_http=("Transfer-Encoding: chunked",))
    # An image, a 404 and a redirect, a metadata record.
    img = open(os.path.join(HANDBOOK, "en-US", "images", "aptitude.png"), "rb").read()
    warc.response("https://debian-handbook.info/browse/en-US/stable/images/aptitude.png", img, "image/png")
    warc.response("https://debian-handbook.info/missing.html",
                  b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
                  "text/html", status="404 Not Found")
    warc.response("http://debian-handbook.info/", b"", "text/html", status="301 Moved Permanently",
                  extra_http=("Location: https://debian-handbook.info/",))
    warc.record("metadata", pages[0][0], b"fetchTimeMs: 120\r\n", "application/warc-fields")
    # The WET file.
    wet = Warc(salt=b"wet-")
    wet.record("warcinfo", "", b"software: winnow scripts/make_sample.py\r\n", "application/warc-fields")
    for url, text, response_id in wet_records:
        wet.record("conversion", url, text.encode("utf-8"), "text/plain", extra=("WARC-Refers-To: " + response_id,))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sample.warc.gz"), "wb") as f:
        f.write(warc.out.getvalue())
    with open(os.path.join(out_dir, "sample.wet.gz"), "wb") as f:
        f.write(wet.out.getvalue())
    print("sample.warc.gz: %d records, %d bytes; sample.wet.gz: %d records, %d bytes" %
          (warc.n, len(warc.out.getvalue()), wet.n, len(wet.out.getvalue())))


if __name__ == "__main__":
    main()
