"""Writing the corpus: the main file in one of four formats, plus the side files.

One call, ``write_corpus``, writes everything a run produces next to ``OUT``:

- the pairs: ``OUT.tsv`` (tsv), ``OUT.ar`` + ``OUT.en`` (moses), ``OUT.jsonl`` or ``OUT.tmx``;
- ``OUT.untranslated.tsv``: Arabic with no English (columns ``ar doc ar_ref reason ...``);
- ``OUT.rejects.tsv``: what a cleaning rule refused, with the rule;
- ``OUT.signature.json``: the recipe (``corpus.signature``).

``OUT`` is the path given with a known extension (.tsv .jsonl .tmx) removed, so
``corpus align ... -o out.tsv`` writes ``out.tsv``, ``out.untranslated.tsv`` and so on, and
``-o out.tsv --format jsonl`` writes ``out.jsonl`` (the main file always takes the format's
extension).

Writes are atomic: every file goes to a temporary file in the same directory first and is
renamed into place only when all of them are complete. An old signature file is removed before
the renames start and the new one is renamed last, so a corpus whose ``OUT.signature.json``
exists is whole. Output is deterministic: no timestamps, fixed column order, ``\\n`` line ends,
scores with four decimals.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Literal, Sequence
from xml.sax.saxutils import escape as _xml_escape

from corpus.dedup import duplicates_of, DUPLICATES
from corpus.errors import InputError
from corpus.types import Pair

if TYPE_CHECKING:  # pragma: no cover
    from corpus.clean import Reject
    from corpus.signature import Signature

Format = Literal["tsv", "moses", "jsonl", "tmx"]
FORMATS: tuple[str, ...] = ("tsv", "moses", "jsonl", "tmx")
_EXTENSIONS = {"tsv": ".tsv", "jsonl": ".jsonl", "tmx": ".tmx"}
_KNOWN_SUFFIXES = (".tsv", ".jsonl", ".tmx")

MAIN_COLUMNS = ("ar", "en", "origin", "score", "doc", "ar_ref", "en_ref", "en_doc", "reason",
                "duplicates", "duplicate_refs")
UNTRANSLATED_COLUMNS = ("ar", "doc", "ar_ref", "reason", "duplicates", "duplicate_refs")
REJECT_COLUMNS = ("ar", "en", "origin", "score", "doc", "ar_ref", "en_ref", "en_doc", "rule",
                  "detail")

# Characters that end a line for str.splitlines() (and for many readers): none may appear
# inside a cell. Tab U+0009, LF U+000A, VT U+000B, FF U+000C, CR U+000D, FS/GS/RS
# U+001C-U+001E, NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029.
_CELL_BREAKS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029")
_CELL_TABLE = {ord(ch): " " for ch in _CELL_BREAKS}
# XML 1.0 forbids C0 controls other than tab, LF, CR (and U+FFFE/U+FFFF)
_XML_FORBIDDEN = {c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                   0xFFFE, 0xFFFF)}


@dataclass(frozen=True)
class WrittenFiles:
    """Where a run's files are. ``main`` lists the pair files (two for moses)."""

    main: tuple[Path, ...]
    untranslated: Path
    rejects: Path
    signature: Path

    def all(self) -> tuple[Path, ...]:
        return (*self.main, self.untranslated, self.rejects, self.signature)


def output_base(out_path: str | os.PathLike) -> Path:
    """``out.tsv`` -> ``out``: the stem side files are named after."""
    path = Path(out_path)
    if path.suffix.lower() in _KNOWN_SUFFIXES:
        return path.with_suffix("")
    return path


def output_paths(out_path: str | os.PathLike, format: str = "tsv") -> WrittenFiles:
    """The files ``write_corpus(…, out_path, format=format)`` writes."""
    if format not in FORMATS:
        raise InputError(f"unknown output format {format!r}",
                         hint=f"choose one of {', '.join(FORMATS)}")
    base = output_base(out_path)
    side = lambda suffix: base.with_name(base.name + suffix)  # noqa: E731
    if format == "moses":
        main = (side(".ar"), side(".en"))
    else:
        main = (side(_EXTENSIONS[format]),)
    return WrittenFiles(main=main, untranslated=side(".untranslated.tsv"),
                        rejects=side(".rejects.tsv"), signature=side(".signature.json"))


