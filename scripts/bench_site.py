#!/usr/bin/env python3
"""Benchmark of `corpus align` on real and realistic bilingual websites.

Runs the whole pipeline as a user would and scores it with the site-sample scorer
(../shared/bench/site-sample/score_site.py: page-pair recall/precision, row support, rows from
other-language pages, Arabic-only pages aligned) on:

- site-sample: 11 real pages of creativecommons.org as served;
- checkset: the pages scripts/make_site_checkset.py builds from the dev bench (six URL layouts,
  translated furniture, near-duplicate English pages; see its docstring);
- cc-site (not run by default): the check set scripts/make_cc_checkset.py rebuilds from more of
  creativecommons.org (deeds, a legal code, Persian, French, Spanish pages), seen and unseen
  parts (docs/benchmarks/site.md);
- crawl: ../shared/bench/crawl/make_crawl.py --filler 20 --warc (plain-text pages; cross-file pairs
  found, from crawl.json), and its WARC when the installed corpus reads WARC files; on the
  WARC also what corpus.links alone finds (warc_links: pairs linked by URL, wrong links).

Also prints how each row's pair was found (found_by) and how the main-content extraction went
(lines kept / left out). Numbers measured on a loaded machine are marked as such in
docs/benchmarks/site.md.

    .venv/bin/python scripts/bench_site.py [--only site-sample,checkset,crawl]
        [--out out/bench_site] [--cache-dir DIR] [--cc-site DIR]

--cache-dir: the embedding cache (default $CORPUS_CACHE_DIR, else a fresh temporary one: a
cold run).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_site",
                                                  BENCH / "site-sample" / "score_site.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(inputs, out: Path, embedder):
    """build_corpus on ``inputs``; (rows, found_by counts, seconds, extraction counts)."""
    from corpus.pipeline import align, build_corpus

    handler = _ExtractionLog()
    logging.getLogger("corpus.extract").addHandler(handler)
    logging.getLogger("corpus.extract").setLevel(logging.INFO)
    started = time.perf_counter()
    build_corpus(inputs, out, mt="off", embedder=embedder)
    seconds = time.perf_counter() - started
    logging.getLogger("corpus.extract").removeHandler(handler)
    # found_by of the aligned rows (the TSV may not carry it): the same run, in memory
    found = collections.Counter(r.found_by for r in align(inputs, embedder=embedder)
                                if r.origin == "aligned")
    return seconds, dict(sorted(found.items())), handler.counts


class _ExtractionLog(logging.Handler):
    def __init__(self):
        super().__init__()
        self.counts = collections.Counter()

    def emit(self, record):
        msg = record.getMessage()
        if "left out as page furniture" in msg:
            self.counts["pages_with_furniture_left_out"] += 1
        if "of Arabic prose left out" in msg:
            self.counts["pages_losing_arabic_prose"] += 1
        if "the whole page is used" in msg:
            self.counts["pages_taken_whole"] += 1


def bench_pages(name: str, pages: Path, pairs: Path, units: Path, out_dir: Path, embedder):
    out = out_dir / f"{name}.tsv"
    seconds, found, extraction = _run([pages], out, embedder)
    res = _scorer().score(str(pairs), str(units), str(out))
    res.update({"found_by": found, "extraction": dict(extraction),
                "wall_seconds_under_load": round(seconds, 1)})
    return res


def bench_crawl(out_dir: Path, embedder):
    crawl = out_dir / "crawl"
    if not (crawl / "crawl.json").exists():
        subprocess.run([sys.executable, str(BENCH / "crawl" / "make_crawl.py"),
                        str(BENCH / "dev"), str(crawl), "--filler", "20", "--warc"],
                       check=True, capture_output=True)
    manifest = json.loads((crawl / "crawl.json").read_text(encoding="utf-8"))
    results = {}
    inputs = {"txt": [crawl / "pages"]}
    try:
        import corpus.sources  # noqa: F401 - WARC reading, when this corpus has it
        inputs["warc"] = [crawl / "crawl.warc.gz"]
    except ImportError:
        pass
    for kind, paths in inputs.items():
        out = out_dir / f"crawl-{kind}.tsv"
        seconds, found, _ = _run(paths, out, embedder)
        rows = _scorer().read_tsv(str(out))
        joined = collections.Counter()
        for r in rows:
            if r.get("origin") == "aligned" and r.get("en_doc"):
                joined[(_tail(r["doc"]), _tail(r["en_doc"]))] += 1
        want = [(p["ar"], p["en"]) for p in manifest["pairs"]]
        hit = sum(1 for a, e in want if any(_same(a, x) and _same(e, y) for x, y in joined))
        wrong = sum(1 for x, y in joined if not any(_same(a, x) and _same(e, y)
                                                    for a, e in want))
        score = subprocess.run([sys.executable, str(BENCH / "dev" / "score.py"),
                                str(crawl / "gold.jsonl"), str(out), "--json"],
                               capture_output=True, text=True)
        entry = {"cross_file_pairs": len(want), "cross_file_pairs_found": hit,
                 "wrong_cross_file_pairs": wrong, "found_by": found,
                 "wall_seconds_under_load": round(seconds, 1)}
        if score.returncode == 0:
            s = json.loads(score.stdout)
            entry.update({k: s[k] for k in ("f1_strict", "f1_lax", "rows_not_in_gold")
                          if k in s})
        results[kind] = entry
    results["warc_links"] = _warc_links(crawl, manifest)
    return results


def _warc_links(crawl: Path, manifest: dict) -> dict:
    """What corpus.links finds among the crawl's WARC records (HTML bodies, target URIs),
    read here with fastwarc and corpus.read.document_from_html: cross-file pairs linked by
    URL, and links that join the wrong pages."""
    from fastwarc.warc import ArchiveIterator

    from corpus.links import find_links
    from corpus.read import document_from_html

    docs = []
    with open(crawl / "crawl.warc.gz", "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.headers.get("WARC-Type") != "response":
                continue
            uri = rec.headers["WARC-Target-URI"]
            raw = rec.reader.read().decode("utf-8", "replace")
            body = raw.split("\r\n\r\n", 1)[1] if raw.startswith("HTTP/") else raw
            docs.append(document_from_html(body, path=uri, url=uri))

    def url(f: str) -> str:
        site, rest = f.split("/", 1)
        return f"http://{site}.example/{rest.rsplit('.', 1)[0]}.html"

    want = {(url(p["ar"]), url(p["en"])) for p in manifest["pairs"]}
    got = {(a, link.en_doc) for a, ls in find_links(docs).linked.items() for link in ls}
    return {"records": len(docs), "cross_file_pairs": len(want),
            "linked_by_url": len(got & want), "wrong_links": len(got - want)}


def _tail(path: str) -> str:
    """A page's path below pages/ (file) or its URL path (WARC), without extension."""
    path = path.replace(os.sep, "/")
    path = path.rsplit("pages/", 1)[-1]
    if "://" in path:
        host, _, rest = path.split("://", 1)[1].partition("/")
        path = host.split(".")[0] + "/" + rest
    return path.rsplit(".", 1)[0]


