"""End to end on the seeds: `corpus align seeds -o OUT.tsv` as a user runs it.

The expected pairs come from reading seeds/004_* by hand: the Raqqa piece's English title is
line 549 (and the English half of the mixed line 547), its paragraphs lines 555-563; the
Arabic title is lines 567/573 (and the Arabic halves of 547 and 553), its paragraphs
575-583, paragraph k of one translating paragraph k of the other. The two Kandil pieces at
298-310 and 378-394 have no English anywhere in the seeds.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from typer.testing import CliRunner

from corpus.cli import app

pytestmark = pytest.mark.slow

RAQQA_EN_PARAGRAPHS = [555, 557, 559, 561, 563]
RAQQA_AR_PARAGRAPHS = [575, 577, 579, 581, 583]
RAQQA_EN_TITLE_LINES = {547, 549}
RAQQA_AR_TITLE_LINES = {547, 553, 567, 573}
ARABIC_ONLY_LINES = set(range(298, 311)) | set(range(378, 395))
ARABIC_BODY_LINES = ({298, 304, 306, 308, 310, 378} | set(range(384, 395, 2))
                     | {567, 573} | set(range(575, 584, 2)))


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lines(ref: str) -> set[int]:
    m = re.fullmatch(r"(\d+):\d+-(\d+):\d+", ref)
    assert m, ref
    return set(range(int(m.group(1)), int(m.group(2)) + 1))


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory, seeds_dir):
    out_dir = tmp_path_factory.mktemp("seeds_out")
    cache = tmp_path_factory.mktemp("cache")
    models = tmp_path_factory.mktemp("models")  # empty: no MT model installed
    result = CliRunner().invoke(app, ["align", str(seeds_dir), "-o", str(out_dir / "seeds.tsv"),
                                      "--cache-dir", str(cache), "--models-dir", str(models),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    return result, out_dir, cache, models


def test_writes_the_corpus_files_with_header_and_clean_cells(seeds_run):
    result, out_dir, _, _ = seeds_run
    main = out_dir / "seeds.tsv"
    for name in ("seeds.tsv", "seeds.untranslated.tsv", "seeds.rejects.tsv",
                 "seeds.signature.json"):
        assert (out_dir / name).exists(), name
    header = main.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
    for column in ("ar", "en", "origin", "score", "doc", "ar_ref", "en_ref"):
        assert column in header
    for line in main.read_text(encoding="utf-8").split("\n")[1:]:
        if line:
            assert len(line.split("\t")) == len(header)
            assert "\r" not in line
    assert "documents" in result.stderr and "wall time" in result.stderr


def test_raqqa_piece_is_aligned_paragraph_by_paragraph(seeds_run):
    _, out_dir, _, _ = seeds_run
    rows = [r for r in _rows(out_dir / "seeds.tsv") if r["doc"].split("/")[-1].startswith("004_")
            and r["origin"] == "aligned"]
    covered_ar = set()
    title_rows = 0
    for r in rows:
        ar_lines, en_lines = _lines(r["ar_ref"]), _lines(r["en_ref"])
        if ar_lines & set(RAQQA_AR_PARAGRAPHS):
            # paragraph k of the Arabic pairs with paragraph k of the English
            (ar_line,) = ar_lines
            k = RAQQA_AR_PARAGRAPHS.index(ar_line)
            assert en_lines == {RAQQA_EN_PARAGRAPHS[k]}, r
            covered_ar.add(ar_line)
        elif ar_lines & RAQQA_AR_TITLE_LINES:
            assert en_lines <= RAQQA_EN_TITLE_LINES, r
            title_rows += 1
    assert covered_ar == set(RAQQA_AR_PARAGRAPHS)
    assert title_rows >= 1


def test_arabic_only_pieces_are_never_aligned_and_land_untranslated(seeds_run):
    _, out_dir, _, _ = seeds_run
    for r in _rows(out_dir / "seeds.tsv"):
        if r["doc"].split("/")[-1].startswith("004_"):
            assert not (_lines(r["ar_ref"]) & ARABIC_ONLY_LINES), r
    untranslated = [r for r in _rows(out_dir / "seeds.untranslated.tsv")
                    if r["doc"].split("/")[-1].startswith("004_")]
    lines = set().union(*(_lines(r["ar_ref"]) for r in untranslated))
    for line in ARABIC_BODY_LINES & ARABIC_ONLY_LINES:
        assert line in lines, line
    assert all(r["reason"] for r in untranslated)


def test_every_arabic_body_line_ends_up_in_exactly_one_file(seeds_run):
    """Nothing dropped: each Arabic body line of seed 004 is in the corpus, the untranslated
    file or the rejects file (directly, or as a duplicate of a row that is)."""
    _, out_dir, _, _ = seeds_run
    import json

    seen: dict[int, str] = {}
    for name in ("seeds.tsv", "seeds.untranslated.tsv", "seeds.rejects.tsv"):
        for r in _rows(out_dir / name):
            refs = [(r["doc"], r["ar_ref"])]
            if r.get("duplicate_refs"):
                refs += [tuple(x) for x in json.loads(r["duplicate_refs"])]
            for doc, ref in refs:
                if doc.split("/")[-1].startswith("004_"):
                    for line in _lines(ref) & ARABIC_BODY_LINES:
                        assert seen.get(line, name) == name, (line, seen.get(line), name)
                        seen[line] = name
    assert set(seen) == ARABIC_BODY_LINES


def test_rerun_is_byte_identical_and_uses_the_cache(seeds_run, tmp_path, seeds_dir):
    _, out_dir, cache, models = seeds_run
    result = CliRunner().invoke(app, ["align", str(seeds_dir), "-o", str(tmp_path / "again.tsv"),
                                      "--cache-dir", str(cache), "--models-dir", str(models),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    for suffix in (".tsv", ".untranslated.tsv", ".rejects.tsv", ".signature.json"):
        assert (tmp_path / f"again{suffix}").read_bytes() == \
            (out_dir / f"seeds{suffix}").read_bytes(), suffix
    assert re.search(r"embedded\s+0 strings", result.stderr), result.stderr


def test_same_page_embeds_no_english_of_pages_without_arabic_and_says_so(tmp_path, seeds_dir,
                                                                         seed_004):
    """--same-page on the Raqqa piece of seed 004 (lines 544-590, its English on the same
    page) and seed 002 (English only): the Raqqa paragraphs are still aligned, seed 002 is
    not embedded at all, and the signature says so. (The default run pairs on the page
    first and searches other pages only for Arabic left untranslated there, so here it
    embeds no more than --same-page does.)"""
    pages = tmp_path / "pages"
    pages.mkdir()
    lines = seed_004.read_text(encoding="utf-8").split("\n")
    (pages / "raqqa.txt").write_text("\n".join(lines[543:590]) + "\n", encoding="utf-8")
    shutil.copy(next(seeds_dir.glob("002_*.txt")), pages / "english.txt")
    embedded = {}
    for flags in ([], ["--same-page"]):
        out = tmp_path / f"out{len(flags)}.tsv"
        result = CliRunner().invoke(app, ["align", str(pages), "-o", str(out), "--mt", "off",
                                          "--cache-dir", str(tmp_path / f"cache{len(flags)}"),
                                          "--no-progress", *flags])
        assert result.exit_code == 0, result.output
        embedded[bool(flags)] = int(re.search(r"embedded\s+(\d+) strings", result.stderr)[1])
        signature = out.with_name(out.name[:-4] + ".signature.json").read_text(encoding="utf-8")
        assert ("pair:span-5-samedoc" in signature) == bool(flags)
        aligned = [r for r in _rows(out) if r["origin"] == "aligned"]
        # line n of the excerpt is line n + 543 of the seed
        assert {line + 543 for r in aligned for line in _lines(r["ar_ref"])} >= set(
            RAQQA_AR_PARAGRAPHS)
    assert embedded[True] <= embedded[False]


def test_mt_required_without_a_model_fails_before_any_work(tmp_path, seeds_dir):
    result = CliRunner().invoke(app, ["align", str(seeds_dir), "-o", str(tmp_path / "x.tsv"),
                                      "--mt", "required", "--models-dir", str(tmp_path / "m"),
                                      "--no-progress"])
    assert result.exit_code == 2
    assert "corpus models install" in result.stderr
    assert not (tmp_path / "x.tsv").exists()


def test_missing_input_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["align", str(tmp_path / "nope"), "-o",
                                      str(tmp_path / "x.tsv"), "--no-progress"])
    assert result.exit_code == 2
    assert "nope" in result.stderr and "Traceback" not in result.output


def test_library_align_yields_rows_in_input_order(seeds_dir, seeds_run):
    import corpus
    from corpus.embed import get_embedder

    _, _, cache, _ = seeds_run
    shutil.rmtree(cache / "unused", ignore_errors=True)
    rows = list(corpus.align([seeds_dir / next(p.name for p in seeds_dir.glob("004_*"))],
                             embedder=get_embedder("e5-small", cache_dir=cache)))
    starts = [tuple(int(x) for x in r.ar_ref.split("-")[0].split(":")) for r in rows]
    assert starts == sorted(starts)
    assert {r.origin for r in rows} <= {"aligned", "untranslated"}


# --- with an MT model installed (the tiny random-weight fixture model: wording is nonsense) ---

from argos_fixture import (argos_env, argos_model, clean_argos_caches,  # noqa: E402,F401
                           installed_models)


def test_mt_translates_only_the_arabic_without_english(seeds_run, installed_models, tmp_path,
                                                      seed_004):
    _, out_dir, cache, _ = seeds_run
    out = tmp_path / "mt.tsv"
    result = CliRunner().invoke(app, ["align", str(seed_004), "-o", str(out), "--mt", "required",
                                      "--models-dir", str(installed_models),
                                      "--cache-dir", str(cache), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    mt_lines = set().union(*(_lines(r["ar_ref"]) for r in rows if r["origin"] == "mt"))
    aligned_lines = set().union(*(_lines(r["ar_ref"]) for r in rows if r["origin"] == "aligned"))
    # the Arabic-only pieces are translated; the Raqqa paragraphs keep their human English
    assert ARABIC_BODY_LINES & ARABIC_ONLY_LINES <= mt_lines | {
        line for r in rows for ref in ([] if not r["duplicate_refs"] else
                                       __import__("json").loads(r["duplicate_refs"]))
        for line in _lines(ref[1])}
    assert set(RAQQA_AR_PARAGRAPHS) <= aligned_lines
    assert not (mt_lines & set(RAQQA_AR_PARAGRAPHS))
    assert all(r["en"].strip() for r in rows if r["origin"] == "mt")
    assert len(_rows(out.with_name("mt.untranslated.tsv"))) == 0
    signature = out.with_name("mt.signature.json").read_text(encoding="utf-8")
    assert "mt:argos-translate-ar_en" in signature


def test_mt_auto_without_a_model_warns_once_and_writes_untranslated(seeds_run, tmp_path,
                                                                   seed_004):
    _, _, cache, models = seeds_run
    out = tmp_path / "auto.tsv"
    result = CliRunner().invoke(app, ["align", str(seed_004), "-o", str(out),
                                      "--models-dir", str(models), "--cache-dir", str(cache),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "corpus models install" in warnings[0], result.stderr
    assert not any(r["origin"] == "mt" for r in _rows(out))
    assert _rows(out.with_name("auto.untranslated.tsv"))


# --- a few dev-bench pages, one of each type (NTREX-128, CC-BY-SA-4.0) ---------------------

def _span(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    a, b = ref.split("-")
    return tuple(map(int, a.split(":"))), tuple(map(int, b.split(":")))


def test_dev_pages_every_arabic_sentence_lands_once_and_nothing_aligns_to_the_distractor(
        bench_dev, bench_gold, tmp_path_factory):
    """One page of each type: each gold Arabic sentence, at its place on the page, is covered
    by exactly one row of the three output files (directly or as a recorded duplicate)."""
    import json

    chosen = {}
    for page in bench_gold:
        chosen.setdefault(page["type"], page)
    pages = list(chosen.values())
    out = tmp_path_factory.mktemp("dev") / "dev.tsv"
    result = CliRunner().invoke(app, ["align", *[str(bench_dev / "pages" / p["page"])
                                                 for p in pages],
                                      "-o", str(out), "--mt", "off",
                                      "--cache-dir", str(tmp_path_factory.mktemp("devcache")),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    files = {name: _rows(out.with_name(name)) for name in
             ("dev.tsv", "dev.untranslated.tsv", "dev.rejects.tsv")}
    for page in pages:
        lines = (bench_dev / "pages" / page["page"]).read_text(encoding="utf-8").split("\n")
        spans = []  # (file, start, end) of every row of this page, duplicates included
        for name, rows in files.items():
            for r in rows:
                refs = [(r["doc"], r["ar_ref"])]
                refs += [tuple(x) for x in json.loads(r.get("duplicate_refs") or "[]")]
                spans += [(name, *_span(ref)) for doc, ref in refs if doc.endswith(page["page"])]
        for sid, sentence in page["ar"].items():
            where = [(n, lines[n - 1].find(sentence)) for n in page["ar_lines"]
                     if sentence in lines[n - 1]]
            if not where:
                continue  # the gold text differs from the page text (merged punctuation)
            line, col = where[0]
            point = (line, col + len(sentence) // 2)
            homes = [name for name, a, b in spans if a <= point < b]
            assert len(homes) == 1, (page["page"], sid, sentence, homes)
        distractor = [page["en"][str(i)] for i in page["en_distractor"] if str(i) in page["en"]]
        for r in files["dev.tsv"]:
            if r["doc"].endswith(page["page"]) and r["origin"] == "aligned":
                assert not any(d[:40] in r["en"] for d in distractor), r


def test_a_bad_file_is_skipped_counted_and_named_but_never_stops_the_run(seeds_run, tmp_path,
                                                                        seed_004):
    _, _, cache, models = seeds_run
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(seed_004, pages / seed_004.name)
    (pages / "broken.txt").write_bytes(b"\x00\x01\x02 not text")
    (pages / "empty.txt").write_bytes(b"")
    out = tmp_path / "o.tsv"
    result = CliRunner().invoke(app, ["align", str(pages), "-o", str(out), "--mt", "off",
                                      "--cache-dir", str(cache), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert re.search(r"documents\s+2 read, 1 skipped", result.stderr), result.stderr
    assert any("broken.txt" in line for line in result.stderr.splitlines()
               if line.startswith("warning:"))
    assert any(r["origin"] == "aligned" for r in _rows(out))


def test_summary_accounts_for_every_arabic_sentence(seeds_run):
    # aligned sentences (bilingual headline lines included) and untranslated rows add up to
    # the Arabic sentences counted: the summary hides none of them
    result, _, _, _ = seeds_run
    m = re.search(r"Arabic sentences (\d+): (\d+) aligned to human English, (\d+) "
                  r"machine-translated rows, (\d+) untranslated rows", result.output)
    assert m, result.output
    total, aligned, mt, untranslated = map(int, m.groups())
    assert aligned > 0 and aligned + mt + untranslated == total
    # English that pairs with no Arabic is written nowhere, but the summary counts it
    assert re.search(r"English left out (\d+) of the paired translations' sentences match no "
                     r"Arabic \(not written: a row needs Arabic\)", result.output), result.output
