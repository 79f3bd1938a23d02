"""Writers: each format is read back with a standard parser and compared with the pairs
written; writes are atomic and deterministic.

Sentences marked NTREX are from NTREX-128 (Microsoft, CC-BY-SA-4.0) as adapted in the dev
bench; the others are from seeds/004.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.clean import Reject
from corpus.errors import InputError
from corpus.signature import make_signature
from corpus.types import Pair
from corpus.write import (MAIN_COLUMNS, REJECT_COLUMNS, UNTRANSLATED_COLUMNS, output_paths,
                          write_corpus)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PAIRS = [
    # seeds/004 line 547: the mixed headline (a no-break space inside the Arabic, as on the page)
    Pair(ar="الرقة بعد البوكمال معادلة المرحلة\u00a0المقبلة",
         en="“Al Raqqa after Boukamal” is the equation of the next stage", origin="aligned",
         doc="seeds/004_d75017c89a0786ad.txt", ar_ref="547:60-547:101", en_ref="547:0-547:59",
         score=0.91234, extra={"duplicates": (("seeds/004_d75017c89a0786ad.txt",
                                               "567:0-567:41"),)}),
    # NTREX page_002 bead 237, with a tab, a line separator and markup-like text put in to
    # check escaping
    Pair(ar="واحتلت قناة أيه بي سي المركز الثاني\tبعدد مشاهدين بلغ 3.26 مليون مشاهد.",
         en="ABC was second with 3.26 million viewers <b>&amp;</b>\u2028\"quoted\"",
         origin="aligned", doc="page_002.txt", ar_ref="12:2-12:70", en_ref="5:0-5:41",
         score=0.75),
    # a 2-1 bead: both Arabic sentences in one cell (NTREX page_012, gold bead 961+962)
    Pair(ar='قال كينيدي:"أعني، بالتأكيد". "في طريقي إلى جلسة الاستماع، قلت، لقد تحدثت إلى '
            'القاضي كافانو.',
         en='"I mean, of course," said Kennedy, and "I said going into the hearing, I said, '
            'I\'ve talked to Judge Kavanaugh.', origin="aligned",
         doc="page_012.txt", ar_ref="20:2-20:93", en_ref="9:0-9:107", score=0.66),
    Pair(ar="إيران ودرس كردستان العراق الجديد لمن يفهم!",
         en="Iran and the new lesson of Iraqi Kurdistan for those who understand!",
         origin="mt", doc="seeds/004_d75017c89a0786ad.txt", ar_ref="298:0-298:42",
         reason="no English on the page", extra={"model": "argos-ar_en", "steps": [1, 2]}),
]
UNTRANSLATED = [Pair(ar="ناصر قنديل\r\nفي بيروت", en="", origin="untranslated",
                     doc="seeds/004_d75017c89a0786ad.txt", ar_ref="302:0-303:9",
                     reason="no English and no MT model")]
REJECTS = [Reject(Pair(ar="مقالات مشابهة", en="", origin="untranslated",
                       doc="seeds/004_d75017c89a0786ad.txt", ar_ref="396:0-396:13"),
                  rule="boilerplate", detail="ar is a boilerplate line: مقالات مشابهة")]
SIGNATURE = make_signature({"norm": "match", "clean": "ratio0.4-2.05"})
BREAKS = "\t\n\r\u2028\u2029\u0085"


def flat(text: str) -> str:
    """What a cell should hold: every tab and line break a space."""
    return "".join(" " if ch in BREAKS else ch for ch in text)


def write(tmp_path, fmt="tsv", name="out.tsv"):
    return write_corpus(PAIRS, tmp_path / name, format=fmt, untranslated=UNTRANSLATED,
                        rejects=REJECTS, signature=SIGNATURE)


def read_tsv_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_tsv_reads_back_with_the_csv_module(tmp_path):
    files = write(tmp_path)
    rows = read_tsv_csv(files.main[0])
    assert list(rows[0]) == list(MAIN_COLUMNS)
    assert len(rows) == len(PAIRS)
    for row, pair in zip(rows, PAIRS):
        assert row["ar"] == flat(pair.ar) and row["en"] == flat(pair.en)
        assert (row["origin"], row["doc"], row["ar_ref"], row["en_ref"]) == \
            (pair.origin, pair.doc, pair.ar_ref, pair.en_ref)
        assert row["score"] == ("" if pair.score is None else f"{pair.score:.4f}")
        dups = pair.extra.get("duplicates", ())
        assert int(row["duplicates"]) == len(dups)
        assert json.loads(row["duplicate_refs"] or "[]") == [list(d) for d in dups]
    # one physical line per row: no break survived inside a cell
    raw = files.main[0].read_bytes().decode("utf-8")
    assert raw.count("\n") == len(PAIRS) + 1 and "\r" not in raw and "\u2028" not in raw


def test_side_files(tmp_path):
    files = write(tmp_path)
    (untr,) = read_tsv_csv(files.untranslated)
    assert list(untr) == list(UNTRANSLATED_COLUMNS)
    assert untr["ar"] == "ناصر قنديل  في بيروت" and untr["reason"] == "no English and no MT model"
    (rej,) = read_tsv_csv(files.rejects)
    assert list(rej) == list(REJECT_COLUMNS)
    assert (rej["ar"], rej["rule"], rej["ar_ref"]) == ("مقالات مشابهة", "boilerplate",
                                                        "396:0-396:13")
    assert json.loads(files.signature.read_text(encoding="utf-8"))["signature"] == \
        SIGNATURE.compact


def test_moses_is_line_parallel_with_mt_apart(tmp_path):
    files = write(tmp_path, "moses")
    assert [p.name for p in files.main] == ["out.ar", "out.en", "out.mt.ar", "out.mt.en",
                                            "out.ids", "out.mt.ids"]
    human = [p for p in PAIRS if p.origin == "aligned"]
    machine = [p for p in PAIRS if p.origin == "mt"]
    for path, rows, side in zip(files.main[:4], (human, human, machine, machine),
                                ("ar", "en", "ar", "en")):
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[-1] == ""
        assert lines[:-1] == [flat(getattr(p, side)) for p in rows], path.name
    assert files.untranslated.name == "out.moses.untranslated.tsv"
    assert files.untranslated.exists() and files.rejects.exists()


def test_jsonl_has_the_tsv_schema(tmp_path):
    files = write(tmp_path, "jsonl")
    assert files.main[0].name == "out.jsonl"
    with open(files.main[0], encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == len(PAIRS)
    for rec, pair in zip(records, PAIRS):
        assert list(rec) == list(MAIN_COLUMNS)  # same fields, same order as the TSV
        for field in ("ar", "en", "origin", "doc", "ar_ref", "en_ref", "en_doc", "reason",
                      "found_by"):
            assert rec[field] == flat(getattr(pair, field)), field
        assert rec["score"] == (None if pair.score is None else round(pair.score, 4))
        dups = pair.extra.get("duplicates", ())
        assert rec["duplicates"] == len(dups)  # a count, as in the TSV
        assert json.loads(rec["duplicate_refs"] or "[]") == [list(d) for d in dups]
    assert files.untranslated.name == "out.jsonl.untranslated.jsonl"


def test_tmx_is_valid_xml_with_languages_and_props(tmp_path):
    files = write(tmp_path, "tmx")
    root = ET.parse(files.main[0]).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                 "srclang", "datatype"):  # required by TMX 1.4
        assert header.get(attr), attr
    assert header.get("srclang") == "ar"
    tus = root.findall("body/tu")
    assert len(tus) == len(PAIRS)
    for tu, pair in zip(tus, PAIRS):
        segs = {tuv.get(XML_LANG): tuv.find("seg").text for tuv in tu.findall("tuv")}
        assert segs == {"ar": flat(pair.ar), "en": flat(pair.en)}  # one value in every format
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-origin"] == pair.origin and props["x-doc"] == pair.doc
        assert props["x-ar-ref"] == pair.ar_ref
        if pair.score is not None:
            assert float(props["x-score"]) == pytest.approx(pair.score, abs=1e-4)
        # TMX 1.4: a tu's props come before its tuvs
        kinds = [child.tag for child in tu]
        assert kinds == sorted(kinds, key=lambda t: t == "tuv")


# The part of the TMX 1.4 DTD (LISA OSCAR, tmx14.dtd) that our files use: element structure
# and required attributes, restated from the specification.
TMX14_SUBSET_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|prop)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED
  adminlang CDATA #REQUIRED srclang CDATA #REQUIRED datatype CDATA #REQUIRED>
<!ELEMENT body (tu*)>
<!ELEMENT note (#PCDATA)>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED>
<!ELEMENT seg (#PCDATA)>
"""


