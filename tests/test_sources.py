"""Crawl inputs: WARC(.gz), JSONL, .gz pages; bad records; recovering a span's text.

The page text is the Raqqa piece of seeds/004 (English headline line 549 and paragraphs
555-557; Arabic headline 567 and paragraphs 575-577), so decoding is tested on real text.
WARC records are written the way crawlers write them: WARC/1.0 response records wrapping an
HTTP response, one gzip member per record.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.cli import app
from corpus.read import ReadReport, expand_paths, read_documents
from corpus.segment import segment_section
from corpus.sources import open_origin


@pytest.fixture(scope="module")
def pages(seed_004):
    lines = seed_004.read_text(encoding="utf-8").split("\n")
    en = [lines[548], lines[554], lines[556]]
    ar = [lines[566], lines[574], lines[576]]
    return ar, en


def _html(title: str, paragraphs: list[str], meta: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head>{meta}<title>{title}</title></head>"
            f"<body><nav>Home | About</nav>\n<h1>{title}</h1>\n{body}\n</body></html>\n")


def _record(url: str, payload: bytes, content_type: str, gzipped: bool = False) -> bytes:
    encoding = ""
    if gzipped:  # as the server sent it: crawlers store the body content-encoded
        payload, encoding = gzip.compress(payload, mtime=0), "Content-Encoding: gzip\r\n"
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{encoding}"
            f"Content-Length: {len(payload)}\r\n\r\n").encode("ascii") + payload
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2020-01-01T00:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{abs(hash(url)) % 10**12:012d}>"
            f"\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode("ascii")
    return head + http + b"\r\n\r\n"


@pytest.fixture()
def warc(tmp_path, pages) -> Path:
    ar, en = pages
    records = [
        _record("http://example.org/en/raqqa", _html(en[0], en[1:]).encode("utf-8"),
                "text/html; charset=utf-8", gzipped=True),
        _record("http://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        # cp1256, said only by the HTTP header: the page has no <meta charset>
        _record("http://example.org/ar/raqqa", _html(ar[0], ar[1:]).encode("cp1256"),
                "text/html; charset=windows-1256"),
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(gzip.compress(r, mtime=0) for r in records))
    return path


def test_a_warc_cut_short_keeps_its_whole_records_and_says_so(warc, tmp_path, pages):
    """A .warc.gz that ends inside its last member (a crawl copied while being written):
    the records before it are read, and a warning names the file and the record's offset;
    the whole file reads without one."""
    whole = ReadReport()
    assert len(list(read_documents(warc, report=whole))) == 2 and not whole.warnings
    data = warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:len(data) - 40])  # inside the last record's gzip member
    report = ReadReport()
    docs = list(read_documents(cut, report=report))
    assert docs[0].path == "http://example.org/en/raqqa"
    assert pages[1][1] in docs[0].text  # the record before the cut is whole
    [warning] = report.warnings
    assert warning.path.startswith(f"{cut}@") and "cut short" in warning.message
    assert report.partial_count == 1


def test_warc_records_become_documents(warc, pages):
    ar, en = pages
    report = ReadReport()
    docs = list(read_documents(warc, report=report))
    assert [d.path for d in docs] == ["http://example.org/en/raqqa", "http://example.org/ar/raqqa"]
    assert [d.url for d in docs] == [d.path for d in docs]
    assert docs[1].encoding == "cp1256"
    assert docs[1].source_format == "html"
    assert ar[1].removeprefix("\u2013 ") in docs[1].text or ar[1] in docs[1].text
    assert en[1] in docs[0].text
    assert report.read == 2 and not report.skipped  # the PNG is not a page, not an error
    for d in docs:
        kind, _, rest = d.origin.partition(":")
        assert kind == "warc" and rest.startswith(str(warc) + "@")


def _span_of(doc, ref: str) -> str:
    """The text a ``line:char-line:char`` ref names, computed from the document's lines."""
    a, b = ref.split("-")
    (l1, c1), (l2, c2) = (map(int, x.split(":")) for x in (a, b))
    return doc.text[doc.line(l1).start + c1:doc.line(l2).start + c2]


def test_a_span_is_recovered_from_its_origin(warc, pages):
    from corpus.detect import detect

    docs = list(read_documents(warc))
    checked = 0
    for doc in docs:
        reopened = open_origin(doc.origin)  # from the file and offset alone
        assert reopened.text == doc.text and reopened.path == doc.path
        for section in detect(doc).sections:
            if section.lang not in ("ar", "en"):
                continue
            for s in segment_section(doc, section):
                assert _span_of(reopened, doc.ref(s.start, s.end)) == s.text
                checked += 1
    assert checked >= 4


def test_a_broken_record_is_warned_and_counted(warc, caplog):
    good = warc.read_bytes()
    warc.write_bytes(good + b"\x1f\x8b\x08\x00garbage that is not deflate data")
    report = ReadReport()
    with caplog.at_level(logging.WARNING, logger="corpus"):
        docs = list(read_documents(warc, report=report))
    assert len(docs) == 2
    assert len(report.skipped) == 1 and report.skipped[0].path.startswith(f"{warc}@")
    assert str(warc) in caplog.text


