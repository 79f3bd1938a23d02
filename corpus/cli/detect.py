"""`corpus detect PATH...`: show the sections and special lines found in each file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Literal, Optional

import typer

from corpus.cli import app, info
from corpus.errors import CorpusError

_LANG_CHOICES = ("ar", "en", "other", "all")


def _items(layout, lang: str | None) -> Iterator[dict]:
    """JSON-ready items of one layout, in page order: sections, then special pieces.

    Default (lang None): every section (any language) and the Arabic special pieces (dates,
    bylines, boilerplate, inline runs, mixed-line parts) plus both parts of mixed lines.
    """
    doc = layout.document
    items = []
    for s in layout.sections:
        if lang not in (None, "all") and s.lang != lang:
            continue
        items.append({
            "file": doc.path, "item": "section", "start_line": s.start_line,
            "end_line": s.end_line, "lang": s.lang, "kind": s.kind,
            "lines": [p.line for p in s.pieces],
            "titles": [p.line for p in s.pieces if p.kind == "title"],
        })
    mixed_lines = {p.line for p in layout.mixed_parts}
    for p in layout.special:
        if lang == "all":
            pass
        elif lang is not None:
            if p.lang != lang:
                continue
        elif p.lang != "ar" and p.line not in mixed_lines:
            continue
        line = doc.line(p.line)
        item = {"file": doc.path, "item": "piece", "start_line": p.line, "end_line": p.line,
                "lang": p.lang, "kind": p.kind, "mixed": p.mixed}
        if p.mixed or p.kind == "inline":
            item["start_char"] = p.start - line.start
            item["end_char"] = p.end - line.start
        item["text"] = layout.text(p)
        items.append(item)
    items.sort(key=lambda it: (it["start_line"], it.get("start_char", -1),
                               it["item"] != "section"))
    yield from items


def _print_table(console, layout, items: list[dict]) -> None:
    from rich.table import Table
    from rich.text import Text

    doc = layout.document
    table = Table(title=f"{doc.path} ({doc.encoding}, {len(doc.lines)} lines)",
                  title_justify="left", show_lines=False)
    table.add_column("lines", justify="right", no_wrap=True, min_width=10)
    table.add_column("lang", no_wrap=True, min_width=5)
    table.add_column("kind", no_wrap=True, min_width=19)
    table.add_column("text", no_wrap=True)
    room = max(20, console.width - 50)

    def cell(text: str) -> Text:
        return Text(text if len(text) <= room else text[:room - 1] + "\u2026")

    for it in items:
        if it["item"] == "section":
            where = (f"{it['start_line']}" if it["start_line"] == it["end_line"]
                     else f"{it['start_line']}-{it['end_line']}")
            n = len(it["lines"])
            text = f"[section: {n} line{'s' if n != 1 else ''}]"
            table.add_row(where, it["lang"], it["kind"], cell(text), style="bold")
        else:
            where = str(it["start_line"])
            if "start_char" in it:
                where += f":{it['start_char']}-{it['end_char']}"
            kind = it["kind"] + (" (mixed)" if it["mixed"] else "")
            table.add_row(where, it["lang"], kind, cell(it["text"]))
    console.print(table)


@app.command("detect")
def detect_command(
    paths: list[Path] = typer.Argument(..., help="Files, directories or globs (.txt, .html)."),
    json_lines: bool = typer.Option(False, "--json",
                                    help="One JSON object per line per item."),
    lang: Optional[Literal["ar", "en", "other", "all"]] = typer.Option(
        None, "--lang",
        help="Show only this language (ar, en, other), or 'all' for every special line. "
             "Default: all sections and the Arabic special lines."),
) -> None:
    """Show the Arabic (and English) sections of each file and its special lines.

    Special lines are dates, bylines, boilerplate, parts of mixed lines and Arabic inside
    English lines."""
    from corpus.detect import detect
    from corpus.read import ReadReport, read_documents

    if lang is not None and lang not in _LANG_CHOICES:
        typer.echo(f"error: --lang must be one of {', '.join(_LANG_CHOICES)}, not {lang!r}",
                   err=True)
        raise typer.Exit(2)
    report = ReadReport()
    console = None
    if not json_lines:
        from rich.console import Console

        console = Console()
    try:
        for doc in read_documents([str(p) for p in paths], report=report):
            layout = detect(doc)
            items = list(_items(layout, lang))
            if json_lines:
                for it in items:
                    typer.echo(json.dumps(it, ensure_ascii=False))
            else:
                _print_table(console, layout, items)
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if report.skipped_count and report.read == 0:
        first = report.skipped[0]
        more = f" (and {report.skipped_count - 1} more)" if report.skipped_count > 1 else ""
        typer.echo(f"error: {first.path}: {first.reason}{more}", err=True)
        raise typer.Exit(2)
    if report.skipped_count:
        names = ", ".join(s.path for s in report.skipped)
        info(f"warning: skipped {report.skipped_count} file(s) that could not be read: "
             f"{names}")