def clean_cell(text: object) -> str:
    """A cell's text with every tab and line break turned into a space."""
    return str(text).translate(_CELL_TABLE)


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def _refs_cell(pair: Pair) -> str:
    dups = duplicates_of(pair)
    return json.dumps([list(d) for d in dups], ensure_ascii=False) if dups else ""


def _tsv_line(cells: Iterable[object]) -> str:
    return "\t".join(clean_cell(c) for c in cells) + "\n"


def main_row(pair: Pair) -> tuple[str, ...]:
    return (pair.ar, pair.en, pair.origin, format_score(pair.score), pair.doc, pair.ar_ref,
            pair.en_ref, pair.en_doc, pair.reason, str(len(duplicates_of(pair))),
            _refs_cell(pair))


def untranslated_row(pair: Pair) -> tuple[str, ...]:
    return (pair.ar, pair.doc, pair.ar_ref, pair.reason, str(len(duplicates_of(pair))),
            _refs_cell(pair))


def reject_row(reject: "Reject") -> tuple[str, ...]:
    p = reject.pair
    return (p.ar, p.en, p.origin, format_score(p.score), p.doc, p.ar_ref, p.en_ref, p.en_doc,
            reject.rule, reject.detail)


def _json_record(pair: Pair) -> dict:
    extra = {k: v for k, v in pair.extra.items() if k != DUPLICATES}
    return {
        "ar": pair.ar, "en": pair.en, "origin": pair.origin, "score": pair.score,
        "doc": pair.doc, "ar_ref": pair.ar_ref, "en_ref": pair.en_ref, "en_doc": pair.en_doc,
        "reason": pair.reason, "duplicates": [list(d) for d in duplicates_of(pair)],
        "extra": extra,
    }


def _tmx_text(text: object) -> str:
    return _xml_escape(str(text).translate(_XML_FORBIDDEN), {'"': "&quot;"})


