#!/usr/bin/env python3
"""Build our own sparse-punctuation check set from the DEV bench (not from dev-sparse).

Takes ../shared/bench/dev (pages + gold.jsonl) and removes the final ``.`` ``!`` ``?`` ``؟``
of a random 35% of the Arabic sentences and 5% of the English ones (seed 20261202, another
seed than dev-sparse's), in the page text and in the gold alike, as dev-sparse's README
describes. The gold beads are unchanged. Writes OUT/seen (pages 1-20) and OUT/unseen
(pages 21-40), each with pages/, gold.jsonl and a copy of score.py: seen is what we look at
while working (and what the score's coefficients are fitted on), unseen is run once at the
end.

    .venv/bin/python scripts/make_sparse_check.py [--bench ../shared/bench/dev] [--out out/check]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMINATORS = ".!?\u061f"


def strip_page(page: dict, text: str, rng: random.Random, ar_rate: float, en_rate: float):
    for lang, rate in (("ar", ar_rate), ("en", en_rate)):
        cursor = 0
        items = sorted(page[lang].items(), key=lambda kv: int(kv[0]))
        for key, sentence in items:
            at = text.find(sentence, cursor)
            if at < 0:
                at = text.find(sentence)
            if at < 0:
                continue
            cursor = at
            if rng.random() >= rate or not sentence or sentence[-1] not in TERMINATORS:
                continue
            stripped = sentence.rstrip(TERMINATORS)
            end = at + len(sentence)
            text = text[:at] + stripped + text[end:]
            page[lang][key] = stripped
    return page, text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "check")
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pages = [json.loads(line) for line in open(args.bench / "gold.jsonl", encoding="utf-8")
             if line.strip()]
    parts = {"seen": [], "unseen": []}
    for page in pages:
        text = (args.bench / "pages" / page["page"]).read_text(encoding="utf-8")
        page, text = strip_page(page, text, rng, 0.35, 0.05)
        number = int(page["page"].split("_")[1].split(".")[0])
        part = "seen" if number <= 20 else "unseen"
        parts[part].append((page, text))
    for part, items in parts.items():
        out = args.out / part
        (out / "pages").mkdir(parents=True, exist_ok=True)
        with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
            for page, text in items:
                (out / "pages" / page["page"]).write_text(text, encoding="utf-8")
                f.write(json.dumps(page, ensure_ascii=False) + "\n")
        shutil.copy(args.bench / "score.py", out / "score.py")
        print(f"{out}: {len(items)} pages")


if __name__ == "__main__":
    main()
