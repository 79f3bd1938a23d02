"""Normalisation schemes, table-driven on real strings from the seeds and the dev bench.

Seed strings come from seeds/004 (the Kandil piece and the English articles around it) and
seeds/000; the date line comes from the dev bench (NTREX-128 pages, CC-BY-SA-4.0). Expected
values were worked out by hand from the scheme definitions in corpus/normalize.py.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import corpus
from corpus.cli import app
from corpus.errors import InputError
from corpus.normalize import SCHEMES, normalize, normalizer_signature

RLM, LRM, ZWNJ, ZWSP, BOM, NBSP = "\u200f", "\u200e", "\u200c", "\u200b", "\ufeff", "\u00a0"

LIGHT = [
    # tatweel U+0640 after the preposition in "لـ«إسرائيل»" (seed 004)
    pytest.param("القدس عاصمة لـ«إسرائيل»، وشرط", "القدس عاصمة ل«إسرائيل»، وشرط", id="tatweel"),
    pytest.param("العـــــربية", "العربية", id="tatweel-run"),
    # the byline of the Kandil piece wrapped in bidi marks, as pages copied from editors have
    pytest.param(f"{RLM}ناصر قنديل{LRM}", "ناصر قنديل", id="bidi-marks"),
    pytest.param(f"{BOM}إيران ودرس{ZWSP} كردستان", "إيران ودرس كردستان", id="bom-zwsp"),
    # ZWNJ inside a Persian word is spelling and stays; at a word edge or doubled it goes
    pytest.param(f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم", id="zwnj-inside-word-kept"),
    pytest.param(f"{ZWNJ}ناصر {ZWNJ}{ZWNJ}قنديل{ZWNJ}", "ناصر قنديل", id="zwnj-stray"),
    pytest.param(f"می{ZWNJ}{ZWNJ}خواهم", f"می{ZWNJ}خواهم", id="zwnj-doubled"),
    # no-break spaces and doubled spaces (seed 004)
    pytest.param(f"Damascus would{NBSP}demand the", "Damascus would demand the", id="nbsp"),
    pytest.param("the  Raqqa   military\tcampaign ", "the Raqqa military campaign",
                 id="whitespace-runs"),
    # punctuation spacing (seed 004 and seed 000)
    pytest.param("in Syria and Iraq, such as , breaching", "in Syria and Iraq, such as, breaching",
                 id="space-before-comma"),
    pytest.param("will be yours tomorrow” : “We are", "will be yours tomorrow”: “We are",
                 id="space-before-colon"),
    pytest.param("والسياسة منغمسة ،في استقراء رسائل", "والسياسة منغمسة، في استقراء رسائل",
                 id="arabic-comma-spacing"),
    pytest.param("لمن يفهم ؟ نعم ؛لا", "لمن يفهم؟ نعم؛ لا", id="arabic-question-semicolon"),
    # things that look like spacing errors but are not
    pytest.param("U.S. forces, 3.5 per cent, 1,600 civilians at 14:02 on 15.04.2018",
                 "U.S. forces, 3.5 per cent, 1,600 civilians at 14:02 on 15.04.2018",
                 id="numbers-and-abbreviations-untouched"),
    pytest.param("by .5 per cent", "by .5 per cent", id="leading-decimal-point"),
    # meaning-bearing characters stay in light: diacritics, hamza forms, digits, superscripts
    pytest.param("بدا واضحاً أن كل التهديد لا يفتّ", "بدا واضحاً أن كل التهديد لا يفتّ",
                 id="diacritics-kept"),
    pytest.param("١٤ فبراير ٢٠١٨", "١٤ فبراير ٢٠١٨", id="arabic-indic-digits-kept"),
    pytest.param("an area of 10 km²", "an area of 10 km²", id="superscript-kept"),
    # Arabic presentation forms (lam-alef ligature U+FEFB, final/isolated forms) -> letters
    pytest.param("\ufefb \ufe8d\ufee0\ufecc\ufeae\ufe8d\ufed6", "لا العراق",
                 id="presentation-forms"),
    # a decoding loss stays visible
    pytest.param("الإيرانية ال\ufffd", "الإيرانية ال\ufffd", id="replacement-char-kept"),
    # line breaks are kept, spaces around them dropped, CRLF becomes LF
    pytest.param("Related Videos \r\n Related Articles", "Related Videos\nRelated Articles",
                 id="line-breaks"),
]

MATCH = [
    pytest.param("بدا واضحاً أن كل التهديد لا يفتّ", "بدا واضحا ان كل التهديد لا يفت",
                 id="diacritics-removed"),
    pytest.param("الإعلام أحداث آخر ٱلكتاب", "الاعلام احداث اخر الكتاب", id="alef-variants"),
    pytest.param("السياسة حتى على", "السياسه حتي علي", id="teh-marbuta-alef-maksura"),
    pytest.param("١٤ فبراير ٢٠١٨", "14 فبراير 2018", id="arabic-indic-digits"),
    pytest.param("۱۴ فبراير", "14 فبراير", id="persian-digits"),
    pytest.param("القدس عاصمة لـ«إسرائيل»", "القدس عاصمه ل«اسرائيل»", id="includes-light"),
    pytest.param("Ruins of Liberation", "ruins of liberation", id="case-folded"),
    pytest.param("an area of 10 km²", "an area of 10 km2", id="full-nfkc"),
]


@pytest.mark.parametrize("raw, expected", LIGHT)
def test_light(raw, expected):
    assert normalize(raw) == expected
    assert normalize(raw, "light") == expected


@pytest.mark.parametrize("raw, expected", MATCH)
def test_match(raw, expected):
    assert normalize(raw, "match") == expected


def test_none_is_identity():
    raw = f"{RLM}القدس عاصمة لـ«إسرائيل»  ، وشرط"
    assert normalize(raw, "none") == raw


def test_idempotent_on_seed_lines(seed_004, seed_000):
    lines = (seed_004.read_text(encoding="utf-8").splitlines()
             + seed_000.read_text(encoding="utf-8").splitlines())
    for scheme in ("light", "match"):
        for line in lines:
            once = normalize(line, scheme)
            assert normalize(once, scheme) == once


def test_light_keeps_arabic_letters_of_seed(seed_004):
    # light only deletes invisible/format characters and tatweel, and moves spaces: the
    # letters of the Arabic op-ed come out unchanged.
    text = seed_004.read_text(encoding="utf-8")
    arabic = [line for line in text.splitlines() if line.startswith("– ")]
    assert arabic
    for line in arabic:
        out = normalize(line)
        assert [c for c in out if c.isalpha()] == [c for c in line if c.isalpha()
                                                   and c != "\u0640"]


def test_unknown_scheme():
    with pytest.raises(InputError, match="unknown normalisation scheme 'heavy'"):
        normalize("نص", "heavy")
    with pytest.raises(InputError):
        normalizer_signature("heavy")


def test_signature_and_public_api():
    assert SCHEMES == ("none", "light", "match")
    assert normalizer_signature() == "norm:light"
    assert normalizer_signature("match") == "norm:match"
    # corpus.normalize is the function, or (once the submodule is imported, as here) the
    # module, which forwards calls to it
    assert corpus.normalize("العـــربية ،جميلة", "light") == "العربية، جميلة"
    assert corpus.normalizer_signature is normalizer_signature
    assert corpus.SCHEMES == SCHEMES


# --- CLI -------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_stdin():
    result = runner.invoke(app, ["normalize"], input="العـــربية ،جميلة\nsuch as , breaching\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "العربية، جميلة\nsuch as, breaching\n"


def test_cli_file_with_scheme(tmp_path):
    path = tmp_path / "dates.txt"
    path.write_text("١٤ فبراير ٢٠١٨\nالإعلام\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", "--scheme", "match", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "14 فبراير 2018\nالاعلام\n"


def test_cli_seed_file(seed_004):
    result = runner.invoke(app, ["normalize", str(seed_004)])
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    raw = seed_004.read_text(encoding="utf-8").splitlines()
    assert len(out) == len(raw)
    assert "القدس عاصمة ل«إسرائيل»" in result.stdout


def test_cli_unknown_scheme():
    result = runner.invoke(app, ["normalize", "--scheme", "heavy"], input="x\n")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: unknown normalisation scheme 'heavy' (choose one of: none, light, match)"]
    assert result.stdout == ""


def test_cli_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["normalize", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert str(missing) in result.stderr


def test_cli_undecodable_file(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(app, ["normalize", str(binary)])
    assert result.exit_code == 2
    assert str(binary) in result.stderr
