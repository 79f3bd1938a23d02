"""Statistics of a written corpus: ``corpus_stats(OUT)`` reads the corpus in any format
``corpus align`` writes (tsv, jsonl, parquet, tmx, hf folder, moses ``OUT.ar``) with the
side files beside it (untranslated, rejects, signature) and returns a plain dict;
``format_stats`` renders it as text with histograms for a terminal.

Histograms bin over the observed range (ten equal bins from the smallest to the largest
value, edges rounded to hundredths), so a corpus whose scores all lie between 0.80 and 0.95
shows its spread instead of two full bars.
"""

from __future__ import annotations

import math
import os
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from corpus.write import read_corpus

BINS = 10
TOP_DOCUMENTS = 10


def _count(row: Mapping[str, object]) -> int:
    """How many input occurrences a row stands for (itself plus the duplicates folded in)."""
    value = row.get("duplicates")
    try:
        return 1 + int(str(value or 0))
    except (TypeError, ValueError):
        return 1


def observed_edges(values: Sequence[float], bins: int = BINS) -> list[float]:
    """``bins + 1`` edges from the smallest to the largest value, rounded outwards to
    hundredths; one bin when every value is the same."""
    if not values:
        return []
    lo = math.floor(min(values) * 100) / 100
    hi = math.ceil(max(values) * 100) / 100
    if hi <= lo:
        return [lo, lo + 0.01]
    width = (hi - lo) / bins
    return [round(lo + i * width, 6) for i in range(bins)] + [hi]


def _histogram(values: Sequence[float], edges: Sequence[float]) -> list[dict[str, Any]]:
    bins = []
    for i, lo in enumerate(edges[:-1]):
        hi = edges[i + 1]
        last = i == len(edges) - 2
        n = sum(lo <= v < hi or (last and v == hi) for v in values)
        bins.append({"lo": round(lo, 4), "hi": round(hi, 4), "count": n})
    return bins


def _summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    return {"count": len(values), "min": round(min(values), 4),
            "median": round(statistics.median(values), 4), "max": round(max(values), 4)}


