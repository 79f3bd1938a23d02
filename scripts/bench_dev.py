#!/usr/bin/env python3
"""End-to-end benchmark of `corpus align` on the development bench (../shared/bench/dev).

Runs the whole pipeline as a user would (own detection and segmentation, not the gold splits)
with a fresh embedding cache (cold run, unless --cache-dir is given), then scores the output
with the bench's own score.py. Without an MT model the Arabic with no English lands in
OUT.untranslated.tsv; as the align issue asks, it is scored by appending those rows to a copy
of the TSV with origin `mt` and an empty `en`.

    .venv/bin/python scripts/bench_dev.py [--bench ../shared/bench/dev] [--out out/bench_dev]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _scorable_copy(out: Path, scored: Path) -> int:
    """The main TSV plus the untranslated rows as `mt` rows with no English."""
    lines = out.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    keep = ["ar", "en", "origin"]
    rows = ["\t".join(keep)]
    for line in lines[1:]:
        if line:
            cells = dict(zip(header, line.split("\t")))
            rows.append("\t".join(cells[k] for k in keep))
    untranslated = out.with_name(out.name.removesuffix(".tsv") + ".untranslated.tsv")
    added = 0
    for line in untranslated.read_text(encoding="utf-8").split("\n")[1:]:
        if line:
            rows.append(line.split("\t")[0] + "\t\tmt")
            added += 1
    scored.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return added


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench_dev")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="embedding cache (default: a fresh temporary one: a cold run)")
    ap.add_argument("--mt", default="off", help="--mt for corpus align (default off)")
    args = ap.parse_args()

    from corpus.embed import get_embedder
    from corpus.pipeline import build_corpus

    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "dev.tsv"
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp) / "cache"
        embedder = get_embedder("e5-small", cache_dir=cache)
        started = time.perf_counter()
        result = build_corpus([args.bench / "pages"], out, mt=args.mt, embedder=embedder)
        wall = time.perf_counter() - started
    scored = args.out / "dev.scored.tsv"
    added = _scorable_copy(out, scored)
    score = subprocess.run([sys.executable, str(args.bench / "score.py"),
                            str(args.bench / "gold.jsonl"), str(scored), "--json"],
                           check=True, capture_output=True, text=True)
    numbers = json.loads(score.stdout)
    s = result.stats
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, "
                   f"Python {platform.python_version()}",
        "wall_seconds": round(wall, 1),
        "strings_embedded": s.strings_embedded,
        "embedding_cache_hits": s.embedding_cache_hits,
        "documents": s.documents,
        "untranslated_rows_scored_as_mt": added,
        "signature": result.signature.compact,
        **numbers,
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nstrict F1 {numbers['f1_strict']:.3f} (target 0.95), lax F1 {numbers['f1_lax']:.3f} "
          f"(target 0.985), strict recall by shape {numbers['recall_strict_by_shape']} "
          f"(target 1-2, 2-1 >= 0.85), Arabic-without-English to mt/untranslated "
          f"{numbers['unaligned_ar_in_mt']:.3f} (target 0.95), to the unrelated article "
          f"{numbers['aligned_to_distractor']} (target 0), boilerplate rows "
          f"{numbers['rows_not_in_gold']} (target 0), wall {wall:.1f} s (target < 81 s), "
          f"{s.strings_embedded} strings embedded", file=sys.stderr)


if __name__ == "__main__":
    main()
