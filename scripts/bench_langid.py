"""Check sets for Arabic vs Persian/Urdu language ID of short lines (detect's langid stage).

    PYTHONPATH=. .venv/bin/python scripts/bench_langid.py [--bench ../shared/bench/dev]
                                                          [--site ../shared/bench/site-sample]

Built from pages we have, nothing keyed to them:

* ``ar_lines_alone``: every gold Arabic line of the dev pages (NTREX-128 derived, CC BY-SA 4.0),
  each as a page of its own: share detected as Arabic. ``ar_short_alone``: the same for the
  lines of six words or fewer (headlines, names). ``ar_short_in_english``: each short line
  between two English lines (a headline inside an English page).
* ``fa_lines_alone`` / ``fa_short_alone`` / ``fa_short_in_english``: the Arabic-script lines
  of the Persian page(s) of the site sample (``*.fa.html``), the same three ways: share NOT
  detected as Arabic.
* ``fa_pages_arabic_lines``: lines detected as Arabic on the Persian pages as served (the
  site's shared furniture included); ``fa_page_with_arabic_menu``: the same Persian page with
  the Arabic furniture lines of an Arabic page of the site (``*.ar.html``, its first 10
  Arabic lines) prepended.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.detect import _AR_LETTER, _AR_WORD, detect  # noqa: E402
from corpus.read import document_from_text, read_document  # noqa: E402

ENGLISH = ("The council met on Tuesday to discuss the budget for next year.",
           "Officials said the new plan would be published later this month.")


def _langs(lines: list[str]) -> list[str]:
    layout = detect(document_from_text("\n".join(lines) + "\n"))
    return [p.lang for p in layout.pieces if p.kind != "inline"]


def _is_arabic_alone(line: str) -> bool:
    langs = _langs([line])
    return bool(langs) and all(lang == "ar" for lang in langs)


def _is_arabic_in_english(line: str) -> bool:
    langs = _langs([ENGLISH[0], line, ENGLISH[1]])
    return langs[1:-1] == ["ar"] if len(langs) == 3 else "ar" in langs


def _short(line: str) -> bool:
    return len(_AR_WORD.findall(line)) <= 6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    ap.add_argument("--site", type=Path,
                    default=ROOT.parent / "shared" / "bench" / "site-sample")
    args = ap.parse_args()
    started = time.time()

    ar_lines = []
    for row in (json.loads(x) for x in (args.bench / "gold.jsonl").read_text("utf-8")
                .splitlines() if x.strip()):
        ar_lines.extend(t for t in row["ar"].values() if t.strip())
    ar_lines = sorted(set(ar_lines))
    ar_short = [t for t in ar_lines if _short(t)]

    fa_pages = sorted((args.site / "pages").rglob("*.fa.html"))
    ar_pages = sorted((args.site / "pages").rglob("*.ar.html"))
    fa_lines = []
    for page in fa_pages:
        doc = read_document(page)
        for ln in doc.lines:
            text = doc.text[ln.start:ln.end].strip()
            # whole lines of Arabic script only (no Latin), which is what the check is about
            if _AR_LETTER.search(text) and not any("a" <= c.lower() <= "z" for c in text):
                fa_lines.append(text)
    fa_lines = sorted(set(fa_lines))
    fa_short = [t for t in fa_lines if _short(t)]

    rows = [
        ("ar_lines_alone", sum(map(_is_arabic_alone, ar_lines)), len(ar_lines), "Arabic"),
        ("ar_short_alone", sum(map(_is_arabic_alone, ar_short)), len(ar_short), "Arabic"),
        ("ar_short_in_english", sum(map(_is_arabic_in_english, ar_short)), len(ar_short),
         "Arabic"),
        ("fa_lines_alone", sum(not _is_arabic_alone(t) for t in fa_lines), len(fa_lines),
         "not Arabic"),
        ("fa_short_alone", sum(not _is_arabic_alone(t) for t in fa_short), len(fa_short),
         "not Arabic"),
        ("fa_short_in_english", sum(not _is_arabic_in_english(t) for t in fa_short),
         len(fa_short), "not Arabic"),
    ]
    print(f"{'check set':28} {'right':>6} {'of':>6} {'share':>7}  (right = detected as)")
    for name, right, total, what in rows:
        print(f"{name:28} {right:6d} {total:6d} {right / (total or 1):7.3f}  {what}")

    fa_ar = 0
    for page in fa_pages:
        layout = detect(read_document(page))
        fa_ar += sum(1 for p in layout.pieces if p.lang == "ar" and p.kind != "inline")
    print(f"{'fa_pages_arabic_lines':28} {fa_ar:6d}  (lines detected as Arabic on "
          f"{len(fa_pages)} Persian page(s); want 0)")
    if fa_pages and ar_pages:
        furniture = []
        ar_layout = detect(read_document(ar_pages[0]))
        furniture = [ar_layout.text(p) for p in ar_layout.pieces if p.lang == "ar"][:10]
        fa_doc = read_document(fa_pages[0])
        text = "\n".join(furniture) + "\n" + fa_doc.text
        layout = detect(document_from_text(text))
        n = sum(1 for p in layout.pieces if p.lang == "ar" and p.kind != "inline"
                and p.line > len(furniture))
        print(f"{'fa_page_with_arabic_menu':28} {n:6d}  (lines of the Persian page detected as "
              f"Arabic with {len(furniture)} Arabic furniture lines put on top; want 0)")
    print(f"\n{time.time() - started:.1f} s; reproduce: PYTHONPATH=. python "
          f"scripts/bench_langid.py --bench {args.bench} --site {args.site}")


if __name__ == "__main__":
    main()
