"""A static HTML page to review a corpus by eye: ``write_review(OUT.tsv, review.html)``.

One self-contained file (no network, no CDN, no external font): the pairs side by side,
English left-to-right and Arabic right-to-left in an Arabic-capable font stack, coloured by
origin and by score, each row with its document and spans. The untranslated and rejected rows
from the files beside ``OUT.tsv`` are included (rejected ones hidden until their box is
ticked), so the page shows where every Arabic sentence went. A few lines of inline JavaScript
filter by origin and minimum score; the initial filter can be set in the URL fragment,
``review.html#origin=aligned,mt&min=0.5``. Every text is HTML-escaped.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path

from corpus.write import read_corpus, write_text_atomic

ORIGINS = ("aligned", "mt", "untranslated", "rejected")
_HIDDEN_BY_DEFAULT = frozenset({"rejected"})

# Arabic first (Naskh is the book hand readers expect), then fonts common on each platform,
# then DejaVu Sans, which has Arabic glyphs and ships with most Linux systems.
ARABIC_FONTS = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", '
                '"Geeza Pro", "Traditional Arabic", "Segoe UI", "Tahoma", "DejaVu Sans", '
                'sans-serif')
LATIN_FONTS = ('"Noto Sans", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", '
               'sans-serif')

_CSS = """
:root { --aligned: #2e7d32; --mt: #1565c0; --untranslated: #9e9e9e; --rejected: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font-family: %(latin)s; font-size: 15px; color: #212121; background: #fafafa; }
header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #ddd;
         padding: 8px 16px; }
h1 { font-size: 18px; margin: 0 0 4px 0; }
.sig { font-family: monospace; font-size: 11px; color: #616161; margin: 0 0 6px 0;
       word-break: break-all; }
form { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
#shown { color: #424242; margin-left: auto; }
table { border-collapse: collapse; width: 100%%; table-layout: fixed; }
th { text-align: left; font-size: 12px; color: #616161; padding: 6px 8px; }
td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e0e0e0;
     overflow-wrap: anywhere; }
col.n { width: 3.5em; } col.meta { width: 9em; } col.where { width: 13em; }
tr.row { border-left: 6px solid var(--c); background: #fff; }
tr.row.hidden { display: none; }
tr.o-aligned { --c: var(--aligned); } tr.o-mt { --c: var(--mt); }
tr.o-untranslated { --c: var(--untranslated); } tr.o-rejected { --c: var(--rejected); }
tr.o-untranslated td.en, tr.o-rejected td { color: #757575; }
td.n { color: #9e9e9e; font-size: 12px; text-align: right; }
td.ar { font-family: %(arabic)s; font-size: 19px; line-height: 1.7; text-align: right; }
td.en { line-height: 1.5; }
.badge { display: inline-block; color: #fff; background: var(--c); border-radius: 3px;
         padding: 0 6px; font-size: 12px; }
.score { display: inline-block; margin-top: 4px; padding: 0 6px; border-radius: 3px;
         font-family: monospace; font-size: 12px; }
.note { display: block; margin-top: 4px; font-size: 12px; color: #616161; }
td.where { font-family: monospace; font-size: 11px; color: #616161; }
"""

_JS = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=origin]"));
  var minInput = document.getElementById("minscore");
  var shown = document.getElementById("shown");
  function fromHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) params[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    if (params.origin !== undefined) {
      var wanted = params.origin.split(",");
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    }
    if (params.min !== undefined) minInput.value = params.min;
  }
  function apply() {
    var origins = {};
    boxes.forEach(function (b) { origins[b.value] = b.checked; });
    var min = parseFloat(minInput.value);
    var n = 0;
    rows.forEach(function (r) {
      var s = r.getAttribute("data-score");
      // a minimum score only filters rows that have a score (aligned ones)
      var ok = origins[r.getAttribute("data-origin")] &&
               (isNaN(min) || s === "" || parseFloat(s) >= min);
      r.classList.toggle("hidden", !ok);
      if (ok) n += 1;
    });
    shown.textContent = n + " of " + rows.length + " rows shown";
    document.body.setAttribute("data-shown", String(n));
  }
  fromHash();
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  minInput.addEventListener("input", apply);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  apply();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _score_style(score: float | None) -> str:
    """Red (0) to green (1) for scores in [0, 1]; grey for anything else."""
    if score is None:
        return ""
    if 0.0 <= score <= 1.0:
        return f"background:hsl({round(120 * score)},65%,82%)"
    return "background:#eeeeee"


def _parse_score(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _row_html(number: int, origin: str, row: dict) -> str:
    score = _parse_score(row.get("score", ""))
    score_attr = "" if score is None else f"{score:.4f}"
    meta = [f'<span class="badge">{_e(origin)}</span>']
    if score is not None:
        meta.append(f'<br><span class="score" style="{_score_style(score)}">{score:.3f}</span>')
    if origin == "rejected":
        meta.append(f'<span class="note">{_e(row.get("rule", ""))}: '
                    f'{_e(row.get("detail", ""))}</span>')
    elif row.get("reason"):
        meta.append(f'<span class="note">{_e(row["reason"])}</span>')
    dups = row.get("duplicates") or "0"
    if dups not in ("", "0"):
        meta.append(f'<span class="note" title="{_e(row.get("duplicate_refs", ""))}">'
                    f'+{_e(dups)} duplicate(s)</span>')
    where = [_e(row.get("doc", ""))]
    if row.get("ar_ref"):
        where.append(f"ar {_e(row['ar_ref'])}")
    if row.get("en_ref"):
        en_doc = row.get("en_doc", "")
        where.append(f"en {_e(en_doc) + ' ' if en_doc else ''}{_e(row['en_ref'])}")
    return (f'<tr class="row o-{_e(origin)}" data-origin="{_e(origin)}" '
            f'data-score="{score_attr}">'
            f'<td class="n">{number}</td>'
            f'<td class="en" dir="ltr" lang="en">{_e(row.get("en", ""))}</td>'
            f'<td class="ar" dir="rtl" lang="ar">{_e(row.get("ar", ""))}</td>'
            f'<td class="meta">{"".join(meta)}</td>'
            f'<td class="where">{"<br>".join(where)}</td></tr>')


def review_html(rows: list[tuple[str, dict]], *, title: str = "corpus review",
                signature: str | None = None) -> str:
    """The page for ``rows``: (origin, row dict with the TSV's columns) in display order."""
    counts = {o: 0 for o in ORIGINS}
    for origin, _ in rows:
        counts[origin] = counts.get(origin, 0) + 1
    boxes = []
    for origin in ORIGINS:
        checked = "" if origin in _HIDDEN_BY_DEFAULT else " checked"
        boxes.append(f'<label><input type="checkbox" name="origin" value="{origin}"{checked}> '
                     f'<span class="swatch" style="background:var(--{origin})"></span> '
                     f'{origin} ({counts.get(origin, 0)})</label>')
    body = "\n".join(_row_html(i, origin, row) for i, (origin, row) in enumerate(rows, 1))
    sig = f'<p class="sig">{_e(signature)}</p>' if signature else ""
    css = _CSS % {"arabic": ARABIC_FONTS, "latin": LATIN_FONTS}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{css}</style>
</head>
<body data-shown="">
<header>
<h1>{_e(title)}</h1>
{sig}
<form id="filters" onsubmit="return false">
{chr(10).join(boxes)}
<label>min score <input type="number" id="minscore" step="0.05" min="0" max="1" placeholder="any"
 style="width:5em"></label>
<span id="shown">{len(rows)} rows</span>
</form>
</header>
<table id="pairs">
<colgroup><col class="n"><col class="en"><col class="ar"><col class="meta"><col class="where">
</colgroup>
<thead><tr><th>#</th><th>English</th><th dir="rtl" style="text-align:right">العربية</th>
<th>origin / score</th><th>document and span</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
<script>{_JS}</script>
</body>
</html>
"""


def render_review(tsv_path: str | os.PathLike, *, limit: int | None = None) -> str:
    """The review page for the corpus at ``tsv_path`` and the side files beside it.

    Main rows come first (in file order), then untranslated, then rejected rows; ``limit``
    caps the rows taken from each file (a page of 100k rows is slow to open).
    """
    path = Path(tsv_path)
    corpus_files = read_corpus(path)
    main, signature = corpus_files.main, corpus_files.signature
    untranslated = corpus_files.untranslated or []
    rejects = corpus_files.rejects or []
    cut = (lambda xs: xs[:limit]) if limit is not None else (lambda xs: xs)
    rows = ([(r.get("origin", ""), r) for r in cut(main)]
            + [("untranslated", r) for r in cut(untranslated)]
            + [("rejected", r) for r in cut(rejects)])
    return review_html(rows, title=f"corpus review: {path.name}", signature=signature)


def write_review(tsv_path: str | os.PathLike, html_path: str | os.PathLike, *,
                 limit: int | None = None) -> Path:
    """Write the review page for ``tsv_path`` to ``html_path`` (atomically)."""
    return write_text_atomic(html_path, render_review(tsv_path, limit=limit))
