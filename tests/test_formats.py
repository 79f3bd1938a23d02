"""Every output format, read back by the reader researchers use for it, gives back every row
and every cell: pandas and the csv module (TSV, with the calls the README documents),
Hugging Face ``datasets`` (csv with QUOTE_NONE, json, parquet, load_from_disk and
load_dataset on the hf folder), pyarrow (Parquet metadata), an XML parser (TMX) and line
counts (Moses).

The rows are made to break careless readers: cells that start with ``"`` (pandas and
``datasets`` would open a quoted field and swallow lines), a LINE SEPARATOR (a line break for
``str.splitlines``), bidi controls, Arabic-Indic digits, text that pandas would read as
missing (``NA``, ``null``, ``nan``), a backslash, ``#``, and 25 duplicates (more than one
``duplicate_refs`` cell holds). Expected values are written out by hand from the rules in
``corpus.write`` (a line break becomes a space; everything else is kept).

Sentences: seeds/004 and NTREX-128 (Microsoft, CC-BY-SA-4.0) via the dev bench, edited.
"""

from __future__ import annotations

import collections
import csv
import json
import warnings
from pathlib import Path

import pytest

from corpus.clean import Reject
from corpus.signature import make_signature
from corpus.types import Pair
from corpus.write import (DUPLICATE_COLUMNS, MAIN_COLUMNS, REJECT_COLUMNS, UNTRANSLATED_COLUMNS,
                          read_corpus, write_corpus)

RLE, PDF, RLM = "\u202b", "\u202c", "\u200f"  # bidi: right-to-left embedding, pop, RLM
DOC = "seeds/004_d75017c89a0786ad.txt"
DUPS = tuple((f"page_{i:03d}.txt", f"{i}:0-{i}:41") for i in range(1, 26))

PAIRS = [
    Pair(ar='"الرقة بعد البوكمال" معادلة المرحلة المقبلة',
         en='"Al Raqqa after Boukamal" is the equation\u2028of the next stage', origin="aligned",
         doc=DOC, ar_ref="547:60-547:101", en_ref="547:0-547:59", score=0.91234,
         found_by="mixed-line", extra={"duplicates": DUPS}),
    Pair(ar=f"واحتلت قناة {RLE}أيه بي سي{PDF} المركز الثاني بعدد مشاهدين بلغ ٣٫٢٦ مليون مشاهد{RLM}.",
         en='"ABC" was second with 3.26 million viewers', origin="aligned",
         doc="page_002.txt", ar_ref="12:2-12:70", en_ref="5:0-5:41", score=0.75,
         en_doc="page_002_en.txt", found_by="content"),
    Pair(ar='"', en="NA", origin="aligned", doc="#page.txt", ar_ref="1:0-1:1", en_ref="1:0-1:2",
         score=0.5, found_by="same-page"),
    Pair(ar="إيران ودرس كردستان العراق الجديد لمن يفهم!",
         en="null \\ nan", origin="mt", doc=DOC, ar_ref="298:0-298:42"),
]
UNTRANSLATED = [Pair(ar='"ناصر قنديل"\u2029في بيروت', en="", origin="untranslated", doc=DOC,
                     ar_ref="302:0-303:9", reason="no English translation found in the input",
                     extra={"duplicates": ((DOC, "310:0-310:10"),)})]
REJECTS = [Reject(Pair(ar="مقالات مشابهة", en='"Related"', origin="aligned", doc=DOC,
                       ar_ref="396:0-396:13", en_ref="396:14-396:21", score=0.4),
                  rule="boilerplate", detail='"مقالات مشابهة" is a boilerplate line')]
SIGNATURE = make_signature({"norm": "light", "clean": "ratio0.4-2.05"})


def refs(dups) -> str:
    return json.dumps([list(d) for d in dups[:20]], ensure_ascii=False) if dups else ""


