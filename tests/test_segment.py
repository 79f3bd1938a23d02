"""Sentence segmentation: hand-checked cases, seed lines and dev-bench paragraphs against gold.

Dev-bench paragraphs come from ../shared/bench/dev (NTREX-128, CC-BY-SA-4.0, Microsoft:
Federmann, Kocmi and Xin 2022); they are read from the bench, not copied here.
"""

from __future__ import annotations

import pytest

import corpus
from corpus.segment import segment_section, split_sentences
from corpus.types import Document, Line, Piece, Section


def texts(text: str, lang: str = "en") -> list[str]:
    return [s.text for s in split_sentences(text, lang)]


# (paragraph, expected sentences), checked by hand
ENGLISH_CASES = [
    pytest.param("He left. She stayed.", ["He left.", "She stayed."], id="plain"),
    pytest.param('She said, "We won." Then she left.', ['She said, "We won."', "Then she left."],
                 id="closing-quote-after-stop"),
    pytest.param('"Why?" he asked. Nobody knew.', ['"Why?" he asked.', "Nobody knew."],
                 id="question-in-quote-lowercase-next"),
    pytest.param("“We are ready.” The mayor agreed.", ["“We are ready.”", "The mayor agreed."],
                 id="curly-quotes"),
    pytest.param("The Rockies won 5-2 on Friday. He scored 3.5 points per game.",
                 ["The Rockies won 5-2 on Friday.", "He scored 3.5 points per game."],
                 id="numbers"),
    pytest.param("The U.S. Senate voted. Dr. Ford testified at 10 a.m. on Thursday.",
                 ["The U.S. Senate voted.", "Dr. Ford testified at 10 a.m. on Thursday."],
                 id="abbreviations"),
    pytest.param("Col. Smith met Mr. Jones. They talked.",
                 ["Col. Smith met Mr. Jones.", "They talked."], id="titles"),
    pytest.param("Troops left the U.S. The war went on.",
                 ["Troops left the U.S.", "The war went on."], id="abbreviation-ends-sentence"),
    pytest.param("The book by J. R. Smith sold well. It was reprinted.",
                 ["The book by J. R. Smith sold well.", "It was reprinted."], id="initials"),
    pytest.param("Half the pupils achieved an A. This shows progress.",
                 ["Half the pupils achieved an A.", "This shows progress."],
                 id="letter-grade-not-initial"),
    pytest.param("Wait... What happened? Nothing!", ["Wait...", "What happened?", "Nothing!"],
                 id="ellipsis-and-marks"),
    pytest.param("It was late … and cold.", ["It was late … and cold."],
                 id="free-standing-ellipsis"),
    pytest.param("He was there; it was late, and dark.", ["He was there; it was late, and dark."],
                 id="semicolon-is-not-an-end"),
    pytest.param("See No. 5 on the list.", ["See No. 5 on the list."], id="no-digit"),
    pytest.param("It is all he has left now. 18 holes to make a mark.",
                 ["It is all he has left now.", "18 holes to make a mark."],
                 id="sentence-opens-with-a-number"),
    pytest.param("They won! 3 more games remain.", ["They won!", "3 more games remain."],
                 id="number-after-exclamation"),
    pytest.param("See p. 12 and pp. 14-20 in vol. 3 of the report.",
                 ["See p. 12 and pp. 14-20 in vol. 3 of the report."], id="page-numbers"),
    pytest.param("The rally starts at 7 p.m. 18 buses were booked.",
                 ["The rally starts at 7 p.m. 18 buses were booked."],
                 id="number-after-dotted-abbreviation"),
    pytest.param("It happened on Oct. 2, 1968 in the U.S. 1 man died.",
                 ["It happened on Oct. 2, 1968 in the U.S. 1 man died."],
                 id="number-after-month-and-dotted"),
    pytest.param("Steps 1. 2. 3. follow. The rate was 3.5 percent.",
                 ["Steps 1. 2. 3. follow.", "The rate was 3.5 percent."],
                 id="numbering-and-decimals"),
    pytest.param("It was signed by J. 5 people watched.",
                 ["It was signed by J. 5 people watched."], id="number-after-initial"),
    pytest.param("He waited... 10 minutes later he left.",
                 ["He waited... 10 minutes later he left."], id="number-after-ellipsis"),
    pytest.param("– First sentence. Second one.", ["First sentence.", "Second one."],
                 id="en-dash-bullet"),
    pytest.param("- Hyphen bullet here.", ["Hyphen bullet here."], id="hyphen-bullet"),
    pytest.param("  • Bullet point.  ", ["Bullet point."], id="bullet-and-whitespace"),
    pytest.param("No final stop", ["No final stop"], id="paragraph-end-is-an-end"),
    pytest.param("He works for Apple Inc. The firm grew. Apple Inc. said so.",
                 ["He works for Apple Inc.", "The firm grew.", "Apple Inc. said so."],
                 id="inc"),
    pytest.param("1. Regarding Proxy Support for the Assad regime. It grew.",
                 ["1. Regarding Proxy Support for the Assad regime.", "It grew."],
                 id="numbered-paragraph"),
    pytest.param("“… There was a huge number of foreigners.” …",
                 ["“… There was a huge number of foreigners.” …"], id="ellipsis-fragments"),
    pytest.param("Votes are cast on Nov. What time is the rally? It starts on Nov. 6 at noon.",
                 ["Votes are cast on Nov.", "What time is the rally?",
                  "It starts on Nov. 6 at noon."], id="month-abbreviation-ends-sentence"),
    pytest.param("The wall is 30 ft. The gate is wide. Gov. Jones agreed.",
                 ["The wall is 30 ft.", "The gate is wide.", "Gov. Jones agreed."],
                 id="measure-abbreviation-ends-sentence"),
    pytest.param("Dr. Who is a show. It aired as Cena vs. The Rock. They met Dr. A. Smith.",
                 ["Dr. Who is a show.", "It aired as Cena vs. The Rock.",
                  "They met Dr. A. Smith."], id="title-before-name-like-opener"),
    pytest.param('"Is there a shark?" Smith asked. "Get out!" Mr. John Hammel added, running.',
                 ['"Is there a shark?" Smith asked.',
                  '"Get out!" Mr. John Hammel added, running.'], id="speech-tag-after-quote"),
    pytest.param('"Is it over?" He left. "Is it over?" Trump said the war went on.',
                 ['"Is it over?"', "He left.", '"Is it over?"', "Trump said the war went on."],
                 id="no-speech-tag-after-quote"),
    pytest.param("He bought one. iPhone sales rose in the U.S. eBay sales fell.",
                 ["He bought one.", "iPhone sales rose in the U.S. eBay sales fell."],
                 id="small-first-letter-name"),
    pytest.param("He lives on Main St. Which street is yours? They left the U.S. Your turn.",
                 ["He lives on Main St.", "Which street is yours?", "They left the U.S.",
                  "Your turn."], id="wh-word-and-determiner-after-abbreviation"),
    # a Title Case heading capitalises every word after an abbreviation: no sentence end
    pytest.param("Apple Event Set For Sept. With New iPhones Expected",
                 ["Apple Event Set For Sept. With New iPhones Expected"],
                 id="title-case-heading-month"),
    pytest.param("Election Set for Nov. After Months of Delay. Voters wait.",
                 ["Election Set for Nov. After Months of Delay.", "Voters wait."],
                 id="title-case-heading-month-small-words"),
]


