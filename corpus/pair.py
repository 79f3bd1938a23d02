"""Find the English translation of each Arabic text, and align the two.

Entry point: :func:`pair_sections`. It takes the Arabic and English sections of one or more
documents, each with its sentences, and returns one :class:`SectionPair` per Arabic *block*:
consecutive Arabic sections of one document with no English section between them (an
article's headline and its paragraphs, which detection may have cut into several sections).

Detection may cut one English article into several sections (its headline on its own, an
unrelated article glued to it with no separator), so section boundaries on the English side
are not trusted. Each English document is read as one sequence of sentences, and a block is
aligned against the whole sequence with the aligner of :mod:`corpus.sentence_align`, where leaving a
sentence out costs nothing: the translation comes out as the English span between the first
and the last matched sentence; English around it (an unrelated article, another page's text)
stays out; Arabic without English inside the block (a partial translation, a dropped
sentence) comes out as 1-0 beads.

Candidates: the block's own document, plus the other documents where the block's sentences
find their nearest English neighbours (sites often publish the translation as a separate
page; one known only by its probe, below, must also match like a translation). A
candidate is accepted when enough Arabic sentences are matched with confidence:
e5's cosine between a sentence and its translation is usually above 0.83, while unrelated
news sentences rarely score that high *and* line up in order. Numbers (Arabic-Indic digits
read as ASCII) and Latin-script names inside the Arabic that also occur in the English add
evidence; numbers present on one side only count against a candidate from another document.
Accepted candidates are taken best first; an English sentence is used by one block only.

Every sentence embedded is embedded once, for both pairing and alignment. The cost is the
English of a crawl that is mostly English, so it is embedded in two stages: first the Arabic,
the English of the documents that hold Arabic, and a probe of every other English document
(every third sentence and the first of each section; short documents whole); then in full
only the documents whose probe matches some block as a translation would: two confident
matches (one for a one-sentence block or probe) between sentences of 40 characters or more,
of compatible lengths, in order and close together (a translation matches on about a third
of its sentences; an unrelated page on the same topic rarely twice in a row).
With ``PairConfig(cross_document=False)`` the English of documents without Arabic is not
embedded at all.

Typical use (what scripts/bench_align.py does)::

    from corpus.detect import detect
    from corpus.embed import default_cache_dir, get_embedder
    from corpus.pair import pair_sections
    from corpus.segment import segment_section

    ar, en = [], []
    for document in documents:
        for section in detect(document).sections:
            if section.lang in ("ar", "en") and section.kind in ("title", "body"):
                item = (section, segment_section(document, section))
                (ar if section.lang == "ar" else en).append(item)
    embedder = get_embedder("e5-small", cache_dir=default_cache_dir())
    for pair in pair_sections(ar, en, embedder=embedder):
        for bead in pair.beads:       # bead.ar / bead.en index pair.ar_sentences / en_sentences
            ...                       # 1-1, 2-1, ...: aligned; 1-0: translate, unless
                                      # bead.ar[0] in pair.repeats (a repeated headline)
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from corpus.charsets import to_ascii_digits
from corpus.errors import CorpusError
from corpus.sentence_align import AlignConfig, _settings_hash, align_vectors
from corpus.links import Links, declared_side, other_arabic_script
from corpus.types import Bead, Document, ProgressCallback, Section, Sentence

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")


@dataclass(frozen=True)
class PairConfig:
    """Thresholds of :func:`pair_sections` (tuned on the dev bench)."""

    # a matched bead counts as evidence when one of its (Arabic, English) sentence pairs
    # has at least this cosine
    confident_cosine: float = 0.83
    # same document: at least this many confident beads (fewer only when the block is
    # shorter: a lone headline needs one), covering this share of the block's sentences
    same_doc_min: int = 2
    same_doc_share: float = 0.2
    # another document: stricter, the English page must translate most of the block
    other_doc_min: int = 2
    other_doc_share: float = 0.5
    max_candidates: int = 3  # other documents tried per block
    # matches more than this many unmatched English sentences apart belong to different
    # runs; a run far from the main one must be confident on its own to be kept
    max_english_gap: int = 4
    min_run_confident: int = 3
    # look for translations in other documents too; False: on the Arabic's own page only, and
    # English of documents without Arabic is never embedded
    cross_document: bool = True
    # the search in other documents first embeds a probe of each English document that holds
    # no Arabic (every probe_every-th sentence and the first of each section); only documents
    # whose probe matches a block as a translation would are embedded in full and tried.
    # 1: embed every document in full.
    probe_every: int = 3
    # a bead whose Arabic or English has at most this many words and fewer than
    # PROBE_MIN_CHARS characters (a menu item, a label, a heading) is kept only with
    # evidence beyond its cosine, see _short_beads
    short_words: int = 3

    def signature(self) -> str:
        """``pair:span-5`` for the defaults, ``pair:span-5-samedoc`` when translations are
        looked for on the Arabic's own page only; other settings add a short hash of them.
        (span-4 kept the page's own English of a page that names its English at an address
        not in the input to the block-level bar: one template heading could pair with the
        page's title.)"""
        scope = "" if self.cross_document else "-samedoc"
        return ("pair:span-5" + scope
                + _settings_hash(replace(self, cross_document=True), PairConfig()))


@dataclass(frozen=True)
class SectionPair:
    """An Arabic block and, when one was found, the English that translates it, aligned.

    ``beads`` index ``ar_sentences`` and ``en_sentences`` and cover every Arabic sentence of
    the block exactly once (1-0 beads for Arabic without English) and the English span's
    sentences (0-1 beads for English without Arabic). ``en_sentences`` is empty when no
    translation was found; ``reason`` then says why.
    """

    ar_doc: str
    ar_sections: tuple[Section, ...]
    ar_sentences: tuple[Sentence, ...]
    beads: tuple[Bead, ...]
    en_doc: str = ""
    en_sections: tuple[Section, ...] = ()
    en_sentences: tuple[Sentence, ...] = ()
    score: float = 0.0  # share of the block's sentences in confidently matched beads
    reason: str = ""
    # Arabic sentence index -> index of an earlier sentence of the block with the same text
    # (a headline the page repeats). Repeats are left out of the alignment (1-0 beads) and
    # need no translation of their own.
    repeats: dict = field(default_factory=dict, compare=False, hash=False)
    evidence: dict = field(default_factory=dict, compare=False, hash=False)
    # how the English was found: "same-page", "hreflang", "url" (the site's links, see
    # corpus.links) or "content" (similarity alone); "" when there is none
    found_by: str = ""
    # per bead (same order as ``beads``): what the evidence adds to the aligner's score of
    # the row: + for a pair the site links, - for a short bead kept on its position alone
    score_adjust: tuple[float, ...] = ()
    # (before, after): the English of the span's first section just before the span, and of
    # its last section just after it, that no other block took, each in page order. The
    # aligner left it out, but an Arabic unit left out at that edge may translate several of
    # its sentences, run on without full stops: a shape the aligner cannot make, which
    # corpus.refine makes (_gap_beads)
    en_margins: tuple = field(default=((), ()), compare=False, hash=False)

    @property
    def translated(self) -> bool:
        return bool(self.en_sentences)


SectionInput = tuple[Section, Sequence[Sentence]]


@dataclass
class _Block:
    doc: str
    sections: list[Section]
    sentences: list[Sentence]
    rows: list[int]  # rows of the embedding matrix
    section_of: list[int] = field(default_factory=list)  # index into sections, per sentence
    repeats: dict[int, int] = field(default_factory=dict)
    kept: list[int] = field(default_factory=list)  # sentences that take part in alignment

    def find_repeats(self) -> None:
        first: dict[str, int] = {}
        for i, s in enumerate(self.sentences):
            key = " ".join(s.text.split())
            if key in first:
                self.repeats[i] = first[key]
            else:
                first[key] = i
                self.kept.append(i)


@dataclass
class _EnglishDoc:
    doc: str
    sections: list[Section]
    sentences: list[Sentence]
    section_of: list[int]  # index into sections, per sentence
    rows: list[int]  # rows of the embedding matrix, per sentence, once embedded in full
    probe: list[int] = field(default_factory=list)  # sentences embedded for the first search


class _Vectors:
    """The embedding matrix, grown stage by stage; each distinct text is embedded once."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.row: dict[str, int] = {}
        self.matrix = np.zeros((0, 1), dtype=np.float32)

    def add(self, texts) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self.row]
        if not new:
            return
        vecs = np.asarray(self.embedder.embed(new), dtype=np.float32)
        self.matrix = vecs if not self.row else np.concatenate([self.matrix, vecs])
        for t in new:
            self.row[t] = len(self.row)

    def rows(self, sentences) -> list[int]:
        return [self.row[s.text] for s in sentences]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _probe(d: _EnglishDoc, every: int) -> list[int]:
    """The sentences of an English document embedded for the first search: every
    ``every``-th one and the first of each section; all of a document of up to twice
    ``every`` sentences (too short for a sample to say much, or to save much)."""
    if len(d.sentences) <= 2 * every:
        return list(range(len(d.sentences)))
    return [i for i in range(len(d.sentences))
            if i % every == 0 or d.section_of[i] != d.section_of[i - 1]]


@dataclass
class _Candidate:
    block: int
    doc: str
    beads: list[Bead]
    confident: int
    share: float
    numbers: tuple[int, int, int]  # shared, Arabic-only, English-only
    latin: int
    same_doc: bool
    link: str = ""  # "hreflang" / "url" when the site links the two pages
    sure: frozenset = frozenset()  # English index tuples of the confident beads
    strict_same_doc: bool = False  # the page links its translation elsewhere

    @property
    def rank(self) -> tuple:
        # the site's links first: among near-duplicate pages the one the site links wins;
        # similarity ranks within each kind
        return (self.link == "hreflang", bool(self.link),
                self.share + (0.05 if self.same_doc else 0.0), self.confident, self.same_doc)


def numbers_in(text: str) -> set[str]:
    """Numbers written in ``text``, Arabic-Indic digits read as ASCII, separators dropped."""
    text = to_ascii_digits(text).replace("\u066b", ".").replace("\u066c", ",")
    return {re.sub(r"[.,]", "", m) for m in _NUMBER.findall(text)}


def latin_words(text: str) -> set[str]:
    """Latin-script words of two letters or more (names inside Arabic text), lowercased."""
    return {w.lower() for w in _LATIN_WORD.findall(text)}


def _blocks(ar: Sequence[SectionInput], en: Sequence[SectionInput]) -> list[_Block]:
    en_starts = defaultdict(list)
    for section, _ in en:
        en_starts[section.doc].append(section.start)
    blocks: list[_Block] = []
    last_end: dict[str, int] = {}
    for section, sentences in sorted(ar, key=lambda x: (x[0].doc, x[0].start)):
        doc = section.doc
        prev = blocks[-1] if blocks and blocks[-1].doc == doc else None
        if prev is not None and not any(last_end[doc] <= s < section.start
                                         for s in en_starts[doc]):
            prev.sections.append(section)
            prev.sentences.extend(sentences)
            prev.section_of.extend([len(prev.sections) - 1] * len(sentences))
        else:
            blocks.append(_Block(doc, [section], list(sentences), [],
                                 [0] * len(sentences)))
        last_end[doc] = section.end
    return blocks


def _english_docs(en: Sequence[SectionInput]) -> dict[str, _EnglishDoc]:
    docs: dict[str, _EnglishDoc] = {}
    for section, sentences in sorted(en, key=lambda x: (x[0].doc, x[0].start)):
        d = docs.setdefault(section.doc, _EnglishDoc(section.doc, [], [], [], []))
        d.sections.append(section)
        d.sentences.extend(sentences)
        d.section_of.extend([len(d.sections) - 1] * len(sentences))
    return docs


def _check_input(items: Sequence[SectionInput], lang: str) -> None:
    for item in items:
        if (not isinstance(item, tuple) or len(item) != 2
                or not isinstance(item[0], Section)):
            raise CorpusError(f"pair_sections expects ({lang} Section, sentences) tuples, "
                              f"got {type(item).__name__}")


def _evidence(block: _Block, en_doc: _EnglishDoc, beads: list[Bead]) -> tuple:
    ar_text = " ".join(block.sentences[i].text for b in beads if b.en for i in b.ar)
    en_text = " ".join(en_doc.sentences[j].text for b in beads if b.ar for j in b.en)
    ar_num, en_num = numbers_in(ar_text), numbers_in(en_text)
    latin = latin_words(ar_text) & latin_words(en_text)
    return (len(ar_num & en_num), len(ar_num - en_num), len(en_num - ar_num)), len(latin)


def _accept(c: _Candidate, n: int, config: PairConfig) -> str:
    """'' when the candidate is acceptable, else the reason it is not."""
    if c.link or (c.same_doc and not c.strict_same_doc):
        # the page's own English, or a page the site links: similarity only confirms
        need_beads, need_share = min(config.same_doc_min, n), config.same_doc_share
        if c.link:
            need_beads = min(1, n)
    elif c.same_doc:
        # a page that links its translation elsewhere: its own English (menus, notices) is
        # its translation only when it reads like one, most of the block matched
        need_beads, need_share = min(config.other_doc_min, n), config.other_doc_share
    else:
        need_beads, need_share = min(config.other_doc_min, n), config.other_doc_share
        shared, ar_only, en_only = c.numbers
        if ar_only + en_only > shared + 1:  # translations keep their numbers
            return (f"best English ({c.doc}): numbers differ ({shared} shared, "
                    f"{ar_only + en_only} on one side only)")
    if c.confident < need_beads or c.share < need_share:
        return (f"best English ({c.doc}) has {c.confident} confident matches (cosine >= "
                f"{config.confident_cosine:g}) covering {c.share:.0%} of {n} sentences; "
                f"needs {need_beads} and {need_share:.0%}")
    return ""


def pair_sections(ar_sections: Sequence[SectionInput], en_sections: Sequence[SectionInput], *,
                  embedder=None, config: PairConfig | None = None,
                  align_config: AlignConfig | None = None,
                  progress: ProgressCallback | None = None,
                  documents: Iterable[Document] | None = None,
                  links: Links | None = None) -> list[SectionPair]:
    """Pair each block of Arabic sections with the English that translates it, and align.

    ``ar_sections`` / ``en_sections``: ``(Section, sentences)`` tuples, sentences as
    :func:`corpus.segment.segment_section` gives them, from any number of documents
    (``Section.doc`` tells them apart). Returns one :class:`SectionPair` per Arabic block, in
    (document, position) order; untranslated blocks have no English and all-1-0 beads.
    ``embedder``: any :class:`~corpus.embed.Embedder` (default: e5-small, memory cache only);
    embedding is the slow step and reports through the embedder's own progress callback
    (``get_embedder("e5-small", progress=...)``); ``progress`` here counts blocks paired.
    ``documents``: the Documents the sections come from; their ``url``, ``html_lang`` and
    ``alternates`` give the site's own links between pages (:func:`corpus.links.find_links`;
    or pass ``links`` computed already). Linked English pages are tried first and win over
    look-alikes; a page that names its counterpart is never paired by content with another.
    """
    config = config or PairConfig()
    align_config = align_config or AlignConfig()
    _check_input(ar_sections, "Arabic")
    _check_input(en_sections, "English")
    blocks = [b for b in _blocks(ar_sections, en_sections) if b.sentences]
    documents = list(documents) if documents is not None else []
    if links is None:
        from corpus.links import find_links
        links = find_links(documents) if documents else Links()
    if not config.cross_document:
        links = Links()  # the page's own English only
    declared = {d.path: d.html_lang for d in documents if other_arabic_script(d.html_lang)}
    # pages that say they are in a third language (a French deed): their Latin-script text
    # is no English translation of another page, whatever language ID made of a line of it
    third = {d.path for d in documents if declared_side(d.html_lang) == "other"}
    for b in blocks:
        b.find_repeats()
    en_docs = _english_docs(en_sections)
    if embedder is None:
        from corpus.embed import shared_embedder
        embedder = shared_embedder()
    store = _Vectors(embedder)

    # first stage: the Arabic and the English of documents that hold Arabic, in full; for the
    # search in other documents, a probe of each English document without Arabic (all of it
    # when probe_every is 1); nothing of those documents when the search stays on the page
    with_arabic = {b.doc for b in blocks}
    # English pages the site links to an Arabic page are embedded in full at once
    linked_docs = {link.en_doc for b in blocks for link in links.of(b.doc)} & set(en_docs)
    own = [d for d in en_docs.values() if d.doc in with_arabic or d.doc in linked_docs]
    others = ([d for d in en_docs.values()
               if d.doc not in with_arabic and d.doc not in linked_docs]
              if config.cross_document else [])
    for d in others:
        d.probe = (_probe(d, config.probe_every) if config.probe_every > 1
                   else list(range(len(d.sentences))))
    store.add([s.text for b in blocks for s in b.sentences]
              + [s.text for d in own for s in d.sentences]
              + [d.sentences[i].text for d in others for i in d.probe])
    for b in blocks:
        b.rows = store.rows(b.sentences)
    for d in own:
        d.rows = store.rows(d.sentences)
    for d in others:
        if len(d.probe) == len(d.sentences):
            d.rows = store.rows(d.sentences)

    wanted = _search_other_documents(blocks, own + others, store, config) \
        if config.cross_document else [[] for _ in blocks]
    # second stage: documents a probe found, in full
    found = sorted({doc for docs in wanted for doc in docs if not en_docs[doc].rows})
    store.add([s.text for doc in found for s in en_docs[doc].sentences])
    for doc in found:
        en_docs[doc].rows = store.rows(en_docs[doc].sentences)
    if others:
        log.info("search in other documents: %d English documents without Arabic, %d of "
                 "their %d sentences probed, %d documents embedded in full",
                 len(others), sum(len(d.probe) for d in others),
                 sum(len(d.sentences) for d in others),
                 sum(1 for d in others if d.rows))
    vectors = store.matrix

    own_english = {d: {_key(s.text) for s in en_docs[d].sentences} for d in with_arabic
                   if d in en_docs}

    def candidate(k: int, doc: str, allowed: list[bool] | None) -> _Candidate:
        # English that the Arabic page itself prints (an untranslated menu, heading or
        # notice of the site's template) is on both pages and translates nothing
        shared = own_english.get(blocks[k].doc) if doc != blocks[k].doc else None
        if shared:
            mask = [_key(s.text) not in shared for s in en_docs[doc].sentences]
            allowed = mask if allowed is None else [a and m for a, m in zip(allowed, mask)]
        c = _score(k, blocks[k], en_docs[doc], vectors, allowed, config, align_config)
        c.link = links.found_by(blocks[k].doc, doc)
        c.strict_same_doc = c.same_doc and _names_english_elsewhere(links, doc, en_docs)
        return c

    candidates: list[_Candidate] = []
    for k, block in enumerate(blocks):
        if block.doc in declared:
            # the page says it is Persian, Urdu, ...: Arabic script, not Arabic
            continue
        linked = [link.en_doc for link in links.of(block.doc)
                  if link.en_doc in en_docs and link.en_doc != block.doc]
        docs = ([block.doc] if block.doc in en_docs else []) + linked
        docs += [d for d in wanted[k] if d not in docs and not links.excludes(block.doc, d)
                 and d not in third]
        for doc in docs:
            candidates.append(candidate(k, doc, None))
        if progress is not None:
            progress(k + 1, len(blocks))

    # best first; an English sentence serves one block, so a later candidate whose English
    # was taken is realigned against what is left
    used: dict[str, set[int]] = defaultdict(set)
    owner: dict[str, dict[int, int]] = defaultdict(dict)  # English sentence -> its block
    chosen: dict[int, _Candidate] = {}
    rejected: dict[int, str] = {}
    queue = sorted(candidates, key=lambda c: c.rank, reverse=True)
    while queue:
        c = queue.pop(0)
        if c.block in chosen:
            continue
        block = blocks[c.block]
        taken = used[c.doc]
        if taken and any(j in taken for b in c.beads if b.ar for j in b.en):
            allowed = [j not in taken for j in range(len(en_docs[c.doc].sentences))]
            c = candidate(c.block, c.doc, allowed)
            queue.append(c)
            queue.sort(key=lambda x: x.rank, reverse=True)
            continue
        why = _accept(c, len(block.kept), config)
        if why:
            log.debug("%s @%d: not %s: %s", block.doc, block.sections[0].start, c.doc, why)
            rejected.setdefault(c.block, why)
            continue
        log.debug("%s @%d: paired with %s (%d confident beads, %.0f%%)", block.doc,
                  block.sections[0].start, c.doc, c.confident, 100 * c.share)
        chosen[c.block] = c
        # the whole span is the translation of this block: English inside it that no bead
        # matched (a sentence whose Arabic is missing) is not free for another block
        matched = [j for b in c.beads if b.ar for j in b.en]
        taken.update(range(min(matched), max(matched) + 1))
        for j in range(min(matched), max(matched) + 1):
            owner[c.doc].setdefault(j, c.block)
    _page_level(blocks, chosen, rejected, config)

    pairs = []
    for k, block in enumerate(blocks):
        c = chosen.get(k)
        if c is None:
            reason = rejected.get(k) or "no English text to compare with"
            if block.doc in declared:
                reason = (f"the page declares its language as {declared[block.doc]!r}, "
                          f"not Arabic")
            pairs.append(SectionPair(block.doc, tuple(block.sections), tuple(block.sentences),
                                     tuple(Bead((i,), (), 0.0)
                                           for i in range(len(block.sentences))),
                                     reason=reason))
            continue
        # the span leaves out English of other blocks only: its own unmatched English (a
        # sentence the aligner skipped) stays, so later stages can still pair it
        others = {j for j, b in owner[c.doc].items() if b != k}
        pairs.append(_result(block, en_docs[c.doc], c, others, config))
    # repeated sentences need no translation of their own: tell the caller which they are
    pairs = [replace(p, repeats=dict(b.repeats)) if b.repeats else p
             for p, b in zip(pairs, blocks)]
    from corpus.refine import refine_pairs  # split units where the translation says so
    return refine_pairs(pairs, store, align_config)


def _names_english_elsewhere(links: Links, doc: str, en_docs: dict) -> bool:
    """True when the page gives an English page at another address as its translation (an
    ``hreflang="en"`` or URL-convention link, to a page of the input or not): its own
    English (menus, notices, an untranslated heading of the template) is then no
    translation unless it reads like one."""
    if any(link.en_doc in en_docs and link.en_doc != doc for link in links.of(doc)):
        return True
    own = links.address.get(doc, "")
    return any(a != own for a in links.declared.get(doc, frozenset()))


def _page_level(blocks: list[_Block], chosen: dict[int, _Candidate], rejected: dict[int, str],
                config: PairConfig) -> None:
    """Undo pairs that cover too little of the Arabic page for what found them.

    A page translated on a page of its own is translated as a whole; an English page that
    matches only a box of the Arabic page (a notice, a template paragraph the site prints on
    many pages) shares that text, it is not the page's translation. Of the Arabic sentences
    of the page that no linked English (and, on a page that does not name its English
    elsewhere, no same-page English) covers, the English page found by content must match at
    least ``other_doc_share``. So must the page's own English when the page names its
    translation at another address: one heading of its template that happens to match the
    page's title is no translation of the page (that page may simply not be in the input)."""
    def exempt(c: _Candidate) -> bool:
        return bool(c.link) or (c.same_doc and not c.strict_same_doc)

    open_ar: dict[str, int] = defaultdict(int)
    matched: dict[tuple[str, str], int] = defaultdict(int)
    for k, block in enumerate(blocks):
        c = chosen.get(k)
        if c is not None and exempt(c):
            continue
        open_ar[block.doc] += len(block.kept)
        if c is not None:
            matched[(block.doc, c.doc)] += sum(len(b.ar) for b in c.beads if b.ar and b.en)
    for k in sorted(chosen):
        c = chosen[k]
        doc = blocks[k].doc
        if exempt(c):
            continue
        share = matched[(doc, c.doc)] / max(1, open_ar[doc])
        if share < config.other_doc_share:
            del chosen[k]
            if c.same_doc:
                rejected[k] = (f"the page names its English translation at another address; "
                               f"its own English matches {share:.0%} of the Arabic page only "
                               f"(the site's template, not a translation)")
            else:
                rejected[k] = (f"best English ({c.doc}) matches {share:.0%} of the Arabic "
                               f"page only: shared text (a notice, a template), not its "
                               f"translation")


