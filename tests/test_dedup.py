"""Dedup: exact and normalised duplicates across inputs, one row kept with its other
occurrences recorded. Arabic strings are from seeds/004 (Nasser Kandil)."""

from __future__ import annotations

from corpus.dedup import DUPLICATES, dedup_pairs, duplicates_of
from corpus.types import Pair

RAQQA_AR = "الرقة بعد البوكمال معادلة المرحلة المقبلة"
RAQQA_EN = "“Al Raqqa after Boukamal” is the equation of the next stage"
# seeds/004 line 575, first clause: with shadda (ردّ) as on the page, and without it
KURD_AR = "ما جرى في كردستان العراق بمواجهة مشروع الانفصال لم يكن مجرد ردّ على عناد رئيس الإقليم"
KURD_AR_PLAIN = ("ما جرى في كردستان العراق بمواجهة مشروع الانفصال لم يكن مجرد رد على عناد "
                 "رئيس الاقليم")
KURD_EN = ("What has happened in the Iraqi Kurdistan through the conformation of the secession "
           "project was not mere a response to the obstinacy of the head of the Kurdish region")


def row(ar, en="", origin="untranslated", doc="seeds/004.txt", ref="1:0-1:1"):
    return Pair(ar=ar, en=en, origin=origin, doc=doc, ar_ref=ref)


def test_exact_duplicates_across_documents_keep_the_first_with_a_count():
    rows = [row(RAQQA_AR, RAQQA_EN, "aligned", "a.txt", "547:60-547:101"),
            row(KURD_AR, KURD_EN, "aligned", "a.txt", "575:2-575:90"),
            row(RAQQA_AR, RAQQA_EN, "aligned", "b.txt", "3:0-3:41")]
    out = dedup_pairs(rows)
    assert [p.ar_ref for p in out] == ["547:60-547:101", "575:2-575:90"]
    assert duplicates_of(out[0]) == (("b.txt", "3:0-3:41"),)
    assert duplicates_of(out[1]) == ()
    assert DUPLICATES not in out[1].extra


def test_normalised_duplicates_match():
    # diacritics (shadda), hamza on alef and a no-break space do not make a new sentence
    rows = [row(KURD_AR, ref="575:2-575:90"), row(KURD_AR_PLAIN, ref="9:0-9:88"),
            row(RAQQA_AR.replace(" ", "\u00a0", 1), ref="567:0-567:41"),
            row(RAQQA_AR, ref="573:0-573:41")]
    out = dedup_pairs(rows)
    assert [p.ar_ref for p in out] == ["575:2-575:90", "567:0-567:41"]
    assert duplicates_of(out[0]) == (("seeds/004.txt", "9:0-9:88"),)
    assert duplicates_of(out[1]) == (("seeds/004.txt", "573:0-573:41"),)


def test_same_arabic_with_two_human_translations_is_kept_twice():
    rows = [row(RAQQA_AR, RAQQA_EN, "aligned", ref="1:0-1:1"),
            row(RAQQA_AR, "Raqqa after Boukamal: the equation of the next stage", "aligned",
                ref="2:0-2:1")]
    assert len(dedup_pairs(rows)) == 2


def test_human_translation_beats_mt_and_untranslated_whatever_the_order():
    rows = [row(RAQQA_AR, "Raqqa after Albukamal equation of the next phase", "mt",
                ref="567:0-567:41"),
            row(RAQQA_AR, ref="573:0-573:41"),
            row(RAQQA_AR, RAQQA_EN, "aligned", ref="547:60-547:101"),
            row(KURD_AR, "machine output", "mt", ref="575:2-575:90"),
            row(KURD_AR, ref="600:0-600:88")]
    out = dedup_pairs(rows)
    # survivors keep input order: the aligned Raqqa row (3rd) and the mt Kurdistan row (4th)
    assert [(p.origin, p.ar_ref) for p in out] == [("aligned", "547:60-547:101"),
                                                   ("mt", "575:2-575:90")]
    assert duplicates_of(out[0]) == (("seeds/004.txt", "567:0-567:41"),
                                     ("seeds/004.txt", "573:0-573:41"))
    assert duplicates_of(out[1]) == (("seeds/004.txt", "600:0-600:88"),)


def test_dedup_is_idempotent_and_keeps_every_ref():
    rows = [row(RAQQA_AR, ref="567:0-567:41"), row(RAQQA_AR, ref="573:0-573:41"),
            row(RAQQA_AR, RAQQA_EN, "aligned", ref="547:60-547:101"), row(KURD_AR, ref="5:0-5:9")]
    once = dedup_pairs(rows)
    twice = dedup_pairs(once)
    assert [(p.ar_ref, duplicates_of(p)) for p in once] == \
        [(p.ar_ref, duplicates_of(p)) for p in twice]
    refs = sorted([p.ar_ref for p in once] + [r for p in once for _, r in duplicates_of(p)])
    assert refs == sorted(p.ar_ref for p in rows)


def test_seed_002_is_contained_in_seed_000(seeds_dir):
    """The reason dedup runs across inputs: the seeds hold a page wholly repeated in another.
    Whatever rows the pipeline gives for 002, each equals one from 000 under `match`."""
    from corpus.dedup import match_key

    key = match_key()
    text_000 = key(next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8"))
    paragraphs = [p for p in next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")
                  .split("\n") if p.strip()]
    assert paragraphs and all(key(p) in text_000 for p in paragraphs)
    rows = [row(p, "x", "mt", "002.txt", f"{i}:0-{i}:1") for i, p in enumerate(paragraphs, 1)]
    rows = [row(p, "x", "mt", "000.txt", f"{i}:0-{i}:1") for i, p in enumerate(paragraphs, 1)] \
        + rows
    out = dedup_pairs(rows)
    assert len(out) == len(set(key(p) for p in paragraphs))
    assert all(p.doc == "000.txt" for p in out)
