#!/usr/bin/env python3
"""End-to-end benchmark on dev and dev-sparse (and our own check sets), with the score's
ROC AUC and precision at score cut-offs.

For each set it runs the whole pipeline as a user would (``build_corpus``, as
scripts/bench_dev.py does: own detection and segmentation, refinement, clean, dedup; the
untranslated rows scored as ``mt``), scores the TSV with the set's own score.py, and reads
the ``score`` column of the aligned rows against whether each row is exactly a gold bead
(strict-correct) or not: ROC AUC and the precision of the rows at or above each cut-off.
``--gold-splits`` adds the aligner on the gold sentence splits (the reference the issue
compares with). ``--fit DIR`` fits the coefficients of corpus.refine.bead_confidence on a
check set (scripts/make_sparse_check.py) and prints them, refitted whole and recalibrated
(slope and bias only), each with its in-sample and leave-one-page-out AUC and log loss; it
never reads a bench.

    .venv/bin/python scripts/make_sparse_check.py --out out/check
    .venv/bin/python scripts/bench_sparse.py [--sets dev dev-sparse] [--check out/check/seen]
        [--gold-splits] [--cache-dir D] [--fit out/check/seen]

Without --cache-dir each set runs with a fresh embedding cache (cold).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
BENCHES = ROOT.parent / "shared" / "bench"
CUTOFFS = (0.5, 0.7, 0.8, 0.9, 0.95)


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("bench_score_" + bench.name,
                                                  bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_matchers(bench: Path):
    """The bench's scorer module, its gold pages, sentence matchers for each side and the set
    of gold beads (as tuples of sentence ids)."""
    sc = load_scorer(bench)
    pages = [json.loads(line) for line in open(bench / "gold.jsonl", encoding="utf-8")
             if line.strip()]
    ids = lambda d: {int(k): v for k, v in d.items()}  # noqa: E731
    ar_m = sc.Matcher({i: t for p in pages for i, t in ids(p["ar"]).items()})
    en_m = sc.Matcher({i: t for p in pages for i, t in ids(p["en"]).items()})
    gold = {(tuple(a), tuple(e)) for p in pages for a, e in p["beads"]}
    return sc, pages, ar_m, en_m, gold


def labelled_rows(bench: Path, tsv: Path) -> list[tuple[float, bool]]:
    """(score, strict-correct) of each aligned row of ``tsv``, in order."""
    sc, pages, ar_m, en_m, gold = gold_matchers(bench)
    out = []
    for row in sc.read_tsv(str(tsv)):
        a = ar_m(row["ar"])
        if row["origin"].strip().lower() != "aligned":
            continue
        e = en_m(row["en"])
        key = (tuple(sorted(set(a))), tuple(sorted(set(e))))
        out.append((float(row.get("score") or 0.0), key in gold))
    return out


def roc_auc(rows: list[tuple[float, bool]]) -> float:
    """Probability that a strict-correct row scores above a wrong one (ties count half)."""
    pos = [s for s, ok in rows if ok]
    neg = [s for s, ok in rows if not ok]
    if not pos or not neg:
        return float("nan")
    p = np.asarray(pos)[:, None]
    n = np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (len(pos) * len(neg)))


def cutoff_table(rows: list[tuple[float, bool]]) -> list[dict]:
    out = []
    for c in (0.0,) + CUTOFFS:
        kept = [ok for s, ok in rows if s >= c]
        out.append({"cutoff": c, "rows": len(kept),
                    "share_of_rows": round(len(kept) / max(1, len(rows)), 3),
                    "precision_strict": round(sum(kept) / max(1, len(kept)), 3)})
    return out


def run_set(bench: Path, out_dir: Path, cache_dir: Path | None) -> dict:
    from bench_dev import _scorable_copy

    from corpus.embed import get_embedder
    from corpus.pipeline import build_corpus

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{bench.name}.tsv"
    with tempfile.TemporaryDirectory() as tmp:
        cache = cache_dir or Path(tmp) / "cache"
        embedder = get_embedder("e5-small", cache_dir=cache)
        started = time.perf_counter()
        result = build_corpus([bench / "pages"], out, mt="off", embedder=embedder)
        wall = time.perf_counter() - started
    scored = out_dir / f"{bench.name}.scored.tsv"
    _scorable_copy(out, scored)
    score = subprocess.run([sys.executable, str(bench / "score.py"),
                            str(bench / "gold.jsonl"), str(scored), "--json"],
                           check=True, capture_output=True, text=True)
    numbers = json.loads(score.stdout)
    rows = labelled_rows(bench, out)
    return {"set": str(bench), "wall_seconds": round(wall, 1),
            "strings_embedded": result.stats.strings_embedded,
            "f1_strict": round(numbers["f1_strict"], 4), "f1_lax": round(numbers["f1_lax"], 4),
            "recall_strict_by_shape": numbers["recall_strict_by_shape"],
            "unaligned_ar_in_mt": round(numbers["unaligned_ar_in_mt"], 4),
            "aligned_to_distractor": numbers["aligned_to_distractor"],
            "rows_not_in_gold": numbers["rows_not_in_gold"],
            "coverage_ar": round(numbers["coverage_ar"], 4),
            "score_roc_auc": round(roc_auc(rows), 4), "cutoffs": cutoff_table(rows)}


def gold_splits(bench: Path, cache_dir: Path | None) -> dict:
    import bench_align

    from corpus.embed import CachedEmbedder, get_embedder
    from corpus.sentence_align import AlignConfig

    pages = [json.loads(line) for line in open(bench / "gold.jsonl", encoding="utf-8")
             if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = CachedEmbedder(get_embedder("e5-small"), cache_dir or Path(tmp) / "c")
        out = Path(tmp) / "gold.tsv"
        bench_align.run_gold_splits(pages, bench, embedder, AlignConfig(), out)
        numbers = bench_align.load_scorer(bench).score(str(bench / "gold.jsonl"), str(out))
        embedder.close()
    return {"set": str(bench), "gold_splits_f1_strict": round(numbers["f1_strict"], 4),
            "gold_splits_f1_lax": round(numbers["f1_lax"], 4)}


def _logistic(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    w = np.zeros(X.shape[1])
    for _ in range(50):  # Newton's method with a little ridge (the classes are unbalanced)
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (Y - p) - 1e-3 * w
        hess = X.T @ (X * (p * (1 - p))[:, None]) + 1e-3 * np.eye(len(w))
        w = w + np.linalg.solve(hess, grad)
    return w


def _judge(X: np.ndarray, Y: np.ndarray, pages: np.ndarray) -> dict:
    """Fit on all rows (in-sample AUC and log loss) and leave one page out (each page's
    rows scored by the fit on the others; AUC over the pooled scores)."""
    w = _logistic(X, Y)
    z = np.zeros(len(Y))
    for page in sorted(set(pages)):
        held = pages == page
        z[held] = X[held] @ _logistic(X[~held], Y[~held])
    loss = lambda z: float(np.mean(np.log1p(np.exp(-np.where(Y > 0, z, -z)))))  # noqa: E731
    auc = lambda z: roc_auc(list(zip(z.tolist(), Y.astype(bool).tolist())))  # noqa: E731
    return {"w": w, "auc_in_sample": round(auc(X @ w), 4), "log_loss": round(loss(X @ w), 4),
            "auc_leave_one_page_out": round(auc(z), 4),
            "log_loss_leave_one_page_out": round(loss(z), 4)}


def fit(check: Path, cache_dir: Path | None) -> dict:
    """Logistic regression of strict-correct on the evidence of each aligned bead: the full
    model (all of corpus.refine.CONFIDENCE refitted) and the recalibration of the current
    coefficients (one slope and one bias on their linear score: the ranking, hence the AUC,
    stays as it is, only the probabilities move). With the current ones for comparison."""
    import bench_align

    from corpus.embed import CachedEmbedder, get_embedder
    from corpus.pair import pair_sections
    from corpus.refine import CONFIDENCE

    sc, pages, ar_m, en_m, gold = gold_matchers(check)
    with tempfile.TemporaryDirectory() as tmp:
        embedder = CachedEmbedder(get_embedder("e5-small"), cache_dir or Path(tmp) / "c")
        ar, en = bench_align.page_sections([check / "pages" / p["page"] for p in pages])
        pairs = pair_sections(ar, en, embedder=embedder)
        embedder.close()
    x, y, page = [], [], []
    for pair in pairs:
        for bead, ev in zip(pair.beads, pair.evidence.get("beads", [])):
            if not (bead.ar and bead.en) or ev is None:
                continue
            a = ar_m(" ".join(pair.ar_sentences[i].text for i in bead.ar))
            e = en_m(" ".join(pair.en_sentences[j].text for j in bead.en))
            q, cos = ev
            x.append([1.0, q, cos - 0.85, len(bead.ar) + len(bead.en) - 2])
            y.append((tuple(sorted(set(a))), tuple(sorted(set(e)))) in gold)
            page.append(pair.ar_doc)
    X, Y, P = np.asarray(x), np.asarray(y, dtype=float), np.asarray(page)
    names = ("bias", "quality", "cosine", "extra_units")
    current = X @ np.asarray([CONFIDENCE[n] for n in names])
    full = _judge(X, Y, P)
    recal = _judge(np.c_[np.ones(len(Y)), current], Y, P)
    a, b = recal.pop("w")
    loss = float(np.mean(np.log1p(np.exp(-np.where(Y > 0, current, -current)))))
    return {"fitted_on": str(check), "beads": len(y), "correct": int(Y.sum()),
            "current": {"coefficients": CONFIDENCE, "log_loss": round(loss, 4),
                        "auc": round(roc_auc(list(zip(current.tolist(),
                                                      Y.astype(bool).tolist()))), 4)},
            "full_refit": {"coefficients": dict(zip(names, np.round(full.pop("w"), 2)
                                                    .tolist())), **full},
            "recalibrated": {"coefficients": {n: round(CONFIDENCE[n] * b + (a if n == "bias"
                                                                           else 0.0), 2)
                                              for n in names}, **recal}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=["dev", "dev-sparse"],
                    help="bench names under ../shared/bench")
    ap.add_argument("--check", nargs="*", type=Path, default=[],
                    help="check-set directories (scripts/make_sparse_check.py)")
    ap.add_argument("--gold-splits", action="store_true")
    ap.add_argument("--fit", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench_sparse")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--refine", nargs="*", default=[], metavar="NAME=VALUE",
                    help="RefineConfig settings to change (for comparisons)")
    ap.add_argument("--no-refine", action="store_true",
                    help="AlignConfig(refine=False): no splitting or releasing")
    args = ap.parse_args()
    if args.no_refine:  # the beads as the aligner's DP gives them (for comparison)
        import functools

        import corpus.sentence_align as sa
        sa.AlignConfig = functools.partial(sa.AlignConfig, refine=False)
    if args.refine:  # RefineConfig settings, e.g. --refine loose=False realign=False
        import corpus.refine as rf
        settings = {k: eval(v) for k, v in (x.split("=", 1) for x in args.refine)}
        base = rf.RefineConfig
        rf.RefineConfig = lambda **kw: base(**{**settings, **kw})
    reports = []
    if args.fit:
        reports.append(fit(args.fit, args.cache_dir))
        print(json.dumps(reports[-1]), flush=True)
    for bench in [BENCHES / s for s in args.sets] + list(args.check):
        reports.append(run_set(bench, args.out, args.cache_dir))
        print(json.dumps(reports[-1], ensure_ascii=False), flush=True)
        if args.gold_splits:
            reports.append(gold_splits(bench, args.cache_dir))
            print(json.dumps(reports[-1]), flush=True)
    print("\ncommand: " + " ".join(["scripts/bench_sparse.py"] + sys.argv[1:]), file=sys.stderr)
    for r in reports:
        if "f1_strict" in r:
            print(f"{Path(r['set']).name}: strict {r['f1_strict']:.3f} lax {r['f1_lax']:.3f} "
                  f"mt {r['unaligned_ar_in_mt']:.3f} distractor {r['aligned_to_distractor']} "
                  f"boilerplate {r['rows_not_in_gold']} AUC {r['score_roc_auc']:.3f} "
                  f"wall {r['wall_seconds']} s, {r['strings_embedded']} strings",
                  file=sys.stderr)
            for c in r["cutoffs"]:
                print(f"   score >= {c['cutoff']:.2f}: {c['rows']} rows "
                      f"({c['share_of_rows']:.0%}), strict precision "
                      f"{c['precision_strict']:.3f}", file=sys.stderr)
        elif "gold_splits_f1_strict" in r:
            print(f"{Path(r['set']).name} gold splits: strict {r['gold_splits_f1_strict']:.3f} "
                  f"lax {r['gold_splits_f1_lax']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
