"""The whole job: read → detect → segment → embed → pair → align → translate → clean → write.

Two entry points:

- :func:`align` yields one :class:`~corpus.types.Pair` per bead, in input order: ``aligned``
  rows (a human translation found in the input), ``mt`` rows (when a translator is given) and
  ``untranslated`` rows (Arabic with no English, each with its reason). Nothing is dropped:
  every Arabic sentence of every Arabic body section, and the Arabic half of every mixed
  line, comes out in exactly one row.
- :func:`build_corpus` runs :func:`align`, cleans and deduplicates the rows, and writes the
  corpus files with their signature; it is what ``corpus align`` calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corpus import __version__
from corpus.types import Bead, Document, Pair, Piece, Sentence

if TYPE_CHECKING:  # pragma: no cover  (the types of CorpusResult, for type checkers)
    from corpus.clean import Cleaned
    from corpus.signature import Signature
    from corpus.write import WrittenFiles

log = logging.getLogger(__name__)

# progress(stage, done, total): one bar per stage ("read", "embed", "align", "translate")
StageProgress = Callable[[str, int, int], None]

# The Arabic and English halves of a mixed headline line are taken as a pair when their
# embeddings are at least this similar (e5: translations score ~0.85+, unrelated ~0.75).
MIXED_LINE_MIN_COSINE = 0.82
EMBED_CHUNK = 128  # texts per embedder call, so the progress bar moves on long runs


@dataclass
class AlignStats:
    """Counts for the end-of-run summary; filled in while :func:`align` runs."""

    documents: int = 0
    skipped_files: int = 0
    skipped: list = field(default_factory=list)  # (path, reason)
    arabic_sentences: int = 0
    aligned_rows: int = 0
    aligned_arabic_sentences: int = 0
    mt_rows: int = 0
    untranslated_rows: int = 0
    strings_embedded: int = 0
    embedding_cache_hits: int = 0
    seconds: float = 0.0


class _ChunkedEmbedder:
    """Feeds the inner embedder in chunks so long runs can report progress."""

    def __init__(self, inner, progress: StageProgress | None):
        self.inner = inner
        self.progress = progress
        self.embedded = 0  # texts passed through, over all calls (the bar counts these)

    def signature(self) -> str:
        return self.inner.signature()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        total = self.embedded + len(texts)
        if self.progress is not None:
            self.progress("embed", self.embedded, total)  # start the clock before the model
        parts = []
        for start in range(0, len(texts), EMBED_CHUNK):
            parts.append(self.inner.embed(texts[start:start + EMBED_CHUNK]))
            if self.progress is not None:
                self.progress("embed", self.embedded + min(start + EMBED_CHUNK, len(texts)),
                              total)
        self.embedded = total
        if not parts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate(parts)


def _text(sentences: Sequence[Sentence], scheme: str) -> str:
    from corpus.normalize import normalize

    return normalize(" ".join(s.text for s in sentences), scheme=scheme)


def _ref(doc: Document, sentences: Sequence[Sentence]) -> str:
    return doc.ref(min(s.start for s in sentences), max(s.end for s in sentences))


def _bead_rows(pair, docs: dict[str, Document], scheme: str) -> Iterator[tuple[int, Pair]]:
    """Rows of one SectionPair, keyed by the start offset of their Arabic (for ordering)."""
    doc = docs[pair.ar_doc]
    en_doc = docs.get(pair.en_doc) if pair.en_doc else None
    repeats = pair.repeats or {}
    adjust = pair.score_adjust
    for k, bead in enumerate(pair.beads):
        if not bead.ar:
            continue  # English with no Arabic: not part of an Arabic-English corpus
        ar = [pair.ar_sentences[i] for i in bead.ar]
        start = ar[0].start
        if bead.en and en_doc is not None:
            en = [pair.en_sentences[j] for j in bead.en]
            yield start, Pair(ar=_text(ar, scheme), en=_text(en, scheme),
                              origin="aligned", doc=doc.path, ar_ref=_ref(doc, ar),
                              en_ref=_ref(en_doc, en),
                              # a probability: the site's evidence moves it, within [0, 1]
                              score=round(min(1.0, max(0.0, float(bead.score)
                                                       + (adjust[k] if k < len(adjust)
                                                          else 0.0))), 4),
                              en_doc="" if en_doc.path == doc.path else en_doc.path,
                              found_by=pair.found_by or ("same-page" if en_doc.path == doc.path
                                                         else "content"))
            continue
        for i in bead.ar:
            s = pair.ar_sentences[i]
            if i in repeats:
                first = pair.ar_sentences[repeats[i]]
                reason = f"repeats the Arabic at {doc.ref(first.start, first.end)}"
            elif not pair.translated:
                reason = f"no English translation found in the input ({pair.reason})" \
                    if pair.reason else "no English translation found in the input"
            else:
                reason = (f"the English translation found ({pair.en_doc}) has no sentence "
                          f"for this one")
            yield s.start, Pair(ar=_text([s], scheme), en="", origin="untranslated",
                                doc=doc.path, ar_ref=_ref(doc, [s]), reason=reason)


def _mixed_line_rows(layout, embedder, scheme: str) -> Iterator[tuple[int, Pair]]:
    """The Arabic half of each mixed line: paired with the English half of the same line when
    they translate each other (a bilingual headline), otherwise sent on as untranslated."""
    from corpus.segment import split_sentences

    doc = layout.document
    by_line: dict[int, list[Piece]] = {}
    for piece in layout.mixed_parts:
        by_line.setdefault(piece.line, []).append(piece)
    jobs = []
    used: set[int] = set()
    for line, parts in sorted(by_line.items()):
        # a line of several texts in turn: each Arabic part goes with the English part next
        # to it (after it, else before it); one pass, so a long line costs linear time
        for k, ar in enumerate(parts):
            if ar.lang == "ar":
                near = [p for p in parts[k + 1:k + 2] + parts[max(k - 1, 0):k]
                        if p.lang == "en" and p.kind in ("title", "body")
                        and p.start not in used]
                jobs.append((ar, near[0] if near else None))
                if near:
                    used.add(near[0].start)  # an English part translates one Arabic part
    if not jobs:
        return
    texts = []
    for ar, en in jobs:
        texts.append(doc.text[ar.start:ar.end])
        if en is not None:
            texts.append(doc.text[en.start:en.end])
    vectors = embedder.embed(texts)
    k = 0
    for ar, en in jobs:
        a = vectors[k]
        k += 1
        ar_sents = split_sentences(doc.text[ar.start:ar.end], "ar", offset=ar.start) or \
            [Sentence(doc.text[ar.start:ar.end], ar.start, ar.end, "ar")]
        if en is not None:
            cos = float(vectors[k] @ a)
            k += 1
            if cos >= MIXED_LINE_MIN_COSINE:
                en_sents = split_sentences(doc.text[en.start:en.end], "en", offset=en.start) \
                    or [Sentence(doc.text[en.start:en.end], en.start, en.end, "en")]
                yield ar.start, Pair(ar=_text(ar_sents, scheme),
                                     en=_text(en_sents, scheme), origin="aligned",
                                     doc=doc.path, ar_ref=_ref(doc, ar_sents),
                                     en_ref=_ref(doc, en_sents), score=round(cos, 4),
                                     found_by="mixed-line")
                continue
            reason = (f"Arabic half of a mixed line whose English half does not translate it "
                      f"(cosine {cos:.2f})")
        else:
            reason = "Arabic half of a mixed line with no English text on that line"
        yield ar.start, Pair(ar=_text(ar_sents, scheme), en="", origin="untranslated",
                             doc=doc.path, ar_ref=_ref(doc, ar_sents), reason=reason)


def align(paths: str | Path | Iterable[str | Path], *, embedder=None, translator=None,
          scheme: str = "light", pair_config=None, align_config=None,
          progress: StageProgress | None = None, stats: AlignStats | None = None
          ) -> Iterator[Pair]:
    """Run the pipeline over files, directories and globs; yield rows in input order.

    ``embedder``: an :class:`corpus.embed.Embedder` (default: multilingual-e5-small with an
    in-memory cache). ``translator``: a :class:`corpus.translate.Translator` for the Arabic
    with no human translation (``None``: it comes out as ``untranslated`` rows). ``scheme``:
    the normalisation applied to the text written out (spans always point at the raw text).
    """
    from corpus.detect import detect
    from corpus.pair import pair_sections
    from corpus.read import ReadReport, expand_paths, read_documents
    from corpus.segment import segment_section

    stats = stats if stats is not None else AlignStats()
    started = time.perf_counter()
    if embedder is None:
        from corpus.embed import shared_embedder
        embedder = shared_embedder()
    counting = _ChunkedEmbedder(embedder, progress)

    report = ReadReport()
    docs: dict[str, Document] = {}
    order: dict[str, int] = {}
    layouts = []
    ar_inputs, en_inputs = [], []
    files = expand_paths(paths)
    for doc in read_documents(files, report=report):
        docs[doc.path] = doc
        order[doc.path] = len(order)
        layout = detect(doc)
        layouts.append(layout)
        for section in layout.sections:
            if section.lang not in ("ar", "en"):
                continue
            sentences = segment_section(doc, section)
            if sentences:
                (ar_inputs if section.lang == "ar" else en_inputs).append((section, sentences))
        if progress is not None:
            progress("read", len(docs) + report.skipped_count, len(files))
    stats.documents = len(docs)
    stats.skipped_files = report.skipped_count
    stats.skipped = [(s.path, s.reason) for s in report.skipped]

    pairs = pair_sections(ar_inputs, en_inputs, embedder=counting, config=pair_config,
                          align_config=align_config, documents=docs.values(),
                          progress=(lambda d, t: progress("align", d, t)) if progress else None)
    keyed: list[tuple[int, int, Pair]] = []
    for pair in pairs:
        for start, row in _bead_rows(pair, docs, scheme):
            keyed.append((order[pair.ar_doc], start, row))
    for layout in layouts:
        for start, row in _mixed_line_rows(layout, counting, scheme):
            keyed.append((order[layout.document.path], start, row))
    keyed.sort(key=lambda k: (k[0], k[1]))
    rows = [row for _, _, row in keyed]

    if translator is not None:
        rows = _translate_untranslated(rows, translator, progress)

    for row in rows:
        if row.origin == "aligned":
            stats.aligned_rows += 1
        elif row.origin == "mt":
            stats.mt_rows += 1
        else:
            stats.untranslated_rows += 1
    stats.arabic_sentences = (sum(len(p.ar_sentences) for p in pairs)
                              + sum(1 for layout in layouts for p in layout.mixed_parts
                                    if p.lang == "ar"))
    stats.aligned_arabic_sentences = (sum(len(b.ar) for p in pairs for b in p.beads
                                          if b.ar and b.en)
                                      # the Arabic part of a bilingual headline line
                                      + sum(1 for r in rows if r.found_by == "mixed-line"))
    stats.strings_embedded = counting.embedded
    inner_stats = getattr(embedder, "stats", None)
    if callable(inner_stats):
        s = inner_stats()
        stats.strings_embedded = s.get("strings_embedded", stats.strings_embedded)
        stats.embedding_cache_hits = s.get("hits", 0)
    stats.seconds = time.perf_counter() - started
    yield from rows


def _translate_untranslated(rows: list[Pair], translator, progress: StageProgress | None
                            ) -> list[Pair]:
    """Machine-translate the untranslated rows (never a row with a human translation)."""
    from dataclasses import replace

    from corpus.translate import translate_sentences

    todo = [k for k, r in enumerate(rows) if r.origin == "untranslated"]
    if not todo:
        return rows
    english = translate_sentences([rows[k].ar for k in todo], translator,
                                  progress=(lambda d, t: progress("translate", d, t))
                                  if progress else None)
    out = list(rows)
    for k, en in zip(todo, english):
        out[k] = replace(rows[k], en=en, origin="mt", reason="")
    return out


@dataclass
class CorpusResult:
    files: WrittenFiles
    signature: Signature
    stats: AlignStats
    cleaned: Cleaned


def build_corpus(paths: str | Path | Iterable[str | Path], out: str | Path, *,
                 format: str = "tsv", mt: str = "auto", models_dir: str | Path | None = None,
                 mt_cache: bool = True, cache_dir: str | Path | None = None,
                 clean: bool = True, dedup: bool = True, scheme: str = "light",
                 translator=None, embedder=None, cross_document: bool = True,
                 progress: StageProgress | None = None) -> CorpusResult:
    """Align, translate, clean, deduplicate and write: the library form of ``corpus align``.

    ``mt``: ``auto`` (translate when an ar→en model is installed, otherwise write the Arabic
    untranslated after one warning), ``required`` (fail before any work when no model is
    installed) or ``off``. ``cache_dir``: where embeddings are cached on disk (default
    ``$CORPUS_CACHE_DIR`` or ``./.cache/corpus``). ``cross_document=False``: look for
    translations on the Arabic's own page only (English of pages without Arabic is never
    embedded; the signature says ``pair:...-samedoc``).
    """
    from corpus.clean import CLEAN_RULES, CleanConfig, filter_pairs
    from corpus.dedup import signature as dedup_signature
    from corpus.embed import default_cache_dir, get_embedder
    from corpus.errors import InputError
    from corpus.normalize import normalizer_signature
    from corpus.read import expand_paths
    from corpus.segment import signature as segment_signature
    from corpus.signature import make_signature
    from corpus.write import FORMATS, check_output, write_corpus

    if format not in FORMATS:
        raise InputError(f"unknown output format {format!r}",
                         hint=f"use one of {', '.join(FORMATS)}")
    files = expand_paths(paths)  # fail on a missing input before loading any model
    check_output(out, format)  # can every output be written? (before any model loads)
    if translator is None:
        from corpus.translate import resolve_translator
        translator = resolve_translator(mt, models_dir, cache=mt_cache)
    if embedder is None:
        embedder = get_embedder("e5-small", cache_dir=cache_dir or default_cache_dir())

    from corpus.sentence_align import AlignConfig
    from corpus.pair import PairConfig

    pair_config, align_config = PairConfig(cross_document=cross_document), AlignConfig()
    stats = AlignStats()
    rows = list(align(files, embedder=embedder, translator=translator, scheme=scheme,
                      pair_config=pair_config, align_config=align_config, progress=progress,
                      stats=stats))
    config = CleanConfig() if clean else CleanConfig.without(*CLEAN_RULES)
    cleaned = filter_pairs(rows, config, dedup=dedup, scheme="match")
    from corpus.langid import get_lid

    components = [f"corpus:{__version__}", normalizer_signature(scheme), get_lid(),
                  segment_signature(), embedder, pair_config, align_config]
    if translator is not None:
        components.append(translator)
    else:
        components.append("mt:none")
    components.append(config)
    if dedup:
        components.append(dedup_signature("match"))
    signature = make_signature(components, options={"format": format, "mt": mt,
                                                    "clean": clean, "dedup": dedup})
    files = write_corpus(cleaned.pairs, out, format=format, untranslated=cleaned.untranslated,
                         rejects=cleaned.rejects, signature=signature)
    return CorpusResult(files=files, signature=signature, stats=stats, cleaned=cleaned)
