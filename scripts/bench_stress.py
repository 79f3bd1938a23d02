"""Bad input through the CLI: nothing crashes, hangs or silently loses Arabic; cost is linear.

    CORPUS_CACHE_DIR=/work/cache/corpus PYTHONPATH=. .venv/bin/python scripts/bench_stress.py \
        [--work DIR] [--no-big] [--timeout 300]

Two parts, everything generated under --work (default: a temporary folder):

1. **The suite**: each case is run as a user runs it (``python -m corpus detect|align``, a
   subprocess with a timeout) and judged on what a user sees:
   * *crash*: an exit code other than 0 or 2, or a Python traceback on stderr;
   * *hang*: no exit within --timeout seconds;
   * *unclear message*: an exit-2 error that is not one ``error:`` line naming the file;
   * *Arabic lost without a counted warning*: an Arabic line of the input whose words are
     not in any output file (corpus, untranslated, rejects) while no warning names its file;
   * *half-written output*: after a failed run, output files exist; after a run that
     succeeded, one of the four output files is missing.
   Cases: the broken pages of tests/broken_pages.py (bad bytes, NULs, truncated characters,
   wrong charsets, mojibake, deep and misnested markup; all in one folder, one ``align``
   run), non-regular files (FIFO, broken link, link loop, device) in a folder and named,
   binary and empty input, a missing path, a short Persian line; 1,000 mutated real pages
   (fuzz) read and detected in-process.
2. **The big cases** (timed, under whatever load the machine has): ``corpus detect`` on one
   line alternating Arabic and English sentences, 250 kB to 4 MB (time per MB after the
   start-up time of a tiny run, fastest of three runs, which should stay within ±20%);
   the same line at 10 MB through ``corpus align --mt off`` (time, and whether its Arabic
   reaches an output); a 5 MB HTML page read and detected (time, peak memory).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from broken_pages import broken_pages  # noqa: E402

ARABIC = re.compile("[\u0621-\u064A]+")
# Sentences of seeds/004 (the headline, the byline, part of the first paragraph) and two
# plain English sentences: the material of the generated pages.
AR_LINES_FROM_SEED = (566, 570, 574)
EN_LINES = ["Translated by Lina Shehadeh, the text of the op-ed",
            "The region is calm after the vote, officials said."]
ALT_AR = "الرقة بعد البوكمال معادلة المرحلة المقبلة. "
ALT_EN = "Raqqa after Albukamal is the equation of the next stage. "


def _corpus(args: list[str], timeout: float, cwd: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-m", "corpus", *args], capture_output=True,
                           text=True, timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        return {"rc": None, "stderr": "", "stdout": "", "seconds": timeout}
    return {"rc": p.returncode, "stderr": p.stderr, "stdout": p.stdout,
            "seconds": time.perf_counter() - started}


def _outputs(out: Path) -> list[Path]:
    stem = out.with_suffix("")
    return [out, Path(f"{stem}.untranslated.tsv"), Path(f"{stem}.rejects.tsv"),
            Path(f"{stem}.signature.json")]


class Suite:
    def __init__(self, timeout: float):
        self.timeout = timeout
        self.rows: list[dict] = []

    def judge(self, name: str, run: dict, *, expect_rc: int | None, names: list[str],
              out: Path | None = None, arabic: dict[str, list[str]] | None = None) -> dict:
        """Record one case. ``names``: files the messages must name; ``arabic``: per input
        file, its Arabic lines that must reach an output unless a warning names the file."""
        row = {"case": name, "crash": 0, "hang": 0, "unclear": 0, "lost": 0, "half": 0,
               "seconds": round(run["seconds"], 2), "note": ""}
        if run["rc"] is None:
            row["hang"] = 1
            row["note"] = f"no exit in {self.timeout:.0f} s"
            self.rows.append(row)
            return row
        err = run["stderr"]
        if run["rc"] not in (0, 2) or "Traceback (most recent call last)" in err:
            row["crash"] = 1
            row["note"] = f"exit {run['rc']}: {err.strip().splitlines()[-1:]}"
        if expect_rc is not None and run["rc"] != expect_rc and not row["crash"]:
            row["note"] += f" exit {run['rc']} (expected {expect_rc})"
        if run["rc"] == 2:
            errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
            if len(errors) != 1 or not all(n in errors[0] for n in names):
                row["unclear"] = 1
                row["note"] += f" message: {errors or err.strip()[-200:]}"
        if out is not None:
            files = _outputs(out)
            present = [f.exists() for f in files]
            if (run["rc"] == 0 and not all(present)) or (run["rc"] != 0 and any(present)):
                row["half"] = 1
                row["note"] += f" outputs present: {present}"
            if arabic and run["rc"] == 0:
                words = _arabic_words_by_file(files[:3])
                warned = [ln for ln in err.splitlines() if ln.startswith("warning:")]
                out_lines = total = 0
                for path, lines in arabic.items():
                    named = any(path in w for w in warned)
                    have_words = words.get(path, set())
                    for line in lines:
                        want = ARABIC.findall(line)
                        total += 1
                        if sum(w in have_words for w in want) >= 0.9 * len(want):
                            out_lines += 1
                        elif not named:
                            row["lost"] += 1
                            row["note"] += f" lost: {Path(path).name}: {line[:40]}"
                        else:
                            row["note"] += f" not out (file warned): {Path(path).name}: " \
                                           f"{line[:40]}"
                row["arabic_out"] = f"{out_lines} of {total}"
        self.rows.append(row)
        return row


def run_suite(work: Path, timeout: float, seed_lines: list[str]) -> Suite:
    suite = Suite(timeout)
    arabic = [seed_lines[i] for i in AR_LINES_FROM_SEED]
    arabic[2] = arabic[2].removeprefix("\u2013 ")[:300]

    # 1. broken pages, one align over the folder; each page gets Arabic sentences of its own
    # (seeds, cp1256-encodable lines) so that what reaches an output can be traced to it
    pages = work / "broken"
    pages.mkdir()
    must: dict[str, list[str]] = {}
    pool = _arabic_pool()
    n_cases = len(broken_pages(arabic, EN_LINES))
    for k in range(n_cases):
        lines = pool[3 * k:3 * k + 3] if len(pool) >= 3 * n_cases else arabic
        case = broken_pages(lines, EN_LINES)[k]
        path = pages / case.name
        path.write_bytes(case.data)
        must[str(path)] = [ln for ln in case.must_yield if ARABIC.search(ln)]
    out = work / "out_broken" / "corpus.tsv"
    run = _corpus(["align", str(pages), "-o", str(out), "--mt", "off", "--no-progress"],
                  timeout, work)
    # a page must give its Arabic, or be named in a warning (then the loss is counted)
    row = suite.judge(f"broken pages ({len(must)} files, one align)", run, expect_rc=0,
                      names=[], out=out, arabic=must)
    row["case"] += f"; Arabic lines out {row.pop('arabic_out', '?')}"
    # each broken page through detect, one by one (never a crash, never a hang)
    for path in sorted(pages.iterdir()):
        run = _corpus(["detect", str(path), "--json"], timeout, work)
        suite.judge(f"detect {path.name}", run, expect_rc=0, names=[str(path)])

    # 2. files that are not regular files
    odd = work / "odd"
    odd.mkdir()
    good = odd / "good.txt"
    good.write_text(f"{arabic[0]}\n{EN_LINES[1]}\n", encoding="utf-8")
    os.mkfifo(odd / "pipe.txt")
    (odd / "dangling.html").symlink_to(odd / "gone.html")
    (odd / "loop").symlink_to(odd)
    for cmd in ("detect", "align"):
        out = work / f"out_odd_{cmd}" / "corpus.tsv"
        args = [cmd, str(odd)] + (["-o", str(out), "--mt", "off", "--no-progress"]
                                  if cmd == "align" else ["--json"])
        run = _corpus(args, timeout, work)
        row = suite.judge(f"{cmd}: folder with FIFO, broken link, link loop", run, expect_rc=0,
                          names=[], out=out if cmd == "align" else None,
                          arabic={str(good): [arabic[0]]} if cmd == "align" else None)
        for name in ("pipe.txt", "dangling.html"):
            if name not in run["stderr"]:
                row["unclear"] = 1
                row["note"] += f" {name} not named"
    for target, reason in ((odd / "pipe.txt", "FIFO"),
                           (odd / "dangling.html", "broken symbolic link"),
                           (Path("/dev/null"), "device")):
        run = _corpus(["detect", str(target)], timeout, work)
        row = suite.judge(f"detect named {target.name or target}", run, expect_rc=2,
                          names=[str(target)])
        if reason not in run["stderr"]:
            row["unclear"] = 1
            row["note"] += f" does not say {reason!r}: {run['stderr'].strip()[-120:]}"
        out = work / f"out_named_{target.name}" / "corpus.tsv"
        run = _corpus(["align", str(target), "-o", str(out), "--mt", "off", "--no-progress"],
                      timeout, work)
        suite.judge(f"align named {target.name}", run, expect_rc=None, names=[str(target)],
                    out=out)

    # 3. binary, empty, missing
    binary = work / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    run = _corpus(["detect", str(binary)], timeout, work)
    suite.judge("detect binary file", run, expect_rc=2, names=[str(binary)])
    empty_dir = work / "empty_dir"
    empty_dir.mkdir()
    run = _corpus(["align", str(empty_dir), "-o", str(work / "o_empty" / "c.tsv"), "--mt",
                   "off"], timeout, work)
    suite.judge("align empty folder", run, expect_rc=2, names=[str(empty_dir)],
                out=work / "o_empty" / "c.tsv")
    missing = work / "nope.txt"
    run = _corpus(["align", str(missing), "-o", str(work / "o_missing" / "c.tsv"), "--mt",
                   "off"], timeout, work)
    suite.judge("align missing file", run, expect_rc=2, names=[str(missing)],
                out=work / "o_missing" / "c.tsv")
    empty = work / "empty.txt"
    empty.write_bytes(b"")
    run = _corpus(["detect", str(empty), "--json"], timeout, work)
    suite.judge("detect empty file", run, expect_rc=0, names=[str(empty)])

    # 3b. crawl containers: a WARC.gz cut short, JSONL with broken lines, a .gz that is not
    # gzip, next to good ones; and a run whose only input is a broken WARC. Rows of pages
    # read from a container carry the page's URL as doc, so the Arabic is traced by URL.
    import gzip
    crawl = work / "crawl"
    crawl.mkdir()
    crawl_must: dict[str, list[str]] = {}
    members = [gzip.compress(_warc_record(f"https://example.org/{k}", arabic[k % 2],
                                          EN_LINES[k % 2]), mtime=0) for k in range(6)]
    (crawl / "cut.warc.gz").write_bytes(b"".join(members)[:-40])  # inside the last record
    for k in range(5):
        crawl_must[f"https://example.org/{k}"] = [arabic[k % 2]] if k % 2 == 0 else []
    (crawl / "good.warc.gz").write_bytes(gzip.compress(_warc_record(
        "https://example.org/good", arabic[2], EN_LINES[0]), mtime=0))
    crawl_must["https://example.org/good"] = [arabic[2]]
    jsonl = work / "pages.jsonl"  # named: a directory search leaves .jsonl files alone
    jsonl.write_text(
        '{"url": "https://example.org/j1", "text": ' + json.dumps(f"{arabic[0]}\n{EN_LINES[1]}",
                                                                   ensure_ascii=False)
        + '}\n{"url": "https://example.org/j2", "text": \n[1, 2]\n{"html": 5}\n',
        encoding="utf-8")
    crawl_must["https://example.org/j1"] = [arabic[0]]
    (crawl / "fake.txt.gz").write_bytes(b"not gzip at all " * 20)
    out = work / "out_crawl" / "corpus.tsv"
    run = _corpus(["align", str(crawl), str(jsonl), "-o", str(out), "--mt", "off",
                   "--no-progress"], timeout, work)
    row = suite.judge("align: broken and good WARC.gz, JSONL, .gz", run, expect_rc=0,
                      names=[], out=out, arabic={u: a for u, a in crawl_must.items() if a})
    row["case"] += f"; Arabic lines out {row.pop('arabic_out', '?')}"
    for name in ("cut.warc.gz@", "pages.jsonl:2", "pages.jsonl:3", "pages.jsonl:4",
                 "fake.txt.gz"):
        if name not in run["stderr"]:
            row["unclear"] = 1
            row["note"] += f" {name} not named in a warning"
    only = work / "only_broken.warc.gz"
    only.write_bytes(members[0][:len(members[0]) // 2])
    out = work / "out_only_broken" / "corpus.tsv"
    run = _corpus(["align", str(only), "-o", str(out), "--mt", "off", "--no-progress"],
                  timeout, work)
    suite.judge("align: only a broken WARC.gz (nothing readable: exit 2)", run, expect_rc=2,
                names=[str(only)], out=out)

    # 4. a short Persian line is not Arabic (it must not come out as an Arabic row)
    fa = work / "persian.txt"
    fa.write_text(f"{EN_LINES[1]}\nاو به خانه رفت\n", encoding="utf-8")
    run = _corpus(["detect", str(fa), "--json"], timeout, work)
    row = suite.judge("detect short Persian line", run, expect_rc=0, names=[str(fa)])
    items = [json.loads(x) for x in run["stdout"].splitlines() if x.startswith("{")]
    if any(it.get("lang") == "ar" for it in items):
        row["note"] += " Persian line labelled Arabic"
        row["unclear"] = 1
    # 5. fuzz: mutated real pages (bytes flipped, inserted, cut; stray markup, NULs, BOMs,
    # charset declarations) read and detected in-process; any exception that is not a
    # CorpusError is a crash
    suite.rows.append(_fuzz(work, 1000, seed_lines))
    return suite


def _warc_record(url: str, ar: str, en: str) -> bytes:
    """One WARC/1.0 response record holding an HTML page with these two paragraphs."""
    page = (f"<!doctype html><html><head><meta charset=utf-8></head><body><h1>{ar}</h1>"
            f"<p>{en}</p></body></html>").encode("utf-8")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(page)}\r\n\r\n".encode("ascii") + page)
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode("ascii")
    return head + http + b"\r\n\r\n"


def _fuzz(work: Path, n: int, seed_lines: list[str]) -> dict:
    import logging
    import random

    from corpus.detect import detect
    from corpus.errors import CorpusError
    from corpus.read import ReadReport, read_document

    logging.getLogger("corpus").setLevel(logging.ERROR)  # the warnings are expected here
    rng = random.Random(1)
    bases = ["\n".join(seed_lines[540:600]).encode("utf-8")]
    site = sorted((ROOT.parent / "shared" / "bench" / "site-sample" / "pages").rglob("*.html"))
    bases += [f.read_bytes() for f in site[:3]]
    inserts = [b"<div>" * 500, b"</p>", b"<!--", b"<script>", b"\x00", b"\xef\xbb\xbf",
               b"<meta charset=iso-8859-1>", b"&#x0;", b"&#xD800;", b"\xff\xfe", b"\r"]
    folder = work / "fuzz"
    folder.mkdir()
    row = {"case": f"fuzz: {n} mutated pages, read + detect in-process", "crash": 0, "hang": 0,
           "unclear": 0, "lost": 0, "half": 0, "seconds": 0.0, "note": ""}
    started = time.perf_counter()
    for i in range(n):
        base = rng.choice(bases)
        b = bytearray(base[:rng.randint(0, len(base))])
        for _ in range(rng.randint(0, 30)):
            op, pos = rng.random(), rng.randint(0, max(len(b) - 1, 0))
            if op < 0.4 and b:
                b[pos] = rng.randint(0, 255)
            elif op < 0.6:
                b[pos:pos] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8)))
            elif op < 0.8 and b:
                del b[pos:pos + rng.randint(1, 50)]
            else:
                b[pos:pos] = rng.choice(inserts)
        path = folder / f"f{i}{rng.choice(['.txt', '.html'])}"
        path.write_bytes(bytes(b))
        try:
            detect(read_document(path, report=ReadReport()))
        except CorpusError:
            pass
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            row["crash"] += 1
            if row["crash"] <= 3:  # the first few, not a thousand
                row["note"] += f" {path.name}: {type(exc).__name__}: {str(exc)[:150]}"
        path.unlink()
    row["seconds"] = round(time.perf_counter() - started, 1)
    return row


def _arabic_words_by_file(files: list[Path]) -> dict[str, set[str]]:
    """Arabic words of the rows of each input file, over the corpus, untranslated and
    rejects files (a merged duplicate counts for every file it came from)."""
    import csv

    csv.field_size_limit(1 << 30)
    words: dict[str, set[str]] = {}
    for f in files:
        if not f.exists():
            continue
        with open(f, encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                docs = {rec.get("doc", "")}
                try:
                    docs.update(d for d, _ in json.loads(rec.get("duplicate_refs") or "[]"))
                except (ValueError, TypeError):
                    pass
                for d in docs:
                    words.setdefault(d, set()).update(ARABIC.findall(rec.get("ar", "")))
    return words


def _arabic_pool() -> list[str]:
    """Distinct plain Arabic lines (no markup characters, no Latin, cp1256-encodable) of the
    seeds and of the dev bench's gold (NTREX-128 derived, CC BY-SA 4.0)."""
    pool = []
    texts = [seed.read_text(encoding="utf-8") for seed in sorted((ROOT / "seeds").glob("*.txt"))]
    gold = ROOT.parent / "shared" / "bench" / "dev" / "gold.jsonl"
    if gold.exists():
        for x in gold.read_text(encoding="utf-8").splitlines():
            if x.strip():
                texts.append("\n".join(json.loads(x)["ar"].values()))
    for text in texts:
        for line in text.split("\n"):
            line = line.strip().removeprefix("\u2013 ")
            if len(line) > 200:
                line = line[:line.rfind(" ", 0, 200)]
            if len(line) < 30 or any(c in line for c in "<>&\"'"):
                continue
            if len(ARABIC.findall(line)) < 5 or re.search("[A-Za-z]", line):
                continue
            try:
                line.encode("cp1256")
            except UnicodeEncodeError:
                continue
            pool.append(line)
    return list(dict.fromkeys(pool))


