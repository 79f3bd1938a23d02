#!/usr/bin/env python3
"""Crawl-scale benchmark (issue 11): cost and quality on a crawl vs the dev pages alone.

Builds a crawl with ../shared/bench/crawl/make_crawl.py (the 40 dev pages, half of them cut
into an Arabic and an English file, plus --filler English-only pages), then, in the same
run, each with a fresh (cold) embedding cache and in its own process (so peak RSS is its
own, worker processes included):

  dev      the 40 dev pages alone
  crawl    the crawl's .txt pages
  warc     the crawl's WARC file (with --warc)

and reports wall time, strings and characters embedded, peak RSS, strict/lax F1 from the
bench's score.py, and the cross-file translations found (crawl.json pairs: an aligned row
whose Arabic is in the pair's Arabic file and English in its English file) and wrong
cross-file pairs (aligned rows whose English comes from any other file).

    .venv/bin/python scripts/bench_crawl.py --filler 1000 --warc        # the issue's run
    .venv/bin/python scripts/bench_crawl.py --filler 100 --jobs 1       # quick, under load
    .venv/bin/python scripts/bench_crawl.py --jobs-only                 # --jobs 1 vs 2 vs dask
    .venv/bin/python scripts/bench_crawl.py --rss 250,1000              # peak RSS growth

--jobs-only: the 40 dev pages, cold cache, with --jobs 1, --jobs 2 (two processes),
--jobs 2 --executor local (one process, two threads) and a two-worker Dask cluster started
by the script on 127.0.0.1; prints the speed-ups and whether the corpora are
byte-identical.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
PY = sys.executable


def run_one(inputs: list[str], out: str, jobs: int, cache: str, scheduler: str | None,
            executor: str = "auto") -> None:
    """In a child process: one build_corpus run; prints its numbers as JSON."""
    from corpus.embed import get_embedder
    from corpus.pipeline import build_corpus

    embedder = get_embedder("e5-small", cache_dir=cache)
    started = time.perf_counter()
    result = build_corpus(inputs, out, mt="off", embedder=embedder, jobs=jobs,
                          scheduler=scheduler, executor=executor)
    wall = time.perf_counter() - started
    s = result.stats
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"wall": round(wall, 1), "strings": s.strings_embedded,
                      "chars": s.chars_embedded, "documents": s.documents,
                      "english_pages": s.english_pages,
                      "english_candidates": s.english_candidates,
                      "peak_rss_mb": round(peak / 1024)}))


def _child(inputs, out, jobs, scheduler=None, cache=None, executor="auto") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [PY, __file__, "--run-one", json.dumps([str(i) for i in inputs]), str(out),
               str(jobs), cache or str(Path(tmp) / "cache"), scheduler or "", executor]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _score(bench: Path, out: Path) -> dict:
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_dev import _scorable_copy

    scored = out.with_name(out.stem + ".scored.tsv")
    _scorable_copy(out, scored)
    res = subprocess.run([PY, str(bench / "score.py"), str(bench / "gold.jsonl"), str(scored),
                          "--json"], check=True, capture_output=True, text=True)
    n = json.loads(res.stdout)
    return {"f1_strict": n["f1_strict"], "f1_lax": n["f1_lax"]}


def _cross_file(crawl: Path, out: Path, to_name) -> dict:
    manifest = json.loads((crawl / "crawl.json").read_text(encoding="utf-8"))
    pairs = {(to_name(p["ar"]), to_name(p["en"])) for p in manifest["pairs"]}
    lines = out.read_text(encoding="utf-8").split("\n")
    head = lines[0].split("\t")
    found, wrong = set(), set()
    for line in lines[1:]:
        if not line:
            continue
        row = dict(zip(head, line.split("\t")))
        if row["origin"] != "aligned" or not row.get("en_doc"):
            continue
        key = (row["doc"], row["en_doc"])
        (found if key in pairs else wrong).add(key)
    return {"cross_file_found": len(found), "cross_file_pairs": len(pairs),
            "wrong_cross_file_pairs": len(wrong)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cluster(workers: int):
    port = _free_port()
    bindir = Path(PY).parent
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([str(bindir / "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    address = f"tcp://127.0.0.1:{port}"
    for _ in range(workers):
        procs.append(subprocess.Popen([str(bindir / "dask"), "worker", address, "--nthreads",
                                       "1", "--nworkers", "1", "--no-dashboard",
                                       "--host", "127.0.0.1"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, timeout=60) as c:
        c.wait_for_workers(workers, timeout=120)
    return address, procs


def jobs_only(args) -> None:
    out_dir = Path(args.out) / "jobs"
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = BENCH / "dev" / "pages"
    if args.pages:  # a quick look: the first N dev pages only
        pages = out_dir / "pages"
        pages.mkdir(exist_ok=True)
        for f in sorted((BENCH / "dev" / "pages").glob("*.txt"))[:args.pages]:
            (pages / f.name).write_bytes(f.read_bytes())
    res = {}
    for name, jobs, kind in (("jobs1", 1, "auto"), ("jobs2", 2, "auto"),
                             ("jobs2-threads", 2, "local")):
        res[name] = _child([pages], out_dir / f"{name}.tsv", jobs, executor=kind)
        print(name, res[name], file=sys.stderr)
    address, procs = _dask_cluster(2)
    try:
        res["dask2"] = _child([pages], out_dir / "dask2.tsv", 2, scheduler=address)
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    same = all((out_dir / f"{n}.tsv").read_bytes() == (out_dir / "jobs1.tsv").read_bytes()
               and (out_dir / f"{n}.untranslated.tsv").read_bytes()
               == (out_dir / "jobs1.untranslated.tsv").read_bytes() for n in res)
    speedup = res["jobs1"]["wall"] / res["jobs2"]["wall"]
    threads = res["jobs1"]["wall"] / res["jobs2-threads"]["wall"]
    print(json.dumps(res, indent=1))
    print(f"\n--jobs 2 (2 processes x 1 thread) is {speedup:.2f}x faster than --jobs 1 "
          f"(target >= 1.6x); --jobs 2 --executor local (1 process x 2 threads) {threads:.2f}x; "
          f"--jobs 1 / --jobs 2 / dask (2 workers) corpora byte-identical: {same}\n"
          f"command: {PY} scripts/bench_crawl.py --jobs-only")


def rss_growth(args) -> None:
    sizes = [int(x) for x in args.rss.split(",")]
    res = {}
    for n in sizes:
        crawl = Path(args.out) / f"crawl-{n}"
        subprocess.run(["python3", str(BENCH / "crawl" / "make_crawl.py"), str(BENCH / "dev"),
                        str(crawl), "--filler", str(n)], check=True, capture_output=True)
        res[n] = _child([crawl / "pages"], crawl / "out.tsv", args.jobs)
        print(n, res[n], file=sys.stderr)
    a, b = sizes[0], sizes[-1]
    print(json.dumps(res, indent=1))
    print(f"\npeak RSS {res[b]['peak_rss_mb']} MB at {b} filler pages vs "
          f"{res[a]['peak_rss_mb']} MB at {a}: {res[b]['peak_rss_mb'] / res[a]['peak_rss_mb']:.2f}x"
          f" (target <= 1.15x)\ncommand: {PY} scripts/bench_crawl.py --rss {args.rss}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filler", type=int, default=1000)
    ap.add_argument("--warc", action="store_true", help="also run on the crawl's WARC file")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_crawl"))
    ap.add_argument("--jobs-only", action="store_true")
    ap.add_argument("--pages", type=int, default=0, help="--jobs-only on the first N dev "
                    "pages only (a quick check; the target is on all 40)")
    ap.add_argument("--rss", default="", help="filler sizes to compare peak RSS, e.g. 250,1000")
    ap.add_argument("--run-one", default=None, help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args.run_one is not None:
        out, jobs, cache, scheduler, executor = rest
        run_one(json.loads(args.run_one), out, int(jobs), cache, scheduler or None, executor)
        return
    if args.jobs_only:
        return jobs_only(args)
    if args.rss:
        return rss_growth(args)

    dev = BENCH / "dev"
    out_dir = Path(args.out)
    crawl = out_dir / f"crawl-{args.filler}"
    cmd = ["python3", str(BENCH / "crawl" / "make_crawl.py"), str(dev), str(crawl),
           "--filler", str(args.filler)] + (["--warc"] if args.warc else [])
    print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip(),
          file=sys.stderr)
    runs = {"dev": ([dev / "pages"], lambda f: f),
            "crawl": ([crawl / "pages"], lambda f: str(crawl / "pages" / f))}
    if args.warc:
        runs["warc"] = ([crawl / "crawl.warc.gz"], lambda f: "http://%s.example/%s" % (
            f.split("/", 1)[0], f.split("/", 1)[1][:-4] + ".html"))
    report = {}
    for name, (inputs, to_name) in runs.items():
        out = out_dir / f"{name}.tsv"
        r = _child(inputs, out, args.jobs)
        r.update(_score(dev, out))
        if name != "dev":
            r.update(_cross_file(crawl, out, to_name))
        report[name] = r
        print(name, r, file=sys.stderr)
    d, c = report["dev"], report["crawl"]
    print(json.dumps(report, indent=1))
    lines = [f"crawl ({args.filler} filler pages) vs dev pages, cold cache, --jobs {args.jobs}:",
             f"  wall {c['wall']} s vs {d['wall']} s = {c['wall'] / d['wall']:.2f}x (target <= 3x)",
             f"  characters embedded {c['chars']} vs {d['chars']} = "
             f"{c['chars'] / max(1, d['chars']):.2f}x (target <= 2x); strings {c['strings']} vs "
             f"{d['strings']}",
             f"  English pages without Arabic {c['english_pages']}, candidates "
             f"{c['english_candidates']}",
             f"  cross-file translations found {c['cross_file_found']} of "
             f"{c['cross_file_pairs']}, wrong pairs {c['wrong_cross_file_pairs']} "
             f"(target all but one, 0 wrong)",
             f"  strict F1 {c['f1_strict']:.3f} vs dev {d['f1_strict']:.3f} "
             f"(target within 0.01)",
             f"  peak RSS {c['peak_rss_mb']} MB (dev {d['peak_rss_mb']} MB)"]
    if "warc" in report:
        w = report["warc"]
        lines.append(f"  WARC: strict F1 {w['f1_strict']:.3f} vs .txt {c['f1_strict']:.3f} "
                     f"(target within 0.01), wall {w['wall']} s, cross-file "
                     f"{w['cross_file_found']}/{w['cross_file_pairs']}, wrong "
                     f"{w['wrong_cross_file_pairs']}")
    lines.append(f"command: {PY} scripts/bench_crawl.py --filler {args.filler}"
                 f"{' --warc' if args.warc else ''} --jobs {args.jobs}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
