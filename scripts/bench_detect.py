"""Benchmark Arabic-section detection on the development pages.

    .venv/bin/python scripts/bench_detect.py [--bench ../shared/bench/dev] [--verbose]
                                             [--throughput-mb 50]

Reports, against gold.jsonl:
* Arabic body lines: precision and recall of the lines ``detect`` puts in Arabic sections
  (titles and paragraphs) against the gold ``ar_lines``;
* English body coverage: the share of gold English sentences (``en``) whose page line lies in
  an English section, and the number of English date/byline/boilerplate lines that wrongly
  ended up in a section;
* throughput of read + detect over the seeds repeated to ``--throughput-mb`` MB (0 to skip).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.detect import detect  # noqa: E402
from corpus.read import read_document  # noqa: E402

# English metadata lines the pages add (see the bench README): must not be section text.
EN_META_PREFIXES = ("Written by", "Translated by", "Related Videos", "Related Articles",
                    "Share this", "Like this", "Loading")


def bench_pages(bench: Path, verbose: bool) -> dict:
    gold = [json.loads(line) for line in (bench / "gold.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    tp = fp = fn = 0
    en_found = en_total = 0
    en_meta_in_body = 0
    per_page = []
    for g in gold:
        doc = read_document(bench / "pages" / g["page"])
        layout = detect(doc)
        predicted = {p.line for p in layout.arabic_body()}
        expected = set(g["ar_lines"])
        page_tp = len(predicted & expected)
        tp += page_tp
        fp += len(predicted - expected)
        fn += len(expected - predicted)
        if verbose and predicted != expected:
            print(f"{g['page']}: extra {sorted(predicted - expected)} "
                  f"missing {sorted(expected - predicted)}")
        en_lines = {p.line for p in layout.english_body()}
        lines = [doc.line_text(i) for i in range(1, len(doc.lines) + 1)]
        for sid, sentence in g["en"].items():
            if int(sid) in set(g.get("en_distractor", [])):
                continue
            where = [i for i, text in enumerate(lines, 1) if sentence in text]
            if not where:
                continue
            en_total += 1
            if any(i in en_lines for i in where):
                en_found += 1
            elif verbose:
                print(f"{g['page']}: English sentence on line {where} not in an English section")
        for i in en_lines:
            if lines[i - 1].strip().startswith(EN_META_PREFIXES):
                en_meta_in_body += 1
                if verbose:
                    print(f"{g['page']}:{i}: English metadata in a section: {lines[i - 1]!r}")
        per_page.append((g["page"], page_tp, len(predicted), len(expected)))
    return {
        "pages": len(gold),
        "ar_precision": tp / (tp + fp) if tp + fp else 1.0,
        "ar_recall": tp / (tp + fn) if tp + fn else 1.0,
        "ar_tp": tp, "ar_fp": fp, "ar_fn": fn,
        "en_sentence_lines_in_english_sections": en_found / en_total if en_total else 1.0,
        "en_sentences": en_total,
        "en_metadata_lines_in_sections": en_meta_in_body,
    }


def bench_throughput(megabytes: float) -> dict:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    blob = "\n".join(p.read_text("utf-8") for p in seeds) + "\n"
    repeat = max(1, int(megabytes * 1_000_000 / len(blob.encode("utf-8"))))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seeds_repeated.txt"
        path.write_text(blob * repeat, encoding="utf-8")
        size = path.stat().st_size
        detect(read_document(seeds[0]))  # load the model outside the timing
        # CPU time is reported too: the machine is shared, and wall time then measures the
        # neighbours as much as this code
        t0, c0 = time.perf_counter(), time.process_time()
        doc = read_document(path)
        t1, c1 = time.perf_counter(), time.process_time()
        layout = detect(doc)
        t2, c2 = time.perf_counter(), time.process_time()
    return {
        "bytes": size,
        "lines": len(doc.lines),
        "read_wall_s": t1 - t0,
        "detect_wall_s": t2 - t1,
        "read_cpu_s": c1 - c0,
        "detect_cpu_s": c2 - c1,
        "read_detect_MB_per_s_wall": size / 1e6 / (t2 - t0),
        "read_detect_MB_per_s_cpu": size / 1e6 / (c2 - c0),
        "sections": len(layout.sections),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--throughput-mb", type=float, default=50.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}"}
    result.update(bench_pages(args.bench, args.verbose))
    if args.throughput_mb > 0:
        result.update(bench_throughput(args.throughput_mb))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:40s} {value:.4f}" if isinstance(value, float) else f"{key:40s} {value}")


if __name__ == "__main__":
    main()
