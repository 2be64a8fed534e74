#!/usr/bin/python3
"""Seed corpora for the libFuzzer harnesses (tests/fuzz), made from winnow's
own samples: examples/sample.warc.gz and sample.wet.gz, the HTML golden
pages of tests/html and tests/extract, the JSONL test data of tests/io.

    scripts/fuzz_seeds.py OUT_DIR      # writes OUT_DIR/<harness>/seed-NNNN

Each harness but `compressed` reads its first byte as option flags (see the
harness); seeds get a few flag values. Deterministic: the same files every
run. Standard library only, plus the `zstd` program (Debian's zstd package,
in scripts/setup.sh) for zstd frames.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def warc_records(path):
    data = gzip.open(path).read()
    starts = [m.start() for m in re.finditer(rb"(?m)^WARC/1\.[01]\r?\n", data)]
    return [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]


def split_record(rec):
    """(header bytes, payload bytes) of one WARC record."""
    cut = rec.find(b"\r\n\r\n")
    sep = 4
    if cut < 0 or rec.find(b"\n\n") not in (-1,) and rec.find(b"\n\n") < cut:
        cut, sep = rec.find(b"\n\n"), 2
    return rec[:cut], rec[cut + sep:]


def shorten(rec, keep):
    """The record with its payload cut to `keep` bytes and Content-Length fixed."""
    head, body = split_record(rec)
    body = body.rstrip(b"\r\n")[:keep]
    nl = b"\r\n" if b"\r\n" in head else b"\n"
    head = re.sub(rb"(?im)^Content-Length:.*$", b"Content-Length: " + str(len(body)).encode(), head)
    return head + nl + nl + body + nl + nl


def zstd(data):
    if not shutil.which("zstd"):
        return None
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, stdout=subprocess.PIPE, check=True).stdout


def html_payload(rec):
    """The HTML body of a WARC response record, or None."""
    if b"WARC-Type: response" not in rec:
        return None
    _, http = split_record(rec)
    _, body = split_record(http) if b"\r\n\r\n" in http else (None, http)
    return body if b"<" in body[:2000] else None


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fuzz-seeds"
    seeds = {h: [] for h in ("html_extract", "charset", "warc", "jsonl", "compressed", "json_roundtrip")}

    warc = warc_records(os.path.join(ROOT, "examples/sample.warc.gz"))
    wet = warc_records(os.path.join(ROOT, "examples/sample.wet.gz"))

    # HTML pages: the response bodies of the sample and the golden pages.
    pages = [p for p in (html_payload(r) for r in warc) if p]
    for folder in ("tests/html/golden", "tests/extract/golden"):
        d = os.path.join(ROOT, folder)
        for name in sorted(os.listdir(d)):
            if name.endswith(".html"):
                pages.append(open(os.path.join(d, name), "rb").read())
    for i, page in enumerate(pages):
        seeds["html_extract"].append(bytes([i % 256]) + page[:16 * 1024])

    # Charsets: sample pages and texts, also re-encoded in legacy charsets.
    texts = [split_record(r)[1][:4096] for r in wet if b"conversion" in r]
    encodings = ["cp1252", "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "big5", "euc_kr", "koi8_r",
                 "cp1251", "utf-16", "iso8859_2", "cp874"]
    for i, t in enumerate(texts):
        s = t.decode("utf-8", "replace")
        enc = encodings[i % len(encodings)]
        raw = s.encode(enc, "replace")
        seeds["charset"].append(bytes([(i * 2) % 256]) + raw)         # no declared charset
        seeds["charset"].append(bytes([i * 2 % 64 + 1]) + b"<html><head><meta charset=" +
                                enc.encode() + b"></head><body>" + raw[:2048])
    for i, page in enumerate(pages[:20]):
        seeds["charset"].append(bytes([(i * 2 + 1) % 256]) + page[:8192])

    # WARC and WET: every record, its payload cut to 2 KB; a few whole
    # records, and gzip/zstd framings of them (flag byte 0 = WARC, 1 = WET).
    for i, r in enumerate(warc):
        seeds["warc"].append(bytes([0 | (i % 2) * 2]) + shorten(r, 2048))
    for r in wet:
        seeds["warc"].append(b"\x01" + shorten(r, 2048))
    small = [shorten(r, 1024) for r in warc[:6]]
    seeds["warc"].append(b"\x00" + b"".join(gzip.compress(r, mtime=0) for r in small))
    z = zstd(b"".join(small))
    if z:
        seeds["warc"].append(b"\x00" + z)
    seeds["warc"].append(b"\x04" + warc[2][:16384])

    # JSONL: the test data, lines made from the WET texts, winnow shard lines.
    d = os.path.join(ROOT, "tests/io/data")
    for name in sorted(os.listdir(d)):
        if name.endswith(".jsonl"):
            data = open(os.path.join(d, name), "rb").read()
            seeds["jsonl"].append(b"\x00" + data)
            for j, line in enumerate(data.splitlines()[:8]):
                seeds["jsonl"].append(bytes([j % 16]) + line + b"\n")
    for i, t in enumerate(texts):
        doc = {"id": "d%d" % i, "url": "https://example.org/%d" % i,
               "text": t[:1500].decode("utf-8", "replace")}
        if i % 3 == 0:
            doc = {"url": doc["url"], "content": doc["text"]}
        seeds["jsonl"].append(bytes([1 if "content" in doc else 0]) +
                              json.dumps(doc, ensure_ascii=i % 2 == 0).encode() + b"\n")
    for i, page in enumerate(pages[:10]):
        seeds["jsonl"].append(b"\x00" + json.dumps({"id": str(i), "html": page[:3000].decode(
            "utf-8", "replace")}).encode() + b"\n")

    # JSON round trip: one line each, without the flag byte (winnow's own
    # lines from the golden files, and the generic ones).
    seeds["json_roundtrip"] = [s[1:].rstrip(b"\n") for s in seeds["jsonl"] if s[1:].count(b"\n") <= 1]

    # Compressed framing: gzip (one member, several members), zstd (one
    # frame, two frames), of WARC records (odd length: read as WARC) and
    # JSONL lines (even length: read as JSONL).
    def parity(data, odd):
        return data + b"\n" if (len(data) % 2 == 1) != odd else data
    lines = b"".join(s[1:] for s in seeds["jsonl"][:12])
    for payload, odd in ((b"".join(small[:3]), True), (lines[:6000], False)):
        members = [gzip.compress(payload[:len(payload) // 2], mtime=0),
                   gzip.compress(payload[len(payload) // 2:], mtime=0)]
        seeds["compressed"].append(parity(gzip.compress(payload, mtime=0), odd))
        seeds["compressed"].append(parity(b"".join(members), odd))
        z1, z2 = zstd(payload[:len(payload) // 2]), zstd(payload[len(payload) // 2:])
        if z1 and z2:
            seeds["compressed"].append(parity(zstd(payload), odd))
            seeds["compressed"].append(parity(z1 + z2, odd))
    seeds["compressed"].append(parity(b"".join(small[:2]), True))

    for harness, items in seeds.items():
        d = os.path.join(out, harness)
        os.makedirs(d, exist_ok=True)
        for i, data in enumerate(items):
            with open(os.path.join(d, "seed-%04d" % i), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (harness, len(items)))


if __name__ == "__main__":
    main()