# What every reader must give back, by hand: the LINE/PARAGRAPH SEPARATORs became spaces.
EXPECTED_PAIRS = [
    {"ar": '"الرقة بعد البوكمال" معادلة المرحلة المقبلة',
     "en": '"Al Raqqa after Boukamal" is the equation of the next stage', "origin": "aligned",
     "score": 0.9123, "doc": DOC, "ar_ref": "547:60-547:101", "en_ref": "547:0-547:59",
     "en_doc": "", "found_by": "mixed-line", "reason": "", "duplicates": 25,
     "duplicate_refs": refs(DUPS)},
    {"ar": PAIRS[1].ar, "en": '"ABC" was second with 3.26 million viewers', "origin": "aligned",
     "score": 0.75, "doc": "page_002.txt", "ar_ref": "12:2-12:70", "en_ref": "5:0-5:41",
     "en_doc": "page_002_en.txt", "found_by": "content", "reason": "", "duplicates": 0,
     "duplicate_refs": ""},
    {"ar": '"', "en": "NA", "origin": "aligned", "score": 0.5, "doc": "#page.txt",
     "ar_ref": "1:0-1:1", "en_ref": "1:0-1:2", "en_doc": "", "found_by": "same-page",
     "reason": "", "duplicates": 0, "duplicate_refs": ""},
    {"ar": "إيران ودرس كردستان العراق الجديد لمن يفهم!", "en": "null \\ nan", "origin": "mt",
     "score": None, "doc": DOC, "ar_ref": "298:0-298:42", "en_ref": "", "en_doc": "",
     "found_by": "", "reason": "", "duplicates": 0, "duplicate_refs": ""},
]
EXPECTED_UNTRANSLATED = [
    {"ar": '"ناصر قنديل" في بيروت', "doc": DOC, "ar_ref": "302:0-303:9",
     "reason": "no English translation found in the input", "duplicates": 1,
     "duplicate_refs": json.dumps([[DOC, "310:0-310:10"]], ensure_ascii=False)}]
EXPECTED_REJECTS = [
    {"ar": "مقالات مشابهة", "en": '"Related"', "origin": "aligned", "score": 0.4, "doc": DOC,
     "ar_ref": "396:0-396:13", "en_ref": "396:14-396:21", "en_doc": "", "found_by": "",
     "rule": "boilerplate", "detail": '"مقالات مشابهة" is a boilerplate line'}]
EXPECTED_DUPLICATES = (
    [{"doc": DOC, "ar_ref": "547:60-547:101", "duplicate_doc": d, "duplicate_ref": r}
     for d, r in DUPS]
    + [{"doc": DOC, "ar_ref": "302:0-303:9", "duplicate_doc": DOC,
        "duplicate_ref": "310:0-310:10"}])
EXPECTED = {"pairs": EXPECTED_PAIRS, "untranslated": EXPECTED_UNTRANSLATED,
            "rejects": EXPECTED_REJECTS, "duplicates": EXPECTED_DUPLICATES}
COLUMNS = {"pairs": MAIN_COLUMNS, "untranslated": UNTRANSLATED_COLUMNS,
           "rejects": REJECT_COLUMNS, "duplicates": DUPLICATE_COLUMNS}


def test_expected_rows_follow_the_schema():
    for name, rows in EXPECTED.items():
        for row in rows:
            assert tuple(row) == COLUMNS[name]


def _write(tmp_path: Path, fmt: str, *, rejects=REJECTS):
    return write_corpus(PAIRS, tmp_path / "out.tsv", format=fmt, untranslated=UNTRANSLATED,
                        rejects=rejects, signature=SIGNATURE)


def _plain(records):
    """Reader output as plain Python: NaN -> None, numpy scalars -> Python."""
    out = []
    for rec in records:
        row = {}
        for k, v in rec.items():
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and v != v:
                v = None
            row[k] = v
        out.append(row)
    return out


# ---- the README's reading calls, verbatim -------------------------------------------------

def pandas_tsv(path):
    import pandas as pd

    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False,
                       na_values={"score": [""]},
                       dtype=collections.defaultdict(lambda: str, score="float64",
                                                     duplicates="int64"))


def csv_module_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def hf_features(columns):
    import datasets

    return datasets.Features({c: datasets.Value("float64" if c == "score" else
                                                "int64" if c == "duplicates" else "string")
                              for c in columns})


def hf_csv(path, columns):
    import datasets

    return datasets.load_dataset("csv", data_files=str(path), delimiter="\t",
                                 quoting=csv.QUOTE_NONE, keep_default_na=False,
                                 na_values={"score": [""]}, features=hf_features(columns),
                                 split="train")


@pytest.fixture(autouse=True)
def _quiet_datasets(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    try:
        import datasets
        datasets.disable_progress_bars()
    except ImportError:
        pass
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def _cells(rows):
    """TSV cells as text: what a string-only reader (the csv module) must give back."""
    def cell(v):
        return "" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)
    return [{k: cell(v) for k, v in r.items()} for r in rows]


