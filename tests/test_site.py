"""End to end on a small bilingual website (slow: the real e5 model).

The pages are built by scripts/make_site_checkset.py's page template from one translated
dev-bench article (NTREX-128, Microsoft, CC BY-SA 4.0): an Arabic page that keeps the site's
English menus and footer, its English page linked by hreflang, and a near-duplicate English
page at another address that the site does not link and that matches the Arabic better (the
linked page leaves one sentence untranslated)."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT


def _template():
    spec = importlib.util.spec_from_file_location(
        "make_site_checkset", ROOT / "scripts" / "make_site_checkset.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_a_small_site_pairs_by_its_links_and_keeps_furniture_out(tmp_path, bench_gold):
    from corpus.embed import get_embedder
    from corpus.pipeline import align

    mk = _template()
    g = next(g for g in bench_gold if g["type"] == "a" and len(g["en_segs"]) >= 6)
    ar = [" ".join(g["ar"][str(i)] for i in seg) for seg in g["ar_segs"]]
    en = [" ".join(g["en"][str(i)] for i in seg) for seg in g["en_segs"]]
    ua, ue = "https://news.example/ar/story", "https://news.example/en/story"
    alts = [("ar", ua), ("en", ue)]
    site = tmp_path / "pages"
    for path, text in [
        ("ar/story.html", mk.page_html("ar", ar[0], ar, canonical=ua, alternates=alts,
                                       english_template=True)),
        ("en/story.html", mk.page_html("en", en[0], en[:2] + en[3:], canonical=ue,
                                       alternates=alts)),
        ("archive/copy.html", mk.page_html("en", en[0], en)),
    ]:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    rows = list(align([site], embedder=get_embedder("e5-small", cache_dir=tmp_path / "c")))
    aligned = [r for r in rows if r.origin == "aligned"]
    assert aligned
    assert {r.en_doc for r in aligned} == {str(site / "en/story.html")}
    assert {r.found_by for r in aligned} == {"hreflang"}
    furniture = {s for pair in mk.FURNITURE.values() for s in pair} | set(mk.EN_MENU) \
        | set(mk.AR_MENU) | {n for _, n in mk.LANGS}
    assert not [r for r in rows if r.ar in furniture or r.en in furniture]
    # the article's Arabic comes out, aligned or untranslated (merged beads may join two)
    assert len(rows) >= len(ar) - 1