def _search_other_documents(blocks: list[_Block], en_docs: list[_EnglishDoc],
                            store: _Vectors, config: PairConfig) -> list[list[str]]:
    """For each block, up to ``max_candidates`` other documents to try, most voted first.

    Each sentence of the block votes for the document of its nearest English sentence among
    the embedded ones (documents in full, probes). A document embedded in full is a
    candidate when it has a vote; a document known only by its probe, when its probe holds
    what a translation would show there: ``other_doc_min`` confident matches (fewer when the
    block or the probe is smaller) in a chain, see :func:`_probe_chain`."""
    searched = [d for d in en_docs if d.rows or d.probe]
    if not searched:
        return [[] for _ in blocks]
    columns = [d.rows or store.rows(d.sentences[i] for i in d.probe) for d in searched]
    starts = np.cumsum([0] + [len(c) for c in columns[:-1]])
    owner = np.repeat(np.arange(len(searched)), [len(c) for c in columns])
    pool = store.matrix[[r for c in columns for r in c]]
    wanted = []
    for block in blocks:
        sims = store.matrix[block.rows] @ pool.T
        votes = np.bincount(owner[np.argmax(sims, axis=1)], minlength=len(searched))
        sims = sims[block.kept]
        near = np.maximum.reduceat(sims, starts, axis=1).max(axis=0) >= config.confident_cosine
        ar_chars = [len(block.sentences[i].text) for i in block.kept]
        ranked = []
        for n, d in enumerate(searched):
            if d.doc == block.doc:
                continue
            if d.rows:
                if votes[n]:
                    ranked.append((-votes[n], 0, d.doc))
                continue
            if not near[n]:
                continue
            cols = slice(starts[n], starts[n] + len(columns[n]))
            chain = _probe_chain(sims[:, cols], ar_chars,
                                 [len(d.sentences[i].text) for i in d.probe], d.probe, config)
            if chain >= min(config.other_doc_min, len(block.kept), len(d.probe)):
                ranked.append((-votes[n], -chain, d.doc))
        wanted.append([doc for _, _, doc in sorted(ranked)[:config.max_candidates]])
    return wanted