def _alt_line(n: int) -> str:
    unit = ALT_AR + ALT_EN
    return (unit * (n // len(unit) + 1))[:n] + "\n"


def run_big(work: Path, timeout: float) -> list[tuple[str, str]]:
    results: list[tuple[str, str]] = []
    tiny = work / "tiny.txt"
    tiny.write_text(_alt_line(2000), encoding="utf-8")
    base = min(_corpus(["detect", str(tiny), "--json"], timeout, work)["seconds"]
               for _ in range(3))
    results.append(("corpus detect, 2 kB line (start-up)", f"{base:.2f} s"))
    per_mb = []
    for n in (250_000, 500_000, 1_000_000, 2_000_000, 4_000_000):
        f = work / f"alt_{n}.txt"
        f.write_text(_alt_line(n), encoding="utf-8")
        # the fastest of three runs: the machine's load only ever adds time
        runs = [_corpus(["detect", str(f), "--json"], timeout, work) for _ in range(3)]
        if any(r["rc"] is None for r in runs):
            results.append((f"corpus detect, {n / 1e6:g} MB line", "HANG"))
            continue
        run = min(runs, key=lambda r: r["seconds"])
        mb = f.stat().st_size / 1e6
        per_mb.append((run["seconds"] - base) / mb)
        results.append((f"corpus detect, {n / 1e6:g} MB line",
                        f"{run['seconds']:.2f} s ({per_mb[-1]:.2f} s/MB after start-up)"))
        f.unlink()
    if per_mb:
        mid = sorted(per_mb)[len(per_mb) // 2]
        spread = max(abs(x - mid) / mid for x in per_mb)
        results.append(("detect time per MB, largest deviation from the median",
                        f"{spread * 100:.0f}% (target within 20%)"))

    big = work / "alt_10mb.txt"
    big.write_text(_alt_line(10_000_000), encoding="utf-8")
    out = work / "out_10mb" / "corpus.tsv"
    run = _corpus(["align", str(big), "-o", str(out), "--mt", "off", "--no-progress"],
                  max(timeout, 900), work)
    if run["rc"] is None:
        results.append(("corpus align, 10 MB alternating line", "HANG"))
    else:
        written = " ".join(f.read_text(encoding="utf-8") for f in _outputs(out)[:3]
                           if f.exists())
        reached = all(w in written for w in ARABIC.findall(ALT_AR))
        results.append(("corpus align, 10 MB alternating line",
                        f"{run['seconds']:.1f} s, exit {run['rc']}, its Arabic in an output: "
                        f"{'yes' if reached else 'NO'} (target < 30 s)"))
    big.unlink()

    page = work / "big.html"
    ar = "الرقة بعد البوكمال معادلة المرحلة المقبلة، كما قال المسؤولون في المدينة يوم الثلاثاء."
    en = "Raqqa after Albukamal is the equation of the next stage, officials said on Tuesday."
    parts = ["<!doctype html><html><head><meta charset=utf-8><title>Big page</title></head>"
             "<body>"]
    size, i = 0, 0
    while size < 5_000_000:
        # 200 distinct posts over and over: the page is big, its distinct strings few, so
        # the run measures the pipeline's cost per page and not the embedder's per string
        k = i % 200
        p = (f'<div class="post"><h2>{ar} {k}</h2><p>{ar} {en} {k}</p>'
             f'<p><a href="/x/{i}">{en} {k}</a></p></div>\n')
        parts.append(p)
        size += len(p.encode())
        i += 1
    page.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    code = ("import resource,sys,time\n"
            "from corpus.read import read_document\nfrom corpus.detect import detect\n"
            "t=time.perf_counter();d=read_document(sys.argv[1]);r=time.perf_counter()-t\n"
            "t=time.perf_counter();l=detect(d);e=time.perf_counter()-t\n"
            "print(r,e,resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
            "sum(p.lang=='ar' for p in l.pieces))\n")
    p = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True,
                       timeout=max(timeout, 600), env=dict(os.environ, PYTHONPATH=str(ROOT)))
    r, e, rss, n_ar = p.stdout.split()
    results.append(("5 MB HTML page: read + detect",
                    f"read {float(r):.1f} s, detect {float(e):.1f} s, peak {float(rss):.0f} MB, "
                    f"{n_ar} Arabic pieces"))

    # The same page through the whole of `corpus align`, in one process (--jobs 1, so the
    # peak RSS that /usr/bin/time reports is the whole run's): cold, then again with the
    # embeddings cached, which leaves the pipeline's own cost (read, extract, detect,
    # segment, pair, align, clean, write; embedding is linear in the text and ~3k chars/s).
    # Last, as a user runs it (all cores, a fresh cache): the peak is the largest process's.
    cache = work / "cache_5mb"
    for label, jobs, fresh in (("--jobs 1, cold embedding cache", ["--jobs", "1"], False),
                               ("--jobs 1, warm embedding cache", ["--jobs", "1"], False),
                               ("default --jobs (all cores), cold embedding cache", [], True)):
        if fresh:
            cache = work / "cache_5mb_all_cores"
        out = work / "out_5mb" / "corpus.tsv"
        started = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "corpus",
                            "align", str(page), "-o", str(out), "--mt", "off", *jobs,
                            "--no-progress", "--cache-dir", str(cache)],
                           capture_output=True, text=True, timeout=max(timeout, 1800),
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=work)
        seconds = time.perf_counter() - started
        peak_mb = int(p.stderr.strip().splitlines()[-1]) / 1024
        embedded = re.search(r"embedded\s+(\d+) strings", p.stderr)
        written = out.read_text(encoding="utf-8") if out.exists() else ""
        results.append((f"5 MB HTML page: corpus align {label}",
                        f"{seconds:.1f} s, peak {peak_mb:.0f} MB, exit {p.returncode}, "
                        f"{embedded.group(1) if embedded else '?'} strings embedded, "
                        f"{written.count(chr(10))} lines written (target < 20 s, < 500 MB)"))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--no-big", action="store_true", help="only the suite")
    ap.add_argument("--no-suite", action="store_true", help="only the big cases")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="corpus-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    seed = next((ROOT / "seeds").glob("004_*.txt"))
    seed_lines = seed.read_text(encoding="utf-8").split("\n")

    print(f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load {os.getloadavg()[0]:.1f}")
    suite = run_suite(work, args.timeout, seed_lines) if not args.no_suite else Suite(0)
    print("\n| case | crash | hang | unclear | Arabic lost (no warning) | half-written | s | "
          "note |")
    print("|---|---|---|---|---|---|---|---|")
    for r in suite.rows:
        print(f"| {r['case']} | {r['crash']} | {r['hang']} | {r['unclear']} | {r['lost']} | "
              f"{r['half']} | {r['seconds']} | {r['note'].strip()} |")
    totals = {k: sum(r[k] for r in suite.rows)
              for k in ("crash", "hang", "unclear", "lost", "half")}
    print(f"\ncases tried {len(suite.rows)}; crashes {totals['crash']}, hangs {totals['hang']}, "
          f"unclear messages {totals['unclear']}, Arabic lines lost without a counted warning "
          f"{totals['lost']}, half-written outputs {totals['half']}")
    if not args.no_big:
        print("\n| big case | result |\n|---|---|")
        for name, value in run_big(work, args.timeout):
            print(f"| {name} | {value} |")
    print(f"\nreproduce: CORPUS_CACHE_DIR={os.environ.get('CORPUS_CACHE_DIR', '')} "
          f"PYTHONPATH=. {sys.executable} scripts/bench_stress.py"
          f"{' --no-big' if args.no_big else ''}{' --no-suite' if args.no_suite else ''}")


if __name__ == "__main__":
    main()