def _tmx_lines(pairs: Sequence[Pair], signature: "Signature | None") -> Iterable[str]:
    from corpus import __version__

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<tmx version="1.4">\n'
    yield (f'  <header creationtool="corpus" creationtoolversion="{_tmx_text(__version__)}" '
           'datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" '
           'o-tmf="corpus">\n')
    if signature is not None:
        yield f'    <prop type="x-signature">{_tmx_text(signature.compact)}</prop>\n'
    yield '  </header>\n  <body>\n'
    for pair in pairs:
        yield '    <tu>\n'
        props = [("x-origin", pair.origin), ("x-score", format_score(pair.score)),
                 ("x-doc", pair.doc), ("x-ar-ref", pair.ar_ref), ("x-en-ref", pair.en_ref),
                 ("x-en-doc", pair.en_doc), ("x-reason", pair.reason),
                 ("x-duplicates", str(len(duplicates_of(pair)))),
                 ("x-duplicate-refs", _refs_cell(pair))]
        for name, value in props:
            if value != "":
                yield f'      <prop type="{name}">{_tmx_text(value)}</prop>\n'
        yield f'      <tuv xml:lang="ar"><seg>{_tmx_text(pair.ar)}</seg></tuv>\n'
        yield f'      <tuv xml:lang="en"><seg>{_tmx_text(pair.en)}</seg></tuv>\n'
        yield '    </tu>\n'
    yield '  </body>\n</tmx>\n'


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _AtomicWriter:
    """Temp files in the target directory, renamed into place together by ``commit``."""

    def __init__(self):
        self._pending: list[tuple[Path, Path]] = []  # (temp, final)

    def write(self, final: Path, lines: Iterable[str]) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        self._pending.append((Path(tmp), final))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                f.write(line)
            f.flush()
            os.fsync(f.fileno())

    def commit(self, last: Path | None = None) -> None:
        """Rename every temp file into place, ``last`` (the signature) after all the others."""
        if last is not None:
            with contextlib.suppress(FileNotFoundError):
                last.unlink()
        ordered = sorted(self._pending, key=lambda tf: tf[1] == last)
        for tmp, final in ordered:
            os.replace(tmp, final)
        self._pending.clear()

    def abort(self) -> None:
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending.clear()


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write one text file atomically (temp file + rename)."""
    writer = _AtomicWriter()
    try:
        writer.write(Path(path), [text])
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return Path(path)


def write_corpus(pairs: Iterable[Pair], out_path: str | os.PathLike, *,
                 format: str = "tsv",
                 untranslated: Iterable[Pair] = (),
                 rejects: Iterable["Reject"] = (),
                 signature: "Signature | None" = None) -> WrittenFiles:
    """Write the pairs (aligned and mt rows) in ``format`` plus the untranslated, rejects and
    signature files next to ``out_path``; see the module docstring for names and guarantees.

    Rows are written in the order given. The side files are always TSV. Without a
    ``signature`` the signature file holds only the tool version (the pipeline should pass one).
    """
    files = output_paths(out_path, format)
    pairs = list(pairs)
    for p in pairs:
        if p.origin == "untranslated":
            raise InputError(f"untranslated row passed as a pair ({p.doc} {p.ar_ref})",
                             hint="pass untranslated rows as untranslated=")
    writer = _AtomicWriter()
    try:
        if format == "tsv":
            writer.write(files.main[0], [_tsv_line(MAIN_COLUMNS),
                                         *(_tsv_line(main_row(p)) for p in pairs)])
        elif format == "moses":
            writer.write(files.main[0], (clean_cell(p.ar) + "\n" for p in pairs))
            writer.write(files.main[1], (clean_cell(p.en) + "\n" for p in pairs))
        elif format == "jsonl":
            writer.write(files.main[0],
                         (json.dumps(_json_record(p), ensure_ascii=False, sort_keys=True,
                                     default=str) + "\n" for p in pairs))
        else:
            writer.write(files.main[0], _tmx_lines(pairs, signature))
        writer.write(files.untranslated, [_tsv_line(UNTRANSLATED_COLUMNS),
                                          *(_tsv_line(untranslated_row(p))
                                            for p in untranslated)])
        writer.write(files.rejects, [_tsv_line(REJECT_COLUMNS),
                                     *(_tsv_line(reject_row(r)) for r in rejects)])
        if signature is None:
            from corpus.signature import make_signature
            signature = make_signature({})
        writer.write(files.signature, [signature.to_json()])
        writer.commit(last=files.signature)
    except BaseException:
        writer.abort()
        raise
    return files


def read_tsv(path: str | os.PathLike, required: Sequence[str] = ("ar",)) -> list[dict[str, str]]:
    """Rows of a TSV written by this module (header row, tab-split cells, no quoting)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path),
                         hint="pass a TSV written by `corpus align`") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise InputError("empty file, expected a header row", path=str(path))
    header = [h.strip() for h in lines[0].rstrip("\r").split("\t")]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"header lacks column(s) {', '.join(missing)}", path=str(path), line=1,
                         hint="pass a TSV written by `corpus align`")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.rstrip("\r").split("\t")
        if len(cells) > len(header):
            raise InputError(f"{len(cells)} cells but the header has {len(header)}",
                             path=str(path), line=number)
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


@dataclass(frozen=True)
class CorpusFiles:
    """A written TSV corpus read back with its side files (None where a file is absent)."""

    main: list[dict[str, str]]
    untranslated: list[dict[str, str]] | None
    rejects: list[dict[str, str]] | None
    signature: str | None  # the compact one-line signature


def read_corpus(tsv_path: str | os.PathLike) -> CorpusFiles:
    """``OUT.tsv`` and, when present, ``OUT.untranslated.tsv``, ``OUT.rejects.tsv`` and the
    compact signature from ``OUT.signature.json`` (what `corpus stats` and `review` read)."""
    path = Path(tsv_path)
    files = output_paths(path, "tsv")
    main = read_tsv(path, required=("ar", "en", "origin"))
    untranslated = read_tsv(files.untranslated) if files.untranslated.exists() else None
    rejects = read_tsv(files.rejects) if files.rejects.exists() else None
    signature = None
    if files.signature.exists():
        try:
            with open(files.signature, encoding="utf-8") as f:
                signature = json.load(f).get("signature")
        except (json.JSONDecodeError, AttributeError):
            signature = None  # a damaged signature file does not stop stats or review
    return CorpusFiles(main, untranslated, rejects, signature)