# Probe matches count only between sentences of at least PROBE_MIN_CHARS characters each,
# English / Arabic length within PROBE_LENGTH_RATIO (typically ~1.1): e5 finds short strings
# (names, menu items, date lines, short headlines) close to almost everything, so a page of
# short lines on the same topic would otherwise pass for a translation of every block.
PROBE_MIN_CHARS = 40
PROBE_LENGTH_RATIO = (0.5, 2.5)


def _probe_chain(sims: np.ndarray, ar_chars: list[int], en_chars: list[int],
                 en_position: list[int], config: PairConfig) -> int:
    """The longest chain of confident matches between a block (rows of ``sims``) and a
    document's probe (columns; ``en_position``: their sentence numbers in the document)
    that one translation could give: each sentence matched once (best cosine first), both
    sentences of ``PROBE_MIN_CHARS`` or more and of compatible length, in the same order on
    both sides, and consecutive matches no further apart in the English than two sentences
    per Arabic sentence plus ``max_english_gap``. Short lines that e5 finds close to
    everything, and look-alikes scattered over a long page, do not make a chain."""
    lo, hi = PROBE_LENGTH_RATIO
    rows, cols = np.nonzero(sims >= config.confident_cosine)
    order = np.argsort(-sims[rows, cols], kind="stable")
    used_ar, used_en, matches = set(), set(), []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if (i in used_ar or j in used_en or min(ar_chars[i], en_chars[j]) < PROBE_MIN_CHARS
                or not lo <= en_chars[j] / ar_chars[i] <= hi):
            continue
        used_ar.add(i)
        used_en.add(j)
        matches.append((i, en_position[j]))
    matches.sort()
    longest: list[int] = []
    for k, (i, p) in enumerate(matches):
        longest.append(1 + max((longest[q] for q, (i0, p0) in enumerate(matches[:k])
                                if i0 < i and p0 < p <= p0 + 2 * (i - i0)
                                + config.max_english_gap), default=0))
    return max(longest, default=0)


