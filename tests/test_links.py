"""The site's own evidence of translation pairs (corpus.links): hreflang and URL conventions."""

from __future__ import annotations

from pathlib import Path

from corpus.links import find_links, normalise
from corpus.read import read_document
from corpus.types import Document


def doc(path: str, url: str = "", lang: str = "", alternates=()) -> Document:
    return Document(path=path, text="", encoding="utf-8", lines=(), source_format="html",
                    url=url, html_lang=lang, alternates=tuple(alternates))


def pairs(docs) -> set[tuple[str, str, str]]:
    links = find_links(docs)
    return {(a, link.en_doc, link.found_by) for a, ls in links.linked.items() for link in ls}


def test_normalise_addresses():
    assert normalise("https://www.Site.example/a/index.html#top") == "site.example/a"
    assert normalise("http://site.example/a.html?b=2&a=1") == "site.example/a?a=1&b=2"


def test_hreflang_either_way_wins_over_url():
    a = doc("a", "https://s.example/ar/x", "ar", [("en", "https://s.example/en/x")])
    e = doc("e", "https://s.example/en/x", "en")
    assert pairs([a, e]) == {("a", "e", "hreflang")}
    a2 = doc("a", "https://s.example/p/1", "ar")
    e2 = doc("e", "https://s.example/p/2", "en", [("ar", "https://s.example/p/1")])
    assert pairs([a2, e2]) == {("a", "e", "hreflang")}


def test_url_conventions():
    cases = [
        ("https://s.example/ar/news/x", "https://s.example/en/news/x"),  # folder
        ("https://s.example/news/x.ar.html", "https://s.example/news/x.en.html"),  # suffix
        ("https://s.example/news/x_ar", "https://s.example/news/x_en"),
        ("https://s.example/a.php?id=3&lang=ar", "https://s.example/a.php?lang=en&id=3"),
        ("https://ar.s.example/x", "https://en.s.example/x"),  # subdomain
        ("https://s.example/ar/x", "https://s.example/x"),  # default language unmarked
        ("https://s.example/ar-eg/x", "https://s.example/en-eg/x"),
    ]
    for ua, ue in cases:
        assert pairs([doc("a", ua), doc("e", ue)]) == {("a", "e", "url")}, (ua, ue)


def test_no_link_without_evidence():
    cases = [
        ("https://s.example/ar/x", "https://s.example/en/y"),
        ("https://s.example/archive/x", "https://s.example/english/x2"),
        ("https://s.example/ar/x", "https://t.example/en/x"),  # another site
        ("https://s.example/a.php?id=3&lang=ar", "https://s.example/a.php?id=4&lang=en"),
    ]
    for ua, ue in cases:
        assert pairs([doc("a", ua), doc("e", ue)]) == set(), (ua, ue)


def test_declared_languages_limit_the_sides():
    fa = doc("fa", "https://s.example/x.fa", "fa", [("en", "https://s.example/x.en")])
    en = doc("en", "https://s.example/x.en", "en")
    fr = doc("fr", "https://s.example/fr/x", "fr")
    ar = doc("ar", "https://s.example/ar/x", "ar")
    assert pairs([fa, en]) == set()  # a Persian page is not Arabic
    assert pairs([ar, fr]) == set()  # the swapped page says it is French


def test_a_declared_counterpart_excludes_other_pages():
    ua, ue = "https://s.example/l/4.0/code.ar", "https://s.example/l/4.0/code.en"
    a = doc("a", ua, "ar", [("en", ue)])
    e = doc("e", ue, "en", [("ar", ua)])
    other_ar = doc("b", "https://s.example/l/3.0/eg/code.ar", "ar")
    near_dup = doc("d", "https://s.example/l/sa/4.0/code.en", "en")
    links = find_links([a, e, other_ar, near_dup])
    assert links.excludes("b", "e")  # e names its Arabic: it is not b's translation
    assert links.excludes("a", "d")  # a names its English: d is not it
    assert not links.excludes("a", "e") and not links.excludes("b", "d")


def test_local_files_relative_hreflang_and_canonical(tmp_path: Path):
    (tmp_path / "ar").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "ar" / "one.html").write_text(
        '<html lang="ar"><head><link rel="alternate" hreflang="en" href="../en/uno.html">'
        "</head><body><p>نص</p></body></html>", encoding="utf-8")
    (tmp_path / "en" / "uno.html").write_text(
        '<html lang="en"><body><p>Text</p></body></html>', encoding="utf-8")
    # a page that tells its URL: matched by it, not by its file name
    (tmp_path / "p1.html").write_text(
        '<html lang="ar"><head><link rel="canonical" href="https://s.example/ar/k">'
        "</head><body><p>نص</p></body></html>", encoding="utf-8")
    (tmp_path / "p2.html").write_text(
        '<html lang="en"><head><link rel="canonical" href="https://s.example/en/k">'
        "</head><body><p>Text</p></body></html>", encoding="utf-8")
    docs = [read_document(p) for p in sorted(tmp_path.rglob("*.html"))]
    got = {(Path(a).name, Path(e).name, how) for a, e, how in pairs(docs)}
    assert got == {("one.html", "uno.html", "hreflang"), ("p1.html", "p2.html", "url")}


def test_plain_text_paths_follow_the_folder_convention():
    assert pairs([doc("site/ar/page-1.txt"), doc("site/en/page-1.txt"),
                  doc("site/en/story-9.txt")]) == {("site/ar/page-1.txt", "site/en/page-1.txt",
                                                    "url")}


def test_a_named_english_page_that_is_not_in_the_input_excludes_nothing():
    # the Arabic page names its English, but the crawl holds it under another address
    a = doc("a", "https://s.example/ar/x", "ar", [("en", "https://s.example/en/x")])
    copy = doc("c", "https://s.example/amp/en-x", "en")
    assert not find_links([a, copy]).excludes("a", "c")
