"""Deduplication across all inputs: a row appears once, and remembers where else it was seen.

Two rows are the same when their text is equal after ``corpus.normalize(text, scheme="match")``
(so exact duplicates are a special case). Which row survives:

- ``aligned`` rows are the same when both the Arabic and the English match; the same Arabic
  with two different human translations is kept twice (both are real data).
- an ``mt`` row whose Arabic matches an ``aligned`` row anywhere in the input is folded into
  that row (a human translation beats a machine one); otherwise into the first ``mt`` row with
  that Arabic.
- an ``untranslated`` row is folded into the first ``aligned``, else ``mt``, else
  ``untranslated`` row with the same Arabic.

The survivor keeps its place in input order and gets ``extra["duplicates"]``: a tuple of
``(doc, ar_ref)`` for every row folded into it, in input order, so every Arabic span of the
input can still be found in the output (the no-silent-drop invariant).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable, Iterable

from corpus.types import Pair

DUPLICATES = "duplicates"  # key in Pair.extra: tuple of (doc, ar_ref) folded into this row


def match_key(scheme: str = "match") -> Callable[[str], str]:
    """The normalisation used to compare rows: ``corpus.normalize`` with ``scheme``, then case
    and whitespace folded."""
    from corpus.normalize import normalize

    def key(text: str) -> str:
        return " ".join(normalize(text, scheme=scheme).casefold().split())

    return key


def duplicates_of(pair: Pair) -> tuple[tuple[str, str], ...]:
    """The (doc, ar_ref) of the rows folded into ``pair`` by dedup (empty if none)."""
    return tuple(pair.extra.get(DUPLICATES, ()))


def dedup_pairs(pairs: Iterable[Pair], *, scheme: str = "match",
                key: Callable[[str], str] | None = None) -> list[Pair]:
    """Merge duplicate rows (see the module docstring); survivors stay in input order.

    ``key`` overrides the normaliser (``match_key(scheme)`` by default).
    """
    rows = list(pairs)
    # each distinct text normalised once: the texts dedup compares are, by its nature, often
    # the same, and normalising a sentence costs far more than a dict lookup
    norm = functools.cache(key or match_key(scheme))
    ar_keys = [norm(p.ar) for p in rows]
    en_keys = [norm(p.en) if p.origin == "aligned" else "" for p in rows]

    first_aligned_pair: dict[tuple[str, str], int] = {}
    first_by_origin: dict[str, dict[str, int]] = {"aligned": {}, "mt": {}, "untranslated": {}}
    for i, p in enumerate(rows):
        if p.origin == "aligned":
            first_aligned_pair.setdefault((ar_keys[i], en_keys[i]), i)
        first_by_origin.setdefault(p.origin, {}).setdefault(ar_keys[i], i)

    def survivor(i: int) -> int:
        p, ak = rows[i], ar_keys[i]
        if p.origin == "aligned":
            return first_aligned_pair[(ak, en_keys[i])]
        order = ("aligned", "mt") if p.origin == "mt" else ("aligned", "mt", "untranslated")
        for origin in order:
            j = first_by_origin[origin].get(ak)
            if j is not None:
                return j
        return first_by_origin[p.origin][ak]  # an unknown origin dedups among its own kind

    folded: dict[int, list[tuple[str, str]]] = {}
    survivors: list[int] = []
    for i in range(len(rows)):
        j = survivor(i)
        if j == i:
            survivors.append(i)
        else:
            folded.setdefault(j, []).append((rows[i].doc, rows[i].ar_ref))
            folded[j].extend(duplicates_of(rows[i]))

    out = []
    for i in survivors:
        p = rows[i]
        if i in folded:
            dups = duplicates_of(p) + tuple(folded[i])
            p = dataclasses.replace(p, extra={**p.extra, DUPLICATES: dups})
        out.append(p)
    return out


def signature(scheme: str = "match", enabled: bool = True) -> str:
    """``dedup:<scheme>`` component of the run signature, ``dedup:off`` when disabled."""
    return f"dedup:{scheme if enabled else 'off'}"
