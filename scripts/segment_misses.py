"""Sentence ends the rule-based splitter misses where the writer marked them, and its false splits.

    PYTHONPATH=. .venv/bin/python scripts/segment_misses.py BENCH [BENCH ...] [-v] [--lang ar|en]

For every page of each bench (a folder with gold.jsonl and pages/), the gold sentences of each
language (``ar``/``en`` texts, the paired article's and an unrelated English article's alike)
are found on their page lines in order, and each line is split with
``corpus.segment.split_sentences`` (a page line is a paragraph, as in the pipeline, where a
piece never crosses a line).

* a *miss* is a gold sentence end that falls strictly inside one of our units where the page
  text has a full stop, ``?``, ``!``, ``؟``, ``…`` (maybe followed by closing quotes or
  brackets) just before it: the writer marked the end and we did not see it. A gold end
  without such a mark (sparse punctuation) is counted apart as *unmarked*: the splitter cannot
  see it; corpus.refine looks for those;
* a *false split* is an end of one of our units strictly inside one gold sentence.

Each is listed with a cause (the rule of corpus.segment that decided, or the shape of the text),
and the counts by cause are printed per bench and language.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus import segment as seg  # noqa: E402

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
MARKS = ".?!\u061f\u2026\u06d4"


def gold_spans(page_lines: list[str], gold: dict, lang: str) -> dict[int, list[tuple[int, int]]]:
    """{line index: [(start, end), ...]} of every gold sentence of ``lang`` found on the page."""
    texts = gold[lang]
    if lang == "ar":
        lines = [n - 1 for n in gold.get("ar_lines", [])] or [
            i for i, line in enumerate(page_lines) if ARABIC_LETTER.search(line)]
    else:
        lines = [i for i, line in enumerate(page_lines) if not ARABIC_LETTER.search(line)]
    in_segs = [sid for s in gold[f"{lang}_segs"] for sid in s]
    rest = [int(k) for k in texts if int(k) not in set(in_segs)]
    groups = [in_segs, sorted(rest)]
    used: set[tuple[int, int]] = set()
    result: dict[int, list[tuple[int, int]]] = {}
    for group in groups:
        cursor_line, cursor_col = 0, 0
        for sid in group:
            text = texts[str(sid)].strip()
            for li in lines:
                if li < cursor_line:
                    continue
                begin = page_lines[li].find(text, cursor_col if li == cursor_line else 0)
                while begin >= 0 and (li, begin) in used:
                    begin = page_lines[li].find(text, begin + 1)
                if begin < 0:
                    continue
                used.add((li, begin))
                result.setdefault(li, []).append((begin, begin + len(text)))
                cursor_line, cursor_col = li, begin + len(text)
                break
    for spans in result.values():
        spans.sort()
    return result


def marked(line: str, end: int) -> bool:
    """Does the text just before ``end`` hold a sentence mark (closing marks skipped)?"""
    i = end
    while i > 0 and line[i - 1] in seg.CLOSING_MARKS:
        i -= 1
    return i > 0 and line[i - 1] in MARKS


def miss_cause(line: str, end: int, lang: str) -> str:
    """Why split_sentences did not end a sentence at ``end`` (a marked gold end)."""
    match = None
    for m in seg._CANDIDATE.finditer(line, max(0, end - 12)):
        if m.start() < end <= m.end():
            match = m
            break
    if match is None:
        nxt = line[end:end + 1]
        return f"no-candidate (next char {nxt!r})"
    punct_start, stop = match.start(), match.end() - 1
    next_word = seg._NEXT_WORD.match(line, stop).group(1)
    punct = line[punct_start:stop].rstrip(seg._CLOSING_CHARS)
    if next_word and next_word[0].isascii() and next_word[0].islower():
        return f"lowercase-next ({punct!r} {next_word})"
    if next_word and next_word[0].isascii() and next_word[0].isdigit():
        return f"digit-next ({punct!r})"
    if punct != ".":
        return f"free-ellipsis ({punct!r})"
    token_match = seg._TOKEN_BEFORE.search(line[max(0, punct_start - 24):punct_start])
    token = token_match.group(1) if token_match else ""
    low = token.lower()
    if low in seg.NONFINAL_ABBREVIATIONS:
        return f"nonfinal-abbr ({token}. {next_word})"
    if len(token) == 1 and not token.isascii():
        return f"arabic-letter ({token}.)"
    return f"ambiguous-abbr ({token}. {next_word})"


def split_cause(line: str, end: int) -> str:
    """What ended our unit at ``end`` inside a gold sentence."""
    before = line[:end].rstrip()
    punct = ""
    i = len(before)
    while i > 0 and line[i - 1] in MARKS + "".join(seg.CLOSING_MARKS):
        i -= 1
    punct = line[i:len(before)]
    if not punct:
        return "no-mark (stray closing quote or enumerator)"
    token_match = seg._TOKEN_BEFORE.search(line[max(0, i - 24):i])
    token = token_match.group(1) if token_match else ""
    next_word = seg._NEXT_WORD.match(line, end).group(1)
    return f"{punct!r} after {token!r} before {next_word!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("benches", nargs="+", type=Path)
    parser.add_argument("--lang", choices=("ar", "en"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case")
    args = parser.parse_args()
    total = Counter()
    for bench in args.benches:
        with open(bench / "gold.jsonl", encoding="utf-8") as f:
            golds = [json.loads(line) for line in f if line.strip()]
        for lang in (args.lang,) if args.lang else ("ar", "en"):
            misses: list[tuple[str, str]] = []
            splits: list[tuple[str, str]] = []
            unmarked = 0
            for gold in golds:
                page_lines = (bench / "pages" / gold["page"]).read_text(
                    encoding="utf-8").split("\n")
                for li, spans in gold_spans(page_lines, gold, lang).items():
                    line = page_lines[li]
                    ours = [(s.start, s.end) for s in seg.split_sentences(line, lang)]
                    where = f"{gold['page']}:{li + 1}"
                    for _, e in spans:
                        if any(s < e < t for s, t in ours):
                            if not marked(line, e):
                                unmarked += 1
                                continue
                            show = line[max(0, e - 60):e] + " | " + line[e:e + 50]
                            misses.append((miss_cause(line, e, lang), f"{where} {show}"))
                    for _, t in ours:
                        if any(s < t < e for s, e in spans):
                            # our end strictly inside a gold sentence
                            show = line[max(0, t - 60):t] + " | " + line[t:t + 50]
                            splits.append((split_cause(line, t), f"{where} {show}"))
            print(f"== {bench.name} {lang}: misses {len(misses)}, false splits {len(splits)}, "
                  f"unmarked gold ends inside a unit {unmarked}")
            total[f"{lang} misses"] += len(misses)
            total[f"{lang} false splits"] += len(splits)
            for title, items in (("miss", misses), ("false split", splits)):
                by_cause = Counter(c.split(" (")[0] for c, _ in items)
                for cause, count in by_cause.most_common():
                    print(f"  {title}: {cause}: {count}")
                if args.verbose:
                    for cause, where in sorted(items):
                        print(f"    [{cause}] {where}")
    print("total:", ", ".join(f"{k} {v}" for k, v in sorted(total.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