def _score(k: int, block: _Block, en_doc: _EnglishDoc, vectors: np.ndarray,
           allowed: list[bool] | None, config: PairConfig,
           align_config: AlignConfig) -> _Candidate:
    kept = block.kept
    beads = align_vectors(vectors[[block.rows[i] for i in kept]], vectors[en_doc.rows],
                          [len(block.sentences[i].text) for i in kept],
                          [len(s.text) for s in en_doc.sentences], config=align_config,
                          en_allowed=allowed, ar_breaks=_starts(block.section_of, kept),
                          en_breaks=_starts(en_doc.section_of, range(len(en_doc.sentences))),
                          ar_paragraphs=[(block.section_of[i], block.sentences[i].paragraph)
                                         for i in kept],
                          en_paragraphs=list(zip(en_doc.section_of,
                                                 (s.paragraph for s in en_doc.sentences))))
    # A bead is evidence when one of its sentence pairs is close on its own: the vector
    # of a multi-sentence bead is a sum, and sums are close to many things.
    pair_cos = vectors[[block.rows[i] for i in kept]] @ vectors[en_doc.rows].T
    sure = {b.en for b in beads if b.ar and b.en and max(
        pair_cos[i, j] for i in b.ar for j in b.en) >= config.confident_cosine}
    beads = _keep_dense_runs(beads, sure, config)
    beads = _with_repeats(beads, kept, block.repeats)
    # count beads, not sentences: one 2-1 look-alike is one piece of evidence
    confident_beads = [b for b in beads if b.en and b.ar and b.en in sure]
    confident = len(confident_beads)
    share = sum(len(b.ar) for b in confident_beads) / max(1, len(kept))
    numbers, latin = _evidence(block, en_doc, beads)
    return _Candidate(k, en_doc.doc, beads, confident, share,
                      numbers, latin, en_doc.doc == block.doc, sure=frozenset(sure))


