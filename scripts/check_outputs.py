#!/usr/bin/env python3
"""Write one hostile corpus in every format and read it back with the standard readers.

Rows are generated (deterministic seed) from a few real Arabic/English sentences (seeds/004
and NTREX-128, CC-BY-SA-4.0) with cells that start with '"', hold U+2028/U+2029, bidi
controls (U+202B, U+202C, U+200F), Arabic-Indic digits, tabs, CR/LF, NUL, and text pandas
would take for missing values (NA, null, nan). Every reader must give back every row and every
cell equal to what corpus.write says it wrote (a line break or tab becomes a space, C0 controls
are dropped, nothing else changes).

Prints one line per (format, reader): rows read, rows equal, seconds (under load when the
machine is shared). Reproduce with:

    PYTHONPATH=. .venv/bin/python scripts/check_outputs.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.clean import Reject  # noqa: E402
from corpus.signature import make_signature  # noqa: E402
from corpus.types import Pair  # noqa: E402
from corpus.write import (MAIN_COLUMNS, clean_cell, main_record, read_corpus,  # noqa: E402
                          write_corpus)

AR = ["الرقة بعد البوكمال معادلة المرحلة المقبلة",
      "واحتلت قناة أيه بي سي المركز الثاني بعدد مشاهدين بلغ ٣٫٢٦ مليون مشاهد.",
      "سوف يدلي الناخبون بأصواتهم يوم الأحد بشأن تغيير اسم الدولة."]
EN = ["Al Raqqa after Boukamal is the equation of the next stage",
      "ABC was second with 3.26 million viewers.",
      "Voters will vote Sunday on whether to change their country's name."]
HOSTILE = ['"', '"quoted" ', "\u2028", "\u2029", "\u202b", "\u202c", "\u200f", "\t", "\r\n",
           "\x00", "NA", "null", "nan", "#", "\\", "٣٫٢٦", " ", "'"]


def make_pairs(n: int) -> list[Pair]:
    rng = random.Random(12)
    pairs = []
    for i in range(n):
        def noisy(text: str) -> str:
            parts = [rng.choice(HOSTILE) if rng.random() < 0.5 else "", text,
                     rng.choice(HOSTILE) if rng.random() < 0.3 else ""]
            return "".join(parts)
        mt = i % 7 == 0
        dups = tuple((f"page_{j}.txt", f"{j}:0-{j}:9") for j in range(rng.choice([0, 0, 1, 30])))
        pairs.append(Pair(ar=noisy(rng.choice(AR)), en=noisy(rng.choice(EN)),
                          origin="mt" if mt else "aligned", doc=f"{rng.choice(HOSTILE)}p{i}.txt",
                          ar_ref=f"{i + 1}:0-{i + 1}:40", en_ref="" if mt else f"{i + 1}:41-{i + 1}:80",
                          score=None if mt else round(rng.random(), 6),
                          found_by="" if mt else rng.choice(["same-page", "content", "url"]),
                          extra={"duplicates": dups}))
    return pairs


def plain(records):
    out = []
    for rec in records:
        row = {}
        for k, v in rec.items():
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and v != v:
                v = None
            row[k] = v
        out.append(row)
    return out


def features():
    import datasets

    return datasets.Features({c: datasets.Value("float64" if c == "score" else
                                                "int64" if c == "duplicates" else "string")
                              for c in MAIN_COLUMNS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    import datasets
    import pandas as pd

    datasets.disable_progress_bars()
    pairs = make_pairs(args.rows)
    expected = [main_record(p) for p in pairs]
    sig = make_signature({"norm": "light"})
    rejects = [Reject(pairs[0], "ratio", "x")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = {fmt: write_corpus(pairs, d / "out", format=fmt, rejects=rejects,
                                   signature=sig)
                 for fmt in ("tsv", "jsonl", "parquet", "hf", "tmx", "moses")}

        def run(fmt, reader, fn):
            start = time.perf_counter()
            got = fn()
            secs = time.perf_counter() - start
            equal = sum(a == b for a, b in zip(got, expected))
            results.append((fmt, reader, len(got), equal, secs))

        tsv = files["tsv"].main[0]
        run("tsv", "pandas read_csv(QUOTE_NONE)", lambda: plain(pd.read_csv(
            tsv, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False,
            na_values={"score": [""]},
            dtype=collections.defaultdict(lambda: str, score="float64", duplicates="int64")
        ).to_dict("records")))
        run("tsv", "datasets csv(QUOTE_NONE)", lambda: datasets.load_dataset(
            "csv", data_files=str(tsv), delimiter="\t", quoting=csv.QUOTE_NONE,
            keep_default_na=False, na_values={"score": [""]}, features=features(),
            split="train", cache_dir=str(d / "hf")).to_list())

        def naive():  # what the README warns against: default quoting and NA handling
            try:
                return plain(pd.read_csv(tsv, sep="\t").to_dict("records"))
            except Exception:  # noqa: BLE001 - a parser error is the point
                return []
        run("tsv", "pandas read_csv(sep='\\t') [naive, wrong]", naive)

        def csv_module():
            with open(tsv, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
            return [{k: (None if k == "score" and v == "" else float(v) if k == "score" else
                         int(v) if k == "duplicates" else v) for k, v in r.items()}
                    for r in rows]
        run("tsv", "csv.DictReader(QUOTE_NONE)", csv_module)
        jsonl = files["jsonl"].main[0]
        run("jsonl", "json.loads per line", lambda: [json.loads(line) for line in
                                                     jsonl.read_text("utf-8").split("\n")
                                                     if line])
        run("jsonl", "datasets json", lambda: datasets.load_dataset(
            "json", data_files=str(jsonl), features=features(), split="train",
            cache_dir=str(d / "hf")).to_list())
        pq = files["parquet"].main[0]
        run("parquet", "pandas read_parquet", lambda: plain(pd.read_parquet(pq).to_dict(
            "records")))
        run("parquet", "datasets parquet", lambda: datasets.load_dataset(
            "parquet", data_files=str(pq), split="train", cache_dir=str(d / "hf")).to_list())
        hf = files["hf"].main[0]
        run("hf", "datasets load_from_disk", lambda: datasets.load_from_disk(str(hf))["train"]
            .to_list())
        run("hf", "datasets load_dataset(folder)", lambda: datasets.load_dataset(
            str(hf), split="train", cache_dir=str(d / "hf")).to_list())
        for fmt in ("tsv", "jsonl", "parquet", "hf", "tmx"):
            run(fmt, "corpus.write.read_corpus", lambda fmt=fmt: read_corpus(
                files[fmt].main[0]).main)

        import xml.etree.ElementTree as ET

        def tmx():
            lang = "{http://www.w3.org/XML/1998/namespace}lang"
            out = []
            for tu in ET.parse(files["tmx"].main[0]).getroot().iterfind("body/tu"):
                segs = {tuv.get(lang): tuv.find("seg").text or "" for tuv in tu.iter("tuv")}
                out.append(segs)
            return out
        start = time.perf_counter()
        segs = tmx()
        results.append(("tmx", "ElementTree (ar/en segs)", len(segs),
                        sum(s == {"ar": e["ar"], "en": e["en"]} for s, e in zip(segs, expected)),
                        time.perf_counter() - start))
        m = files["moses"].main
        human = [e for e in expected if e["origin"] != "mt"]
        machine = [e for e in expected if e["origin"] == "mt"]
        for path, rows, side in ((m[0], human, "ar"), (m[1], human, "en"), (m[2], machine, "ar"),
                                 (m[3], machine, "en")):
            text = path.read_text("utf-8")
            lines = text.splitlines()
            results.append(("moses", f"{path.name}: splitlines == \\n count", len(lines),
                            sum(a == b[side] for a, b in zip(lines, rows))
                            if text.count("\n") == len(lines) else -1, 0.0))
    print(f"{'format':<8} {'reader':<40} {'rows':>6} {'equal':>6} {'seconds':>8}")
    ok = True
    for fmt, reader, n, equal, secs in results:
        want = n if fmt == "moses" or "segs" in reader else args.rows
        if "naive" not in reader:
            ok &= n == want and equal == want
        print(f"{fmt:<8} {reader:<40} {n:>6} {equal:>6} {secs:>8.3f}")
    print(f"rows written: {args.rows}; all equal: {ok}")
    print(f"command: PYTHONPATH=. python scripts/check_outputs.py --rows {args.rows}")
    assert clean_cell("a\u2028b\x00c") == "a bc"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