def test_tsv_through_pandas_csv_module_and_datasets(tmp_path):
    files = _write(tmp_path, "tsv")
    for name, path in (("pairs", files.main[0]), ("untranslated", files.untranslated),
                       ("rejects", files.rejects), ("duplicates", files.duplicates)):
        expected = EXPECTED[name]
        assert _plain(pandas_tsv(path).to_dict("records")) == expected, name
        assert csv_module_tsv(path) == _cells(expected), name
        assert _plain(hf_csv(path, COLUMNS[name]).to_list()) == expected, name
    # one physical line per row and no line separator left for str.splitlines()
    text = files.main[0].read_text(encoding="utf-8")
    assert len(text.splitlines()) == text.count("\n") == len(PAIRS) + 1


def test_header_only_side_files_load(tmp_path):
    files = _write(tmp_path, "tsv", rejects=[])
    assert files.rejects.read_text(encoding="utf-8") == "\t".join(REJECT_COLUMNS) + "\n"
    assert len(pandas_tsv(files.rejects)) == 0
    assert csv_module_tsv(files.rejects) == []
    # datasets cannot build an empty split from any file; the documented fallback does
    import datasets
    import pandas as pd  # noqa: F401

    empty = datasets.Dataset.from_pandas(pandas_tsv(files.rejects),
                                         features=hf_features(REJECT_COLUMNS),
                                         preserve_index=False)
    assert len(empty) == 0 and list(empty.features) == list(REJECT_COLUMNS)
    # and the hf format opens an empty split
    hf = _write(tmp_path / "hf", "hf", rejects=[])
    assert len(datasets.load_from_disk(str(hf.main[0]))["rejects"]) == 0


def test_jsonl_through_datasets_and_json(tmp_path):
    import datasets

    files = _write(tmp_path, "jsonl")
    for name, path in (("pairs", files.main[0]), ("untranslated", files.untranslated),
                       ("rejects", files.rejects), ("duplicates", files.duplicates)):
        with open(path, encoding="utf-8") as f:
            assert [json.loads(line) for line in f] == EXPECTED[name], name
        ds = datasets.load_dataset("json", data_files=str(path), split="train",
                                   features=hf_features(COLUMNS[name]))
        assert ds.to_list() == EXPECTED[name], name


def test_parquet_through_pandas_datasets_and_pyarrow(tmp_path):
    import datasets
    import pandas as pd
    import pyarrow.parquet as pq

    files = _write(tmp_path, "parquet")
    for name, path in (("pairs", files.main[0]), ("untranslated", files.untranslated),
                       ("rejects", files.rejects), ("duplicates", files.duplicates)):
        assert _plain(pd.read_parquet(path).to_dict("records")) == EXPECTED[name], name
        ds = datasets.load_dataset("parquet", data_files=str(path), split="train")
        assert ds.to_list() == EXPECTED[name], name
        assert ds.features == hf_features(COLUMNS[name])  # the types come from the file
    meta = pq.read_schema(files.main[0]).metadata
    assert meta[b"corpus.signature"].decode() == SIGNATURE.compact
    assert json.loads(meta[b"corpus.signature_json"])["signature"] == SIGNATURE.compact


def test_hf_folder_through_load_from_disk_and_load_dataset(tmp_path):
    import datasets

    files = _write(tmp_path, "hf")
    folder = files.main[0]
    assert folder.name == "out.hf"
    dd = datasets.load_from_disk(str(folder))
    assert set(dd) == {"train", "untranslated", "rejects", "duplicates"}
    for split, name in (("train", "pairs"), ("untranslated", "untranslated"),
                        ("rejects", "rejects"), ("duplicates", "duplicates")):
        assert dd[split].to_list() == EXPECTED[name], split
        assert dd[split].features == hf_features(COLUMNS[name])
    assert datasets.load_dataset(str(folder), split="train").to_list() == EXPECTED_PAIRS
    assert datasets.load_dataset(str(folder), "duplicates",
                                 split="train").to_list() == EXPECTED_DUPLICATES
    card = (folder / "README.md").read_text(encoding="utf-8")
    header = card.split("---\n")[1]
    assert "- ar\n- en\n" in header and "size_categories:\n- n<1K" in header
    assert "license: unknown" in header
    assert SIGNATURE.compact in card and "1 (25.0%) are machine translations" in card
    assert json.loads((folder / "signature.json").read_text())["signature"] == \
        SIGNATURE.compact