def _starts(section_of: list[int], order) -> list[bool]:
    """True for each sentence (in ``order``) that is in another section than the one
    before it: beads do not cross section boundaries."""
    out, last = [], None
    for i in order:
        out.append(last is not None and section_of[i] != last)
        last = section_of[i]
    return out


def _keep_dense_runs(beads: list[Bead], sure: set, config: PairConfig) -> list[Bead]:
    """Undo matches outside the translation proper.

    The aligner may skip English for free, so against a long page it also picks up stray
    look-alikes: a sentence of another article on the same topic hundreds of lines away. A
    translation is a dense run: cut the matches into runs wherever more than
    ``max_english_gap`` English sentences go unmatched between two matches, keep the run
    with the most confident matches, and any other run that is confident on its own
    (``min_run_confident`` matches, most of them confident)."""
    matched = [k for k, b in enumerate(beads) if b.ar and b.en]
    if not matched:
        return beads
    runs: list[list[int]] = [[matched[0]]]
    for prev, k in zip(matched, matched[1:]):
        gap = beads[k].en[0] - beads[prev].en[-1] - 1
        if gap > config.max_english_gap:
            runs.append([])
        runs[-1].append(k)

    def confident(run):
        return sum(1 for k in run if beads[k].en in sure)

    best = max(runs, key=lambda r: (confident(r), -r[0]))
    keep = set(best)
    for run in runs:
        c = confident(run)
        if c >= config.min_run_confident and c * 2 > len(run):
            keep.update(run)
    if len(keep) == len(matched):
        return beads
    out: list[Bead] = []
    for k, b in enumerate(beads):
        if b.ar and b.en and k not in keep:
            out.extend(Bead((i,), (), 0.0) for i in b.ar)
            out.extend(Bead((), (j,), 0.0) for j in b.en)
        else:
            out.append(b)
    return out


