"""Benchmark the MT backend on the tiny test model: throughput, cost around the model call, and
the cache-hit speed-up.

    .venv/bin/python scripts/bench_translate.py [--sentences 128] [--batch-size 32]

Arabic sentences come from the development benchmark gold (NTREX-128, CC-BY-SA-4.0) when it is
beside the checkout, else from the seeds. The model is the random-weight fixture of the tests
(tests/argos_fixture.py), so the numbers measure our code around CTranslate2 and a worst-case
decoder (random weights rarely emit end-of-sentence, so every output runs to the length cap);
a real translate-ar_en package has a much bigger model and is slower per sentence.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def arabic_sentences(limit: int) -> list[str]:
    gold = ROOT.parent / "shared" / "bench" / "dev" / "gold.jsonl"
    found: list[str] = []
    if gold.is_file():
        with open(gold, encoding="utf-8") as f:
            for line in f:
                found.extend(v for v in json.loads(line).get("ar", {}).values() if v.strip())
    else:
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            for text in path.read_text(encoding="utf-8-sig").splitlines():
                if re.search("[\u0621-\u064a]", text):
                    found.extend(s for s in re.split(r"(?<=[.!?؟])\s+", text) if s.strip())
    unique = list(dict.fromkeys(found))
    return (unique * (limit // max(len(unique), 1) + 1))[:limit]


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=0,
                        help="CTranslate2 intra-op threads (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = parser.parse_args()

    from argos_fixture import build_argosmodel

    from corpus.models import install_model
    from corpus.translate import CachedTranslator, load_translator, translate_sentences

    sentences = arabic_sentences(args.sentences)
    with tempfile.TemporaryDirectory(prefix="bench-mt-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        archive = build_argosmodel(tmp / "build")
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        install_model(archive, tmp / "models")
        t_install = time.perf_counter() - t0

        backend = load_translator(tmp / "models", cache=False, batch_size=args.batch_size,
                                  threads=args.threads)
        t0 = time.perf_counter()
        backend.load()
        t_load = time.perf_counter() - t0

        # 1. throughput through the backend (tokenise + CTranslate2 + detokenise), no cache
        translate_sentences(sentences[:args.batch_size], backend)  # warm-up
        t_backend = timed(lambda: translate_sentences(sentences, backend,
                                                      batch_size=args.batch_size), args.repeat)

        # 2. the bare model call on pre-tokenised input, same decoding options
        pkg, ct2 = backend._package, backend._translator
        batches = [sentences[i:i + args.batch_size]
                   for i in range(0, len(sentences), args.batch_size)]
        tokenized = [[pkg.tokenizer.encode(s) for s in b] for b in batches]

        def raw():
            for toks in tokenized:  # the same length groups and options as ArgosTranslator
                groups: dict[int, list] = {}
                for t in toks:
                    groups.setdefault(min(512, -(-(2 * len(t) + 16) // 64) * 64), []).append(t)
                for cap, members in groups.items():
                    ct2.translate_batch(members, max_batch_size=args.batch_size,
                                        beam_size=backend.beam_size, length_penalty=0.2,
                                        max_decoding_length=cap)
        t_raw = timed(raw, args.repeat)

        # 2b. the text work around the call, measured directly: SentencePiece encode + decode
        outputs = translate_sentences(sentences, backend, batch_size=args.batch_size)
        pieces = [pkg.tokenizer.encode(o) for o in outputs]

        def text_work():
            for s in sentences:
                pkg.tokenizer.encode(s)
            for p in pieces:
                pkg.tokenizer.decode(p)
        t_text = timed(text_work, args.repeat)

        # 3. the cache: cold (empty file: translate + write) vs warm (all hits)
        cache_path = tmp / "cache.sqlite"
        cold = CachedTranslator(backend, cache_path)
        t0 = time.perf_counter()
        translate_sentences(sentences, cold, batch_size=args.batch_size)
        t_cold = time.perf_counter() - t0
        cold.close()
        warm = CachedTranslator(backend, cache_path)
        t_warm = timed(lambda: translate_sentences(sentences, warm, batch_size=args.batch_size),
                       args.repeat)
        assert warm.misses == 0, "warm run should translate nothing"

    n = len(sentences)
    chars = sum(len(s) for s in sentences)
    overhead = (t_backend - t_raw) / t_backend * 100
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"python {platform.python_version()}")
    print(f"sentences: {n} ({chars} chars, {len(set(sentences))} unique), "
          f"batch size {args.batch_size}, threads {args.threads or 'all'}, "
          f"best of {args.repeat}")
    print(f"fixture build: {t_build:.2f} s   install (validate+extract+hash): {t_install:.2f} s"
          f"   load: {t_load:.2f} s")
    print(f"backend, no cache: {t_backend:.3f} s = {n / t_backend:.0f} sentences/s")
    print(f"bare CTranslate2 call: {t_raw:.3f} s = {n / t_raw:.0f} sentences/s "
          f"-> cost around the model call {overhead:.1f}% "
          f"({(t_backend - t_raw) / n * 1e3:.3f} ms/sentence)")
    print(f"tokenise + detokenise alone: {t_text * 1e3:.1f} ms = "
          f"{t_text / n * 1e3:.3f} ms/sentence ({t_text / t_backend * 100:.2f}% of the backend)")
    print(f"cache cold (translate + write): {t_cold:.3f} s = {n / t_cold:.0f} sentences/s")
    print(f"cache warm (all hits): {t_warm:.4f} s = {n / t_warm:.0f} sentences/s "
          f"-> speed-up x{t_backend / t_warm:.0f} over the uncached backend")


if __name__ == "__main__":
    main()
