"""Writing the corpus in one of six formats, plus the side files; reading any of them back.

One call, ``write_corpus``, writes everything a run produces next to ``OUT``:

- the pairs: ``OUT.tsv`` (tsv), ``OUT.jsonl``, ``OUT.parquet``, ``OUT.tmx``, ``OUT.hf/`` (a
  Hugging Face ``datasets`` folder), or for moses ``OUT.ar`` + ``OUT.en`` (human translations)
  and ``OUT.mt.ar`` + ``OUT.mt.en`` (machine translations, kept apart), each with a
  line-parallel ``OUT.ids`` / ``OUT.mt.ids`` holding the other columns (``MOSES_ID_COLUMNS``,
  tab-separated, no header, as OPUS ships ``.ids`` beside its Moses files);
- the untranslated Arabic, the rejects and the full duplicate lists, as tables;
- the signature (``corpus.signature``), written last.

Side files carry the format, so two formats written to the same ``OUT`` never overwrite each
other. For tsv they keep their historical names (``OUT.untranslated.tsv``,
``OUT.rejects.tsv``, ``OUT.duplicates.tsv``, ``OUT.signature.json``); for every other format
F they start with ``OUT.F.`` (``OUT.jsonl.untranslated.jsonl``, ``OUT.tmx.signature.json``).
jsonl and parquet write their side tables in their own format, moses and tmx in TSV, and hf
keeps everything inside its folder (splits ``train``, ``untranslated``, ``rejects``,
``duplicates``, plus ``signature.json`` and a dataset card ``README.md``).

One schema for every format: the same field names, in the same order, with the same types
(``score`` float or null, ``duplicates`` int, everything else a string) and the same values.
Every text value is cleaned once, identically for every format: a tab or a line break (LF,
CR, VT, FF, NEL, FS/GS/RS, U+2028, U+2029) becomes a space; NUL and the other C0 controls,
U+FFFE/U+FFFF and lone surrogates are dropped. Nothing else is touched (bidi controls, digits,
quotes stay as they are); the spans (``ar_ref``, ``en_ref``) point at the raw input anyway.

TSV follows the bitext convention: a header row, one row a line, ``\\t`` between cells, no
quoting and no escaping, so a cell may start with ``"``. Readers must be told not to quote
(``quoting=csv.QUOTE_NONE``) and, for pandas, not to turn ``NA``/``null`` text into missing
values (``keep_default_na=False``); see the README section on reading the outputs.

``duplicate_refs`` lists at most ``DUPLICATE_REFS_MAX`` of the (doc, ar_ref) folded into a
row, as JSON; ``duplicates`` is the total count and the duplicates table has them all.

Writes are atomic: every file goes to a temporary file in the same directory first and is
renamed into place only when all of them are complete; the signature is renamed last, so a
corpus whose signature file exists is whole. Output is deterministic: no timestamps, fixed
column order, ``\\n`` line ends, scores with four decimals. Every OS error (read-only
directory, full disk, a directory in the way) becomes an :class:`~corpus.errors.OutputError`
naming the path; :func:`check_output` finds most of them before any work is done.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union
from xml.sax.saxutils import escape as _xml_escape

from corpus.dedup import duplicates_of
from corpus.errors import InputError, OutputError
from corpus.types import Pair

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow  # type: ignore[import-untyped]

    from corpus.clean import Reject
    from corpus.signature import Signature

Format = Literal["tsv", "moses", "jsonl", "tmx", "parquet", "hf"]
FORMATS: tuple[str, ...] = ("tsv", "moses", "jsonl", "tmx", "parquet", "hf")
_EXTENSIONS = {"tsv": ".tsv", "jsonl": ".jsonl", "tmx": ".tmx", "parquet": ".parquet",
               "hf": ".hf"}
_KNOWN_SUFFIXES = (".tsv", ".jsonl", ".tmx", ".parquet", ".hf")
# the format of the side tables (untranslated, rejects, duplicates) of each main format
_SIDE_FORMAT = {"tsv": "tsv", "moses": "tsv", "tmx": "tsv", "jsonl": "jsonl",
                "parquet": "parquet", "hf": "hf"}

# A value in a record: text, a score (None when there is none) or a count.
Value = Union[str, float, int, None]
Record = dict[str, Value]

MAIN_COLUMNS = ("ar", "en", "origin", "score", "doc", "ar_ref", "en_ref", "en_doc",
                "found_by", "reason", "duplicates", "duplicate_refs")
UNTRANSLATED_COLUMNS = ("ar", "doc", "ar_ref", "reason", "duplicates", "duplicate_refs")
REJECT_COLUMNS = ("ar", "en", "origin", "score", "doc", "ar_ref", "en_ref", "en_doc",
                  "found_by", "rule", "detail")
# one row per occurrence folded into a kept row: the kept row's (doc, ar_ref), then the
# duplicate's
DUPLICATE_COLUMNS = ("doc", "ar_ref", "duplicate_doc", "duplicate_ref")
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "pairs": MAIN_COLUMNS, "untranslated": UNTRANSLATED_COLUMNS, "rejects": REJECT_COLUMNS,
    "duplicates": DUPLICATE_COLUMNS}
# column types; every column not named here is a string
FLOAT_COLUMNS = frozenset({"score"})
INT_COLUMNS = frozenset({"duplicates"})
# the columns of a Moses .ids line, in order (line i describes line i of .ar and .en)
MOSES_ID_COLUMNS = tuple(c for c in MAIN_COLUMNS if c not in ("ar", "en"))
DUPLICATE_REFS_MAX = 20  # refs in one duplicate_refs cell; the duplicates table has them all

# Characters that end a line for str.splitlines() (and for many readers): none may appear
# inside a cell. Tab U+0009, LF U+000A, VT U+000B, FF U+000C, CR U+000D, FS/GS/RS
# U+001C-U+001E, NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029.
_CELL_BREAKS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029")
# C0 controls other than those breaks, and the noncharacters U+FFFE/U+FFFF: XML 1.0 forbids
# them and they carry no text, so they are dropped.
_DROPPED = frozenset(chr(c) for c in (*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1C),
                                      0x1F, 0xFFFE, 0xFFFF))
_CELL_TABLE: dict[int, str | None] = {ord(ch): " " for ch in _CELL_BREAKS}
_CELL_TABLE.update({ord(ch): None for ch in _DROPPED})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class WrittenFiles:
    """Where a run's files are. ``main`` lists the pair files (six for moses: ar, en, mt.ar,
    mt.en, ids, mt.ids; the folder for hf)."""

    main: tuple[Path, ...]
    untranslated: Path
    rejects: Path
    signature: Path
    duplicates: Path | None = None
    format: str = "tsv"

    def all(self) -> tuple[Path, ...]:
        extra = () if self.duplicates is None else (self.duplicates,)
        return (*self.main, self.untranslated, self.rejects, *extra, self.signature)


def output_base(out_path: str | os.PathLike[str]) -> Path:
    """``out.tsv`` -> ``out``: the stem side files are named after."""
    path = Path(out_path)
    if path.suffix.lower() in _KNOWN_SUFFIXES:
        return path.with_suffix("")
    return path


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise InputError(f"unknown output format {format!r}",
                         hint=f"choose one of {', '.join(FORMATS)}")


def output_paths(out_path: str | os.PathLike[str], format: str = "tsv") -> WrittenFiles:
    """The files ``write_corpus(…, out_path, format=format)`` writes (see the module
    docstring for the naming rule)."""
    _check_format(format)
    base = output_base(out_path)

    def side(suffix: str) -> Path:
        return base.with_name(base.name + suffix)

    if format == "hf":
        folder = side(".hf")
        return WrittenFiles(main=(folder,), untranslated=folder / "untranslated",
                            rejects=folder / "rejects", duplicates=folder / "duplicates",
                            signature=folder / "signature.json", format=format)
    if format == "moses":
        main: tuple[Path, ...] = (side(".ar"), side(".en"), side(".mt.ar"), side(".mt.en"),
                                  side(".ids"), side(".mt.ids"))
    else:
        main = (side(_EXTENSIONS[format]),)
    tag = "" if format == "tsv" else f".{format}"
    ext = _EXTENSIONS[_SIDE_FORMAT[format]]
    return WrittenFiles(main=main, untranslated=side(f"{tag}.untranslated{ext}"),
                        rejects=side(f"{tag}.rejects{ext}"),
                        duplicates=side(f"{tag}.duplicates{ext}"),
                        signature=side(f"{tag}.signature.json"), format=format)


def check_output(out_path: str | os.PathLike[str], format: str = "tsv") -> WrittenFiles:
    """``output_paths`` plus a check that every file can be written, done before any work:
    the folder exists or can be made, is a folder and is writable (a file is created and
    removed there), and no output path is a folder (for hf: no file is in the folder's way).
    Raises :class:`~corpus.errors.OutputError` naming the path and the cause."""
    files = output_paths(out_path, format)
    folders = {p.parent for p in files.all()} if format != "hf" else {files.main[0].parent}
    for folder in sorted(folders):
        _check_folder(folder)
    if format == "hf":
        folder = files.main[0]
        if folder.exists() and not folder.is_dir():
            raise OutputError("is a file, but the hf format writes a folder here",
                              path=str(folder), hint="remove it or choose another -o")
    else:
        for path in files.all():
            if path.is_dir():
                raise OutputError("is a directory, cannot write the output file there",
                                  path=str(path), hint="choose another -o")
    return files


def _check_folder(folder: Path) -> None:
    probe_from = folder
    while not probe_from.exists():
        if probe_from.is_symlink():
            raise OutputError("is a dangling symbolic link", path=str(probe_from))
        probe_from = probe_from.parent
    if not probe_from.is_dir():
        raise OutputError("is not a directory, cannot create the output folder under it",
                          path=str(probe_from), hint="choose another -o")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".corpus-write-check.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}",
                          path=str(exc.filename or folder)) from None


# --------------------------------------------------------------------------------------------
# records: one schema for every format


def clean_cell(text: object) -> str:
    """A cell's text: every tab and line break a space, C0 controls, noncharacters and lone
    surrogates dropped (identically for every format)."""
    out = str(text).translate(_CELL_TABLE)
    return _SURROGATE.sub("", out) if _SURROGATE.search(out) else out


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def _score(score: float | None) -> float | None:
    # the value every format carries: what the TSV cell says, read back as a float
    return None if score is None else float(format_score(score))


def _refs_cell(pair: Pair) -> str:
    dups = duplicates_of(pair)[:DUPLICATE_REFS_MAX]
    return json.dumps([[clean_cell(d), clean_cell(r)] for d, r in dups],
                      ensure_ascii=False) if dups else ""


def main_record(pair: Pair) -> Record:
    """The row ``pair`` becomes in every format (columns ``MAIN_COLUMNS``)."""
    c = clean_cell
    return {"ar": c(pair.ar), "en": c(pair.en), "origin": c(pair.origin),
            "score": _score(pair.score), "doc": c(pair.doc), "ar_ref": c(pair.ar_ref),
            "en_ref": c(pair.en_ref), "en_doc": c(pair.en_doc), "found_by": c(pair.found_by),
            "reason": c(pair.reason), "duplicates": len(duplicates_of(pair)),
            "duplicate_refs": _refs_cell(pair)}


def untranslated_record(pair: Pair) -> Record:
    c = clean_cell
    return {"ar": c(pair.ar), "doc": c(pair.doc), "ar_ref": c(pair.ar_ref),
            "reason": c(pair.reason), "duplicates": len(duplicates_of(pair)),
            "duplicate_refs": _refs_cell(pair)}


def reject_record(reject: "Reject") -> Record:
    p, c = reject.pair, clean_cell
    return {"ar": c(p.ar), "en": c(p.en), "origin": c(p.origin), "score": _score(p.score),
            "doc": c(p.doc), "ar_ref": c(p.ar_ref), "en_ref": c(p.en_ref),
            "en_doc": c(p.en_doc), "found_by": c(p.found_by), "rule": c(reject.rule),
            "detail": c(reject.detail)}


def duplicate_records(pairs: Iterable[Pair]) -> Iterator[Record]:
    c = clean_cell
    for p in pairs:
        for doc, ref in duplicates_of(p):
            yield {"doc": c(p.doc), "ar_ref": c(p.ar_ref), "duplicate_doc": c(doc),
                   "duplicate_ref": c(ref)}


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_score(value)
    return str(value)


def main_row(pair: Pair) -> tuple[str, ...]:
    return tuple(_cell(v) for v in main_record(pair).values())


def untranslated_row(pair: Pair) -> tuple[str, ...]:
    return tuple(_cell(v) for v in untranslated_record(pair).values())


def reject_row(reject: "Reject") -> tuple[str, ...]:
    return tuple(_cell(v) for v in reject_record(reject).values())


# --------------------------------------------------------------------------------------------
# serialisers: records -> lines / bytes


def _tsv_line(cells: Iterable[object]) -> str:
    return "\t".join(clean_cell(c) for c in cells) + "\n"


def _tsv_lines(columns: Sequence[str], records: Iterable[Record]) -> Iterator[str]:
    yield _tsv_line(columns)
    for rec in records:
        yield "\t".join(_cell(rec[k]) for k in columns) + "\n"


def _json_lines(records: Iterable[Record]) -> Iterator[str]:
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def _arrow_schema(columns: Sequence[str]) -> "pyarrow.Schema":
    import pyarrow as pa

    return pa.schema([pa.field(k, pa.float64() if k in FLOAT_COLUMNS else
                               pa.int64() if k in INT_COLUMNS else pa.string())
                      for k in columns])


def hf_features(columns: Sequence[str]) -> dict[str, dict[str, str]]:
    """The ``datasets`` Features of a table, as JSON (what ``dataset_info.json`` holds)."""
    return {k: {"dtype": "float64" if k in FLOAT_COLUMNS else
                "int64" if k in INT_COLUMNS else "string", "_type": "Value"}
            for k in columns}


def _arrow_table(columns: Sequence[str], records: Sequence[Record],
                 metadata: Mapping[str, str]) -> "pyarrow.Table":
    import pyarrow as pa

    schema = _arrow_schema(columns)
    meta = {**metadata, "huggingface": json.dumps({"info": {"features": hf_features(columns)}},
                                                  sort_keys=True)}
    data = {k: [r[k] for r in records] for k in columns}
    return pa.table(data, schema=schema.with_metadata(meta))


def _parquet_bytes(table: "pyarrow.Table") -> bytes:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _arrow_stream_bytes(table: "pyarrow.Table") -> bytes:
    import pyarrow as pa

    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _tmx_text(text: object) -> str:
    return _xml_escape(clean_cell(text), {'"': "&quot;"})


def _tmx_lines(records: Sequence[Record], signature: "Signature | None") -> Iterator[str]:
    from corpus import __version__

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<tmx version="1.4">\n'
    yield (f'  <header creationtool="corpus" creationtoolversion="{_tmx_text(__version__)}" '
           'datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" '
           'o-tmf="corpus">\n')
    if signature is not None:
        yield f'    <prop type="x-signature">{_tmx_text(signature.compact)}</prop>\n'
    yield '  </header>\n  <body>\n'
    for rec in records:
        yield '    <tu>\n'
        for name in MAIN_COLUMNS:
            if name in ("ar", "en"):
                continue
            value = _cell(rec[name])
            if value != "":
                prop = "x-" + name.replace("_", "-")
                yield f'      <prop type="{prop}">{_tmx_text(value)}</prop>\n'
        yield f'      <tuv xml:lang="ar"><seg>{_tmx_text(rec["ar"])}</seg></tuv>\n'
        yield f'      <tuv xml:lang="en"><seg>{_tmx_text(rec["en"])}</seg></tuv>\n'
        yield '    </tu>\n'
    yield '  </body>\n</tmx>\n'


# --------------------------------------------------------------------------------------------
# atomic writing


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _os_error(exc: OSError, path: Path) -> OutputError:
    where = exc.filename if isinstance(exc.filename, str) and exc.filename else str(path)
    return OutputError(f"cannot write: {exc.strerror or exc}", path=where)


class _AtomicWriter:
    """Temp files in the target directory, renamed into place together by ``commit``."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temp, final)

    def _temp(self, final: Path) -> tuple[int, Path]:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        self._pending.append((Path(tmp), final))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        return fd, Path(tmp)

    def write(self, final: Path, lines: Iterable[str]) -> None:
        try:
            fd, _ = self._temp(final)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                for line in lines:
                    f.write(line)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise _os_error(exc, final) from None

    def write_bytes(self, final: Path, data: bytes) -> None:
        try:
            fd, _ = self._temp(final)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise _os_error(exc, final) from None

    def write_dir(self, final: Path, files: Mapping[str, bytes]) -> None:
        """A folder of files (relative path -> bytes), renamed into place as a whole."""
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp",
                                        dir=final.parent))
            self._pending.append((tmp, final))
            os.chmod(tmp, 0o777 & ~_umask())
            for rel, data in sorted(files.items()):
                target = tmp / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
        except OSError as exc:
            raise _os_error(exc, final) from None

    def commit(self, last: Path | None = None) -> None:
        """Rename every temp file into place, ``last`` (the signature) after all the others."""
        try:
            if last is not None:
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                    last.unlink()
            ordered = sorted(self._pending, key=lambda tf: tf[1] == last)
            for tmp, final in ordered:
                if tmp.is_dir():
                    self._replace_dir(tmp, final)
                else:
                    os.replace(tmp, final)
        except OSError as exc:
            raise _os_error(exc, Path(exc.filename or ".")) from None
        self._pending.clear()

    @staticmethod
    def _replace_dir(tmp: Path, final: Path) -> None:
        old = None
        if final.is_dir() and not final.is_symlink():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        for tmp, _ in self._pending:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
        self._pending.clear()


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write one text file atomically (temp file + rename); OS errors become OutputError."""
    writer = _AtomicWriter()
    try:
        writer.write(Path(path), [text])
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return Path(path)


# --------------------------------------------------------------------------------------------
# write_corpus


@dataclass(frozen=True)
class _Tables:
    pairs: list[Record]
    untranslated: list[Record]
    rejects: list[Record]
    duplicates: list[Record]

    def named(self) -> dict[str, list[Record]]:
        return {"pairs": self.pairs, "untranslated": self.untranslated,
                "rejects": self.rejects, "duplicates": self.duplicates}


def _signature_meta(signature: "Signature") -> dict[str, str]:
    return {"corpus.signature": signature.compact, "corpus.signature_json": signature.to_json()}


def write_corpus(pairs: Iterable[Pair], out_path: str | os.PathLike[str], *,
                 format: str = "tsv",
                 untranslated: Iterable[Pair] = (),
                 rejects: Iterable["Reject"] = (),
                 signature: "Signature | None" = None) -> WrittenFiles:
    """Write the pairs (aligned and mt rows) in ``format`` plus the untranslated, rejects,
    duplicates and signature files next to ``out_path``; see the module docstring for names
    and guarantees.

    Rows are written in the order given. Without a ``signature`` the signature file holds
    only the tool version (the pipeline should pass one). OS errors raise OutputError.
    """
    files = output_paths(out_path, format)
    pair_list = list(pairs)
    for p in pair_list:
        if p.origin == "untranslated":
            raise InputError(f"untranslated row passed as a pair ({p.doc} {p.ar_ref})",
                             hint="pass untranslated rows as untranslated=")
    untranslated_list = list(untranslated)
    if signature is None:
        from corpus.signature import make_signature
        signature = make_signature({})
    tables = _Tables(pairs=[main_record(p) for p in pair_list],
                     untranslated=[untranslated_record(p) for p in untranslated_list],
                     rejects=[reject_record(r) for r in rejects],
                     duplicates=list(duplicate_records([*pair_list, *untranslated_list])))
    writer = _AtomicWriter()
    try:
        if format == "hf":
            writer.write_dir(files.main[0], _hf_files(tables, signature))
            writer.commit()
            return files
        main = files.main[0]
        if format == "tsv":
            writer.write(main, _tsv_lines(MAIN_COLUMNS, tables.pairs))
        elif format == "moses":
            human = [r for r in tables.pairs if r["origin"] != "mt"]
            machine = [r for r in tables.pairs if r["origin"] == "mt"]
            for path, rows, lang in ((files.main[0], human, "ar"), (files.main[1], human, "en"),
                                     (files.main[2], machine, "ar"),
                                     (files.main[3], machine, "en")):
                writer.write(path, (f"{r[lang]}\n" for r in rows))
            for path, rows in ((files.main[4], human), (files.main[5], machine)):
                writer.write(path, ("\t".join(_cell(r[k]) for k in MOSES_ID_COLUMNS) + "\n"
                                    for r in rows))
        elif format == "jsonl":
            writer.write(main, _json_lines(tables.pairs))
        elif format == "parquet":
            writer.write_bytes(main, _parquet_bytes(_arrow_table(
                MAIN_COLUMNS, tables.pairs, _signature_meta(signature))))
        else:
            writer.write(main, _tmx_lines(tables.pairs, signature))
        side_format = _SIDE_FORMAT[format]
        side_paths: list[tuple[str, Path | None]] = [
            ("untranslated", files.untranslated), ("rejects", files.rejects),
            ("duplicates", files.duplicates)]
        for name, side_path in side_paths:
            if side_path is None:  # pragma: no cover  (every format but hf names all three)
                continue
            columns, records = TABLE_COLUMNS[name], tables.named()[name]
            if side_format == "tsv":
                writer.write(side_path, _tsv_lines(columns, records))
            elif side_format == "jsonl":
                writer.write(side_path, _json_lines(records))
            else:
                writer.write_bytes(side_path, _parquet_bytes(_arrow_table(
                    columns, records, _signature_meta(signature))))
        writer.write(files.signature, [signature.to_json()])
        writer.commit(last=files.signature)
    except BaseException:
        writer.abort()
        raise
    return files


HF_SPLITS = {"pairs": "train", "untranslated": "untranslated", "rejects": "rejects",
             "duplicates": "duplicates"}
HF_DATA_FILE = "data-00000-of-00001.arrow"


def _hf_files(tables: _Tables, signature: "Signature") -> dict[str, bytes]:
    """The files of a ``datasets.save_to_disk`` folder (a DatasetDict with one split per
    table), written with pyarrow alone so the output is byte-stable and ``datasets`` is not
    needed to write it; plus ``signature.json`` and the dataset card."""
    out: dict[str, bytes] = {}

    def dump(obj: object) -> bytes:
        return (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()

    counts = {}
    for name, records in tables.named().items():
        split = HF_SPLITS[name]
        columns = TABLE_COLUMNS[name]
        data = _arrow_stream_bytes(_arrow_table(columns, records, _signature_meta(signature)))
        out[f"{split}/{HF_DATA_FILE}"] = data
        out[f"{split}/dataset_info.json"] = dump({
            "citation": "", "description": f"corpus: {name}", "features": hf_features(columns),
            "homepage": "", "license": ""})
        out[f"{split}/state.json"] = dump({
            "_data_files": [{"filename": HF_DATA_FILE}],
            # a content hash, so equal input gives an equal folder
            "_fingerprint": hashlib.sha256(data).hexdigest()[:16],
            "_format_columns": None, "_format_kwargs": {}, "_format_type": None,
            "_output_all_columns": False, "_split": None})
        counts[split] = len(records)
    out["dataset_dict.json"] = dump({"splits": list(HF_SPLITS.values())})
    out["signature.json"] = signature.to_json().encode()
    mt = sum(1 for r in tables.pairs if r["origin"] == "mt")
    out["README.md"] = dataset_card(counts, mt, signature).encode()
    return out


def _size_category(n: int) -> str:
    # the size_categories values of the Hugging Face dataset card
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "10M<n<100M"


def dataset_card(counts: Mapping[str, int], mt_rows: int, signature: "Signature") -> str:
    """The README.md of an hf folder: a YAML header ``datasets`` and the Hub read (languages,
    size, configs naming each split's file), then what the data is and how it was made.
    The licence is left to the user: it depends on the pages the corpus came from."""
    pairs = counts.get("train", 0)
    share = mt_rows / pairs if pairs else 0.0
    configs = []
    for split in HF_SPLITS.values():
        if counts.get(split, 0) == 0:
            continue  # datasets cannot build an empty split from a file (see the card text)
        name = "default" if split == "train" else split
        configs.append(f"- config_name: {name}\n  data_files:\n  - split: train\n"
                       f"    path: {split}/{HF_DATA_FILE}")
    yaml = "\n".join([
        "---",
        "language:", "- ar", "- en",
        "multilinguality: translation",
        "task_categories:", "- translation",
        "size_categories:", f"- {_size_category(pairs)}",
        "license: unknown  # set the licence your source pages allow",
        "pretty_name: Arabic-English parallel corpus (corpus align)",
        "tags:", "- parallel-corpus", "- bitext",
        *(["configs:", *configs] if configs else []),
        "---",
    ])
    sig = signature.compact.replace("`", "'")
    rows = "\n".join(f"| `{split}` | {counts.get(split, 0)} |" for split in HF_SPLITS.values())
    return f"""{yaml}

# Arabic-English parallel corpus

Sentence-aligned Arabic-English pairs made by `corpus align` from scraped web pages.

| split | rows |
|---|---|
{rows}

- **Pairs:** {pairs}, of which {mt_rows} ({share:.1%}) are machine translations
  (`origin` = `mt`): synthetic data, keep them apart from the human translations
  (`origin` = `aligned`) in research.
- **Columns of `train`:** {", ".join(MAIN_COLUMNS)}. `score` is the cosine similarity of the
  two sides (null for `mt` rows); `ar_ref`/`en_ref` are `line:char-line:char` spans into the
  source document `doc` (`en_doc` when the English came from another page); `found_by` says
  how the English page was found; `duplicates` counts the occurrences folded into a row and
  the `duplicates` split lists them all.
- **Other splits:** `untranslated` (Arabic with no English, with the reason), `rejects`
  (pairs a cleaning rule refused, with the rule).
- **How it was made** (the signature: tool version, normalisation, language ID, embedder,
  pairing and alignment, MT model, cleaning rules):

      {sig}

  The full recipe is in `signature.json`.
- **Licence:** not set. The rights in the text belong to the source pages; set `license`
  above to what they allow before you share the data.

## Loading

```python
import datasets
dd = datasets.load_from_disk("path/to/this/folder")   # DatasetDict: {", ".join(HF_SPLITS.values())}
pairs = datasets.load_dataset("path/to/this/folder", split="train")  # the default config
```

`load_dataset` cannot build a split with no rows, so empty splits have no config above;
`load_from_disk` opens them all.
"""


# --------------------------------------------------------------------------------------------
# reading back (what `corpus stats` and `corpus review` use)


def _typed(column: str, cell: str) -> Value:
    if column in FLOAT_COLUMNS:
        if cell == "":
            return None
        try:
            return float(cell)
        except ValueError:
            return None
    if column in INT_COLUMNS:
        try:
            return int(cell or 0)
        except ValueError:
            return 0
    return cell


def _read_text(path: Path) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=str(path),
                         hint="pass the corpus file written by `corpus align`") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path),
                         hint="pass a file written by `corpus align`") from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from None


def read_tsv(path: str | os.PathLike[str], required: Sequence[str] = ("ar",)
             ) -> list[dict[str, str]]:
    """Rows of a TSV written by this module (header row, tab-split cells, no quoting), every
    cell a string as in the file."""
    path = Path(path)
    lines = _read_text(path).split("\n")
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


def _records_tsv(path: Path, required: Sequence[str]) -> list[Record]:
    return [{k: _typed(k, v) for k, v in row.items()} for row in read_tsv(path, required)]


def _records_jsonl(path: Path, required: Sequence[str]) -> list[Record]:
    out: list[Record] = []
    for number, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a JSON line ({exc.msg})", path=str(path),
                             line=number) from None
        if not isinstance(rec, dict):
            raise InputError("not a JSON object", path=str(path), line=number)
        missing = [c for c in required if c not in rec]
        if missing:
            raise InputError(f"record lacks field(s) {', '.join(missing)}", path=str(path),
                             line=number, hint="pass a file written by `corpus align`")
        out.append(rec)
    return out


def _records_arrow(table: "pyarrow.Table", path: Path, required: Sequence[str]
                   ) -> list[Record]:
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise InputError(f"table lacks column(s) {', '.join(missing)}", path=str(path),
                         hint="pass a file written by `corpus align`")
    return list(table.to_pylist())


def _records_parquet(path: Path, required: Sequence[str]) -> list[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not a Parquet file ({exc})", path=str(path)) from None
    return _records_arrow(table, path, required)


def _records_hf_split(folder: Path, required: Sequence[str]) -> list[Record]:
    import pyarrow as pa

    data = folder / HF_DATA_FILE
    try:
        with pa.memory_map(str(data)) as source:
            table = pa.ipc.open_stream(source).read_all()
    except FileNotFoundError:
        raise InputError("split file not found", path=str(data)) from None
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not an Arrow stream ({exc})", path=str(data)) from None
    return _records_arrow(table, data, required)


def _records_tmx(path: Path) -> list[Record]:
    from lxml import etree  # type: ignore[import-untyped]

    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True,
                                                      huge_tree=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"not a TMX file ({exc})", path=str(path)) from None
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    props_to_column = {"x-" + c.replace("_", "-"): c for c in MAIN_COLUMNS}
    out: list[Record] = []
    for tu in tree.iterfind("body/tu"):
        rec: Record = {c: _typed(c, "") for c in MAIN_COLUMNS}
        for prop in tu.iterfind("prop"):
            column = props_to_column.get(prop.get("type", ""))
            if column is not None:
                rec[column] = _typed(column, prop.text or "")
        for tuv in tu.iterfind("tuv"):
            lang = (tuv.get(lang_attr) or "").lower()
            seg = tuv.find("seg")
            if lang in ("ar", "en") and seg is not None:
                rec[lang] = "".join(seg.itertext())
        out.append(rec)
    return out


def _records_moses(files: WrittenFiles) -> list[Record]:
    out: list[Record] = []
    for ar_path, en_path, origin in ((files.main[0], files.main[1], "aligned"),
                                     (files.main[2], files.main[3], "mt")):
        if not ar_path.exists() and origin == "mt":
            continue
        ar = _read_text(ar_path).split("\n")
        en = _read_text(en_path).split("\n")
        if ar and ar[-1] == "":
            ar.pop()
        if en and en[-1] == "":
            en.pop()
        if len(ar) != len(en):
            raise InputError(f"{len(ar)} Arabic lines but {len(en)} English lines in "
                             f"{en_path.name}", path=str(ar_path))
        ids_path = files.main[4] if origin == "aligned" else files.main[5]
        ids: list[str] = []
        if ids_path.is_file():
            ids = _read_text(ids_path).split("\n")
            if ids and ids[-1] == "":
                ids.pop()
            if len(ids) != len(ar):
                raise InputError(f"{len(ids)} lines but {ar_path.name} has {len(ar)}",
                                 path=str(ids_path))
        for k, (a, e) in enumerate(zip(ar, en)):
            rec: Record = {c: _typed(c, "") for c in MAIN_COLUMNS}
            rec.update(origin=origin)
            if ids:
                cells = ids[k].split("\t")
                rec.update({c: _typed(c, v) for c, v in zip(MOSES_ID_COLUMNS, cells)})
            rec.update(ar=a, en=e)
            out.append(rec)
    return out


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format of a written corpus, from its name: ``.tsv``, ``.jsonl``, ``.parquet``,
    ``.tmx``, a folder holding ``dataset_dict.json`` (hf), or ``OUT.ar``/``OUT.en``/``OUT.ids``
    (moses)."""
    p = Path(path)
    if p.is_dir():
        if (p / "dataset_dict.json").exists():
            return "hf"
        raise InputError("is a directory but not an hf corpus folder (no dataset_dict.json)",
                         path=str(p))
    suffix = p.suffix.lower()
    for fmt, ext in _EXTENSIONS.items():
        if suffix == ext and fmt != "hf":
            return fmt
    if suffix in (".ar", ".en", ".ids"):
        return "moses"
    raise InputError("cannot tell the corpus format from the name", path=str(p),
                     hint="pass OUT.tsv, OUT.jsonl, OUT.parquet, OUT.tmx, OUT.hf or OUT.ar")


def _moses_base(path: Path) -> Path:
    # OUT.ar / OUT.en / OUT.mt.ar / OUT.mt.en -> OUT
    base = path.with_suffix("")
    return base.with_suffix("") if base.suffix == ".mt" else base


@dataclass(frozen=True)
class CorpusFiles:
    """A written corpus read back with its side files (None where a file is absent). Rows are
    records of the one schema: ``score`` float or None, ``duplicates`` int, the rest text."""

    main: list[Record]
    untranslated: list[Record] | None
    rejects: list[Record] | None
    signature: str | None  # the compact one-line signature
    format: str = "tsv"
    duplicates: list[Record] | None = None


def read_corpus(path: str | os.PathLike[str]) -> CorpusFiles:
    """A corpus written by ``write_corpus`` in any format, with whichever of its side files
    (untranslated, rejects, duplicates, signature) are present: what `corpus stats` and
    `corpus review` read."""
    p = Path(path)
    if not p.exists() and not p.is_dir():
        raise InputError("file not found", path=str(p))
    fmt = detect_format(p)
    files = output_paths(_moses_base(p) if fmt == "moses" else output_base(p), fmt)
    side: dict[str, list[Record] | None] = {}
    if fmt == "hf":
        main = _records_hf_split(p / HF_SPLITS["pairs"], ("ar", "en", "origin"))
        for name in ("untranslated", "rejects", "duplicates"):
            folder = p / HF_SPLITS[name]
            side[name] = _records_hf_split(folder, ()) if folder.is_dir() else None
    else:
        if fmt == "tsv":
            main = _records_tsv(p, ("ar", "en", "origin"))
        elif fmt == "jsonl":
            main = _records_jsonl(p, ("ar", "en", "origin"))
        elif fmt == "parquet":
            main = _records_parquet(p, ("ar", "en", "origin"))
        elif fmt == "tmx":
            main = _records_tmx(p)
        else:
            main = _records_moses(files)
        side_format = _SIDE_FORMAT[fmt]
        reader = {"tsv": _records_tsv, "jsonl": _records_jsonl,
                  "parquet": _records_parquet}[side_format]
        for name, spath in (("untranslated", files.untranslated), ("rejects", files.rejects),
                            ("duplicates", files.duplicates)):
            side[name] = reader(spath, ()) if spath is not None and spath.is_file() else None
    signature = None
    if files.signature.is_file():
        try:
            with open(files.signature, encoding="utf-8") as f:
                signature = json.load(f).get("signature")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            signature = None  # a damaged signature file does not stop stats or review
    return CorpusFiles(main=main, untranslated=side["untranslated"], rejects=side["rejects"],
                       signature=signature, format=fmt, duplicates=side["duplicates"])
