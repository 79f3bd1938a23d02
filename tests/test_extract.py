"""Main content of HTML pages and page metadata (corpus.extract, corpus.read.document_from_html).

The pages are small hand-written pages in the shapes real sites have (header, menus, language
menu, footer); the Arabic and English sentences are from NTREX-128 (Microsoft, CC BY-SA 4.0)."""

from __future__ import annotations

import logging

from corpus import extract as ex
from corpus.read import document_from_html, html_to_text

AR_1 = "شاهد أكثر من 20 مليون شخص الشهادة المثيرة التي تم الإدلاء بها يوم الثلاثاء من جانب مرشح المحكمة العليا."
AR_2 = "وتوقف سائق السيارة وحضر المسعفون ولكنه قد لقى مصرعه في مكان الحادث، وفقًا لما قالته الشرطة."
EN_1 = "More than 20 million people watched Thursday's gripping testimony by the Supreme Court nominee."
EN_2 = "The driver of the car stopped and paramedics attended, but the man died at the scene, police said."


def site_page(lang: str, headline: str, paragraphs: list[str], head: str = "",
              menu=("Home", "News", "Sport", "Contact us")) -> str:
    items = "".join(f'<li><a href="/{k}">{m}</a></li>' for k, m in enumerate(menu))
    langs = "".join(f'<li><a href="/{c}/">{n}</a></li>'
                    for c, n in [("en", "English"), ("ar", "العربية"), ("fr", "Français")])
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{headline} '
            f'| Site</title>{head}</head><body><header><a href="#m">Skip to content</a>'
            f'<nav><ul>{items}</ul></nav><nav><ul>{langs}</ul></nav></header>'
            f'<main id="m"><article><h1>{headline}</h1>{body}</article></main>'
            f'<footer><p>Subscribe to our newsletter to get the latest news in your inbox every '
            f'morning.</p><nav><a href="/privacy">Privacy policy</a></nav></footer>'
            f'</body></html>')


def test_main_content_keeps_article_and_headline_not_furniture():
    html = site_page("ar", "لقى راكب دراجة مصرعه إثر تصادم مع سيارة", [AR_1, AR_2])
    e = ex.extract(html)
    lines = e.text.splitlines()
    assert lines == ["لقى راكب دراجة مصرعه إثر تصادم مع سيارة", AR_1, AR_2]
    for furniture in ("Skip to content", "Home", "English", "العربية", "Privacy policy"):
        assert furniture not in lines
    assert e.lines_dropped == len(html_to_text(html).splitlines()) - 3
    # every line is a line of the page's visible text: spans point into real lines
    assert set(lines) <= set(html_to_text(html).splitlines())


def test_bare_paragraphs_are_kept_whole_including_a_repeated_headline():
    lines = ["Deptford road crash: Cyclist dies in collision with car", EN_1, EN_2,
             "Deptford road crash: Cyclist dies in collision with car", AR_1]
    html = ("<!doctype html><html><head><title>x</title></head><body>"
            + "".join(f"<p>{ln}</p>" for ln in lines) + "</body></html>")
    e = ex.extract(html)
    assert e.text.splitlines() == ["x"] + lines
    assert e.lines_dropped == 0 and not e.warning


def test_table_of_contents_links_out_heading_in():
    toc = "<aside><nav><ul><li><a href='#s1'>Section 1 – Definitions.</a></li></ul></nav></aside>"
    html = (f"<html lang='en'><body><main>{toc}<h2 id='s1'>Section 1 – Definitions.</h2>"
            f"<p>{EN_1}</p><p>{EN_2}</p></main></body></html>")
    lines = ex.extract(html).text.splitlines()
    assert lines.count("Section 1 – Definitions.") == 1
    assert lines[-2:] == [EN_1, EN_2]


def test_fallback_to_the_whole_page_when_the_extractor_finds_nothing(monkeypatch, caplog):
    html = site_page("en", "Headline of the story here", [EN_1, EN_2])
    monkeypatch.setattr(ex, "_main_text", lambda html: None)
    e = ex.extract(html)
    assert e.method == "full" and e.warning
    assert e.text == html_to_text(html)
    with caplog.at_level(logging.WARNING, logger="corpus.extract"):
        doc = document_from_html(html, path="site/p.html")
    assert "site/p.html" in caplog.text
    assert doc.text == html_to_text(html)