def test_tmx_validates_against_the_tmx14_structure(tmp_path):
    import io

    from lxml import etree

    files = write(tmp_path, "tmx")
    tree = etree.parse(str(files.main[0]))
    assert tree.docinfo.encoding.upper() == "UTF-8"
    dtd = etree.DTD(io.StringIO(TMX14_SUBSET_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert len(tree.findall("body/tu")) == len(PAIRS)


def test_same_input_gives_byte_identical_files(tmp_path):
    for fmt in ("tsv", "moses", "jsonl", "tmx", "parquet"):
        a = write(tmp_path / "a", fmt)
        b = write(tmp_path / "b", fmt)
        for pa, pb in zip(a.all(), b.all()):
            assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_output_names():
    assert output_paths("x/out.tsv").untranslated == Path("x/out.untranslated.tsv")
    assert output_paths("x/out.tsv", "jsonl").main == (Path("x/out.jsonl"),)
    assert output_paths("x/out", "tsv").main == (Path("x/out.tsv"),)
    assert output_paths("x/out.tmx", "moses").main == (
        Path("x/out.ar"), Path("x/out.en"), Path("x/out.mt.ar"), Path("x/out.mt.en"),
        Path("x/out.ids"), Path("x/out.mt.ids"))
    assert output_paths("x/out.tsv").signature == Path("x/out.signature.json")
    assert output_paths("x/out.tsv", "tmx").signature == Path("x/out.tmx.signature.json")
    assert output_paths("x/out.tsv", "parquet").rejects == Path("x/out.parquet.rejects.parquet")
    assert output_paths("x/out", "hf").main == (Path("x/out.hf"),)
    assert output_paths("x/out.tsv").duplicates == Path("x/out.duplicates.tsv")
    with pytest.raises(InputError, match="unknown output format"):
        output_paths("out.tsv", "csv")


def test_interrupted_write_leaves_no_half_corpus(tmp_path):
    def failing_rejects():
        yield REJECTS[0]
        raise KeyboardInterrupt  # the user presses Ctrl-C half-way through

    with pytest.raises(KeyboardInterrupt):
        write_corpus(PAIRS, tmp_path / "out.tsv", untranslated=UNTRANSLATED,
                     rejects=failing_rejects(), signature=SIGNATURE)
    assert list(tmp_path.iterdir()) == []  # no temp file left, nothing that looks whole


def test_interrupted_rewrite_keeps_the_old_corpus_whole(tmp_path):
    files = write(tmp_path)
    before = {p: p.read_bytes() for p in files.all()}

    def failing():
        yield REJECTS[0]
        raise RuntimeError("disk full")  # fails after the main file's temp copy is written

    with pytest.raises(RuntimeError):
        write_corpus(PAIRS[:1], tmp_path / "out.tsv", rejects=failing(), signature=SIGNATURE)
    assert {p: p.read_bytes() for p in files.all()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in files.all())


def test_untranslated_rows_are_not_pairs(tmp_path):
    with pytest.raises(InputError, match="untranslated="):
        write_corpus(UNTRANSLATED, tmp_path / "out.tsv")


# ---- output locations that cannot be written: one clear error, before any work -----------

def test_check_output_refuses_unusable_locations(tmp_path):
    from corpus.errors import OutputError
    from corpus.write import check_output

    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a directory") as exc:
        check_output(blocker / "sub" / "out.tsv")
    assert exc.value.path == str(blocker)
    (tmp_path / "out.tsv").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        check_output(tmp_path / "out.tsv")
    (tmp_path / "x.hf").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="hf format writes a folder"):
        check_output(tmp_path / "x", "hf")
    with pytest.raises(OutputError, match="cannot write here"):
        check_output("/proc/corpus-test/out.tsv")  # /proc takes no new files, even for root
    # a missing folder is made, and nothing is left behind by the probe
    files = check_output(tmp_path / "new" / "deeper" / "out.tsv")
    assert files.main[0].parent.is_dir() and list(files.main[0].parent.iterdir()) == []


def test_os_errors_at_write_become_output_errors(tmp_path, monkeypatch):
    import errno
    import os as os_module

    from corpus.errors import OutputError

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os_module, "fsync", full_disk)
    with pytest.raises(OutputError, match="No space left on device") as exc:
        write(tmp_path)
    assert exc.value.path.endswith("out.tsv")
    assert [p for p in tmp_path.iterdir()] == []  # temp files removed