def test_tmx_through_an_xml_parser(tmp_path):
    import xml.etree.ElementTree as ET

    files = _write(tmp_path, "tmx")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    tus = ET.parse(files.main[0]).getroot().findall("body/tu")
    assert len(tus) == len(EXPECTED_PAIRS)
    for tu, exp in zip(tus, EXPECTED_PAIRS):
        segs = {tuv.get(lang): tuv.find("seg").text for tuv in tu.findall("tuv")}
        assert segs == {"ar": exp["ar"], "en": exp["en"]}
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        want = {"x-" + k.replace("_", "-"): _cells([exp])[0][k] for k in MAIN_COLUMNS
                if k not in ("ar", "en") and _cells([exp])[0][k] != ""}
        assert props == want
    # side tables are TSV named after the format, beside the TMX
    assert files.untranslated.name == "out.tmx.untranslated.tsv"
    assert csv_module_tsv(files.rejects) == _cells(EXPECTED_REJECTS)


def test_moses_keeps_mt_apart_and_lines_parallel(tmp_path):
    files = _write(tmp_path, "moses")
    names = [p.name for p in files.main]
    assert names == ["out.ar", "out.en", "out.mt.ar", "out.mt.en", "out.ids", "out.mt.ids"]
    text = {n: p.read_text(encoding="utf-8") for n, p in zip(names, files.main)}
    human = [r for r in EXPECTED_PAIRS if r["origin"] == "aligned"]
    machine = [r for r in EXPECTED_PAIRS if r["origin"] == "mt"]
    for name, rows, lang in (("out.ar", human, "ar"), ("out.en", human, "en"),
                             ("out.mt.ar", machine, "ar"), ("out.mt.en", machine, "en")):
        assert text[name].count("\n") == len(text[name].splitlines()) == len(rows), name
        assert text[name].split("\n")[:-1] == [r[lang] for r in rows], name
    # .ids: line i holds the other columns of line i, tab-separated, no header (as OPUS)
    others = [c for c in MAIN_COLUMNS if c not in ("ar", "en")]
    for name, rows in (("out.ids", human), ("out.mt.ids", machine)):
        lines = text[name].split("\n")[:-1]
        assert [line.split("\t") for line in lines] == \
            [[_cells([r])[0][c] for c in others] for r in rows], name


def test_every_format_reads_back_the_same_records(tmp_path):
    """`corpus stats` and `review` read every format through one reader."""
    for fmt in ("tsv", "jsonl", "parquet", "hf", "tmx"):
        files = _write(tmp_path / fmt, fmt)
        got = read_corpus(files.main[0])
        assert got.format == fmt
        assert got.main == EXPECTED_PAIRS, fmt
        assert got.untranslated == EXPECTED_UNTRANSLATED, fmt
        assert got.rejects == EXPECTED_REJECTS, fmt
        assert got.duplicates == EXPECTED_DUPLICATES, fmt
        assert got.signature == SIGNATURE.compact, fmt
    # moses keeps human and machine translations in separate files: human rows come first
    moses = read_corpus(_write(tmp_path / "moses", "moses").main[0])
    assert moses.main == [r for r in EXPECTED_PAIRS if r["origin"] == "aligned"] + \
        [r for r in EXPECTED_PAIRS if r["origin"] == "mt"]
    assert moses.untranslated == EXPECTED_UNTRANSLATED and moses.rejects == EXPECTED_REJECTS


def test_formats_never_overwrite_each_other(tmp_path):
    written = {}
    for fmt in ("tsv", "jsonl", "parquet", "hf", "tmx", "moses"):
        for path in _write(tmp_path, fmt).all():
            assert path not in written, (fmt, path, written.get(path))
            written[path] = fmt
    for path, fmt in written.items():
        assert path.exists(), path
        if path.name.endswith("signature.json"):
            assert json.loads(path.read_text())["signature"] == SIGNATURE.compact


def test_same_input_gives_byte_identical_files(tmp_path):
    for fmt in ("tsv", "moses", "jsonl", "tmx", "parquet", "hf"):
        a, b = _write(tmp_path / "a", fmt), _write(tmp_path / "b", fmt)
        pa_files = sorted(p for p in a.main[0].parent.rglob("*") if p.is_file())
        pb_files = sorted(p for p in b.main[0].parent.rglob("*") if p.is_file())
        assert [p.relative_to(tmp_path / "a") for p in pa_files] == \
            [p.relative_to(tmp_path / "b") for p in pb_files]
        for x, y in zip(pa_files, pb_files):
            assert x.read_bytes() == y.read_bytes(), x