def _same(manifest_path: str, row_path: str) -> bool:
    return manifest_path.rsplit(".", 1)[0] == row_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="site-sample,checkset,crawl")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench_site")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--cc-site", type=Path, default=Path("/work/checksets/cc-site"),
                    help="the cc-site check set (scripts/make_cc_checkset.py); --only cc-site "
                         "scores its seen and unseen parts")
    args = ap.parse_args()
    from corpus.embed import get_embedder

    args.out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "command": " ".join([Path(sys.executable).name] + sys.argv)}
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or os.environ.get("CORPUS_CACHE_DIR") or Path(tmp) / "cache"
        embedder = get_embedder("e5-small", cache_dir=cache)
        if "site-sample" in only:
            s = BENCH / "site-sample"
            report["site-sample"] = bench_pages("site-sample", s / "pages", s / "pairs.tsv",
                                                s / "gold_units.jsonl", args.out, embedder)
        if "checkset" in only:
            cs = args.out / "checkset"
            if not (cs / "pairs.tsv").exists():
                subprocess.run([sys.executable, str(ROOT / "scripts" / "make_site_checkset.py"),
                                str(BENCH / "dev"), str(cs)], check=True, capture_output=True)
            report["checkset"] = bench_pages("checkset", cs / "pages", cs / "pairs.tsv",
                                             cs / "gold_units.jsonl", args.out, embedder)
        if "crawl" in only:
            report["crawl"] = bench_crawl(args.out, embedder)
        if "cc-site" in only:
            for part in ("seen", "unseen"):
                p = args.cc_site / part
                if not (p / "pairs.tsv").exists():
                    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_cc_checkset.py"),
                                    str(args.cc_site)], check=True, capture_output=True)
                report[f"cc-site-{part}"] = bench_pages(f"cc-site-{part}", p / "pages",
                                                        p / "pairs.tsv", p / "gold_units.jsonl",
                                                        args.out, embedder)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