def _with_repeats(beads: list[Bead], kept: list[int], repeats: dict[int, int]) -> list[Bead]:
    """Map bead indices over the kept sentences back to block indices, and put a 1-0 bead
    for each repeated sentence where it stands."""
    if not repeats:
        return beads
    pending = sorted(repeats)
    out: list[Bead] = []
    for b in beads:
        ar = tuple(kept[i] for i in b.ar)
        while ar and pending and pending[0] < ar[0]:
            out.append(Bead((pending.pop(0),), (), 0.0))
        out.append(Bead(ar, b.en, b.score))
    out.extend(Bead((i,), (), 0.0) for i in pending)
    return out


# What the site's evidence adds to a row's score (SectionPair.score_adjust): a pair of pages
# the site links by hreflang, or by URL convention, is surer than one found by similarity;
# a short bead kept only for its position is less sure than one whose numbers or names agree.
LINK_BONUS = {"hreflang": 0.05, "url": 0.03}
SHORT_BY_POSITION = -0.05
SHORT_BY_TOKENS = -0.02

_WORDS = re.compile(r"\w+")


def _is_short(text: str, config: PairConfig) -> bool:
    """A few words in a short string (a text run together without spaces is not short)."""
    return len(_WORDS.findall(text)) <= config.short_words and len(text) < PROBE_MIN_CHARS


