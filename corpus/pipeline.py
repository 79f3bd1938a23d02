"""The whole job: read → detect → segment → embed → pair → align → translate → clean → write.

Two entry points:

- :func:`align` yields one :class:`~corpus.types.Pair` per bead, in input order: ``aligned``
  rows (a human translation found in the input), ``mt`` rows (when a translator is given) and
  ``untranslated`` rows (Arabic with no English, each with its reason). Nothing is dropped:
  every Arabic sentence of every Arabic body section, and the Arabic half of every mixed
  line, comes out in exactly one row.
- :func:`build_corpus` runs :func:`align`, cleans and deduplicates the rows, and writes the
  corpus files with their signature; it is what ``corpus align`` calls.

Stages, in the order data flows (each a function below, in this order):

1. read, as a stream (:mod:`corpus.read`, :mod:`corpus.sources` for WARC/JSONL/.gz);
2. :func:`prepare_shard`: detect + segment + cheap evidence, over shards of documents, on
   the executor;
3. the run store (:mod:`corpus.store`): every prepared document on disk, not in memory;
4. pair on the page, a batch of pages at a time; rows of a page stored once final;
5. :func:`_candidates`: English pages linked by cheap evidence (:mod:`corpus.candidates`)
   to the pages whose Arabic is still untranslated, and pairing with them;
6. translate, then (in :func:`build_corpus`) clean, deduplicate, write.

Where work runs is decided in one place, :mod:`corpus.executor`: :func:`align` takes an
executor, maps :func:`prepare_shard` over shards and sends the embedder's work through it;
no stage knows where it runs, and the output is the same wherever it does.
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
from corpus.types import Bead, Document, Lang, Pair, Piece, Sentence

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
    partial_files: int = 0  # read, but with bytes replaced or text it could not extract
    read_warnings: int = 0  # the warnings about them (each printed with file and line)
    arabic_sentences: int = 0
    aligned_rows: int = 0
    aligned_arabic_sentences: int = 0
    mt_rows: int = 0
    untranslated_rows: int = 0
    # English sentences of translated pages that no Arabic sentence pairs with (0-1 beads: a
    # line the translator added, a repeated headline, a sentence the refinement let go):
    # written nowhere, as they are no part of an Arabic-English corpus, but counted so the
    # summary shows how much English went unused
    english_left_out: int = 0
    strings_embedded: int = 0
    chars_embedded: int = 0
    embedding_cache_hits: int = 0
    english_pages: int = 0  # pages without Arabic sections, searched for translations
    english_candidates: int = 0  # of them, linked to some Arabic by cheap evidence
    seconds: float = 0.0


class _ChunkedEmbedder:
    """Feeds the inner embedder in chunks so long runs can report progress."""

    def __init__(self, inner, progress: StageProgress | None, chunk: int = EMBED_CHUNK):
        self.inner = inner
        self.progress = progress
        self.chunk = chunk
        self.embedded = 0  # texts passed through, over all calls (the bar counts these)

    def signature(self) -> str:
        return self.inner.signature()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        total = self.embedded + len(texts)
        if self.progress is not None:
            self.progress("embed", self.embedded, total)  # start the clock before the model
        parts = []
        for start in range(0, len(texts), self.chunk):
            parts.append(self.inner.embed(texts[start:start + self.chunk]))
            if self.progress is not None:
                self.progress("embed", self.embedded + min(start + self.chunk, len(texts)),
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
            # English with no Arabic: not part of an Arabic-English corpus (counted in
            # AlignStats.english_left_out, written nowhere)
            continue
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


def _mixed_jobs(mixed_parts) -> list[tuple[Piece, Piece | None]]:
    """(Arabic half, the English half it may translate or None) of each mixed line."""
    by_line: dict[int, list[Piece]] = {}
    for piece in mixed_parts:
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
    return jobs


def _mixed_texts(doc: Document, jobs: list[tuple[Piece, Piece | None]]) -> list[str]:
    """What :func:`_mixed_line_rows` embeds for these jobs (of :func:`_mixed_jobs`)."""
    return [doc.text[p.start:p.end] for job in jobs for p in job if p is not None]


def _mixed_line_rows(doc: Document, mixed_parts, embedder, scheme: str, pairs=(),
                     align_config=None) -> Iterator[tuple[int, Pair]]:
    """The Arabic half of each mixed line: paired with the English half of the same line when
    they translate each other (a bilingual headline), otherwise sent on as untranslated.

    The score of a pair is the probability of :func:`corpus.refine.bead_confidence`, as for
    a 1-1 bead of the aligner: the pair's quality under ``align_config`` (margin-normalised
    cosine plus length prior, :func:`corpus.sentence_align.span_quality`), with the margin's
    neighbours among the halves themselves and the sentences of the page's translated
    ``pairs`` (its body and the body's translation: what the aligner had embedded already)."""
    from corpus.refine import bead_confidence
    from corpus.segment import split_sentences
    from corpus.sentence_align import AlignConfig, span_quality

    jobs = _mixed_jobs(mixed_parts)
    if not jobs:
        return
    # A line of many texts in turn often says the same things again and again (100,000 parts
    # of one 10 MB line, a few of them distinct): each distinct text is embedded, split and
    # normalised once. A part's sentences depend only on its text, so they are split at
    # offset 0 and moved to the part's place.
    distinct = {t: k for k, t in enumerate(dict.fromkeys(_mixed_texts(doc, jobs)))}
    vectors = embedder.embed(list(distinct))
    done: dict[tuple[str, str], tuple[str, int, int]] = {}

    def vector(piece: Piece) -> np.ndarray:
        return vectors[distinct[doc.text[piece.start:piece.end]]]

    def part(piece: Piece, lang: Lang) -> tuple[str, str]:
        """The part's sentences as one normalised text, and their span's ref."""
        raw = doc.text[piece.start:piece.end]
        got = done.get((raw, lang))
        if got is None:
            sents = split_sentences(raw, lang) or [Sentence(raw, 0, len(raw), lang)]
            got = done[(raw, lang)] = (_text(sents, scheme), min(s.start for s in sents),
                                       max(s.end for s in sents))
        text, lo, hi = got
        return text, doc.ref(piece.start + lo, piece.start + hi)

    pools: list[np.ndarray | None] = []  # the page's (Arabic, English) sentence vectors
    scores: dict[tuple[str, str], float] = {}

    def confidence(ar: Piece, en: Piece) -> float:
        """bead_confidence of the pair, as the aligner would score it in the page's body."""
        a_raw, e_raw = doc.text[ar.start:ar.end], doc.text[en.start:en.end]
        got = scores.get((a_raw, e_raw))
        if got is None:
            if not pools:  # once per page, and only for a page with a pair: cache hits
                done_pairs = [x for x in pairs if x.translated]
                for side in ("ar_sentences", "en_sentences"):
                    texts = [s.text for x in done_pairs for s in getattr(x, side)]
                    pools.append(np.asarray(embedder.embed(texts), dtype=np.float32)
                                 .reshape(len(texts), -1) if texts else None)
            a, e = vector(ar), vector(en)
            # the partner is one of each half's neighbours, as in the aligner's margin
            ar_pool = a[None, :] if pools[0] is None else np.vstack([a[None, :], pools[0]])
            en_pool = e[None, :] if pools[1] is None else np.vstack([e[None, :], pools[1]])
            quality, cos = span_quality(a, e, len(a_raw), len(e_raw), ar_pool, en_pool,
                                        align_config or AlignConfig())
            got = scores[(a_raw, e_raw)] = round(bead_confidence(quality, cos, 1, 1), 4)
        return got

    for ar, en in jobs:
        ar_text, ar_ref = part(ar, "ar")
        if en is not None:
            cos = float(vector(en) @ vector(ar))
            if cos >= MIXED_LINE_MIN_COSINE:
                en_text, en_ref = part(en, "en")
                yield ar.start, Pair(ar=ar_text, en=en_text, origin="aligned", doc=doc.path,
                                     ar_ref=ar_ref, en_ref=en_ref, score=confidence(ar, en),
                                     found_by="mixed-line")
                continue
            reason = (f"Arabic half of a mixed line whose English half does not translate it "
                      f"(cosine {cos:.2f})")
        else:
            reason = "Arabic half of a mixed line with no English text on that line"
        yield ar.start, Pair(ar=ar_text, en="", origin="untranslated", doc=doc.path,
                             ar_ref=ar_ref, reason=reason)


# --------------------------------------------------------------------------------------------
# stage 2 (runs wherever the executor puts it): detect and segment a shard of documents

SHARD_DOCS = 16  # documents per shard: enough to keep a worker busy, small enough to stream


@dataclass(frozen=True)
class Prepared:
    """One document after detection and segmentation: what the later stages need of it."""

    doc: Document
    ar: tuple  # (Section, sentences) of its Arabic sections
    en: tuple  # (Section, sentences) of its English sections
    mixed: tuple[Piece, ...]  # parts of its mixed lines
    tokens: frozenset  # cheap evidence (see corpus.candidates)
    probe: tuple[str, ...]  # its probe sentences (none for a page with Arabic sections)
    warnings: tuple[str, ...] = ()  # what extracting its HTML lost, said where it ran

    @property
    def role(self) -> str:
        if self.ar:
            return "arabic"
        if any(p.lang == "ar" for p in self.mixed):
            return "rows"
        return "english" if self.en else "none"


def prepare_shard(items: list) -> list[Prepared]:
    """Stage: extract the text of HTML pages read from containers
    (:class:`corpus.sources.HtmlPage`), detect and segment each document of a shard, and
    note its cheap evidence."""
    from corpus.candidates import arabic_tokens, english_tokens, probe_sentences
    from corpus.detect import detect
    from corpus.segment import segment_section
    from corpus.sources import HtmlPage

    from corpus.read import collected_html_warnings

    out = []
    for item in items:
        lost: list[str] = []
        if isinstance(item, HtmlPage):
            with collected_html_warnings() as lost:
                doc = item.document()
        else:
            doc = item
        layout = detect(doc)
        ar: list = []
        en: list = []
        for section in layout.sections:
            if section.lang not in ("ar", "en"):
                continue
            sentences = segment_section(doc, section)
            if sentences:
                (ar if section.lang == "ar" else en).append((section, tuple(sentences)))
        if ar:
            tokens = arabic_tokens(s.text for _, sents in ar for s in sents)
            probe: tuple[str, ...] = ()
        else:
            tokens = english_tokens(doc.text) if en else set()
            probe = probe_sentences(en)
        out.append(Prepared(doc, tuple(ar), tuple(en), tuple(layout.mixed_parts),
                            frozenset(tokens), probe, tuple(lost)))
    return out


def _shards(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    shard: list[Document] = []
    for doc in documents:
        shard.append(doc)
        if len(shard) >= size:
            yield shard
            shard = []
    if shard:
        yield shard


def _fingerprint(files: Sequence[Path], settings: Sequence[object]) -> str:
    import hashlib

    h = hashlib.sha256()
    for f in files:
        try:
            st = f.stat()
            h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogatepass"))
        except OSError:
            h.update(f"{f}\0?\n".encode("utf-8", "surrogatepass"))
    for item in settings:
        h.update(repr(item).encode("utf-8"))
    return h.hexdigest()


def align(paths: str | Path | Iterable[str | Path], *, embedder=None, translator=None,
          scheme: str = "light", pair_config=None, align_config=None,
          progress: StageProgress | None = None, stats: AlignStats | None = None,
          executor=None, store_path: str | Path | None = None, resume: bool = False
          ) -> Iterator[Pair]:
    """Run the pipeline over files, directories and globs; yield rows in input order.

    ``embedder``: an :class:`corpus.embed.Embedder` (default: multilingual-e5-small with an
    in-memory cache). ``translator``: a :class:`corpus.translate.Translator` for the Arabic
    with no human translation (``None``: it comes out as ``untranslated`` rows). ``scheme``:
    the normalisation applied to the text written out (spans always point at the raw text).
    ``executor``: where detection, segmentation and embedding run (see
    :mod:`corpus.executor`; default: this process). ``store_path``: the on-disk store of the
    run (default: a temporary file, removed at the end); ``resume``: keep what an earlier,
    killed run with the same inputs and settings stored there.

    Stages, in the order data flows: read (streamed) → detect + segment (shards, on the
    executor) → store → pair on the page → find candidates by cheap evidence → pair with
    them → rows → translate.
    """
    import tempfile

    from corpus.executor import LocalExecutor, distribute
    from corpus.pair import PairConfig
    from corpus.read import expand_paths
    from corpus.sentence_align import AlignConfig
    from corpus.store import RunStore

    stats = stats if stats is not None else AlignStats()
    started = time.perf_counter()
    pair_config = pair_config or PairConfig()
    align_config = align_config or AlignConfig()
    executor = executor or LocalExecutor(None)
    if embedder is None:
        from corpus.embed import shared_embedder
        embedder = shared_embedder()
    working = distribute(embedder, executor)
    # with workers, few large calls: each call ends with workers waiting for the last shard
    counting = _ChunkedEmbedder(working, progress, chunk=EMBED_CHUNK if executor.workers == 1
                                else 4 * EMBED_CHUNK * executor.workers)

    files = expand_paths(paths)
    tmp = None
    if store_path is None:
        tmp = tempfile.TemporaryDirectory(prefix="corpus-run-")
        store_path = Path(tmp.name) / "run.sqlite3"
    store = RunStore(store_path, _fingerprint(files, [scheme, pair_config, align_config,
                                                      SHARD_DOCS, embedder.signature()]),
                     resume=resume)
    try:
        if store.get("rows") != "done":
            _read_and_prepare(files, store, executor, progress, stats)
            _pair_and_rows(store, counting, scheme, pair_config, align_config, progress,
                           stats)
            store.set("rows", "done")
        rows: list[Pair] = list(store.rows())  # type: ignore[arg-type]
        stats.documents = store.count()
        stats.english_pages = store.count("english") + store.count("rows")
        if not stats.documents:
            from corpus.errors import InputError
            raise InputError(f"no document could be read from the input "
                             f"({stats.skipped_files} files or records skipped)",
                             path=", ".join(map(str, files[:3])),
                             hint="see the warnings above for why each was skipped")
    finally:
        store.close(remove=tmp is not None)
        if tmp is not None:
            tmp.cleanup()

    if translator is not None:
        rows = _translate_untranslated(rows, translator, progress)
    for row in rows:
        if row.origin == "aligned":
            stats.aligned_rows += 1
        elif row.origin == "mt":
            stats.mt_rows += 1
        else:
            stats.untranslated_rows += 1
    inner_stats = getattr(working, "stats", None)
    stats.strings_embedded = counting.embedded
    if callable(inner_stats):
        s = inner_stats()
        stats.strings_embedded = s.get("strings_embedded", stats.strings_embedded)
        stats.chars_embedded = s.get("chars_embedded", 0)
        stats.embedding_cache_hits = s.get("hits", 0)
    stats.seconds = time.perf_counter() - started
    yield from rows


def _read_and_prepare(files, store, executor, progress, stats) -> None:
    """Read the inputs as a stream, prepare them in shards on the executor, store each
    shard as it comes back. Shards an earlier run stored are not sent again."""
    from corpus.read import ReadReport, ReadWarning, SkippedFile, read_documents, warn

    report = ReadReport()
    seen: set[str] = set()

    def documents():
        # HTML from WARC/JSONL/.gz is extracted in prepare_shard, on the executor
        for doc in read_documents(files, report=report, defer_html=True):
            if doc.path in seen:  # two containers holding the same URL: the first stands
                reason = "a document with this id was read before"
                log.warning("skipped %s: %s (%s)", doc.origin or doc.path, reason, doc.path)
                report.skipped.append(SkippedFile(doc.origin or doc.path, reason))
                continue
            seen.add(doc.path)
            yield doc

    todo = ((k, shard) for k, shard in enumerate(_shards(documents(), SHARD_DOCS))
            if not store.shard_done(k))
    pending: list[int] = []

    def tasks():
        for k, shard in todo:
            pending.append(k)
            yield shard

    done = store.count()
    for prepared in executor.map(prepare_shard, tasks()):
        for p in prepared:  # losses of pages extracted on the executor, counted here
            for message in p.warnings:
                warn(ReadWarning(p.doc.origin or p.doc.path, message), report.warnings)
        k = pending.pop(0)
        base = k * SHARD_DOCS
        # only pages without Arabic sections are searched as someone's translation
        store.put_shard(k, [(base + n, p.doc.path, p.role, p,
                             p.tokens if p.role in ("english", "rows") else (),
                             p.probe if p.role in ("english", "rows") else ())
                            for n, p in enumerate(prepared)])
        done += len(prepared)
        if progress is not None:
            progress("read", done, 0)
    stats.skipped_files = report.skipped_count
    stats.skipped = [(s.path, s.reason) for s in report.skipped]
    stats.partial_files = report.partial_count
    stats.read_warnings = len(report.warnings)


PAIR_BATCH = 64  # pages with Arabic paired on their own page at a time


def _pair_and_rows(store, embedder, scheme: str, pair_config, align_config,
                   progress: StageProgress | None, stats: AlignStats) -> None:
    """Pair the Arabic with its English and store the rows of each page once final.

    First on the Arabic's own page, ``PAIR_BATCH`` pages at a time (what most bilingual
    pages need; nothing of other pages is embedded, and memory holds one batch); then the
    pages with Arabic left untranslated, all at once, with the English pages cheap evidence
    links to them (:mod:`corpus.candidates`)."""
    from dataclasses import replace

    store.clear_rows()
    on_page = replace(pair_config, cross_document=False)
    open_docs: list[int] = []
    total, done = store.count("arabic") + store.count("rows"), 0
    batch: list[tuple[int, Prepared]] = []

    def flush():
        nonlocal done
        ar = [x for _, p in batch for x in p.ar]
        en = [x for _, p in batch for x in p.en]
        by_doc: dict[str, list] = {}
        for pair in _pair_sections(ar, en, embedder, on_page, align_config,
                                   [p.doc for _, p in batch]) if ar else ():
            by_doc.setdefault(pair.ar_doc, []).append(pair)
        # the halves of the batch's mixed lines in one call (workers get them all at once;
        # each page's rows below then find them cached)
        embedder.embed(sorted({t for _, p in batch
                               for t in _mixed_texts(p.doc, _mixed_jobs(p.mixed))}))
        for seq, p in batch:
            pairs = by_doc.get(p.doc.path, [])
            if pair_config.cross_document and any(not x.translated for x in pairs):
                open_docs.append(seq)
                continue
            _store_rows(store, seq, p, pairs, {p.doc.path: p.doc}, embedder, scheme, stats,
                        align_config)
        done += len(batch)
        batch.clear()
        if progress is not None:
            progress("align", done, total)

    for seq, p in store.docs(("arabic", "rows")):
        batch.append((seq, p))
        if len(batch) >= PAIR_BATCH:
            flush()
    if batch:
        flush()
    if not open_docs:
        return

    arabic = dict(store.docs(seqs=open_docs))
    wanted, links = _candidates(store, embedder, arabic, pair_config, stats)
    english = dict(store.docs(seqs={e for es in wanted.values() for e in es}))
    # the pages left untranslated, whole, now with their candidates
    ar2 = [x for p in arabic.values() for x in p.ar]
    en2 = [x for p in arabic.values() for x in p.en] + [x for p in english.values()
                                                         for x in p.en]
    by_doc: dict[str, list] = {}
    docs = {p.doc.path: p.doc for p in arabic.values()}
    docs.update({p.doc.path: p.doc for p in english.values()})
    for pair in _pair_sections(ar2, en2, embedder, pair_config, align_config,
                               list(docs.values()), links):
        by_doc.setdefault(pair.ar_doc, []).append(pair)
    for seq, p in arabic.items():
        _store_rows(store, seq, p, by_doc.get(p.doc.path, []), docs, embedder, scheme, stats,
                    align_config)


def _store_rows(store, seq: int, p: Prepared, pairs, docs, embedder, scheme: str,
                stats: AlignStats, align_config=None) -> None:
    """The rows of one page (its pairs' beads, then its mixed lines), in page order."""
    keyed: list[tuple[int, Pair]] = []
    for pair in pairs:
        stats.arabic_sentences += len(pair.ar_sentences)
        stats.aligned_arabic_sentences += sum(len(b.ar) for b in pair.beads if b.ar and b.en)
        stats.english_left_out += sum(len(b.en) for b in pair.beads if b.en and not b.ar)
        keyed.extend(_bead_rows(pair, docs, scheme))
    mixed = list(_mixed_line_rows(p.doc, p.mixed, embedder, scheme, pairs, align_config))
    keyed.extend(mixed)
    stats.arabic_sentences += sum(1 for m in p.mixed if m.lang == "ar")
    # the Arabic part of a bilingual headline line
    stats.aligned_arabic_sentences += sum(1 for _, r in mixed if r.found_by == "mixed-line")
    keyed.sort(key=lambda k: k[0])  # stable: bead rows before mixed-line rows at a tie
    store.put_rows(seq, [row for _, row in keyed])


def _candidates(store, embedder, open_docs: dict, pair_config, stats: AlignStats
                ) -> tuple[dict[int, list[int]], object]:
    """English pages (seqs) to try for each Arabic page left untranslated on its own page,
    and the site's links (:class:`corpus.links.Links`) among all pages of the run."""
    from corpus import candidates as cand

    english_pages = store.count("english") + store.count("rows")
    k = pair_config.max_candidates
    wanted: dict[int, set[int]] = {s: set() for s in open_docs}
    linked, links = cand.by_links(store, set(open_docs))
    for s, found in linked.items():
        wanted[s].update(found)
    sentences = {s: [x.text for _, sents in p.ar for x in sents] for s, p in open_docs.items()}
    probed = cand.by_probe(store, embedder, sentences, k, pair_config.confident_cosine)
    for s, p in sorted(open_docs.items()):
        tokens = cand.by_tokens(store, set(p.tokens), english_pages, k)
        wanted[s].update(tokens)
        wanted[s].update(probed.get(s, ()))
        log.debug("candidates for %s: links %s, tokens %s, probe %s", p.doc.path,
                  sorted(wanted[s] - set(tokens) - set(probed.get(s, ()))), tokens,
                  probed.get(s, []))
    stats.english_candidates = len({e for es in wanted.values() for e in es})
    return {s: sorted(es) for s, es in wanted.items()}, links


def _pair_sections(ar, en, embedder, config, align_config, documents, links=None):
    """corpus.pair.pair_sections over these sections, with their documents (the site's own
    links between them are found there unless ``links`` gives them already)."""
    from corpus.pair import pair_sections

    return pair_sections(ar, en, embedder=embedder, config=config, align_config=align_config,
                         documents=documents, links=links)


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
                 progress: StageProgress | None = None, jobs: int | None = None,
                 executor: str = "auto", scheduler: str | None = None,
                 resume: bool = False) -> CorpusResult:
    """Align, translate, clean, deduplicate and write: the library form of ``corpus align``.

    ``mt``: ``auto`` (translate when an ar→en model is installed, otherwise write the Arabic
    untranslated after one warning), ``required`` (fail before any work when no model is
    installed) or ``off``. ``cache_dir``: where embeddings are cached on disk (default
    ``$CORPUS_CACHE_DIR`` or ``./.cache/corpus``). ``cross_document=False``: look for
    translations on the Arabic's own page only (English of pages without Arabic is never
    embedded; the signature says ``pair:...-samedoc``).

    Where the work runs (the output is the same wherever): ``jobs`` cores in total (default
    all), ``executor`` ``auto``/``local``/``processes``/``dask``, ``scheduler`` the address
    of an existing Dask cluster (see :mod:`corpus.executor`). The run's documents and rows
    live in ``OUT.work.sqlite3`` until the corpus is written; ``resume=True`` continues a
    run that was killed from what it stored there.
    """
    from corpus.clean import CLEAN_RULES, CleanConfig, filter_pairs
    from corpus.dedup import signature as dedup_signature
    from corpus.embed import default_cache_dir, get_embedder
    from corpus.errors import InputError
    from corpus.normalize import normalizer_signature
    from corpus.read import expand_paths, signature as reader_signature
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
    from corpus.executor import make_executor

    from corpus.write import output_base

    base = output_base(out)
    store_path = base.with_name(base.name + ".work.sqlite3")
    with make_executor(executor, jobs, scheduler) as where:
        rows = list(align(files, embedder=embedder, translator=translator, scheme=scheme,
                          pair_config=pair_config, align_config=align_config,
                          progress=progress, stats=stats, executor=where,
                          store_path=store_path, resume=resume))
    config = CleanConfig() if clean else CleanConfig.without(*CLEAN_RULES)
    cleaned = filter_pairs(rows, config, dedup=dedup, scheme="match")
    from corpus.langid import get_lid

    components = [f"corpus:{__version__}", reader_signature(), normalizer_signature(scheme),
                  get_lid(), segment_signature(), embedder, pair_config, align_config]
    if translator is not None:
        components.append(translator)
    else:
        components.append("mt:none")
    components.append(config)
    if dedup:
        components.append(dedup_signature("match"))
    signature = make_signature(components, options={"format": format, "mt": mt,
                                                    "clean": clean, "dedup": dedup})
    written = write_corpus(cleaned.pairs, out, format=format,
                           untranslated=cleaned.untranslated, rejects=cleaned.rejects,
                           signature=signature)
    for p in (store_path, Path(f"{store_path}-wal"), Path(f"{store_path}-shm")):
        p.unlink(missing_ok=True)  # the corpus is written: nothing left to resume
    return CorpusResult(files=written, signature=signature, stats=stats, cleaned=cleaned)
