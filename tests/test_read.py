"""Reading documents: encodings, HTML, skipped files, paths, line provenance.

The Arabic text is taken from seeds/004 (Nasser Kandil's op-ed: headline, date, byline and the
first paragraph without its bullet), so every encoding is tested on real page text.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from corpus import read_document, read_documents
from corpus.errors import DecodeError, InputError
from corpus.read import ReadReport, html_to_text


@pytest.fixture(scope="module")
def seed_lines(seed_004):
    return seed_004.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def arabic_text(seed_lines) -> str:
    # Line 565 (English byline), 567 (headline), 569 (date), 571 (byline), 575 (paragraph).
    # The paragraph's "– " bullet is dropped: ISO-8859-6 has no en dash.
    parts = [seed_lines[564], seed_lines[566], seed_lines[568], seed_lines[570],
             seed_lines[574].removeprefix("\u2013 ")]
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize("codec, recorded", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("cp1256", "cp1256"),
    ("iso8859_6", "iso8859-6"),
])
def test_encodings_read_back_identical(tmp_path, arabic_text, codec, recorded):
    path = tmp_path / f"page.{codec}.txt"
    path.write_bytes(arabic_text.encode(codec))
    doc = read_document(path)
    assert doc.text.removeprefix("\ufeff") == arabic_text
    assert doc.encoding == recorded
    assert doc.line_text(2) == "الرقة بعد البوكمال معادلة المرحلة المقبلة"


@pytest.mark.parametrize("codec, recorded", [("cp1256", "cp1256"), ("iso8859_6", "iso8859-6")])
def test_short_legacy_arabic_is_decoded(tmp_path, seed_lines, codec, recorded):
    # one short line (the byline "ناصر قنديل") is the hardest case for charset detection
    text = seed_lines[570] + "\n"
    path = tmp_path / "byline.txt"
    path.write_bytes(text.encode(codec))
    doc = read_document(path)
    assert (doc.text, doc.encoding) == (text, recorded)


def test_utf16_big_endian_bom(tmp_path, arabic_text):
    path = tmp_path / "be.txt"
    path.write_bytes(b"\xfe\xff" + arabic_text.encode("utf-16-be"))
    doc = read_document(path)
    assert doc.text == arabic_text and doc.encoding == "utf-16"


def test_html_blocks_become_lines_and_scripts_are_dropped(tmp_path, seed_lines):
    headline, paragraph = seed_lines[566], seed_lines[574]
    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>Page title</title>
<style>p {{ color: red }}</style><script>var s = "<p>not text</p>";</script></head>
<body><div class="post"><h1>{headline}</h1><!-- a comment -->
<p>{paragraph}</p><p>First   <b>English</b>
 paragraph<br>second line</p><ul><li>one</li><li>two</li></ul></div>
<noscript>enable js</noscript></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = read_document(path)
    assert doc.source_format == "html"
    assert doc.text.split("\n")[:-1] == [
        "Page title", headline, paragraph, "First English paragraph", "second line",
        "one", "two"]
    assert "not text" not in doc.text and "color" not in doc.text
    assert "enable js" not in doc.text and "comment" not in doc.text


def test_html_in_cp1256_with_meta_charset(tmp_path, seed_lines):
    headline = seed_lines[566]
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset=windows-1256"></head><body><p>{headline}</p></body></html>')
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode("cp1256"))
    doc = read_document(path)
    assert doc.text == headline + "\n"
    assert doc.encoding == "cp1256"


def test_empty_html_has_no_lines():
    assert html_to_text("") == ""
    assert html_to_text("<html><body><script>x()</script></body></html>") == ""


def test_binary_file_is_skipped_counted_and_named(tmp_path, caplog, seed_004):
    good = tmp_path / "a.txt"
    good.write_text("hello\n", encoding="utf-8")
    bad = tmp_path / "b.txt"
    bad.write_bytes(bytes(range(256)) * 4)  # NUL and every other byte
    skipped = []
    report = ReadReport()
    with caplog.at_level(logging.WARNING, logger="corpus.read"):
        docs = list(read_documents([tmp_path], on_skip=lambda p, r: skipped.append((p, r)),
                                   report=report))
    assert [d.path for d in docs] == [str(good)]
    assert report.read == 1 and report.skipped_count == 1
    assert report.skipped[0].path == str(bad)
    assert skipped and skipped[0][0] == str(bad) and "binary" in skipped[0][1]
    assert str(bad) in caplog.text


def test_read_document_raises_decode_error_for_binary(tmp_path):
    path = tmp_path / "img.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DecodeError) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_empty_file_is_fine(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    doc = read_document(path)
    assert doc.text == "" and doc.lines == () and doc.encoding == "utf-8"


def test_directories_are_recursive_and_sorted(tmp_path):
    for rel in ["b/2.txt", "a/z.html", "a/sub/1.txt", "c.txt", "skip.pdf", "a/notes.md",
                ".git/x.txt"]:
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("<p>x</p>\n" if rel.endswith("html") else "x\n", encoding="utf-8")
    docs = list(read_documents(tmp_path))
    rel = [str(Path(d.path).relative_to(tmp_path)) for d in docs]
    assert rel == ["a/sub/1.txt", "a/z.html", "b/2.txt", "c.txt"]


def test_globs_and_duplicates(tmp_path, seeds_dir):
    pattern = str(seeds_dir / "00[34]_*.txt")
    docs = list(read_documents([pattern, seeds_dir / "004_d75017c89a0786ad.txt"]))
    assert [d.path.rsplit("/", 1)[-1][:3] for d in docs] == ["003", "004"]


def test_missing_path_and_empty_directory_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file") as info:
        read_documents([tmp_path / "nope.txt"])
    assert "nope.txt" in str(info.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt or .html"):
        read_documents([tmp_path / "empty"])
    with pytest.raises(InputError, match="matches no .txt or .html files"):
        read_documents([str(tmp_path / "*.txt")])


def test_line_numbers_and_offsets(tmp_path, seed_004, seed_lines):
    doc = read_document(seed_004)
    assert doc.encoding == "utf-8"
    assert len(doc.lines) == len(seed_lines)
    ln = doc.line(567)
    assert ln.number == 567
    assert doc.text[ln.start:ln.end] == seed_lines[566]
    assert doc.position(ln.start + 6) == (567, 6)
    # CRLF and CR line ends are not part of the line; a final newline adds no empty line
    path = tmp_path / "crlf.txt"
    path.write_bytes("one\r\nاثنان\rthree\n".encode("utf-8"))
    doc = read_document(path)
    assert [(ln.number, doc.text[ln.start:ln.end]) for ln in doc.lines] == [
        (1, "one"), (2, "اثنان"), (3, "three")]
    assert doc.lines[1].start == 5 and doc.lines[2].start == 11


def test_html_pre_keeps_its_lines():
    html = "<body><p>before</p><pre>line one\n  line   two\n</pre><p>after</p></body>"
    assert html_to_text(html) == "before\nline one\nline two\nafter\n"