def _short_beads(block: _Block, en_doc: _EnglishDoc, c: _Candidate,
                 config: PairConfig) -> tuple[list[Bead], dict[int, float]]:
    """Undo short beads that only their cosine supports; the adjustments of those kept.

    A bead whose Arabic or English has at most ``short_words`` words in fewer than
    ``PROBE_MIN_CHARS`` characters (a menu item, a label, a heading) scores 0.85-0.91 with
    e5 against unrelated short strings, so its cosine proves nothing. It is kept when its
    numbers agree (some shared, none on one side only) or a Latin-script name recurs, or by
    position: it sits right next to (at most one
    unmatched sentence away on each side) a long confident bead or another kept bead, in
    both languages, inside the pair of documents already matched. Returns the beads (undone
    ones as 1-0 and 0-1) and, by position in the returned list, the score adjustment of
    the short beads kept.
    """
    beads = _without_codes(list(c.beads), block, en_doc)

    def texts(b: Bead) -> tuple[str, str]:
        return (" ".join(block.sentences[i].text for i in b.ar),
                " ".join(en_doc.sentences[j].text for j in b.en))

    matched = [k for k, b in enumerate(beads) if b.ar and b.en]
    short, by_tokens = set(), set()
    for k in matched:
        a, e = texts(beads[k])
        if _is_short(a, config) or _is_short(e, config):
            short.add(k)
            na, ne = numbers_in(a), numbers_in(e)
            if (na and na == ne and not is_code(e)) or (latin_words(a) & latin_words(e)):
                by_tokens.add(k)
    if not short:
        return beads, {}
    sure = {j for en in c.sure for j in en}  # (codes may have left a confident bead)
    kept = {k for k in matched if k not in short and set(beads[k].en) & sure} | by_tokens

    def tight(x: Bead, y: Bead) -> bool:  # x before y, at most one sentence between
        return y.ar[0] - x.ar[-1] - 1 <= 1 and y.en[0] - x.en[-1] - 1 <= 1

    changed = True
    while changed:  # grow from the anchors in both directions
        changed = False
        for n, k in enumerate(matched):
            if k in kept or k not in short:
                continue
            prev = matched[n - 1] if n > 0 else None
            nxt = matched[n + 1] if n + 1 < len(matched) else None
            if ((prev is not None and prev in kept and tight(beads[prev], beads[k]))
                    or (nxt is not None and nxt in kept and tight(beads[k], beads[nxt]))):
                kept.add(k)
                changed = True
    out: list[Bead] = []
    adjust: dict[int, float] = {}
    for k, b in enumerate(beads):
        if k in short and k not in kept:
            out.extend(Bead((i,), (), 0.0) for i in b.ar)
            out.extend(Bead((), (j,), 0.0) for j in b.en)
            continue
        if k in short:
            adjust[len(out)] = SHORT_BY_TOKENS if k in by_tokens else SHORT_BY_POSITION
        out.append(b)
    return out, adjust


