#!/usr/bin/env python3
"""Sort the wrong aligned rows of a scored TSV by kind, against a bench's gold.

For each aligned row that is not exactly a gold bead (strict error), the kind is:

- ``merged``: the row is exactly the union of two or more gold beads (a unit that should have
  been cut, e.g. a 1-2 bead whose Arabic unit lost its full stop, or a hidden 2-2);
- ``subset-of-gold``: the row lies inside one gold bead (a cut the gold does not make, e.g. a
  translator's merge cut at its comma);
- ``offset/crossed``: anything else (a cut a word or more off, a chain or crossing of beads).

    .venv/bin/python scripts/error_kinds.py ../shared/bench/dev-sparse \
        out/bench_sparse/dev-sparse.tsv [-v]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sparse import gold_matchers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", type=Path, help="bench folder (gold.jsonl, score.py)")
    ap.add_argument("tsv", type=Path, help="corpus TSV (or its scored copy)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each wrong row")
    args = ap.parse_args()
    sc, _, ar_m, en_m, gold = gold_matchers(args.bench)
    bead_of_ar, bead_of_en = {}, {}
    for a, e in gold:
        bead_of_ar.update((i, (a, e)) for i in a)
        bead_of_en.update((j, (a, e)) for j in e)
    kinds: collections.Counter = collections.Counter()
    for row in sc.read_tsv(str(args.tsv)):
        if row["origin"].strip().lower() != "aligned":
            continue
        a = tuple(sorted(set(ar_m(row["ar"]))))
        e = tuple(sorted(set(en_m(row["en"]))))
        if (a, e) in gold:
            kinds["right"] += 1
            continue
        beads = ({bead_of_ar.get(i) for i in a} | {bead_of_en.get(j) for j in e}) - {None}
        union_a = tuple(sorted(i for b in beads for i in b[0]))
        union_e = tuple(sorted(j for b in beads for j in b[1]))
        if len(beads) >= 2 and (union_a, union_e) == (a, e):
            kind = "merged"
        elif len(beads) == 1 and set(a) <= set(union_a) and set(e) <= set(union_e):
            kind = "subset-of-gold"
        else:
            kind = "offset/crossed"
        kinds[kind] += 1
        if args.verbose:
            print(f"== {kind} ar {a} en {e} | gold {sorted(beads)}")
            print("   AR:", row["ar"][:300])
            print("   EN:", row["en"][:300])
    print(dict(kinds))


if __name__ == "__main__":
    main()