@pytest.mark.parametrize("text, expected", ENGLISH_CASES)
def test_english(text, expected):
    assert texts(text, "en") == expected


ARABIC_CASES = [
    pytest.param("هل أنت السبب في ذلك؟ قال نعم.", ["هل أنت السبب في ذلك؟", "قال نعم."],
                 id="arabic-question-mark"),
    pytest.param("قال الرئيس، إنه سيزور المدينة؛ ثم غادر.",
                 ["قال الرئيس، إنه سيزور المدينة؛ ثم غادر."], id="arabic-comma-semicolon"),
    pytest.param("عاصمة لـ«إسرائيل». وقال: «لن نتراجع.» ثم غادر.",
                 ["عاصمة لـ«إسرائيل».", "وقال: «لن نتراجع.»", "ثم غادر."], id="guillemets"),
    pytest.param("فاز الفريق بنتيجة 5-2 ومتوسط 2.53 في الموسم. ثم توقف.",
                 ["فاز الفريق بنتيجة 5-2 ومتوسط 2.53 في الموسم.", "ثم توقف."], id="numbers"),
    pytest.param("– لم يكن هناك سبب كبير. غير أن سيرزير يأمل في الفوز.",
                 ["لم يكن هناك سبب كبير.", "غير أن سيرزير يأمل في الفوز."], id="dash-bullet"),
    pytest.param('وقال" إننا نؤدي أداءً طيبًا". ثم صمت.',
                 ['وقال" إننا نؤدي أداءً طيبًا".', "ثم صمت."], id="misplaced-opening-quote"),
    pytest.param("غادر اللاعبون الملعب الآن. 18 حفرة متبقية في البطولة.",
                 ["غادر اللاعبون الملعب الآن.", "18 حفرة متبقية في البطولة."],
                 id="arabic-sentence-opens-with-a-number"),
    pytest.param("انظر ص. 12 من التقرير.", ["انظر ص. 12 من التقرير."],
                 id="arabic-letter-abbreviation-before-number"),
    pytest.param("قال د. محمد إنه وصل عام 2019 م. ثم غادر.",
                 ["قال د. محمد إنه وصل عام 2019 م.", "ثم غادر."], id="arabic-abbreviations"),
    pytest.param("إنهم صغار وفضوليون جدًا ... إنهم لا يهدفون إلى إيذائك.",
                 ["إنهم صغار وفضوليون جدًا ... إنهم لا يهدفون إلى إيذائك."],
                 id="free-standing-ellipsis"),
    pytest.param("قال الوزير إن الأمر انتهى.وأضاف أنه سيعود. لماذا؟قال إنه لا يعرف. أين?قال",
                 ["قال الوزير إن الأمر انتهى.", "وأضاف أنه سيعود.", "لماذا؟",
                  "قال إنه لا يعرف.", "أين?", "قال"], id="stop-glued-to-next-word"),
    pytest.param('انتهى الأمر."وقال إنه سيعود.«ثم غادر»', ['انتهى الأمر."', "وقال إنه سيعود.",
                                                      "«ثم غادر»"], id="stop-glued-to-quote"),
    pytest.param("قال أ.د.محمد إن موقع الجزيرة.نت و http://مثال.إختبار نشرا الخبر.",
                 ["قال أ.د.محمد إن موقع الجزيرة.نت و http://مثال.إختبار نشرا الخبر."],
                 id="glued-abbreviation-and-address"),
]