_CODE_TOKEN = re.compile(r"^[A-Z0-9]{1,5}$|^[0-9.,:/]+$")


def is_code(text: str) -> bool:
    """True for an English string made only of capitals and numbers, a code or identifier
    (``CC BY-NC-ND 4.0``, ``ISBN 978``): it names the thing; it is no sentence to translate."""
    tokens = [t for t in re.split(r"[\s\-\u2013/()\[\],;]+", text.strip()) if t]
    return bool(tokens) and all(_CODE_TOKEN.match(t) for t in tokens) and any(
        t[0].isalpha() for t in tokens)


def _without_codes(beads: list[Bead], block: _Block, en_doc: _EnglishDoc) -> list[Bead]:
    """Take codes out of beads: an English sentence that is a code (see :func:`is_code`)
    leaves a bead with other English as a 0-1 bead beside it; a bead whose English is only
    codes is undone, unless the Arabic writes the same Latin tokens."""
    out: list[Bead] = []
    for b in beads:
        if not (b.ar and b.en):
            out.append(b)
            continue
        codes = [j for j in b.en if is_code(en_doc.sentences[j].text)]
        if not codes:
            out.append(b)
            continue
        rest = tuple(j for j in b.en if j not in codes)
        if not rest:
            ar_text = " ".join(block.sentences[i].text for i in b.ar)
            en_text = " ".join(en_doc.sentences[j].text for j in b.en)
            if latin_words(ar_text) & latin_words(en_text):
                out.append(b)
            else:
                out.extend(Bead((i,), (), 0.0) for i in b.ar)
                out.extend(Bead((), (j,), 0.0) for j in b.en)
            continue
        out.extend(Bead((), (j,), 0.0) for j in codes if j < rest[0])
        out.append(Bead(b.ar, rest, b.score))
        out.extend(Bead((), (j,), 0.0) for j in codes if j > rest[0])
    return out


def _result(block: _Block, en_doc: _EnglishDoc, c: _Candidate, used: set[int],
            config: PairConfig) -> SectionPair:
    filtered, short_adjust = _short_beads(block, en_doc, c, config)
    found_by = "same-page" if c.same_doc else (c.link or "content")
    matched = [j for b in filtered if b.ar for j in b.en]
    if not matched:
        return SectionPair(block.doc, tuple(block.sections), tuple(block.sentences),
                           tuple(Bead((i,), (), 0.0) for i in range(len(block.sentences))),
                           reason=f"best English ({c.doc}) matches only short strings "
                                  f"(a few words each) with nothing else to support them")
    bonus = LINK_BONUS.get(c.link, 0.0)
    lo, hi = min(matched), max(matched)
    own = set(matched)
    # the span: from the first to the last matched English sentence, minus English that
    # another block took
    span = [j for j in range(lo, hi + 1) if j in own or j not in used]
    index = {j: n for n, j in enumerate(span)}
    beads, adjust = [], []
    for k, b in enumerate(filtered):
        en = tuple(index[j] for j in b.en if j in index)
        if b.ar or en:
            beads.append(Bead(b.ar, en, b.score))
            adjust.append(round(bonus + short_adjust.get(k, 0.0), 4) if b.ar and en else 0.0)
    sections = sorted({en_doc.section_of[j] for j in span})
    margins = (_margin(en_doc, range(span[0] - 1, -1, -1), used)[::-1],
               _margin(en_doc, range(span[-1] + 1, len(en_doc.sentences)), used))
    shared, ar_only, en_only = c.numbers
    return SectionPair(
        ar_doc=block.doc, ar_sections=tuple(block.sections),
        ar_sentences=tuple(block.sentences), beads=tuple(beads), en_doc=en_doc.doc,
        en_sections=tuple(en_doc.sections[s] for s in sections),
        en_sentences=tuple(en_doc.sentences[j] for j in span), score=round(c.share, 4),
        evidence={"confident": c.confident, "numbers_shared": shared,
                  "numbers_one_side": ar_only + en_only, "latin_shared": c.latin,
                  "same_doc": c.same_doc, "link": c.link},
        found_by=found_by, score_adjust=tuple(adjust), en_margins=margins)


def _margin(en_doc: _EnglishDoc, order: range, used: set[int]) -> tuple[Sentence, ...]:
    """The English sentences in ``order`` (outwards from the span) up to the first that
    another block took or that lies in another section than the span's edge sentence."""
    out = []
    section = en_doc.section_of[order.start - order.step]
    for j in order:
        if j in used or en_doc.section_of[j] != section:
            break
        out.append(en_doc.sentences[j])
    return tuple(out)