def corpus_stats(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Counts and distributions of the corpus at ``path`` (any format ``corpus align``
    writes; see the module docstring)."""
    path = Path(path)
    corpus_files = read_corpus(path)
    rows, untranslated = corpus_files.main, corpus_files.untranslated
    rejects, signature = corpus_files.rejects, corpus_files.signature

    by_origin = Counter(str(r["origin"]) for r in rows)
    # Where the input's Arabic went, counting every occurrence (duplicates included) and
    # every Arabic character, so the shares add up to the whole input.
    occurrences: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for r in rows:
        occurrences[str(r["origin"])] += _count(r)
        chars[str(r["origin"])] += len(str(r["ar"])) * _count(r)
    for r in untranslated or ():
        occurrences["untranslated"] += _count(r)
        chars["untranslated"] += len(str(r["ar"])) * _count(r)
    for r in rejects or ():
        occurrences["rejected"] += 1
        chars["rejected"] += len(str(r["ar"]))
    total_occ, total_chars = sum(occurrences.values()), sum(chars.values())
    share = {k: {"rows": occurrences[k], "share_rows": round(occurrences[k] / total_occ, 4),
                 "chars": chars[k], "share_chars": round(chars[k] / total_chars, 4)
                 if total_chars else 0.0}
             for k in sorted(occurrences)} if total_occ else {}

    aligned = [r for r in rows if r["origin"] == "aligned"]
    ratios = [len(str(r["en"])) / len(str(r["ar"])) for r in aligned if r["ar"] and r["en"]]
    scores = []
    for r in aligned:
        value = r.get("score")
        if isinstance(value, (int, float)) and math.isfinite(value):
            scores.append(float(value))

    docs = Counter(str(r.get("doc") or "") for r in rows)
    top_docs = sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DOCUMENTS]
    return {
        "path": path.as_posix(),
        "signature": signature,
        "pairs": len(rows),
        "by_origin": dict(sorted(by_origin.items())),
        "duplicates_merged": sum(_count(r) - 1 for r in rows)
        + sum(_count(r) - 1 for r in untranslated or ()),
        "untranslated": None if untranslated is None else len(untranslated),
        "rejected": None if rejects is None else len(rejects),
        "rejects_by_rule": None if rejects is None else dict(
            sorted(Counter(str(r.get("rule") or "") for r in rejects).items(),
                   key=lambda kv: (-kv[1], kv[0]))),
        "arabic": share,
        "format": corpus_files.format,
        "length_ratio": {**_summary(ratios),
                         "histogram": _histogram(ratios, observed_edges(ratios))},
        "score": {**_summary(scores), "histogram": _histogram(scores, observed_edges(scores))},
        "top_documents": [{"doc": d, "pairs": n} for d, n in top_docs],
    }


def _bar_lines(bins: list[dict[str, Any]], fmt: Callable[[float], str],
               width: int = 40) -> list[str]:
    peak = max((b["count"] for b in bins), default=0) or 1
    lines = []
    for b in bins:
        label = f"{fmt(b['lo'])}-{fmt(b['hi'])}" if b["hi"] is not None else f">={fmt(b['lo'])}"
        bar = "\u2588" * round(width * b["count"] / peak)  # U+2588 full block
        lines.append(f"  {label:>11} {b['count']:>7} {bar}")
    return lines


def format_stats(stats: Mapping[str, Any]) -> str:
    """The stats as terminal text, histograms drawn with block characters."""
    out = [f"corpus: {stats['path']}" + (f" ({stats['format']})" if stats.get("format") else "")]
    if stats["signature"]:
        out.append(f"signature: {stats['signature']}")
    origins = "  ".join(f"{k} {v}" for k, v in stats["by_origin"].items())
    out.append(f"pairs: {stats['pairs']}" + (f"  ({origins})" if origins else ""))
    side = []
    side.append("untranslated: " + ("(no file)" if stats["untranslated"] is None
                                    else str(stats["untranslated"])))
    side.append("rejected: " + ("(no file)" if stats["rejected"] is None
                                else str(stats["rejected"])))
    side.append(f"duplicates merged: {stats['duplicates_merged']}")
    out.append("   ".join(side))
    if stats["arabic"]:
        out.append("")
        out.append("where the Arabic went (rows incl. duplicates / characters):")
        for k, v in stats["arabic"].items():
            out.append(f"  {k:<13} {v['rows']:>7}  {v['share_rows']:>7.1%}   "
                       f"{v['chars']:>9}  {v['share_chars']:>7.1%}")
    if stats["rejects_by_rule"]:
        out.append("")
        out.append("rejects by rule:")
        for rule, n in stats["rejects_by_rule"].items():
            out.append(f"  {rule:<18} {n:>7}")
    ratio = stats["length_ratio"]
    out.append("")
    if ratio["count"]:
        out.append(f"length ratio len(en)/len(ar), aligned rows (n={ratio['count']}, "
                   f"median {ratio['median']:.2f}, min {ratio['min']:.2f}, "
                   f"max {ratio['max']:.2f}):")
        out.extend(_bar_lines(ratio["histogram"], lambda x: f"{x:.2f}"))
    else:
        out.append("length ratio: no aligned rows")
    score = stats["score"]
    out.append("")
    if score["count"]:
        out.append(f"score, aligned rows (n={score['count']}, median {score['median']:.3f}):")
        out.extend(_bar_lines(score["histogram"], lambda x: f"{x:.2f}"))
    else:
        out.append("score: no aligned rows with a score")
    if stats["top_documents"]:
        out.append("")
        out.append("documents with the most pairs:")
        for d in stats["top_documents"]:
            out.append(f"  {d['pairs']:>7}  {d['doc']}")
    return "\n".join(out) + "\n"