@pytest.mark.parametrize("text, expected", ARABIC_CASES)
def test_arabic(text, expected):
    assert texts(text, "ar") == expected


def test_spans_slice_back_and_skip_bullets():
    paragraph = "– لم يكن هناك سبب كبير. غير أن سيرزير يأمل في الفوز."
    prefix = "ignored text\n"
    sentences = split_sentences(paragraph, "ar", offset=len(prefix), paragraph=3)
    whole = prefix + paragraph
    assert [whole[s.start:s.end] for s in sentences] == [s.text for s in sentences]
    assert sentences[0].start == len(prefix) + 2  # after "– "
    assert all(s.paragraph == 3 and s.lang == "ar" for s in sentences)


def test_empty_and_blank():
    assert split_sentences("", "en") == []
    assert split_sentences("   – ", "ar") == []


def test_public_api():
    assert corpus.split_sentences is split_sentences
    assert corpus.segment_section is segment_section


def test_seed_english_paragraph(seed_004):
    # seeds/004, the "US Hypocrisy" article: a paragraph with a question, a number range and
    # "CW" in brackets; sentences checked by hand.
    line = next(ln for ln in seed_004.read_text(encoding="utf-8").splitlines()
                if ln.startswith("Is the US sincere in its fury"))
    # the page has no-break spaces; compare with whitespace collapsed
    assert [" ".join(t.split()) for t in texts(line, "en")] == [
        "Is the US sincere in its fury about the alleged chemical attack in Syria?",
        "If this were more than theatrics, it would repent of its role in the 1980-88 "
        "Iran-Iraq war.",
        "More than 30 years ago the Iraqi regime was regularly delivering devastating chemical "
        "barrages against Iran.",
        "The US knew all along that Saddam Hussein, the Iraqi leader at the time, had been "
        "using mustard gas and sarin since 1983.",
        "Roughly 20,000 Iranian troops were killed by chemical weapons (CW) in that war.",
    ]