def test_page_metadata_canonical_lang_and_absolute_alternates():
    head = ('<link rel="canonical" href="https://news.example/ar/story-1">'
            '<link rel="alternate" hreflang="en" href="/en/story-1">'
            '<link rel="alternate" hreflang="AR" href="/ar/story-1">')
    doc = document_from_html(site_page("ar-EG", "عنوان", [AR_1], head=head), path="p.html")
    assert doc.url == "https://news.example/ar/story-1"
    assert doc.html_lang == "ar-eg"
    assert doc.alternates == (("en", "https://news.example/en/story-1"),
                              ("ar", "https://news.example/ar/story-1"))


def test_page_url_from_its_own_hreflang_entry_and_from_the_container():
    head = ('<link rel="alternate" hreflang="en" href="https://s.example/en/a">'
            '<link rel="alternate" hreflang="ar" href="https://s.example/ar/a">')
    meta = ex.page_meta(site_page("ar", "عنوان", [AR_1], head=head))
    assert meta.url == "https://s.example/ar/a"
    # relative hrefs resolve against the address the container gives (a WARC target URI)
    head = '<link rel="alternate" hreflang="en" href="../en/a.html">'
    doc = document_from_html(site_page("ar", "عنوان", [AR_1], head=head), path="x",
                             url="http://s.example/ar/a.html")
    assert doc.url == "http://s.example/ar/a.html"
    assert doc.alternates == (("en", "http://s.example/en/a.html"),)
    # a local file with no URL keeps the relative href for corpus.links to resolve
    assert ex.page_meta(site_page("ar", "عنوان", [AR_1], head=head)).alternates == (
        ("en", "../en/a.html"),)


def test_a_fragment_without_furniture_is_taken_whole_without_a_warning():
    e = ex.extract(f"<p>{EN_1}</p>")
    assert e.text == EN_1 + "\n" and not e.warning and e.method == "full"


def test_long_pages_are_matched_in_chunks_with_the_same_result():
    """A page beyond MATCH_WHOLE_WORDS is matched chunk by chunk (difflib on a long
    repetitive page costs minutes); on a long page with menus between its paragraphs the
    chunked matching keeps the same lines as matching it whole."""
    import random

    from corpus import extract

    rng = random.Random(3)
    vocab = [f"w{k}" for k in range(3000)]
    lines, main = [], []
    for k in range(2500):
        if k % 5 == 0:
            lines.append("Home About Contact")  # furniture the extractor leaves out
            continue
        line = " ".join(rng.choice(vocab) for _ in range(12))
        lines.append(line)
        main.append(line)
    main_text = "\n".join(main)
    chunked = extract._kept_lines(lines, main_text)
    whole_limit = extract.MATCH_WHOLE_WORDS
    try:
        extract.MATCH_WHOLE_WORDS = 10**9
        whole = extract._kept_lines(lines, main_text)
    finally:
        extract.MATCH_WHOLE_WORDS = whole_limit
    assert sum(len(ln.split()) for ln in lines) > whole_limit
    assert chunked == whole
    assert chunked == [not ln.startswith("Home") for ln in lines]


def test_matching_blocks_are_difflibs():
    # the shortcut for a chunk the extractor kept word for word must give what difflib gives
    import random
    from difflib import SequenceMatcher

    rng = random.Random(7)
    for _ in range(500):
        vocab = rng.choice([2, 3, 20])  # few words: the repetitive case difflib is slow on
        b = [str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 40))]
        a = (b[:rng.randrange(0, len(b) + 1)] if rng.random() < 0.7
             else [str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 20))])
        want = [tuple(m) for m in SequenceMatcher(None, a, b, autojunk=False)
                .get_matching_blocks() if m.size]
        assert [tuple(m) for m in ex._matching_blocks(a, b)] == want
