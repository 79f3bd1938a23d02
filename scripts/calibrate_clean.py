"""Calibrate the cleaning rules on the development bench gold and measure their false rejects.

    .venv/bin/python scripts/calibrate_clean.py [--gold PATH] [--json]

1. Length ratio: len(en) / len(ar) in characters over every gold bead (a 2-1 bead joins its
   Arabic sentences with a space, as a cell would). Prints quantiles and the band that keeps
   99.5% of the beads (0.25% cut on each side), widened by a margin of 1.25 for data unlike
   the bench and rounded outwards to 0.05: the suggested ``ratio_min``/``ratio_max``.
2. Runs every rule of ``corpus.clean`` with the default config over the gold beads as
   ``aligned`` pairs and over the gold Arabic sentences with no English as ``untranslated``
   and ``mt`` rows (the English of an mt row is a stand-in: the gold English of the document
   is not available for them, so mt rows get a neutral English sentence). Every reject here is
   a false reject: the gold pairs are real translations.
3. Teeth: the same rules over wrong pairs (each gold Arabic bead with the English of the next
   bead on its page) and over the Arabic noise lines of the pages (lines with Arabic letters
   that gold does not count as article text: dates, bylines, boilerplate, mixed headlines) as
   ``untranslated`` rows. Rejects here are wanted, though most wrong pairs are the aligner's
   job to avoid: the rules only catch the blatant ones.
4. On a real aligner's output: the bench's Gale-Church example TSV, scored by the bench's
   ``score.py`` as it is and after cleaning its aligned rows (rejected rows leave the TSV, as
   in a real run; its mt rows have no English, so they are left alone).
   Cleaning should raise precision and cost (almost) no recall.

Data: NTREX-128 (CC-BY-SA-4.0), adapted in ../shared/bench/dev (see its README.md).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.clean import RULES, CleanConfig, check_pair  # noqa: E402
from corpus.types import Pair  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "bench" / "dev" / "gold.jsonl"


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated quantile of an already sorted list."""
    pos = q * (len(sorted_values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def gold_pairs(gold: list[dict]) -> tuple[list[Pair], list[Pair]]:
    aligned, unaligned = [], []
    for page in gold:
        for ar_ids, en_ids in page["beads"]:
            ar = " ".join(page["ar"][str(i)] for i in ar_ids)
            en = " ".join(page["en"][str(i)] for i in en_ids)
            aligned.append(Pair(ar=ar, en=en, origin="aligned", doc=page["page"],
                                ar_ref=",".join(map(str, ar_ids))))
        for i in page["ar_unaligned"]:
            unaligned.append(Pair(ar=page["ar"][str(i)], en="", origin="untranslated",
                                  doc=page["page"], ar_ref=str(i)))
    return aligned, unaligned


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)

    with open(args.gold, encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]
    aligned, unaligned = gold_pairs(gold)
    ratios = sorted(len(p.en) / len(p.ar) for p in aligned)
    qs = {q: round(quantile(ratios, q), 3) for q in (0.0, 0.0025, 0.005, 0.01, 0.05, 0.5, 0.95,
                                                      0.99, 0.995, 0.9975, 1.0)}
    margin = 1.25
    suggested = (math.floor(quantile(ratios, 0.0025) / margin * 20) / 20,
                 math.ceil(quantile(ratios, 0.9975) * margin * 20) / 20)

    config = CleanConfig()
    kept_by_band = sum(config.ratio_min <= r <= config.ratio_max for r in ratios)
    results = {}
    for name, rows in (("aligned", aligned), ("untranslated", unaligned),
                       ("mt", [Pair(ar=p.ar, en="A machine translation of the sentence.",
                                    origin="mt", doc=p.doc, ar_ref=p.ar_ref)
                               for p in unaligned])):
        rejects = [r for r in (check_pair(p, config) for p in rows) if r is not None]
        results[name] = {"rows": len(rows), "rejected": len(rejects),
                         "by_rule": dict(Counter(r.rule for r in rejects)),
                         "examples": [{"rule": r.rule, "detail": r.detail, "ar": r.pair.ar[:80],
                                       "en": r.pair.en[:80]} for r in rejects[:10]]}

    wrong = []
    for page in gold:
        beads = page["beads"]
        for (ar_ids, _), (_, en_ids) in zip(beads, beads[1:]):
            wrong.append(Pair(ar=" ".join(page["ar"][str(i)] for i in ar_ids),
                              en=" ".join(page["en"][str(i)] for i in en_ids),
                              origin="aligned", doc=page["page"], ar_ref=""))
    noise = []
    pages_dir = args.gold.parent / "pages"
    for page in gold:
        path = pages_dir / page["page"]
        if not path.exists():
            continue
        article = set(page["ar_lines"])
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if number not in article and any("\u0600" <= ch <= "\u06ff" for ch in line):
                noise.append(Pair(ar=line.strip(" \u2013-"), en="", origin="untranslated",
                                  doc=page["page"], ar_ref=f"{number}"))
    teeth = {}
    for name, rows in (("wrong_pairs", wrong), ("noise_lines", noise)):
        rejects = [r for r in (check_pair(p, config) for p in rows) if r is not None]
        teeth[name] = {"rows": len(rows), "rejected": len(rejects),
                       "by_rule": dict(Counter(r.rule for r in rejects)),
                       "kept_examples": [p.ar[:80] for p in rows
                                         if check_pair(p, config) is None][:12]}

    example = args.gold.parent / "example_output_gale_church.tsv"
    scorer = args.gold.parent / "score.py"
    on_output = None
    if example.exists() and scorer.exists():
        on_output = score_cleaned(example, scorer, args.gold, config)

    report = {
        "gold": str(args.gold), "beads": len(aligned), "ratio_quantiles": qs,
        "suggested_band": suggested, "margin": margin,
        "config_band": [config.ratio_min, config.ratio_max],
        "gold_beads_inside_config_band": kept_by_band,
        "false_rejects": results, "teeth": teeth, "gale_church_output": on_output,
        "rules": list(RULES), "clean_signature": config.signature(),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"gold beads: {len(aligned)}  (from {args.gold})")
    print("len(en)/len(ar) quantiles: " + "  ".join(f"q{q:g}={v}" for q, v in qs.items()))
    print(f"suggested band (q0.0025/{margin} .. q0.9975*{margin}, rounded out to 0.05): "
          f"{suggested[0]:.2f}-{suggested[1]:.2f}")
    print(f"configured band {config.ratio_min}-{config.ratio_max}: keeps {kept_by_band}/"
          f"{len(aligned)} gold beads ({kept_by_band / len(aligned):.2%})")
    print(f"clean signature: {config.signature()}")
    for name, res in results.items():
        print(f"false rejects on gold {name} rows: {res['rejected']}/{res['rows']} "
              f"{res['by_rule'] or ''}")
        for ex in res["examples"]:
            print(f"    {ex['rule']}: {ex['detail']} | {ex['ar']} | {ex['en']}")
    for name, res in teeth.items():
        print(f"rejected {name}: {res['rejected']}/{res['rows']} {res['by_rule']}")
        if name == "noise_lines":
            for ex in res["kept_examples"]:
                print(f"    kept: {ex}")
    if on_output:
        b, a = on_output["before"], on_output["after"]
        print(f"Gale-Church example output: {on_output['rejected']} of {on_output['rows']} rows "
              f"rejected {on_output['by_rule']}")
        for key in ("precision_strict", "recall_strict", "f1_strict", "precision_lax",
                    "recall_lax", "f1_lax", "coverage_ar"):
            print(f"    {key:<17} {b[key]:.4f} -> {a[key]:.4f}")
    return 0


def _score(scorer: Path, gold: Path, tsv: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(tsv), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def score_cleaned(example: Path, scorer: Path, gold: Path, config: CleanConfig) -> dict:
    with open(example, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]
    kept_lines, rules = [lines[0]], Counter()
    for line, row in zip((l for l in lines[1:] if l), rows):
        pair = Pair(ar=row["ar"], en=row["en"], origin=row["origin"], doc=row.get("page", ""),
                    ar_ref="")
        # the example's mt rows carry no English (no model was run): only aligned rows count
        reject = check_pair(pair, config) if pair.origin == "aligned" else None
        if reject is None:
            kept_lines.append(line)
        else:
            rules[reject.rule] += 1
    with tempfile.TemporaryDirectory() as tmp:
        cleaned = Path(tmp) / "cleaned.tsv"
        cleaned.write_text("\n".join(kept_lines) + "\n", encoding="utf-8")
        after = _score(scorer, gold, cleaned)
    return {"rows": len(rows), "rejected": sum(rules.values()), "by_rule": dict(rules),
            "before": _score(scorer, gold, example), "after": after}


if __name__ == "__main__":
    raise SystemExit(main())