def test_seed_arabic_paragraph_is_one_sentence(seed_004):
    # seeds/004, the Kandil piece: a long paragraph joined by commas (and cut off by the
    # scraper) is one sentence: "،" never ends one.
    line = next(ln for ln in seed_004.read_text(encoding="utf-8").splitlines()
                if ln.startswith("– رسالة كردستان العراق"))
    sentences = split_sentences(line, "ar")
    assert len(sentences) == 1
    assert sentences[0].text == line[2:].rstrip()


def test_segment_section_counts_paragraphs():
    text = "Title line\nFirst one. Second one.\n– Third one."
    lines, start = [], 0
    for number, part in enumerate(text.split("\n"), 1):
        lines.append(Line(number, start, start + len(part)))
        start += len(part) + 1
    doc = Document(path="t.txt", text=text, encoding="utf-8", lines=tuple(lines))
    pieces = tuple(Piece(line=ln.number, start=ln.start, end=ln.end, lang="en", kind="body")
                   for ln in lines[1:])
    section = Section(doc="t.txt", lang="en", kind="body", pieces=pieces)
    sentences = segment_section(doc, section)
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("First one.", 0), ("Second one.", 0), ("Third one.", 1)]
    assert [doc.text[s.start:s.end] for s in sentences] == [s.text for s in sentences]


# dev-bench paragraphs: (page, 1-based line, language)
BENCH_PARAGRAPHS = [
    ("page_001.txt", 6, "ar"),   # a quote opened in the previous paragraph closes here
    ("page_001.txt", 7, "ar"),   # numbers 18-7 and 2.53
    ("page_014.txt", 16, "ar"),  # stop before the quote that closes the paragraph
    ("page_002.txt", 3, "en"),   # a merged sentence joined by ";"
    ("page_006.txt", 6, "en"),   # U.S. Rep. Maxine Waters, U.S. senators
    ("page_008.txt", 11, "en"),  # Det. Dennis McCarthy
    ("page_009.txt", 24, "en"),  # stuck," he said.
    ("page_033.txt", 38, "en"),  # ... no reports of irregularities by 1 p.m.
]


def gold_segments_on_line(gold: dict, line: str, lang: str) -> list[str]:
    """The gold segments found on ``line``, in order (a merged segment spans its ids)."""
    found = []
    for seg in gold[f"{lang}_segs"]:
        first, last = gold[lang][str(seg[0])], gold[lang][str(seg[-1])]
        start = line.find(first)
        if start >= 0:
            found.append((start, line[start:line.find(last, start) + len(last)]))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("page, number, lang", BENCH_PARAGRAPHS)
def test_dev_bench_paragraph_matches_gold(bench_dev, bench_gold, page, number, lang):
    gold = next(g for g in bench_gold if g["page"] == page)
    line = (bench_dev / "pages" / page).read_text(encoding="utf-8").split("\n")[number - 1]
    expected = gold_segments_on_line(gold, line, lang)
    assert expected, "fixture line holds no gold sentence"
    assert texts(line, lang) == expected


def test_nothing_is_lost_on_seed_paragraphs(seeds_dir):
    # every non-space character of a paragraph (after its bullet) is in exactly one sentence,
    # in order, and each span slices back to its sentence
    from corpus.segment import _LEADING

    for path in sorted(seeds_dir.glob("*.txt")):
        for line, lang in ((ln, lang) for ln in path.read_text(encoding="utf-8").split("\n")
                           for lang in ("ar", "en")):
            sentences = split_sentences(line, lang)
            body = line[_LEADING.match(line).end():]
            assert "".join("".join(s.text.split()) for s in sentences) == "".join(body.split())
            assert all(line[s.start:s.end] == s.text for s in sentences)
            assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
