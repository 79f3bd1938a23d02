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


def test_html_in_page_link_that_opens_a_line_is_a_line_of_its_own():
    # a footnote's back-link (shape of the footnotes of creativecommons.org deeds): its text
    # is navigation, not the first words of the note; a link inside running text stays put
    html = ('<ul><li><article><a href="#src-credit"><span></span><span>return to reference'
            '</span></a> <strong>بطريقة مناسبة</strong> — إذا كانت هذه البيانات متاحة.'
            '</article></li></ul><p>Rights in Section <a href="#s2b">2(b)</a> are not '
            'included.</p><p><a href="https://example.org/x">Read more</a> about it.</p>')
    assert html_to_text(html).splitlines() == [
        "return to reference", "بطريقة مناسبة — إذا كانت هذه البيانات متاحة.",
        "Rights in Section 2(b) are not included.", "Read more about it."]


# --- broken input: read what can be read, say what could not -------------------------------

from broken_pages import broken_pages  # noqa: E402


def _broken_cases(seed_lines):
    arabic = [seed_lines[566], seed_lines[570], seed_lines[574].removeprefix("\u2013 ")[:300]]
    english = [seed_lines[564].rstrip(","), "The region is calm after the vote, officials said."]
    return broken_pages(arabic, english)


def test_broken_pages_yield_their_text_and_report_the_damage(tmp_path, seed_lines, caplog):
    cases = _broken_cases(seed_lines)
    assert len(cases) >= 15
    for case in cases:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        report = ReadReport()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="corpus.read"):
            docs = list(read_documents([path], report=report))
        assert report.read == 1 and not report.skipped, case.name
        # a replaced byte stays visible as U+FFFD; the rest of the line must be whole
        lines = {ln.replace("\ufffd", "") for ln in docs[0].text.split("\n")}
        missing = [want for want in case.must_yield if want not in lines]
        assert not missing, (case.name, missing)
        if case.warns:
            assert report.warnings, case.name
            assert all(w.path == str(path) for w in report.warnings)
            assert str(path) in caplog.text, case.name
        else:
            assert not report.warnings, (case.name, report.warnings)


def test_bad_bytes_are_counted_with_their_line(tmp_path, seed_lines):
    path = tmp_path / "page.txt"
    path.write_bytes(b"first line\n" + seed_lines[566].encode() + b"\nbad \xff here\n")
    report = ReadReport()
    doc = read_document(path, report=report)
    assert doc.line_text(2) == seed_lines[566] and doc.line_text(3) == "bad \ufffd here"
    [w] = report.warnings
    assert w.line == 3 and "1 undecodable" in w.message and str(w).startswith(f"{path}:3:")


def test_declared_latin1_is_overruled_for_cp1256_bytes(tmp_path, seed_lines):
    text = "\n".join(seed_lines[566:575:2])
    path = tmp_path / "page.html"
    path.write_bytes(f"<meta charset=iso-8859-1><p>{text}</p>".encode("cp1256"))
    report = ReadReport()
    doc = read_document(path, report=report)
    assert doc.encoding == "cp1256" and seed_lines[566] in doc.text
    assert "iso8859-1 does not fit" in report.warnings[0].message


def test_latin1_text_is_not_taken_for_arabic(tmp_path):
    text = "Café déjà vu, naïve façade: übermäßig schön. Élan à la française."
    path = tmp_path / "page.html"
    path.write_bytes(f"<meta charset=iso-8859-1><p>{text}</p>".encode("latin-1"))
    report = ReadReport()
    doc = read_document(path, report=report)
    assert doc.text == text + "\n" and doc.encoding == "iso8859-1" and not report.warnings


def test_mojibake_repair_only_where_certain(tmp_path, seed_lines):
    headline = seed_lines[566]
    moji = headline.encode().decode("cp1256")  # UTF-8 Arabic once read as cp1256
    # genuine text that merely contains the lead characters is left alone
    genuine = "Ø and Ù are letters; ضبط، ظ"
    path = tmp_path / "page.txt"
    path.write_text(f"{moji}\n{genuine}\n", encoding="utf-8")
    report = ReadReport()
    doc = read_document(path, report=report)
    assert doc.text == f"{headline}\n{genuine}\n"
    assert len(report.warnings) == 1 and report.warnings[0].line == 1


def test_good_pages_read_without_warnings(seeds_dir, caplog):
    report = ReadReport()
    with caplog.at_level(logging.WARNING, logger="corpus.read"):
        docs = list(read_documents(seeds_dir, report=report))
    assert docs and not report.warnings and not report.skipped and not caplog.records


def test_text_the_parser_cannot_keep_is_reported(tmp_path, seed_lines):
    # an HTML5 parser drops text inside a <frameset>; the page is read, the loss is said
    html = (f"<html><head><title>t</title></head><frameset><frame src=a.html>"
            f"{' '.join(seed_lines[566:575:2])}</frameset></html>")
    path = tmp_path / "frames.html"
    path.write_text(html, encoding="utf-8")
    report = ReadReport()
    list(read_documents([path], report=report))
    assert report.read == 1
    [w] = report.warnings
    assert w.path == str(path) and "read in part" in w.message


# --- files that are not regular files -----------------------------------------------------

def test_non_regular_files_are_skipped_with_their_reason(tmp_path):
    import os

    good = tmp_path / "good.txt"
    good.write_text("hello\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.html").symlink_to(tmp_path / "gone.html")
    (tmp_path / "loop").symlink_to(tmp_path)  # a folder link loop is no hang
    report = ReadReport()
    docs = list(read_documents([tmp_path], report=report))
    assert [d.path for d in docs] == [str(good)]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "FIFO" in reasons["pipe.txt"] and "broken symbolic link" in reasons["dangling.html"]
    # named explicitly: the same reasons, not "no such file"
    report = ReadReport()
    docs = list(read_documents([tmp_path / "pipe.txt", tmp_path / "dangling.html",
                                "/dev/null", good], report=report))
    assert [d.path for d in docs] == [str(good)] and report.skipped_count == 3
    assert "device" in report.skipped[2].reason
    with pytest.raises(InputError, match="FIFO"):
        read_document(tmp_path / "pipe.txt")  # never blocks


def test_unlistable_subdirectory_is_skipped_and_counted(tmp_path, monkeypatch):
    import os

    (tmp_path / "a.txt").write_text("hello\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("hidden\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked)
    report = ReadReport()
    docs = list(read_documents([tmp_path], report=report))
    assert [Path(d.path).name for d in docs] == ["a.txt"]
    [skip] = report.skipped
    assert skip.path == str(locked) and "permission denied" in skip.reason
