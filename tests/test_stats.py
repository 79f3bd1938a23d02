"""`corpus stats`: counts, rejects by rule, shares and histograms of a written corpus.

The corpus is written here from hand-made rows (seeds/004 and NTREX-128 sentences, the latter
CC-BY-SA-4.0 via the dev bench), so every expected number is counted from the rows below.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corpus.cli import app
from corpus.clean import Reject
from corpus.stats import corpus_stats, format_stats
from corpus.types import Pair
from corpus.write import write_corpus

runner = CliRunner()
DOC4 = "seeds/004.txt"
RAQQA = ("الرقة بعد البوكمال معادلة المرحلة المقبلة",
         "“Al Raqqa after Boukamal” is the equation of the next stage")  # ratio 59/41 = 1.44
ABC = ("واحتلت قناة أيه بي سي المركز الثاني بعدد مشاهدين بلغ 3.26 مليون مشاهد.",
       "ABC was second with 3.26 million viewers.")  # NTREX page_002; ratio 41/70 = 0.59


@pytest.fixture
def corpus_tsv(tmp_path):
    pairs = [
        Pair(ar=RAQQA[0], en=RAQQA[1], origin="aligned",
             doc=DOC4, ar_ref="547:60-547:101", score=0.92,
             extra={"duplicates": ((DOC4, "567:0-567:41"), (DOC4, "573:0-573:41"))}),
        Pair(ar=ABC[0], en=ABC[1], origin="aligned",
             doc="page_002.txt", ar_ref="12:0-12:71", score=0.55),
        Pair(ar="إيران ودرس كردستان العراق الجديد لمن يفهم!",
             en="Iran and the new lesson of Iraqi Kurdistan for those who understand!",
             origin="mt", doc=DOC4, ar_ref="298:0-298:42"),
    ]
    untranslated = [Pair(ar="ناصر قنديل", en="", origin="untranslated", doc=DOC4,
                         ar_ref="302:0-302:10", reason="no MT model")]
    rejects = [Reject(Pair(ar="مقالات مشابهة", en="", origin="untranslated", doc=DOC4,
                           ar_ref="396:0-396:13"), "boilerplate", "related articles"),
               Reject(Pair(ar="نوفمبر 7, 2017", en="", origin="untranslated", doc=DOC4,
                           ar_ref="551:0-551:14"), "boilerplate", "date line"),
               Reject(Pair(ar="لا", en="No", origin="aligned", doc=DOC4, ar_ref="9:0-9:2"),
                      "too_short", "ar has 2 chars")]
    files = write_corpus(pairs, tmp_path / "out.tsv", untranslated=untranslated,
                         rejects=rejects)
    return files.main[0]


def test_counts(corpus_tsv):
    s = corpus_stats(corpus_tsv)
    assert s["pairs"] == 3 and s["by_origin"] == {"aligned": 2, "mt": 1}
    assert s["untranslated"] == 1 and s["rejected"] == 3
    assert s["rejects_by_rule"] == {"boilerplate": 2, "too_short": 1}
    assert s["duplicates_merged"] == 2
    # Arabic occurrences: aligned 2 rows + 2 duplicates, mt 1, untranslated 1, rejected 3
    assert {k: v["rows"] for k, v in s["arabic"].items()} == \
        {"aligned": 4, "mt": 1, "untranslated": 1, "rejected": 3}
    assert sum(v["share_rows"] for v in s["arabic"].values()) == pytest.approx(1.0, abs=1e-3)
    assert s["top_documents"][0] == {"doc": DOC4, "pairs": 2}


def test_distributions(corpus_tsv):
    s = corpus_stats(corpus_tsv)
    ratio = s["length_ratio"]
    assert ratio["count"] == 2
    assert ratio["min"] == pytest.approx(len(ABC[1]) / len(ABC[0]), abs=1e-3)
    assert ratio["max"] == pytest.approx(len(RAQQA[1]) / len(RAQQA[0]), abs=1e-3)
    # ten bins over the observed range, 41/70 = 0.586 .. 59/41 = 1.439, rounded outwards
    bins = ratio["histogram"]
    assert len(bins) == 10 and bins[0]["lo"] == 0.58 and bins[-1]["hi"] == 1.44
    assert [b["count"] for b in bins] == [1] + [0] * 8 + [1]
    score = s["score"]
    assert score["count"] == 2 and score["median"] == pytest.approx(0.735)
    bins = score["histogram"]
    assert bins[0]["lo"] == 0.55 and bins[-1]["hi"] == 0.92
    assert [b["count"] for b in bins] == [1] + [0] * 8 + [1]
    text = format_stats(s)
    assert "\u2588" in text and "rejects by rule" in text


def test_without_side_files(corpus_tsv):
    corpus_tsv.with_name("out.rejects.tsv").unlink()
    corpus_tsv.with_name("out.untranslated.tsv").unlink()
    s = corpus_stats(corpus_tsv)
    assert s["rejected"] is None and s["untranslated"] is None and s["rejects_by_rule"] is None
    assert "(no file)" in format_stats(s)


def test_cli_text_and_json(corpus_tsv):
    result = runner.invoke(app, ["stats", str(corpus_tsv)])
    assert result.exit_code == 0, result.output
    assert "aligned 2" in result.stdout and "boilerplate" in result.stdout
    assert "seeds/004.txt" in result.stdout
    result = runner.invoke(app, ["stats", str(corpus_tsv), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rejects_by_rule"]["too_short"] == 1


def test_cli_errors(tmp_path):
    result = runner.invoke(app, ["stats", str(tmp_path / "missing.tsv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "missing.tsv" in result.stderr
    bad = tmp_path / "bad.tsv"
    bad.write_text("page\tar\nx\tنص\n", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(bad)])
    assert result.exit_code == 2 and "lacks column" in result.stderr


def test_histogram_spreads_scores_over_their_range(tmp_path):
    """Scores between 0.80 and 0.95 (a typical aligned corpus) fill many bins, not two."""
    scores = [0.80 + 0.01 * i for i in range(16)]  # 0.80, 0.81, ... 0.95
    pairs = [Pair(ar=f"{ABC[0]} {i}", en=f"{ABC[1]} {i}", origin="aligned", doc="p.txt",
                  ar_ref=f"{i + 1}:0-{i + 1}:70", score=sc) for i, sc in enumerate(scores)]
    files = write_corpus(pairs, tmp_path / "out.tsv")
    bins = corpus_stats(files.main[0])["score"]["histogram"]
    assert bins[0]["lo"] == 0.8 and bins[-1]["hi"] == 0.95
    assert sum(b["count"] for b in bins) == 16
    assert sum(1 for b in bins if b["count"]) >= 8


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "hf", "tmx", "moses"])
def test_every_format_gives_the_same_stats(corpus_tsv, tmp_path, fmt):
    from corpus.write import read_corpus

    tsv = read_corpus(corpus_tsv)
    pairs = [Pair(ar=r["ar"], en=r["en"], origin=r["origin"], doc=r["doc"],
                  ar_ref=r["ar_ref"], score=r["score"],
                  extra={"duplicates": tuple((d["duplicate_doc"], d["duplicate_ref"])
                                             for d in tsv.duplicates
                                             if (d["doc"], d["ar_ref"]) == (r["doc"], r["ar_ref"]))})
             for r in tsv.main]
    untranslated = [Pair(ar=r["ar"], en="", origin="untranslated", doc=r["doc"],
                         ar_ref=r["ar_ref"], reason=r["reason"]) for r in tsv.untranslated]
    rejects = [Reject(Pair(ar=r["ar"], en=r["en"], origin=r["origin"], doc=r["doc"],
                           ar_ref=r["ar_ref"]), r["rule"], r["detail"]) for r in tsv.rejects]
    files = write_corpus(pairs, tmp_path / fmt / "out", format=fmt, untranslated=untranslated,
                         rejects=rejects)
    want, got = corpus_stats(corpus_tsv), corpus_stats(files.main[0])
    keys = ["pairs", "by_origin", "untranslated", "rejected", "rejects_by_rule",
            "length_ratio", "score", "duplicates_merged", "arabic", "top_documents"]
    for key in keys:
        assert got[key] == want[key], key
    assert got["format"] == fmt
    result = runner.invoke(app, ["stats", str(files.main[0])])
    assert result.exit_code == 0, result.output
