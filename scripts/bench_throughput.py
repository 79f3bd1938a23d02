"""Throughput of read + detect + segment + normalise on the seeds repeated to >= 50 MB.

    .venv/bin/python scripts/bench_throughput.py [--mb 50] [--stages all|norm-seg]
        [--workdir DIR] [--keep] [--json]

Input: the files of ``seeds/`` copied again and again as separate files (``NNNN_<seed>.txt``)
into a temporary directory until their total reaches ``--mb`` megabytes (10^6 bytes of UTF-8),
so the reader sees many ordinary pages rather than one giant file. The directory is deleted
afterwards unless ``--keep``.

Per document: ``read_documents`` (decode, lines), ``detect`` (languages, sections), then for
every section ``segment_section`` and ``normalize(sentence.text, "light")`` on every sentence,
as the pipeline does for output. One file is processed first, untimed, so that imports and
model loading (a one-off cost per process, reported as ``warmup_seconds``) are not counted.

Each stage is timed separately in CPU time (``time.process_time``: the machine is shared, so
wall time depends on the neighbours); the total is given both in wall and in CPU time.
Throughput is input megabytes per second of the stage (and of all stages together) on one
core: the script is single-threaded. Peak memory is the process's maximum resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), which includes the interpreter and the
fastText language-ID model; ``tracemalloc`` is not used because it slows Python code several
times over and would distort the throughput.

``--stages norm-seg`` skips read/detect: each file's text is split into lines and every
non-empty line is segmented and normalised as one paragraph (for when detect is unavailable).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_input(workdir: Path, megabytes: float) -> tuple[list[Path], int]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    contents = [(seed.name, seed.read_bytes()) for seed in seeds]
    target = int(megabytes * 1_000_000)
    files, total, copy = [], 0, 0
    while total < target:
        for name, data in contents:
            path = workdir / f"{copy:04d}_{name}"
            path.write_bytes(data)
            files.append(path)
            total += len(data)
        copy += 1
    return files, total


def run_all(files: list[Path]) -> dict:
    from corpus.detect import detect
    from corpus.normalize import normalize
    from corpus.read import read_documents
    from corpus.segment import segment_section

    times = {"read": 0.0, "detect": 0.0, "segment": 0.0, "normalize": 0.0}
    documents = sections = sentences = 0
    documents_iter = iter(read_documents(files))
    while True:
        t0 = time.process_time()
        document = next(documents_iter, None)
        t1 = time.process_time()
        times["read"] += t1 - t0
        if document is None:
            break
        documents += 1
        layout = detect(document)
        t2 = time.process_time()
        times["detect"] += t2 - t1
        for section in layout.sections:
            sections += 1
            t3 = time.process_time()
            found = segment_section(document, section)
            t4 = time.process_time()
            for sentence in found:
                normalize(sentence.text, "light")
            t5 = time.process_time()
            times["segment"] += t4 - t3
            times["normalize"] += t5 - t4
            sentences += len(found)
    return {"times": times, "documents": documents, "sections": sections,
            "sentences": sentences}


def run_norm_seg(files: list[Path]) -> dict:
    from corpus.normalize import normalize
    from corpus.segment import split_sentences

    times = {"read": 0.0, "segment": 0.0, "normalize": 0.0}
    documents = paragraphs = sentences = 0
    for path in files:
        t0 = time.process_time()
        text = path.read_text(encoding="utf-8")
        t1 = time.process_time()
        times["read"] += t1 - t0
        documents += 1
        offset = 0
        for number, line in enumerate(text.split("\n")):
            if line.strip():
                paragraphs += 1
                t2 = time.process_time()
                found = split_sentences(line, "en", offset=offset, paragraph=number)
                t3 = time.process_time()
                for sentence in found:
                    normalize(sentence.text, "light")
                t4 = time.process_time()
                times["segment"] += t3 - t2
                times["normalize"] += t4 - t3
                sentences += len(found)
            offset += len(line) + 1
    return {"times": times, "documents": documents, "paragraphs": paragraphs,
            "sentences": sentences}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="input size in MB (10^6 bytes)")
    parser.add_argument("--stages", choices=("all", "norm-seg"), default="all")
    parser.add_argument("--workdir", type=Path, help="where to write the input (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated input")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="corpus-throughput-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        files, total = build_input(workdir, args.mb)
        # warm up outside the timing: imports (camel-tools, fastText) and model loading are a
        # one-off cost per process, reported separately
        warm0 = time.perf_counter()
        (run_all if args.stages == "all" else run_norm_seg)(files[:1])
        warmup = time.perf_counter() - warm0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = run_all(files) if args.stages == "all" else run_norm_seg(files)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    mb = total / 1_000_000
    times = result.pop("times")
    report = {
        "input_mb": round(mb, 2),
        "files": len(files),
        "stages": args.stages,
        "warmup_seconds": round(warmup, 2),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "mb_per_s_total_wall": round(mb / wall, 2),
        "mb_per_s_total_cpu": round(mb / cpu, 2),
        "mb_per_s_by_stage_cpu": {k: round(mb / v, 1) if v else None for k, v in times.items()},
        "cpu_seconds_by_stage": {k: round(v, 2) for k, v in times.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
        **result,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:20} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
