"""A static HTML page to review a corpus by eye: ``write_review(OUT, review.html)``.

``OUT`` is a corpus in any format ``corpus align`` writes (tsv, jsonl, parquet, tmx, an hf
folder, moses ``OUT.ar``); it is read through :func:`corpus.write.read_corpus`.

One self-contained file (no network, no CDN, no external font): the pairs side by side,
English left-to-right and Arabic right-to-left in an Arabic-capable font stack, coloured by
origin and by score, each row with its document and spans and, when the source document can
be read, the text around the Arabic span (the span highlighted). Untranslated rows show their
reason in the English column; rejected rows (hidden until their box is ticked) show the rule.
So the page shows where every Arabic sentence went.

A few lines of inline JavaScript filter by origin, minimum score and a text search (Arabic,
English or document; Arabic diacritics and tatweel are ignored) and sort by score. The state
can be set in the URL fragment: ``review.html#origin=aligned,mt&min=0.5&q=kennedy&sort=asc``.
The header holds an inline SVG histogram of the aligned scores, binned over their observed
range; clicking a bar sets the minimum score. Every text is HTML-escaped.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from corpus.write import Record, read_corpus, write_text_atomic

ORIGINS = ("aligned", "mt", "untranslated", "rejected")
_HIDDEN_BY_DEFAULT = frozenset({"rejected"})
CONTEXT_CHARS = 160  # characters of source text shown on each side of a span

# Arabic first (Naskh is the book hand readers expect), then fonts common on each platform,
# then DejaVu Sans, which has Arabic glyphs and ships with most Linux systems.
ARABIC_FONTS = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", '
                '"Geeza Pro", "Traditional Arabic", "Segoe UI", "Tahoma", "DejaVu Sans", '
                'sans-serif')
LATIN_FONTS = ('"Noto Sans", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", '
               'sans-serif')

_CSS = """
:root { --aligned: #2e7d32; --mt: #1565c0; --untranslated: #757575; --rejected: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font-family: %(latin)s; font-size: 15px; color: #212121; background: #fafafa; }
header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #ddd;
         padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 6px 24px; align-items: flex-start; }
.titles { flex: 1 1 420px; min-width: 0; }
h1 { font-size: 18px; margin: 0 0 4px 0; }
.sig { font-family: monospace; font-size: 11px; color: #616161; margin: 0 0 6px 0;
       word-break: break-all; }
form { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; font-size: 14px; }
form input[type=search] { width: 16em; max-width: 100%%; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
#shown { color: #424242; }
figure { margin: 0; flex: 0 0 auto; }
figure svg { display: block; }
figure svg rect.bar { fill: #81c784; cursor: pointer; }
figure svg rect.bar:hover { fill: #2e7d32; }
figcaption { font-size: 11px; color: #616161; }
table { border-collapse: collapse; width: 100%%; table-layout: fixed; }
th { text-align: left; font-size: 12px; color: #616161; padding: 6px 8px; }
td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e0e0e0;
     overflow-wrap: anywhere; }
col.n { width: 3.5em; } col.meta { width: 9em; } col.where { width: 15em; }
tr.row { border-left: 6px solid var(--c); background: #fff; }
tr.row.hidden { display: none; }
tr.o-aligned { --c: var(--aligned); } tr.o-mt { --c: var(--mt); }
tr.o-untranslated { --c: var(--untranslated); } tr.o-rejected { --c: var(--rejected); }
tr.o-rejected td { color: #616161; }
td.n { color: #9e9e9e; font-size: 12px; text-align: right; }
td.ar { font-family: %(arabic)s; font-size: 19px; line-height: 1.7; text-align: right; }
td.en { line-height: 1.5; }
td.en .why { font-style: italic; color: #616161; }
td.en .why b { font-style: normal; font-weight: 600; color: #424242; }
.badge { display: inline-block; color: #fff; background: var(--c); border-radius: 3px;
         padding: 0 6px; font-size: 12px; }
.score { display: inline-block; margin-top: 4px; padding: 0 6px; border-radius: 3px;
         font-family: monospace; font-size: 12px; }
.note { display: block; margin-top: 4px; font-size: 12px; color: #616161; }
td.where { font-family: monospace; font-size: 11px; color: #616161; }
details.ctx { margin-top: 4px; font-size: 14px; line-height: 1.6; color: #616161;
              text-align: right; }
details.ctx summary { font-family: %(latin)s; font-size: 11px; cursor: pointer; color: #1565c0; }
details.ctx p { margin: 2px 0 0 0; white-space: pre-wrap; }
details.ctx mark { background: #fff59d; color: #000; }
@media (max-width: 900px) {
  header { position: static; }
  thead { display: none; }
  table, tbody { display: block; }
  tr.row { display: grid; grid-template-columns: 1fr 1fr; border-bottom: 1px solid #ccc; }
  tr.row.hidden { display: none; }
  tr.row td { border-bottom: none; }
  td.n { display: none; }
  td.ar { grid-column: 1 / 3; grid-row: 1; }
  td.en { grid-column: 1 / 3; grid-row: 2; }
  td.meta { grid-column: 1; grid-row: 3; }
  td.where { grid-column: 2; grid-row: 3; }
}
"""

_JS = """
(function () {
  var tbody = document.querySelector("#pairs tbody");
  var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr.row"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=origin]"));
  var minInput = document.getElementById("minscore");
  var search = document.getElementById("search");
  var sorter = document.getElementById("sort");
  var shown = document.getElementById("shown");
  // search ignores case, Arabic diacritics (U+064B-U+0652, U+0670) and tatweel (U+0640)
  function fold(s) { return s.toLowerCase().replace(/[\\u064B-\\u0652\\u0670\\u0640]/g, ""); }
  var texts = rows.map(function (r) { return fold(r.textContent); });
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
    if (params.q !== undefined) search.value = params.q;
    if (params.sort !== undefined) sorter.value = params.sort;
  }
  function order() {
    var how = sorter.value;
    var keyed = rows.map(function (r, i) {
      var s = r.getAttribute("data-score");
      return {row: r, i: i, s: s === "" ? null : parseFloat(s)};
    });
    if (how === "asc" || how === "desc") {
      var sign = how === "asc" ? 1 : -1;
      keyed.sort(function (a, b) {
        if (a.s === null && b.s === null) return a.i - b.i;
        if (a.s === null) return 1;  // rows without a score go last either way
        if (b.s === null) return -1;
        return sign * (a.s - b.s) || a.i - b.i;
      });
    }
    keyed.forEach(function (k) { tbody.appendChild(k.row); });
  }
  function apply() {
    var origins = {};
    boxes.forEach(function (b) { origins[b.value] = b.checked; });
    var min = parseFloat(minInput.value);
    var q = fold(search.value.trim());
    var n = 0;
    rows.forEach(function (r, i) {
      var s = r.getAttribute("data-score");
      // a minimum score only filters rows that have a score (aligned ones)
      var ok = origins[r.getAttribute("data-origin")] &&
               (isNaN(min) || s === "" || parseFloat(s) >= min) &&
               (q === "" || texts[i].indexOf(q) >= 0);
      r.classList.toggle("hidden", !ok);
      if (ok) n += 1;
    });
    shown.textContent = n + " of " + rows.length + " rows shown";
    document.body.setAttribute("data-shown", String(n));
  }
  fromHash();
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  minInput.addEventListener("input", apply);
  search.addEventListener("input", apply);
  sorter.addEventListener("change", function () { order(); apply(); });
  Array.prototype.slice.call(document.querySelectorAll("rect.bar")).forEach(function (bar) {
    bar.addEventListener("click", function () {
      minInput.value = bar.getAttribute("data-lo"); apply();
    });
  });
  window.addEventListener("hashchange", function () { fromHash(); order(); apply(); });
  order();
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


def _parse_score(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        score = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return score if math.isfinite(score) else None


class _Sources:
    """Source documents read on demand (once each) to show the text around a span. A
    document that cannot be found or read gives no context; the row still shows its refs."""

    def __init__(self, roots: Sequence[Path]):
        self.roots = roots
        self._docs: dict[str, object] = {}

    def document(self, doc: str) -> object:
        if doc not in self._docs:
            self._docs[doc] = self._read(doc)
        return self._docs[doc]

    def _read(self, doc: str) -> object:
        from corpus.errors import CorpusError
        from corpus.read import read_document

        if not doc:
            return None
        candidates = [Path(doc)] if Path(doc).is_absolute() else \
            [root / doc for root in self.roots]
        for path in candidates:
            if path.is_file():
                try:
                    return read_document(path)
                except CorpusError:
                    return None
        return None

    def context(self, doc: str, ref: str) -> tuple[str, str, str] | None:
        """(before, span, after) around ``ref`` (``line:char-line:char``) in ``doc``."""
        from corpus.types import Document

        document = self.document(doc)
        if not isinstance(document, Document) or not ref:
            return None
        try:
            start_s, end_s = ref.split("-")
            l1, c1 = (int(x) for x in start_s.split(":"))
            l2, c2 = (int(x) for x in end_s.split(":"))
            start = document.line(l1).start + c1
            end = document.line(l2).start + c2
        except (ValueError, IndexError):
            return None
        text = document.text
        if not 0 <= start <= end <= len(text):
            return None
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        before = ("\u2026" if lo > 0 else "") + text[lo:start]
        after = text[end:hi] + ("\u2026" if hi < len(text) else "")
        return before, text[start:end], after


def _context_html(sources: _Sources | None, row: Mapping[str, object]) -> str:
    if sources is None:
        return ""
    found = sources.context(str(row.get("doc") or ""), str(row.get("ar_ref") or ""))
    if found is None:
        return ""
    before, span, after = found
    return (f'<details class="ctx"><summary>source text around the span</summary>'
            f'<p>{_e(before)}<mark>{_e(span)}</mark>{_e(after)}</p></details>')


def _english_cell(origin: str, row: Mapping[str, object]) -> str:
    en = str(row.get("en") or "")
    if origin == "untranslated":
        return f'<span class="why"><b>untranslated:</b> {_e(row.get("reason") or "")}</span>'
    if origin == "rejected":
        why = (f'<span class="why"><b>rejected ({_e(row.get("rule") or "")}):</b> '
               f'{_e(row.get("detail") or "")}</span>')
        return (f"{_e(en)}<br>{why}" if en else why)
    return _e(en)


def _row_html(number: int, origin: str, row: Mapping[str, object],
              sources: _Sources | None) -> str:
    score = _parse_score(row.get("score"))
    score_attr = "" if score is None else f"{score:.4f}"
    meta = [f'<span class="badge">{_e(origin)}</span>']
    if score is not None:
        meta.append(f'<br><span class="score" style="{_score_style(score)}">{score:.3f}</span>')
    if row.get("found_by"):
        meta.append(f'<span class="note">found by {_e(row["found_by"])}</span>')
    if origin not in ("untranslated", "rejected") and row.get("reason"):
        meta.append(f'<span class="note">{_e(row["reason"])}</span>')
    dups = row.get("duplicates") or 0
    if str(dups) not in ("", "0"):
        meta.append(f'<span class="note" title="{_e(row.get("duplicate_refs") or "")}">'
                    f'+{_e(dups)} duplicate(s)</span>')
    where = [_e(row.get("doc") or "")]
    if row.get("ar_ref"):
        where.append(f"ar {_e(row['ar_ref'])}")
    if row.get("en_ref"):
        en_doc = str(row.get("en_doc") or "")
        where.append(f"en {_e(en_doc) + ' ' if en_doc else ''}{_e(row['en_ref'])}")
    return (f'<tr class="row o-{_e(origin)}" data-origin="{_e(origin)}" '
            f'data-score="{score_attr}">'
            f'<td class="n">{number}</td>'
            f'<td class="en" dir="ltr" lang="en">{_english_cell(origin, row)}</td>'
            f'<td class="ar" dir="rtl" lang="ar">{_e(row.get("ar") or "")}'
            f'{_context_html(sources, row)}</td>'
            f'<td class="meta">{"".join(meta)}</td>'
            f'<td class="where">{"<br>".join(where)}</td></tr>')


def score_histogram_svg(scores: Sequence[float], *, width: int = 260, height: int = 64) -> str:
    """An inline SVG bar chart of ``scores``, ten bins over their observed range (the bins
    of ``corpus stats``); each bar carries its range and count as a tooltip."""
    from corpus.stats import _histogram, observed_edges

    if not scores:
        return ""
    bins = _histogram(scores, observed_edges(scores))
    peak = max(b["count"] for b in bins) or 1
    plot_h = height - 14
    bar_w = width / len(bins)
    parts = [f'<svg width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="score histogram">']
    for i, b in enumerate(bins):
        h = round(plot_h * b["count"] / peak, 1)
        x = round(i * bar_w + 1, 1)
        parts.append(f'<rect class="bar" x="{x}" y="{round(plot_h - h, 1)}" '
                     f'width="{round(bar_w - 2, 1)}" height="{h}" data-lo="{b["lo"]:.2f}">'
                     f'<title>{b["lo"]:.2f}-{b["hi"]:.2f}: {b["count"]}</title></rect>')
    parts.append(f'<line x1="0" y1="{plot_h + 0.5}" x2="{width}" y2="{plot_h + 0.5}" '
                 'stroke="#9e9e9e"/>')
    lo, hi = bins[0]["lo"], bins[-1]["hi"]
    parts.append(f'<text x="0" y="{height - 2}" font-size="10" fill="#616161">{lo:.2f}</text>')
    parts.append(f'<text x="{width}" y="{height - 2}" font-size="10" fill="#616161" '
                 f'text-anchor="end">{hi:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def review_html(rows: Sequence[tuple[str, Mapping[str, object]]], *,
                title: str = "corpus review", signature: str | None = None,
                sources: _Sources | None = None) -> str:
    """The page for ``rows``: (origin, record with the corpus columns) in display order."""
    counts = {o: 0 for o in ORIGINS}
    for origin, _ in rows:
        counts[origin] = counts.get(origin, 0) + 1
    boxes = []
    for origin in ORIGINS:
        checked = "" if origin in _HIDDEN_BY_DEFAULT else " checked"
        boxes.append(f'<label><input type="checkbox" name="origin" value="{origin}"{checked}> '
                     f'<span class="swatch" style="background:var(--{origin})"></span> '
                     f'{origin} ({counts.get(origin, 0)})</label>')
    body = "\n".join(_row_html(i, origin, row, sources)
                     for i, (origin, row) in enumerate(rows, 1))
    scores = [s for origin, row in rows if origin == "aligned"
              for s in [_parse_score(row.get("score"))] if s is not None]
    svg = score_histogram_svg(scores)
    figure = (f'<figure>{svg}<figcaption>scores of {len(scores)} aligned rows; click a bar '
              f'for a minimum</figcaption></figure>') if svg else ""
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
<div class="titles">
<h1>{_e(title)}</h1>
{sig}
<form id="filters" onsubmit="return false">
{chr(10).join(boxes)}
<label>min score <input type="number" id="minscore" step="0.05" min="0" max="1" placeholder="any"
 style="width:5em"></label>
<label>search <input type="search" id="search" placeholder="Arabic, English or document"></label>
<label>order <select id="sort"><option value="file">file order</option>
<option value="asc">score, lowest first</option><option value="desc">score, highest first</option>
</select></label>
<span id="shown">{len(rows)} rows</span>
</form>
</div>
{figure}
</header>
<table id="pairs">
<colgroup><col class="n"><col class="en"><col class="ar"><col class="meta"><col class="where">
</colgroup>
<thead><tr><th>#</th><th>English (or why there is none)</th>
<th dir="rtl" style="text-align:right">العربية</th>
<th>origin / score</th><th>document and spans</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
<script>{_JS}</script>
</body>
</html>
"""


def render_review(path: str | os.PathLike[str], *, limit: int | None = None,
                  context: bool = True,
                  source_root: str | os.PathLike[str] | None = None) -> str:
    """The review page for the corpus at ``path`` (any format) and its side files.

    Main rows come first (in file order), then untranslated, then rejected rows; ``limit``
    caps the rows taken from each file (a page of 100k rows is slow to open). ``context``:
    show the source text around each Arabic span, reading the documents from
    ``source_root`` (default: the working directory, then the corpus's folder).
    """
    p = Path(path)
    corpus_files = read_corpus(p)
    main, signature = corpus_files.main, corpus_files.signature
    untranslated = corpus_files.untranslated or []
    rejects = corpus_files.rejects or []

    def cut(xs: list[Record]) -> list[Record]:
        return xs[:limit] if limit is not None else xs

    rows: list[tuple[str, Mapping[str, object]]] = []
    rows += [(str(r.get("origin") or ""), r) for r in cut(main)]
    rows += [("untranslated", r) for r in cut(untranslated)]
    rows += [("rejected", r) for r in cut(rejects)]
    sources = None
    if context:
        roots = [Path(source_root)] if source_root is not None else \
            [Path.cwd(), p.resolve().parent]
        sources = _Sources(roots)
    return review_html(rows, title=f"corpus review: {p.name}", signature=signature,
                       sources=sources)


def write_review(path: str | os.PathLike[str], html_path: str | os.PathLike[str], *,
                 limit: int | None = None, context: bool = True,
                 source_root: str | os.PathLike[str] | None = None) -> Path:
    """Write the review page for the corpus at ``path`` to ``html_path`` (atomically)."""
    return write_text_atomic(html_path, render_review(path, limit=limit, context=context,
                                                      source_root=source_root))
