"""Sentence-boundary benchmark for corpus.segment on the development pages.

    .venv/bin/python scripts/bench_segment.py [--bench ../shared/bench/dev] [--show-errors]
        [--paragraphs gold|detect]

Paragraphs: with ``--paragraphs gold`` (default) a paragraph is a page line that holds gold
sentences of the language: for Arabic the lines listed in ``ar_lines``; for English the lines
without Arabic letters that contain the text of an ``en_segs`` sentence (so the unrelated
article of type-d pages and the mixed headline line are left out). With ``--paragraphs detect``
the paragraphs are the pieces of the sections found by ``corpus.detect`` (whose mistakes then
count against segmentation too); only pieces on gold paragraph lines are scored.

Gold segments: each gold segment's sentences (``ar_segs``/``en_segs``, ``ar``/``en`` texts)
are found in page order inside their line; a segment spans from its first sentence's start to
its last sentence's end (a merged sentence is one segment).

Metrics, per language, summed over pages (micro-averaged):
  * boundary P/R/F1: the set of (line, end offset) of every segment in the scored paragraphs;
    paragraph ends count (they are always right unless a paragraph is dropped);
  * internal boundary P/R/F1: the same without paragraph-final ends (the hard ones);
  * exact segment P/R/F1: (line, start, end) must both match.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.segment import split_sentences  # noqa: E402

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def gold_segments(page_lines: list[str], gold: dict, lang: str) -> dict[int, list[tuple[int, int]]]:
    """{0-based line index: [(start, end), ...]} of the gold segments of ``lang``."""
    texts = gold[lang]
    segs = gold[f"{lang}_segs"]
    if lang == "ar":
        candidate_lines = [n - 1 for n in gold["ar_lines"]]
    else:
        candidate_lines = [i for i, line in enumerate(page_lines)
                           if not ARABIC_LETTER.search(line)]
    result: dict[int, list[tuple[int, int]]] = {}
    cursor_line, cursor_col = 0, 0  # segments are in page order
    for seg in segs:
        first, last = texts[str(seg[0])], texts[str(seg[-1])]
        for li in candidate_lines:
            if li < cursor_line:
                continue
            line = page_lines[li]
            begin = line.find(first, cursor_col if li == cursor_line else 0)
            if begin < 0:
                continue
            stop = line.find(last, begin) + len(last)
            result.setdefault(li, []).append((begin, stop))
            cursor_line, cursor_col = li, stop
            break
        else:
            raise SystemExit(f"{gold['page']}: {lang} segment {seg} not found on the page")
    return result


def predicted_segments(page_lines: list[str], lines: list[int], lang: str
                       ) -> dict[int, list[tuple[int, int]]]:
    return {li: [(s.start, s.end) for s in split_sentences(page_lines[li], lang)]
            for li in lines}


def detected_segments(path: Path, lang: str) -> dict[int, list[tuple[int, int]]]:
    from corpus.detect import detect
    from corpus.read import read_documents
    from corpus.segment import segment_section

    document = next(iter(read_documents([path])))
    result: dict[int, list[tuple[int, int]]] = {}
    for section in detect(document).sections:
        if section.lang != lang or section.kind not in ("body", "title"):
            continue
        for sentence in segment_section(document, section):
            line = document.line_at(sentence.start)
            result.setdefault(line.number - 1, []).append(
                (sentence.start - line.start, sentence.end - line.start))
    return result


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    parser.add_argument("--paragraphs", choices=("gold", "detect"), default="gold")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with open(args.bench / "gold.jsonl", encoding="utf-8") as f:
        golds = [json.loads(line) for line in f if line.strip()]

    counts = {lang: {k: 0 for k in ("tp", "pred", "gold", "itp", "ipred", "igold",
                                    "stp", "spred", "sgold")} for lang in ("ar", "en")}
    chars = 0
    elapsed = 0.0
    for gold in golds:
        path = args.bench / "pages" / gold["page"]
        page_lines = path.read_text(encoding="utf-8").split("\n")
        for lang in ("ar", "en"):
            if not gold[f"{lang}_segs"]:
                continue
            want = gold_segments(page_lines, gold, lang)
            t0 = time.perf_counter()
            if args.paragraphs == "gold":
                got = predicted_segments(page_lines, sorted(want), lang)
            else:
                got = {li: segs for li, segs in detected_segments(path, lang).items()
                       if li in want}
            elapsed += time.perf_counter() - t0
            chars += sum(len(page_lines[li]) for li in want)
            c = counts[lang]
            for li in want:
                g, p = want[li], got.get(li, [])
                g_ends, p_ends = {e for _, e in g}, {e for _, e in p}
                last = max(g_ends)
                c["tp"] += len(g_ends & p_ends)
                c["pred"] += len(p_ends)
                c["gold"] += len(g_ends)
                c["itp"] += len((g_ends & p_ends) - {last})
                c["ipred"] += len(p_ends - {last})
                c["igold"] += len(g_ends - {last})
                c["stp"] += len(set(g) & set(p))
                c["spred"] += len(p)
                c["sgold"] += len(g)
                if args.show_errors and set(g) != set(p):
                    line = page_lines[li]
                    print(f"--- {gold['page']}:{li + 1} {lang}")
                    for s, e in sorted(set(g) - set(p)):
                        print(f"  missed: {line[s:e]!r}")
                    for s, e in sorted(set(p) - set(g)):
                        print(f"  extra:  {line[s:e]!r}")

    report = {}
    for lang, c in counts.items():
        report[lang] = {
            "boundary": prf(c["tp"], c["pred"], c["gold"]),
            "internal_boundary": prf(c["itp"], c["ipred"], c["igold"]),
            "exact_segment": prf(c["stp"], c["spred"], c["sgold"]),
            "gold_segments": c["sgold"],
            "gold_internal_boundaries": c["igold"],
        }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"pages: {len(golds)}  paragraphs: {args.paragraphs}  "
              f"segmentation time: {elapsed * 1000:.1f} ms for {chars} chars")
        print(f"{'lang':4}  {'metric':18}  {'P':>6}  {'R':>6}  {'F1':>6}")
        for lang, r in report.items():
            for metric in ("boundary", "internal_boundary", "exact_segment"):
                p, rec, f = r[metric]
                print(f"{lang:4}  {metric:18}  {p:6.4f}  {rec:6.4f}  {f:6.4f}")
            print(f"{lang:4}  gold segments: {r['gold_segments']}, "
                  f"internal boundaries: {r['gold_internal_boundaries']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