def test_jsonl_text_html_and_bad_lines(tmp_path, pages, caplog):
    ar, en = pages
    path = tmp_path / "pages.jsonl"
    lines = [json.dumps({"url": "http://a.example/en", "text": "\n".join(en)}),
             "{not json",
             json.dumps({"url": "http://a.example/ar", "html": _html(ar[0], ar[1:])},
                        ensure_ascii=False),
             json.dumps({"url": "http://a.example/x"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ReadReport()
    with caplog.at_level(logging.WARNING, logger="corpus"):
        docs = list(read_documents(path, report=report))
    assert [d.path for d in docs] == ["http://a.example/en", "http://a.example/ar"]
    assert docs[0].text == "\n".join(en) and docs[0].origin == f"jsonl:{path}:1"
    assert docs[1].origin == f"jsonl:{path}:3" and ar[0] in docs[1].text
    assert [s.path for s in report.skipped] == [f"{path}:2", f"{path}:4"]
    assert f"{path}:2" in caplog.text
    for d in docs:
        assert open_origin(d.origin).text == d.text


def test_gz_page_and_directory_search(tmp_path, pages, warc):
    ar, en = pages
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "en.txt.gz").write_bytes(gzip.compress("\n".join(en).encode("utf-8")))
    (folder / "ar.html.gz").write_bytes(gzip.compress(_html(ar[0], ar[1:]).encode("utf-8")))
    (folder / "gold.jsonl").write_text('{"page": 1}\n', encoding="utf-8")
    (folder / "crawl.warc.gz").write_bytes(warc.read_bytes())
    files = expand_paths(folder)
    assert sorted(f.name for f in files) == ["ar.html.gz", "crawl.warc.gz", "en.txt.gz"]
    docs = {d.path: d for d in read_documents(folder)}
    txt = docs[str(folder / "en.txt.gz")]
    assert txt.text == "\n".join(en) and txt.origin == f"gz:{folder / 'en.txt.gz'}"
    assert ar[0] in docs[str(folder / "ar.html.gz")].text
    assert len(docs) == 4


def test_a_run_with_no_readable_document_fails(tmp_path):
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(gzip.compress(_record("http://example.org/a.png", bytes(16), "image/png"),
                                   mtime=0))
    result = CliRunner().invoke(app, ["align", str(path), "-o", str(tmp_path / "out.tsv"),
                                      "--mt", "off", "--no-progress"])
    assert result.exit_code != 0
    assert "no document" in result.output


@pytest.mark.slow
def test_a_corpus_row_leads_back_to_its_text(warc, tmp_path):
    """corpus align on the WARC, then from a row alone (doc, ar_ref; en_doc, en_ref): the
    text the refs name is the row's text (before normalisation, so compare loosely)."""
    import csv

    from corpus.sources import find_document

    out = tmp_path / "out.tsv"
    result = CliRunner().invoke(app, ["align", str(warc), "-o", str(out), "--mt", "off",
                                      "--no-progress", "--jobs", "1",
                                      "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r["origin"] == "aligned"]
    assert rows and all(r["en_doc"] == "http://example.org/en/raqqa" for r in rows)
    squash = lambda t: "".join(t.split())  # noqa: E731
    for r in rows:
        ar = find_document(warc, r["doc"])
        en = find_document(warc, r["en_doc"])
        assert squash(_span_of(ar, r["ar_ref"])) == squash(r["ar"])
        assert squash(_span_of(en, r["en_ref"])) == squash(r["en"])


def test_what_extraction_loses_in_a_container_page_is_warned_and_counted(tmp_path):
    """HTML from JSONL/WARC is extracted where the executor runs it (maybe a worker whose
    log nobody sees): its losses come back with the page, are printed as warnings naming
    the record, and count the page as read in part in the summary."""
    from typer.testing import CliRunner

    from corpus.cli import app

    ar = ("ما جرى في كردستان العراق بمواجهة مشروع الانفصال لم يكن مجرد رد على عناد رئيس "
          "الإقليم الكردي في العراق.")
    html = ("<html><body><nav><a href='/'>Home</a></nav><main><h1>عنوان المقال الطويل هنا</h1>"
            + "".join(f"<p>{ar} {i}</p>" for i in range(8))
            + f"</main><footer><p>{ar} وهذا نص في التذييل لا يعد من المحتوى الرئيسي أبدا.</p>"
            "</footer></body></html>")
    page = tmp_path / "pages.jsonl"
    page.write_text(json.dumps({"url": "https://example.org/ar/1", "html": html},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["align", str(page), "-o", str(tmp_path / "c.tsv"),
                                      "--mt", "off", "--jobs", "1",
                                      "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert f"jsonl:{page}:1: the main-content extractor" in result.stderr
    assert "1 read in part" in result.stderr


def test_a_fifo_named_like_a_warc_is_skipped_not_opened(tmp_path):
    """The pipeline reads containers through read_documents(defer_html=True): a FIFO called
    crawl.warc.gz is skipped with its reason, never opened (an open would block)."""
    import os

    fifo = tmp_path / "crawl.warc.gz"
    os.mkfifo(fifo)
    report = ReadReport()
    assert list(read_documents(fifo, report=report, defer_html=True)) == []
    [skipped] = report.skipped
    assert skipped.path == str(fifo) and "FIFO" in skipped.reason
