#!/usr/bin/env python3
"""Benchmark sentence pairing + alignment on the dev bench (../shared/bench/dev).

Two modes:

* ``--gold-splits``: the gold sentence splits (``ar_segs`` / ``en_segs`` of gold.jsonl),
  with the unrelated article's English sentences put back where they sit on the page, so
  the aligner must leave them out. Measures the aligner alone.
* default (end to end): our own reading, detection and segmentation of the pages, then
  :func:`corpus.pair.pair_sections` over all pages at once (cross-file pairing allowed).
  ``--split-languages`` moves each page's English into a document of its own, so every
  translation has to be found in another file. ``--add-english PATH...`` reads more pages
  of English only (e.g. ``seeds/00[0-3]_*``) as unrelated files of a crawl, to measure what
  the search in other files embeds; ``--probe-every 1`` embeds every file in full.

Writes a TSV (ar, en, origin, page), scores it with the bench's score.py and prints the
scores, the wall time and the number of strings embedded. ``--cache-dir`` defaults to a
fresh temporary directory, i.e. a cold run; pass a directory to reuse embeddings.

    .venv/bin/python scripts/bench_align.py [--gold-splits | --split-languages]
        [--add-english PATH...] [--probe-every N] [--out out.tsv] [--cache-dir D] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.sentence_align import AlignConfig, align_vectors  # noqa: E402
from corpus.embed import CachedEmbedder, get_embedder  # noqa: E402
from corpus.pair import PairConfig  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench" / "dev"


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def gold_page_units(page: dict, page_text: str) -> tuple[list[str], list[str]]:
    """Arabic segments and English segments (+ distractor sentences) in page order."""
    ar = [" ".join(page["ar"][str(i)] for i in seg) for seg in page["ar_segs"]]
    en_items = []
    cursor = 0
    for seg in page["en_segs"]:
        text = " ".join(page["en"][str(i)] for i in seg)
        first = page["en"][str(seg[0])]
        at = page_text.find(first, cursor)
        if at < 0:
            at = page_text.find(first)
        if at >= 0:
            cursor = at
        en_items.append((at if at >= 0 else cursor, 0, text))
    for k, i in enumerate(page["en_distractor"]):
        text = page["en"][str(i)]
        at = page_text.find(text)
        en_items.append((at if at >= 0 else 10 ** 9 + k, 1, text))
    en_items.sort(key=lambda x: (x[0], x[1]))
    return ar, [t for _, _, t in en_items]


def run_gold_splits(pages, bench: Path, embedder, config: AlignConfig, out: Path) -> None:
    units = []
    for page in pages:
        text = (bench / "pages" / page["page"]).read_text(encoding="utf-8")
        units.append((page["page"], *gold_page_units(page, text)))
    all_texts = [t for _, ar, en in units for t in ar + en]
    embedder.embed(all_texts)  # one batch: the model is fastest on large batches
    with open(out, "w", encoding="utf-8") as f:
        f.write("ar\ten\torigin\tpage\n")
        for name, ar, en in units:
            if not ar:
                continue
            vec = embedder.embed(ar + en) if en else None
            if en:
                beads = align_vectors(vec[:len(ar)], vec[len(ar):], [len(t) for t in ar],
                                      [len(t) for t in en], config=config)
            else:
                beads = align_vectors([], [], [len(t) for t in ar], [], config=config)
            for bead in beads:
                if not bead.ar:
                    continue
                ar_text = clean(" ".join(ar[i] for i in bead.ar))
                if bead.en:
                    en_text = clean(" ".join(en[j] for j in bead.en))
                    f.write(f"{ar_text}\t{en_text}\taligned\t{name}\n")
                else:
                    f.write(f"{ar_text}\t\tmt\t{name}\n")


def page_sections(paths):
    """Our own reading, detection and segmentation: (Arabic, English) section lists, each
    item a (Section, sentences) tuple; sections of kind title and body."""
    from corpus.detect import detect
    from corpus.read import read_document
    from corpus.segment import segment_section

    ar, en = [], []
    for path in paths:
        document = read_document(path)
        layout = detect(document)
        for section in layout.sections:
            if section.lang not in ("ar", "en") or section.kind not in ("title", "body"):
                continue
            item = (section, segment_section(document, section))
            (ar if section.lang == "ar" else en).append(item)
    return ar, en


def run_end_to_end(pages, bench: Path, embedder, config: AlignConfig, out: Path,
                   split_languages: bool = False, add_english=(),
                   pair_config: PairConfig | None = None) -> None:
    from corpus.pair import pair_sections
    from corpus.read import expand_paths

    paths = [bench / "pages" / p["page"] for p in pages]
    ar, en = page_sections(paths)
    if add_english:
        extra_ar, extra_en = page_sections(expand_paths(add_english))
        if extra_ar:
            raise SystemExit(f"--add-english: {extra_ar[0][0].doc} holds Arabic")
        en += extra_en
    if split_languages:  # as if each page's English were published as a file of its own
        en = [(dataclasses.replace(section, doc=section.doc + ".en"), sentences)
              for section, sentences in en]
    results = pair_sections(ar, en, embedder=embedder, config=pair_config,
                            align_config=config)
    with open(out, "w", encoding="utf-8") as f:
        f.write("ar\ten\torigin\tpage\n")
        for pair in results:
            name = Path(pair.ar_doc).name
            for bead in pair.beads:
                if not bead.ar:
                    continue
                ar_text = clean(" ".join(pair.ar_sentences[i].text for i in bead.ar))
                if bead.en:
                    en_text = clean(" ".join(pair.en_sentences[j].text for j in bead.en))
                    f.write(f"{ar_text}\t{en_text}\taligned\t{name}\n")
                elif bead.ar[0] in pair.repeats:  # a repeated headline: its first copy counts
                    f.write(f"{ar_text}\t\tuntranslated\t{name}\n")
                else:
                    f.write(f"{ar_text}\t\tmt\t{name}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--gold-splits", action="store_true",
                    help="align the gold sentence splits instead of our own detection")
    ap.add_argument("--split-languages", action="store_true",
                    help="end to end, but each page's English counts as another file "
                         "(tests cross-file pairing)")
    ap.add_argument("--add-english", nargs="+", default=(), metavar="PATH",
                    help="end to end: more pages, English only, as unrelated files")
    ap.add_argument("--probe-every", type=int, default=PairConfig().probe_every,
                    help="PairConfig.probe_every (1: embed every file in full)")
    ap.add_argument("--out", type=Path, default=None, help="output TSV (default: temp file)")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="embedding cache (default: a fresh temp dir = cold run)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_align_") as tmp:
        cache_dir = args.cache_dir or Path(tmp) / "cache"
        out = args.out or Path(tmp) / "out.tsv"
        embedder = CachedEmbedder(get_embedder("e5-small"), cache_dir)
        pages = [json.loads(line) for line in open(args.bench / "gold.jsonl", encoding="utf-8")
                 if line.strip()]
        config = AlignConfig()
        if args.gold_splits:
            run_gold_splits(pages, args.bench, embedder, config, out)
        else:
            run_end_to_end(pages, args.bench, embedder, config, out, args.split_languages,
                           args.add_english, PairConfig(probe_every=args.probe_every))
        wall = time.perf_counter() - started
        scores = load_scorer(args.bench).score(str(args.bench / "gold.jsonl"), str(out))
        embedder.close()
    stats = embedder.stats()
    inner = embedder.inner
    mode = ("gold-splits" if args.gold_splits
            else "end-to-end, English as separate files" if args.split_languages
            else "end-to-end")
    if args.add_english and not args.gold_splits:
        mode += f", {len(args.add_english)} English-only paths added"
    report = {"mode": mode,
              "wall_seconds": round(wall, 1),
              "embedding_seconds": round(getattr(inner, "seconds", 0.0), 1),
              "strings_embedded": stats["strings_embedded"],
              "chars_embedded": stats["chars_embedded"], "cache_hits": stats["hits"],
              "embedder": embedder.signature(), "aligner": config.signature(),
              "pairing": PairConfig(probe_every=args.probe_every).signature(),
              **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in scores.items()}}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"mode {report['mode']}  wall {report['wall_seconds']} s "
          f"(embedding {report['embedding_seconds']} s)  strings embedded "
          f"{report['strings_embedded']} ({report['chars_embedded']} chars), cache hits "
          f"{report['cache_hits']}")
    print(f"strict P/R/F1 {scores['precision_strict']:.3f} / {scores['recall_strict']:.3f} / "
          f"{scores['f1_strict']:.3f}   lax P/R/F1 {scores['precision_lax']:.3f} / "
          f"{scores['recall_lax']:.3f} / {scores['f1_lax']:.3f}")
    print(f"strict recall by shape {scores['recall_strict_by_shape']}")
    print(f"unaligned Arabic in mt {scores['unaligned_ar_in_mt']:.3f}  mt that had English "
          f"{scores['mt_ar_that_had_english']}  coverage {scores['coverage_ar']:.3f}  "
          f"rows not in gold {scores['rows_not_in_gold']}  aligned to distractor "
          f"{scores['aligned_to_distractor']}  aligned en not in gold "
          f"{scores['aligned_en_not_in_gold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