def test_duplicate_refs_cell_is_bounded_and_the_full_list_is_beside_it(tmp_path):
    from corpus.write import DUPLICATE_REFS_MAX

    dups = tuple((f"page_{i}.txt", f"{i}:0-{i}:5") for i in range(500))
    pair = Pair(ar="ناصر قنديل", en="Nasser Kandil", origin="aligned", doc="a.txt",
                ar_ref="1:0-1:10", score=0.9, extra={"duplicates": dups})
    files = write_corpus([pair], tmp_path / "out.tsv")
    (row,) = read_tsv_csv(files.main[0])
    assert int(row["duplicates"]) == 500
    assert json.loads(row["duplicate_refs"]) == [list(d) for d in dups[:DUPLICATE_REFS_MAX]]
    full = read_tsv_csv(files.duplicates)
    assert [(r["duplicate_doc"], r["duplicate_ref"]) for r in full] == list(dups)
    assert {(r["doc"], r["ar_ref"]) for r in full} == {("a.txt", "1:0-1:10")}


def test_rewriting_an_hf_folder_replaces_it_whole(tmp_path):
    first = write(tmp_path, "hf")
    (first.main[0] / "stray.txt").write_text("left from an older run", encoding="utf-8")
    again = write_corpus(PAIRS[:1], tmp_path / "out.tsv", format="hf", signature=SIGNATURE)
    assert again.main == first.main and not (again.main[0] / "stray.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.hf"]  # no temp or old folder
    from corpus.write import read_corpus
    assert len(read_corpus(again.main[0]).main) == 1
