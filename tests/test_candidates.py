"""Cheap evidence for cross-page candidates: shared rare tokens, probe sentences.

The probe-sentence test uses the Raqqa piece of seeds/004 (English headline line 549 and
paragraphs 555-557); the token and probe-search tests use small hand-made stores.
"""

from __future__ import annotations

import numpy as np

from corpus.candidates import arabic_tokens, by_probe, by_tokens, english_tokens, probe_sentences
from corpus.detect import detect
from corpus.read import document_from_text
from corpus.segment import segment_section
from corpus.store import RunStore


def _english_inputs(text: str):
    doc = document_from_text(text, path="en.txt")
    return [(s, segment_section(doc, s)) for s in detect(doc).sections if s.lang == "en"]


def test_tokens_read_arabic_indic_digits_and_latin_names():
    ar = arabic_tokens(["قال إنّ ٢٠١٧ كان عام BBC و 45 شخصاً"])
    assert {"n:2017", "n:45", "l:bbc"} <= ar
    en = english_tokens("In 2017 the BBC said 45 people and the harbour.")
    assert {"n:2017", "n:45", "l:bbc", "l:in"} <= en
    assert "l:harbour" not in en  # only capitalised words stand for names


def test_pages_sharing_rare_tokens_rank_first(tmp_path):
    store = RunStore(tmp_path / "s.sqlite3", "x")
    pages = {1: {"n:2017", "n:3400", "l:raqqa", "n:12"},  # the translation
             2: {"n:12", "l:the"}, 3: {"n:12", "l:the", "l:raqqa"}, 4: {"l:the"}}
    store.put_shard(0, [(seq, f"p{seq}", "english", None, toks, ()) for seq, toks in
                        pages.items()])
    found = by_tokens(store, {"n:2017", "n:3400", "l:raqqa", "n:12"}, 4, 3)
    assert found[0] == 1
    assert 4 not in found  # shares nothing
    assert by_tokens(store, {"n:12"}, 4, 3) == []  # one shared token is no evidence


def test_one_probe_sentence_per_body_section(seed_004):
    lines = seed_004.read_text(encoding="utf-8").split("\n")
    text = "\n\n".join([lines[548], lines[554], lines[556]]) + "\n"
    probes = probe_sentences(_english_inputs(text))
    assert 1 <= len(probes) <= 2
    assert all(len(p) >= 40 for p in probes)
    assert probes[0] in text


class _Table:
    """Vectors by text, for a probe search without the model."""

    def __init__(self, table):
        self.table = table

    def embed(self, texts):
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


def test_probe_finds_the_page_whose_sentence_is_nearest(tmp_path):
    rng = np.random.default_rng(3)
    base = rng.standard_normal((4, 16))
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    near = base[0] + 0.1 * rng.standard_normal(16)
    near /= np.linalg.norm(near)
    ar_text, en_text = "ع" * 60, "e" * 70
    table = {ar_text: base[0], en_text: near, "x" * 70: base[1], "y" * 70: base[2]}
    store = RunStore(tmp_path / "s.sqlite3", "x")
    store.put_shard(0, [(5, "a", "english", None, (), ("x" * 70,)),
                        (6, "b", "english", None, (), (en_text,)),
                        (7, "c", "english", None, (), ("y" * 70,))])
    found = by_probe(store, _Table(table), {1: [ar_text]}, 3, 0.83)
    assert found == {1: [6]}


def test_top_columns_match_a_stable_sort_ties_included():
    """The probe search keeps each Arabic sentence's k nearest probes without sorting whole
    rows; at a tie (the same probe sentence on two pages) the earlier page stays first."""
    import numpy as np

    from corpus.candidates import _top_columns

    rng = np.random.default_rng(7)
    for trial in range(100):
        n, m = int(rng.integers(1, 30)), int(rng.integers(1, 50))
        base = rng.standard_normal((max(2, m // 3), 4)).astype(np.float32)
        picks = base[rng.integers(0, len(base), m)]  # repeated columns: exact ties
        sims = rng.standard_normal((n, 4)).astype(np.float32) @ picks.T
        if trial % 2:
            sims = np.round(sims, 1)
        want = np.argsort(-sims, axis=1, kind="stable")[:, :3]
        assert np.array_equal(_top_columns(sims, 3), want)
