"""Segmentation that follows the translation: split a unit where the other side says a
sentence ends, leave out what has no counterpart, and score every bead.

Entry point: :func:`refine_pairs`, called by :func:`corpus.pair.pair_sections` on its result.

The rule-based splitter (:mod:`corpus.segment`) cannot see a sentence end that the writer did
not mark: much Arabic on the web runs sentences on with no full stop between them, and English
headlines and summary lines do the same. The aligner can only join units, so such a unit comes
out in a 1-2 or 1-3 bead. First, a word translation model is learned from the run's 1-1 beads
(below), and pairs with a bead of unequal sides are aligned again with 1-3 / 3-1 beads priced
as 1-2 / 2-1 (``RefineConfig.loose``: a unit that may still be cut can stand for three
sentences as well as for two). Then, in rounds, jobs of six kinds look for cuts, in this
order: split, cross, hidden, dash, extra and orphan. A split job, for each bead that joins one unit on
one side to several sentences on the other, looks for the point inside the unit where the
other side's sentence boundary falls:

* candidate points are word boundaries near where the other side's sentence lengths put the
  boundary (character shares are a good predictor: the log length ratio of a translation has
  a standard deviation of ~0.18, which puts the boundary of a two-sentence unit within ~6% of
  the unit's length of its predicted place), ranked by that distance and by weak cues that are
  general facts of the language (a closing quote before the point, not a plural
  possessive's apostrophe, ``students' behaviour``; a bullet (not a dash before a
  conjunction, ``- but``, ``- ولكن``, ``- وهو ما``: a dash inside a sentence; a word that
  merely starts with و/ف, ``- وزارة``, is no conjunction), a ``YYYY:``, an
  opening quote, or a sentence's opening connective and its comma (``ومع ذلك،``,
  ``However,``) after it; Arabic: a word opening with the conjunction و/ف; English: a
  capitalised word after a lowercase one, or a capitalised pronoun or determiner after a
  name, a number or a closing quote in a sentence that is no title-case line, ``... finding
  Sterling The English forward ...``); cuts that would put a number or a Latin-script
  name on the other side from where the translation has it are not tried, nor, in Arabic,
  cuts where no sentence can end (``RefineConfig.end_words``: right after a word that needs
  the phrase after it, a preposition, a conjunction, a particle or a relative pronoun of a
  closed list, ``... ذهب إلى | السوق``, or before أن, which opens no sentence: ``...
  عالميين نرى | أن اللغات ...``); in English such a cut (after ``the``, ``of``, ``to``,
  ``and``, ...) is tried, but where it is the best, the best cut tried within
  ``join_reach`` where a sentence can end is made instead (or none): the embedding's best
  is where an English sentence start is looked for; a hidden 2-2's Arabic cut that mirrors
  an English cut where no sentence ends either (``... in which | You have ...``, a break
  inside a legal definition) is searched without the rule;
* the best few candidates are embedded (both pieces, batched, each text once) and improved by
  moving the two best points word by word until neither has a better untried neighbour;
  cuts are compared by the aligner's objective plus their lexical match: IBM Model 1 learned
  from the 1-1 beads of the pages being refined (:mod:`corpus.lexicon`; none under 20 beads)
  scores how well each piece's words are explained by its own counterpart, which sees the
  words at the boundary where a sentence embedding does not; the lexicon's best cut is
  among the first candidates (the join-mark comparison below stays on the objective alone);
  the search is staged: a first look embeds the best two by prior, the lexicon's best and
  the join marks and English sentence starts near the best of them, and where a join mark
  is then at least as good a place as the best other cut (and no sentence start decides,
  below), the unit is the writer's join (below) without the rest of the search (the third
  candidate, the side bands, the climb);
* the split is kept when both pieces match their counterparts (each at least the aligner's
  ``min_cosine``), each is closer to its own counterpart than to the other piece's by more
  than the noise between near-paraphrases (0.02), and their quality, by the aligner's own
  objective plus the cut's cue (the ``CUE_GAIN`` that ranks cuts: the objective cannot see
  the writer's marks, and cut and whole are often a few thousandths apart), beats the whole
  bead's;
* a point right after a comma, semicolon or colon (``،`` ``؛`` ``,`` ``;`` ``:``, or ``, and``;
  not a comma between two numbers) is where the writer marked the boundary with a weaker
  mark than a full stop, i.e. joined the two sentences (a translator who merges two
  sentences does exactly that), and the row keeps the writer's sentence. The embedding
  cannot tell a word or two apart, so the join marks within ~three words of the best cut,
  on either side, are cut at and evaluated too: the unit stays whole when one of them is
  within ``join_tolerance`` (0.03, about two words' worth of the objective) of the best
  cut, and is cut at the best cut when that is clearly better (a comma closing the last
  clause of a sentence). A comma that closes the next sentence's opening connective right
  after the best cut (``... 2017 | رغم ذلك، لا ...``, ``... experience | Indeed, I ...``;
  a general list of each language's discourse connectives that hardly ever end a clause,
  ``_AR_OPENER_PHRASES``; after an opening quote too, a quoted sentence's connective:
  ``... النووية | "ومع ذلك، فإننا ...``) is no join and is not tried, nor is a cut one و/ف
  word after it (which counts as its comma, below): the embedding cannot tell the
  places apart, but the phrase says where the sentence starts. Nor is a comma inside a
  quotation that closes right at the best cut (``"... ابنائي، إن مكاننا في أوروبا" | أدلى``):
  it is the quoted speaker's. Nor a colon right before an opening quote (``... في المؤتمر |
  حيث قال: "سنعود ..."``): it introduces a quotation that belongs to the sentence of
  the verb before it, and no sentence ends there. In Arabic, a cut one word after a join
  mark, where that word opens with the conjunction و/ف (``... منطقة اللعب، وسيتي | تواجه
  ...``), counts as a join mark itself: the conjunction opens the next clause, and no
  sentence ends in a one-word clause (the last item of a list, ``، والإرهاق، والقلق``, is
  left out).
* English spells a sentence start where its full stop was lost (a capitalised opener after
  a lowercase word, ``... whatever the future holds It can't ...``, ``... the required
  turnout Another poll ...``: the closed classes, determiners and quantifiers, pronouns,
  numerals, question words, conjunctions and prepositions; not after the small word of a
  Title Case heading, ``Stocks Slide as | Every Sector Falls``; a pronoun or determiner
  after a name or a closing quote, ``... finding Sterling The English forward ...``; a
  common word, one the same English writes in lowercase elsewhere, capitalised after a
  lowercase word and before another, ``... kill them Vaccine teaches ...``; not
  after a word that calls for a name, ``told The Sunday Times``, ``of the This Morning
  presenter``). Such a place within ~three words of the best cut and within
  ``join_tolerance`` of it is where the unit is cut, and a join mark near the best cut then
  keeps nothing whole (the ``, and`` before ``he then pushed a pass ... Sterling`` is the
  translator's join of the sentence before): whether the unit holds two sentences is the
  embedding's to say (the best cut must beat the whole bead; ``min_cosine`` and the margin
  below are met by the better of the two cuts, a piece a word shorter may miss them by a
  hair), where they meet the spelling's.

The other kinds search their cuts in the same way (first look, climb, join marks near the
best); what each is kept on is said with it.
Crossings (cross): where both sides lost a stop, in different places (Arabic ``A1`` ``A2+A3``,
English ``E1+E2`` ``E3``), the aligner pairs the units 1-1 twice and each bead holds a piece
of its neighbour's translation. When one side's boundary between two neighbouring beads falls,
by the character shares, well inside (2.5 sd from either end) the other side's unit at that
boundary, that unit is cut there in the same way (the left piece to the first bead, the right
one to the second); the bead left with two units on one side is split in the next round.
A bead that a cut leaves with two units on both sides is made as two 1-1 beads (the piece
with the unit it meets) when that scores better, as it mostly does: priced as a 2-2 it would
never pay. The same cut is tried where one of the two beads is a sentence left out (0-1 or
1-0) whose translation opens or closes the neighbouring bead's unit (that unit lost its
full stop), or was glued by the realign to the bead before it as a 1-3 / 3-1; such a job is
made only when the neighbouring bead matches better, by the aligner's quality, with the
left-out sentence than without it (most left-out sentences have no counterpart) and the
sentence is no copy of another of its side (a repeated headline), and a cut must beat the
beads as the aligner priced them when it made them. Each piece must be closer to the other
side's units of its new bead than to the other bead's: clearly (``CROSSED_MARGIN``) when it
stands alone there, by its direction only when it joins another unit of its side (its
counterpart then holds more than its translation); which piece joins is read off the beads,
so the piece that stays joins when the cut unit shares its bead with another unit. An
English unit is not cut before a lowercase word (after no join mark): the right piece opens
the next bead, and no English sentence opens so; the best cut tried within ``join_reach``
whose piece opens with a capital is weighed instead, and the unit stays whole if there is
none (``RefineConfig.cross_capital``).
Hidden 2-2 beads (hidden): where both sides lost the same full stop, a 1-1 bead holds two sentences
on each side. English shows a missing stop in its spelling (a lowercase word followed by a
capitalised sentence opener: ``... a crime scene A woman appeared ...``, or the other
spellings of a sentence start above); the English unit is
cut there and the Arabic one searched near the place the English shares predict, and both
cuts are kept on the same evidence as a single cut.
Labels (dash): a 1-1 bead whose units both hold one spaced dash (— or –) at about the same place
(``Attribution — You must give ...``) is a bold label and its clause on both sides; both
units are cut at the dash (the label may be one word) and kept on the same evidence.
Untranslated sentences (extra): a 1-1 bead whose one unit is far longer than its translation (more
than 2.5 sd of the aligner's length model) may hold a sentence the other side never
translated, run on without its full stop (``... مواصلة الضغط علينا وقد حظى ترامب ...`` against
``... keeping up pressure.``). The unit is cut near where the translation's length ends (or,
in a second job, starts), and the rest is left out (1-0 / 0-1) when the kept piece matches
the translation better than the whole unit does, by the aligner's objective, and is closer
to it, by more than the noise between near-paraphrases (0.02), than both the whole unit and
the piece left out: a verbose translation (``أيه بي سي`` for ``ABC``) loses a stretch of
characters, not of meaning, and stays whole. A piece in the other language's script (an
English copy inside an Arabic unit) is never kept as the translation.
Left-out neighbours (orphan): a unit left out (1-0 / 0-1) beside a sentence of the other side
left out may hold that sentence's translation and a sentence with none, run on without its
full stop (an Arabic ``... هوتون ميفلين هاركورت، منصب ... وقد عمل في ثمانينيات القرن العشرين
...`` untranslated beside ``In the 1980s at Carnegie Mellon ...`` left out): the aligner can
pair neither the whole unit with the sentence nor a part of it. Where the unit is longer than
the sentence's translation should be by at least ``min_chars``, it is cut as an extra job cuts
(near where the translation's length ends, or starts) and kept on the same evidence: the kept
piece pairs with the sentence when the 1-1 bead they make clears the aligner's threshold (two
one-sided beads are worth nothing) and ``min_cosine``, and is closer to the sentence than the
whole unit and the rest are; the rest stays left out.
Each bead takes part in one cut per round, the largest improvement first. After each round the
pair is aligned again on the finer units (1-3 / 3-1 at the 1-2 / 2-1 price, as before the
first round).

Gap beads: a unit can hold more sentences than any shape of the aligner's, which stop at 1-3
(one Arabic paragraph of five sentences with no full stop between them, against five
punctuated English ones): the aligner leaves the unit and its translation out, and no job
looks at one-sided beads but the orphan's, of one sentence. Before the first round, and again
after each realign, where a gap between two aligned beads (or between an aligned bead and the
edge of the span; the English the aligner left out there is the pair's ``en_margins``, the
rest of the span's first and last sections that no other block took) holds a unit left out on
one side and a run of two or more left-out sentences on the other, the unit is paired with
the run (of up to ``max_units`` sentences) that makes the best bead by the aligner's objective,
priced as the loose realign prices a unit that may still be cut (the 1-2 price), when the
aligner would take that bead if the shape were allowed: quality above its threshold, cosine
at least ``min_cosine``, a gain above leaving them all out; then, as the release does, an
edge sentence is let go while the bead matches better without it (a line before the
translation). The other units of the gap (a date, an author's line, repeated headlines) stay
left out. An English sentence serves one pair: a margin sentence another pair holds (two
blocks paired with one English section share the English between their spans as margins)
ends the margin, and one the pair took already and cut is no margin any more. The split
rounds cut the gap bead like any 1-N bead (a shape the aligner never
makes costs what its costliest shape does, in a cut's gain and in the whole bead's); the
works that hold one are realigned with beads of one unit against up to ``max_units``
sentences at the 1-2 price, so that what is left of it after a cut stays together, and a
gap bead the realign still breaks up is made again.

Then a unit at the edge of a multi-unit bead is let go (as a 1-0 or 0-1 bead) when the bead
without it matches better: the aligner's programme gives every sentence in a bead a share of
the bead's value, so it glues a neighbour with no counterpart to a good bead for a small loss
of match.

Finally every bead with both sides gets its ``score``: the probability that the bead is
exactly right, from a logistic model of the aligner's evidence (see :func:`bead_confidence`).

New pieces are :class:`~corpus.types.Sentence` s with spans into the same text as the unit
they come from, so refs stay right and every sentence of the input is still covered exactly
once.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from corpus.segment import title_case_tail
from corpus.sentence_align import AlignConfig, align_vectors, span_quality
from corpus.types import Bead, Sentence


@dataclass(frozen=True)
class RefineConfig:
    """Settings of :func:`refine_pairs` (chosen from first principles, see the module doc)."""

    split: bool = True  # look for sentence ends inside units
    release: bool = True  # let go of edge units that only lower a bead's match
    # the boundary's predicted place (share of the unit's characters) is off by ~0.06 of the
    # unit's length (one standard deviation) when both sentences follow the typical length
    # ratio; short sentences and spelt-out names vary more, hence 0.08. Candidates further
    # than 4 sd are not tried
    position_sd: float = 0.08
    window_sd: float = 4.0
    # a cue moves a candidate up the ranking as much as being this many sd closer
    # closing quote before; bullet, YYYY:, opening quote or opening connective after
    strong_cue: float = 1.0
    # Arabic و/ف opening a word; English capital after lowercase (or a pronoun or
    # determiner after a name, en_starters)
    weak_cue: float = 0.5
    candidates: int = 3  # embedded per boundary in the first round (+1 per side band)
    # a first look at this many by prior (and the lexicon's best, and the join marks near
    # the best): where it shows the writer's join, the search stops (_run_jobs); 0: no
    # first look, the whole search for every job
    first_look: int = 2
    # rounds of moving the two best points by one word; the climb stops by itself when
    # neither neighbour of the two best is new (a local optimum), this only caps it
    climb_steps: int = 8
    # a join mark this close (characters, about three words) to the best cut, or within this
    # many sd of the predicted place, is where the boundary is: the writer joined there
    join_reach: int = 30
    join_skip_sd: float = 1.0
    # True: the join marks within join_reach of the best cut (either side) are cut at and
    # evaluated too; the unit stays whole when the best of them is within join_tolerance of
    # the best cut's gain (the embedding cannot tell the two places apart, and the writer
    # marked one of them), and is cut at the best cut otherwise (a comma closing the last
    # clause of a sentence, or the next sentence's opening phrase, "However, ...",
    # "رغم ذلك، ...", is no join). False (the first rule): any join mark within join_reach
    # either way keeps it whole, and one within join_skip_sd of the predicted place skips
    # the boundary without embedding anything
    join_compete: bool = True
    # what moving a cut by a word or two changes in the objective (the gain of cuts one
    # word apart differs by ~0.005-0.015 over the 2-3 sentences of the beads). On our seen
    # check set the writer's merges fall within 0.03 of the best cut and true boundaries
    # near a comma beat the comma by 0.02-0.2 (docs/benchmarks/align.md, seg4)
    join_tolerance: float = 0.03
    min_words: int = 3  # a piece shorter than this is no sentence of its own
    min_chars: int = 15
    # beads with more sentences on the other side are left alone; a gap bead (below) has at
    # most this many (the aligner's own beads have three at most)
    max_units: int = 8
    rounds: int = 4  # split, realign, split again (a unit may hold three sentences)
    # cut the unit at the boundary of two neighbouring beads where the other side's bead
    # boundary falls inside it by more than this many position_sd from either end
    # (_cross_jobs)
    cross: bool = True
    cross_inside_sd: float = 2.5
    # a piece of a crossing's cut needs only the direction of its contrast when it joins
    # another unit of its side, read off the beads (_crossing_contrast); False: the piece
    # that moves is taken to join and the one that stays to stand alone, as before
    cross_joined: bool = True
    # cut both units of a 1-1 bead where the English shows a missing full stop
    # (_hidden_jobs)
    hidden: bool = True
    # cut both units of a 1-1 bead at a spaced dash (— or –) that both show at about the same
    # place (a bold label and its clause: "Attribution — You must give ..."), on the same
    # evidence as a hidden 2-2 (_dash_jobs); the label may be a single word
    dash: bool = True
    # a 1-1 bead whose one unit is longer than its translation by more than this many sd of
    # the aligner's length model (log ratio sd 0.18: 2.5 sd is ~1.6 times the usual length)
    # may hold a sentence the other side never translated, run on without its full stop:
    # the unit is cut where the translation's length ends (or starts) and the rest is left
    # out when the piece matches better alone (_extra_jobs); 0: never
    extra_sd: float = 2.5
    # a unit left out (1-0 / 0-1) beside a sentence of the other side left out, and longer
    # than that sentence's translation would be, may hold that translation and a sentence
    # with none, run on without its full stop: it is cut in the same way, the piece that
    # matches paired with the sentence and the rest left out (_orphan_jobs)
    orphans: bool = True
    # English: a capitalised pronoun or determiner ("The", "It", "They", ...) after a
    # capitalised word, a number or a closing quote, in a sentence (not a title-case line)
    # and not where a name is called for ("of The Times"), shows a missing full stop as a
    # capitalised opener after a lowercase word does (_en_sentence_start): a weak cue, and
    # a hidden 2-2 candidate
    en_starters: bool = True
    # English: a cut where the English shows a missing full stop (_missing_stop), within
    # join_reach of the best cut and within join_tolerance of its gain, is the boundary (the
    # embedding cannot tell a word or two apart; the spelling says where the sentence
    # starts), and a join mark near the best cut is then no writer's join (_start_near_best)
    start_compete: bool = True
    # English: a common word (one the pair's English writes in lowercase elsewhere)
    # capitalised after a lowercase word and before another spells a sentence start too
    # (_capitalised_common: "... kill them Vaccine teaches ..."), for start_compete
    common_capitals: bool = True
    # choose among cuts by a word translation model learned from the run's 1-1 beads too
    # (corpus.lexicon): its per-word log-likelihood of the two beads, times this weight,
    # is added to the objective's gain (moving one content word to the side of its
    # translation is worth ~2-5 nats over ~40 words, i.e. ~0.005-0.01 at weight 0.1)
    lexicon: bool = True
    lexicon_weight: float = 0.1
    # a comma that closes a sentence's opening phrase ("However,", "ومع ذلك،";
    # _AR_OPENER_PHRASES, _EN_OPENER_PHRASES) right after the best cut is no join, and the
    # point before the phrase is a strong cue
    openers: bool = True
    # a join mark inside a quotation that closes right at the best cut is the quoted
    # speaker's, no join of the sentences that meet there; nor is a colon right before an
    # opening quote (it introduces the quotation: _introduces_quote)
    quotes: bool = True
    # a cut's cue counts (CUE_GAIN per unit of weight) when the cut is weighed against the
    # whole bead, as it does among cuts: the objective cannot see the writer's marks, and
    # the two are often a hair apart (a few thousandths) where the cue is the only evidence
    cue_against_whole: bool = True
    # Arabic: a cut one word after a join mark, where that word opens with the conjunction
    # و/ف ("... منطقة اللعب، وسيتي | تواجه ..."), stands for the join mark (_conjunct_tail):
    # the conjunction opens the next clause, and no sentence ends with a one-word clause
    # (outside a list: "الإجهاد، والإرهاق، والقلق")
    conjunct_word: bool = True
    # a unit left out (1-0 / 0-1) that translates a run of two or more left-out sentences of
    # the other side in the same gap between aligned beads (or at the span's edge, where the
    # English left out is the pair's en_margins), run on without full stops, is paired with
    # them as a 1-N / N-1 bead when the aligner would take that bead if the shape were
    # allowed; the split rounds then cut it (_gap_beads)
    gaps: bool = True
    # a crossing's cut of an English unit hands the right piece to the next bead as its
    # first sentence, and no English sentence opens with a lowercase word: where the best
    # cut is before one (and after no join mark), the best cut tried within join_reach
    # whose piece opens with a capital is weighed instead, and the unit stays whole if
    # there is none ("The party reportedly wants | company bosses ..."). Measured for
    # every job kind, split jobs lost three right rows on dev-sparse (a cut a word past a
    # sentence start moved onto a name), so it is the crossings' rule
    cross_capital: bool = True
    # no cut where no sentence can end (_no_boundary): right after a word that needs the
    # phrase after it (a preposition, an article, a conjunction, a relative pronoun, a
    # particle; closed lists of each language), or before Arabic أن (a subordinate clause's
    # particle, no sentence opens with it). The embedding cannot tell a word or two apart,
    # and its best cut lands there as readily as at the boundary (``... عالميين نرى | أن
    # اللغات ...``, the sentence opening at نرى)
    end_words: bool = True
    realign: bool = True  # align the finer units again after each round of splits
    loose: bool = True  # 1-3 / 3-1 beads pay what 1-2 / 2-1 pay before the first round

    def signature(self) -> str:
        from corpus.sentence_align import _settings_hash

        return "refine:split-1" + _settings_hash(self, RefineConfig())


# marks after which a boundary is the writer's own join (comma, semicolon, colon, Arabic
# comma U+060C and semicolon U+061B)
_JOIN_MARKS = frozenset(",;:\u060c\u061b")
_CLOSING_QUOTES = frozenset("\"'\u201d\u2019\u00bb)")
_OPENING_QUOTES = frozenset("\"\u201c\u00ab(")
_BULLETS = frozenset("\u2013\u2014-\u2022\u00b7*")
_YEAR_LABEL = re.compile(r"\d{4}\s*:")
_EN_JOINERS = frozenset({"and", "but", "or", "so", "while", "as", "then"})


def _cue(left: str, right: str, lang: str, config: RefineConfig) -> tuple[float, bool]:
    """(cue weight, join) of the boundary between ``left`` and ``right`` (both stripped)."""
    last = left[-1]
    words = left.split()
    if last in _JOIN_MARKS and not (last == "," and left[-2:-1].isdigit()
                                    and right[:1].isdigit()):
        return config.strong_cue, True
    if (lang == "en" and len(words) >= 2 and words[-1].lower() in _EN_JOINERS
            and words[-2][-1] in _JOIN_MARKS):
        return config.strong_cue, True  # "..., and" + next sentence: the writer's join
    if lang == "ar" and config.conjunct_word and _conjunct_tail(words):
        # "... اللعب، وسيتي | تواجه": the writer's join one word back; no cue of its own (the
        # cut is no better placed than its neighbours), but it counts as the join mark
        return 0.0, True
    weight = 0.0
    if last in _CLOSING_QUOTES and not _plural_possessive(left, right):
        weight = config.strong_cue
    first = right[0]
    if ((first in _BULLETS and not _dash_joins(right, lang)) or first in _OPENING_QUOTES
            or _YEAR_LABEL.match(right)):
        weight = max(weight, config.strong_cue)
    if config.openers and _opens_with_phrase(right, lang):
        weight = max(weight, config.strong_cue)  # "However, ...", "ومع ذلك، ..."
    if lang == "ar":
        word = right.split()[0]
        if word[0] in "\u0648\u0641" and len(word) >= 3:  # و / ف prefixed to a word
            weight = max(weight, config.weak_cue)
    elif first.isupper() and (words[-1][:1].islower() or (
            config.en_starters and last not in _OPENING_QUOTES
            and _en_sentence_start(left, _first_word(right)))):
        weight = max(weight, config.weak_cue)
    return weight, False


def _plural_possessive(left: str, right: str) -> bool:
    """The apostrophe ending ``left`` is a plural possessive's (``students' behaviour``: an
    ``s'`` before a lowercase word), no closing quote."""
    return left[-1:] in "'\u2019" and left[-2:-1] in ("s", "S") and right[:1].islower()


# Arabic conjunctions that open a clause inside a sentence (but, rather, or, then)
_AR_JOINERS = frozenset("لكن ولكن بل أو ثم".split())
# closed-class words that open a clause after the conjunction و/ف glued to them (``- وهو
# ما ...``, ``- فلم ...``): pronouns, demonstratives, particles, prepositions. An open-class
# word may start with و/ف of its own (``- وزارة الصحة``, ``- فلسطين``: a list's bullet)
_AR_CLAUSE_WORDS = frozenset("""هو هي هم هما هن هذا هذه ذلك تلك هؤلاء هنا هناك إن أن إنه أنه
إنها أنها قد لم لن لا ما كان كانت كانوا يكون تكون من في على مع عن إلى بعد قبل حتى لكن إنما
""".split())


def _dash_joins(right: str, lang: str) -> bool:
    """``right`` opens with a dash and a conjunction (``- but still ...``, ``- ولكن مع
    ...``): a dash inside a sentence, before its next clause, no bullet of a list."""
    words = right.split()
    if len(words) < 2 or len(words[0]) != 1:
        return False
    word = words[1]
    if lang == "en":
        return word in _EN_JOINERS
    return word in _AR_JOINERS or (word[0] in "وف" and _ar_match(word[1:]) in _ar_clause_words())


@functools.cache
def _ar_clause_words() -> frozenset[str]:
    return frozenset(_ar_match(w) for w in _AR_CLAUSE_WORDS)


def _conjunct_tail(words: list[str]) -> bool:
    """The words of a left piece end with a join mark and one word that opens with the
    conjunction و/ف (``... اللعب، وسيتي``), the mark not being one of a list's (no other join
    mark in the three words before it: ``الإجهاد، والإرهاق، والقلق`` ends a sentence)."""
    if len(words) < 2 or words[-2][-1] not in _JOIN_MARKS:
        return False
    word = words[-1]
    if word[0] not in "\u0648\u0641" or len(word) < 3:
        return False
    return not any(w[-1] in _JOIN_MARKS for w in words[-5:-2])


# Phrases that open a sentence and close with a comma: the discourse connectives of each
# language ("However, ...", "ومع ذلك، ..."). A comma right after one is no place where two
# sentences were joined: the sentence starts before the phrase. Only connectives that hardly
# ever close a clause are listed (not "also", "أيضًا", "حاليًا", "بعد ذلك"). Arabic ones are
# matched in the ``match`` normal form, with or without a leading و / ف.
_AR_OPENER_PHRASES = """مع ذلك|مع هذا|رغم ذلك|رغم هذا|برغم ذلك|بالرغم من ذلك|على الرغم من ذلك
في الواقع|في الحقيقة|الواقع|الحقيقة|لكن|بيد أن|إلا أن
بالإضافة إلى ذلك|إضافة إلى ذلك|علاوة على ذلك|فضلا عن ذلك
في المقابل|بالمقابل|على العكس|على العكس من ذلك|على النقيض من ذلك
من ناحية أخرى|من جهة أخرى|من ناحية|من جهة|من ناحيته|من جهته|من ناحيتها|من جهتها
في الوقت نفسه|في الوقت ذاته|في نفس الوقت|في غضون ذلك|في هذه الأثناء|في الأثناء|في تلك الأثناء
لذلك|لذا|لهذا|بالتالي|إذن|على أي حال|على كل حال|في كل الأحوال|في جميع الأحوال
من ثم|بدلا من هذا|في النهاية|في نهاية المطاف|أخيرا|في الختام|ختاما|باختصار|عموما|إجمالا|أولا|ثانيا|ثالثا
على سبيل المثال|مثلا|بعبارة أخرى|بمعنى آخر|بدلا من ذلك|بالطبع|طبعا|بالفعل|للأسف
لسوء الحظ|لحسن الحظ|بالمناسبة|على حد قوله|على حد قولها|على حد تعبيره|على حد تعبيرها"""
_EN_OPENER_PHRASES = """however|indeed|in fact|meanwhile|moreover|furthermore|in addition
additionally|nevertheless|nonetheless|even so|instead|therefore|thus|hence|consequently
as a result|in contrast|by contrast|on the other hand|at the same time|after all|of course
in the end|finally|firstly|secondly|besides|likewise|similarly|for example|for instance
in other words|at any rate|anyway|but|and yet|yet|still|otherwise|ultimately|unfortunately
fortunately|sadly|in short|overall|in the meantime|that said|in particular|above all"""


@functools.lru_cache(maxsize=4096)
def _ar_match(text: str) -> str:
    from corpus.normalize import normalize

    return " ".join(normalize(text, "match").split())


@functools.cache
def _opener_set(lang: str) -> frozenset[str]:
    if lang == "en":
        return frozenset(re.split(r"[|\n]", _EN_OPENER_PHRASES))
    return frozenset(_ar_match(p) for p in re.split(r"[|\n]", _AR_OPENER_PHRASES))


def _is_opener(phrase: str, lang: str) -> bool:
    """``phrase`` (one to three words, no comma) is a sentence's opening connective; an
    opening quote before it (a quoted sentence: ``"However, we ...``, ``"ومع ذلك، ...``)
    changes nothing."""
    phrase = _unquoted(phrase)
    if lang == "en":
        return phrase[:1].isupper() and phrase.lower() in _opener_set("en")
    norm = _ar_match(phrase)
    return norm in _opener_set("ar") or (
        norm[:1] in "\u0648\u0641" and norm[1:] in _opener_set("ar"))


def _unquoted(phrase: str) -> str:
    """``phrase`` without the opening quotes before its first word (a quotation that opens
    with the sentence: the connective is the quoted sentence's first word all the same)."""
    return phrase.lstrip("".join(_OPENING_QUOTES) + "'\u2018")


# up to three words and a comma (Arabic U+060C or Latin) after them
_OPENING_PHRASE = re.compile(r"^([^\s,\u060c]+(?:\s+[^\s,\u060c]+){0,2})[,\u060c](?=\s)")


def _opens_with_phrase(right: str, lang: str) -> bool:
    """``right`` starts with an opening connective and its comma ("However, the ...")."""
    m = _OPENING_PHRASE.match(right)
    return m is not None and _is_opener(m.group(1), lang)


def _opener_start(text: str, at: int, lang: str) -> int | None:
    """Where the opening connective starts whose comma ends ``text[:at]`` (None: the comma
    closes no such phrase)."""
    left = text[:at].rstrip()
    if not left or left[-1] not in ",\u060c":
        return None
    words = list(re.finditer(r"\S+", left[:-1]))
    for n in (3, 2, 1):  # the longest phrase: "وعلى حد قوله" before "حد قوله"
        if len(words) >= n and _is_opener(" ".join(w.group() for w in words[-n:]), lang):
            return words[-n].start()
    return None


# a join mark followed by a space; a comma between two numbers ("September 29, 2018",
# "1, 2 and 3") is part of a date or a list of numbers, not a clause join
_JOIN_AT = re.compile(r"(?<!\d)[,;:\u060c\u061b](?=\s)|(?<=\d)[,;:\u060c\u061b](?=\s+\D)")


def _join_near(text: str, cut: "_Cut", reach: int) -> bool:
    """A join mark (followed by a space) within ``reach`` characters of the cut."""
    if reach <= 0:
        return False
    lo, hi = max(0, cut.at - reach), cut.right + reach
    return _JOIN_AT.search(text, lo, min(len(text), hi)) is not None


# Words that never end a sentence: each needs the phrase after it (a preposition its
# object, an article or a possessive its noun, a conjunction, a complementizer or a relative
# pronoun its clause). Closed lists, general facts of each language. English prepositions
# that may be stranded at a sentence's end ("where it came from", "to deal with") are left
# out; Arabic ones are written with and without their hamza, compared without diacritics
# (not in the match form, which folds على into the name علي)
_EN_NO_END = frozenset("""the a an of to and or nor but its their our my your whose which
than""".split())
_AR_NO_END = frozenset("""من في على إلى الى عن منذ لدى عند نحو حول خلال ضد بين عبر مع
أن ان إن أنّ إنّ لأن بأن كي لكي لن لم قد الذي التي الذين اللذين اللتين اللواتي اللاتي
و أو او ثم بل لكن ولكن حيث إذا اذا لو
""".split())
_AR_MARKS = re.compile("[\u064b-\u0652\u0640]")  # harakat and tatweel


def _cannot_end(left: str, lang: str) -> bool:
    """The last word of ``left`` (no mark after it) is one no sentence of ``lang`` ends
    with (``... the boy who went to | the market``, ``... ذهب إلى | السوق``)."""
    words = left.split()
    if not words:
        return False
    word = words[-1]
    if lang == "en":
        return word.lower() in _EN_NO_END
    return _AR_MARKS.sub("", word) in _AR_NO_END


def _cannot_open(right: str, lang: str) -> bool:
    """``right`` opens with a word no sentence of ``lang`` opens with: Arabic أنّ / أنْ
    (that, to: the particle of a subordinate clause; a sentence opens with إنّ)."""
    words = right.split()
    return lang == "ar" and bool(words) and _AR_MARKS.sub("", words[0]) == "\u0623\u0646"


def _no_boundary(left: str, right: str, lang: str) -> bool:
    """No sentence can end between ``left`` and ``right`` (RefineConfig.end_words)."""
    return _cannot_end(left, lang) or _cannot_open(right, lang)


@dataclass
class _Cut:
    at: int  # offset of the split in the unit text (left = text[:at].rstrip())
    right: int  # offset where the right piece starts
    prior: float
    join: bool
    cue: float
    offset: float  # distance from the predicted place, in standard deviations (signed)


def _boundaries(text: str, lang: str, share: float, config: RefineConfig) -> list[_Cut]:
    """Word boundaries of ``text`` within the window around ``share`` of its length."""
    n = len(text)
    out = []
    for m in re.finditer(r"\s+", text):
        left, right = text[:m.start()].rstrip(), text[m.end():]
        if (len(left.split()) < config.min_words or len(right.split()) < config.min_words
                or len(left) < config.min_chars or len(right.strip()) < config.min_chars):
            continue
        off = (m.start() / n - share) / config.position_sd
        if abs(off) > config.window_sd:
            continue
        if config.end_words and lang == "ar" and _no_boundary(left, right, lang):
            continue  # English: see _can_end
        cue, join = _cue(left, right.rstrip(), lang, config)
        out.append(_Cut(m.start(), m.end(), cue - abs(off), join, cue, off))
    return out


def _piece(unit: Sentence, a: int, b: int) -> Sentence:
    """The sentence of ``unit.text[a:b]``, whitespace trimmed, spans shifted."""
    chunk = unit.text[a:b]
    lead = len(chunk) - len(chunk.lstrip())
    text = chunk.strip()
    start = unit.start + a + lead
    return Sentence(text=text, start=start, end=start + len(text), lang=unit.lang,
                    paragraph=unit.paragraph)


class _Vectors:
    """Vectors by text, from a store with ``add(texts)``, ``row`` and ``matrix``
    (:class:`corpus.pair._Vectors`: each distinct text embedded once)."""

    def __init__(self, store):
        self.store = store

    def add(self, texts) -> None:
        self.store.add(list(texts))

    def get(self, text: str) -> np.ndarray:
        return self.store.matrix[self.store.row[text]]

    def many(self, texts) -> np.ndarray:
        return self.store.matrix[[self.store.row[t] for t in texts]]


def _span(vectors: list[np.ndarray], lengths: list[int]) -> np.ndarray:
    """The aligner's stand-in for the vector of a concatenation: normalised, length-weighted
    sum of the parts' vectors."""
    v = np.sum([(length + 1.0) * vec for vec, length in zip(vectors, lengths)], axis=0)
    return np.asarray(v / max(float(np.linalg.norm(v)), 1e-12))


@dataclass
class _Work:
    """One translated SectionPair being refined: units per side and beads over them."""

    ar: list[Sentence]
    en: list[Sentence]
    beads: list[tuple[list[int], list[int]]]  # indices into ar / en
    ar_pool: np.ndarray  # vectors of the original units, for the margin's neighbours
    en_pool: np.ndarray
    key: int = 0  # index of the pair
    # the English words the pair's English text writes in lowercase somewhere (lazily, by
    # _lowercase_words): a capitalised one of them after a lowercase word opens a sentence
    en_lowercase: frozenset[str] | None = None
    # ids of the Arabic units no job may cut: the pair's repeated sentences and the ones they
    # repeat (SectionPair.repeats maps one to the other, and the map must still hold after)
    whole: frozenset[int] = frozenset()
    # ids of the English sentences in any work of the run (one set shared by all works): a
    # margin sentence another pair already holds is no margin of this one (two blocks paired
    # with one English section share the English between their spans as margins, and a
    # sentence serves one block only)
    en_held: set[int] = field(default_factory=set)
    # ids of the English sentences this work has held, cut ones too (a margin sentence the
    # work took and cut is in the work as its pieces: it is no margin any more)
    en_had: set[int] = field(default_factory=set)


def _quality(work: _Work, vec: _Vectors, ar: list[Sentence], en: list[Sentence],
             config: AlignConfig) -> tuple[float, float]:
    """(quality, cosine) of the bead of ``ar`` against ``en`` by the aligner's measure."""
    a = _span([vec.get(s.text) for s in ar], [len(s.text) for s in ar])
    e = _span([vec.get(s.text) for s in en], [len(s.text) for s in en])
    return span_quality(a, e, sum(len(s.text) for s in ar), sum(len(s.text) for s in en),
                        work.ar_pool, work.en_pool, config)


@dataclass
class _Job:
    """The search for a cut of one unit. Its kind: split (the unit of a 1-N / N-1 bead,
    :func:`_jobs`), cross (``cross`` set, :func:`_cross_jobs`), hidden or dash (a 1-1
    bead, both units cut: ``en_pieces`` set, :func:`_hidden_jobs`, :func:`_dash_jobs`),
    extra (a 1-1 bead, a piece left out: ``extra`` set, :func:`_extra_jobs`) or orphan (an
    extra job of a 1-0 / 0-1 unit and the other side's left-out sentence beside it: ``extra``
    and ``orphan`` set, :func:`_orphan_jobs`)."""

    work: _Work
    bead: int  # index into work.beads
    side: str  # "ar": split the Arabic unit; "en": the English one
    t: int  # the other side's sentences [:t] go left, [t:] right
    unit: Sentence
    cuts: list[_Cut]  # in text order
    config: RefineConfig
    # cross: 1 or 2, a crossing of the beads ``bead`` and ``bead + 1``, where ``unit`` is
    # the last ``side`` unit of the first bead (1) or the first of the second (2) and the
    # other side's bead boundary falls inside it
    cross: int = 0
    # cross: how much less the two beads' shapes cost when the aligner made them (a 1-3 /
    # 3-1 made at the 1-2 price, RefineConfig.loose) than _decide charges them now; taken
    # off each cut's gain, so a cut does not win by undoing that price
    loosened: float = 0.0
    # hidden and dash: the English unit's two pieces (at its missing full stop or its
    # dash); the Arabic unit is searched as usual
    en_pieces: tuple[Sentence, Sentence] | None = None
    # extra: 1, the left piece is the translation and the right one is left out; 2, the
    # other way round
    extra: int = 0
    # extra of a unit left out (1-0 / 0-1) beside a sentence of the other side left out
    # (_orphan_jobs): 1, the unit is bead ``bead`` and the sentence bead ``bead + 1``; 2,
    # the other way round
    orphan: int = 0
    # the search: per cut tried, (gain, min cosine, cross-assignment contrast)
    tried: dict = field(default_factory=dict)
    # the lexical match of each cut (corpus.lexicon.cut_scores times
    # RefineConfig.lexicon_weight), None without a lexicon
    lex: list[float] | None = None
    # cross: per cut tried, whether each receiving bead is made as two (the piece 1-1 with
    # the unit it meets, see _receiving_bead)
    apart: dict = field(default_factory=dict)


def _job_beads(job: _Job) -> tuple[int, ...]:
    return (job.bead, job.bead + 1) if job.cross or job.orphan else (job.bead,)


def _cross_sides(job: _Job) -> tuple[list[Sentence], list[Sentence], list[Sentence],
                                      list[Sentence]]:
    """For a crossing job: the other side's units of the two beads (x1, x2) and this side's
    units but the cut one (before, after): the left piece goes with x1 after ``before``, the
    right one with x2 before ``after``."""
    w = job.work
    (a1, e1), (a2, e2) = w.beads[job.bead], w.beads[job.bead + 1]
    if job.side == "ar":
        x1, x2, y1, y2 = [w.en[j] for j in e1], [w.en[j] for j in e2], a1, a2
        units = w.ar
    else:
        x1, x2, y1, y2 = [w.ar[i] for i in a1], [w.ar[i] for i in a2], e1, e2
        units = w.en
    before, after = (y1[:-1], y2) if job.cross == 1 else (y1, y2[1:])
    return x1, x2, [units[i] for i in before], [units[i] for i in after]


def _pieces(job: _Job, k: int) -> tuple[Sentence, Sentence]:
    c = job.cuts[k]
    return _piece(job.unit, 0, c.at), _piece(job.unit, c.right, len(job.unit.text))


def _evaluate_cross(job: _Job, k: int, vec: _Vectors, config: AlignConfig) -> None:
    """Gain of cutting the unit of a crossing: (x1, before + left), (x2, right + after)
    against the two beads as they are (a one-sided bead, 0-1 or 1-0, counts nothing)."""
    left, right = _pieces(job, k)
    x1, x2, before, after = _cross_sides(job)
    share = len(left.text) / max(1, len(left.text) + len(right.text))
    g1, cos1, apart1 = _receiving_bead(job, vec, config, left, share, before, x1, last=True)
    g2, cos2, apart2 = _receiving_bead(job, vec, config, right, 1 - share, after, x2,
                                       last=False)
    lv, rv = vec.get(left.text), vec.get(right.text)
    ov1 = _span([vec.get(s.text) for s in x1], [len(s.text) for s in x1])
    ov2 = _span([vec.get(s.text) for s in x2], [len(s.text) for s in x2])
    # the piece that stands alone must be clearly closer to its own counterpart; the one
    # that joins the other unit of its side is matched against a counterpart that holds
    # more than its translation, so only the direction of its contrast counts
    c1 = float(lv @ ov1) - float(lv @ ov2)
    c2 = float(rv @ ov2) - float(rv @ ov1)
    crossed = _crossing_contrast(job, c1, c2, before, after)
    job.tried[k] = (g1 + g2 - job.loosened, min(cos1, cos2), crossed)
    job.apart[k] = (apart1, apart2)


def _crossing_contrast(job: _Job, c1: float, c2: float, before: list[Sentence],
                       after: list[Sentence]) -> float:
    """The contrast a crossing's cut must clear (more than ``CROSSED_MARGIN``), from each
    piece's (``c1`` left, ``c2`` right: how much closer it is to its own counterpart than to
    the other bead's): a piece that stands alone in its bead must be clearly closer; one
    that joins another unit of its side (``before`` for the left piece, ``after`` for the
    right one) is matched against a counterpart that holds more than its translation, so
    only the direction of its contrast counts. Which piece joins is read off the beads:
    mostly the piece that moves (the right one of cross 1, the left one of cross 2), but the
    piece that stays joins too when the unit shares its bead with another of its side (a
    2-1 bead next to a left-out sentence: ``... كجزء من العلاج | يمكنهم ... حقنها يُظهر
    لقاح ...`` whose last sentence is the left-out ``A trial vaccine is showing ...``'s),
    and the piece that moves stands alone when the bead it goes to is the other side's
    left-out sentence. Without ``RefineConfig.cross_joined`` the first reading is used
    for every crossing."""
    if not job.config.cross_joined:
        alone, joined = (c1, c2) if job.cross == 1 else (c2, c1)
        return min(alone, joined + CROSSED_MARGIN)
    return min(c1 + CROSSED_MARGIN * bool(before), c2 + CROSSED_MARGIN * bool(after))


def _shape_cost(config: AlignConfig, shape: tuple[int, int]) -> float:
    """The aligner's penalty of a bead shape; a shape it never makes (2-3, 3-2, ...) pays
    as much as its costliest one, not nothing."""
    if shape in config.shapes or max(shape) <= 1:
        return config.shape_penalty.get(shape, 0.0)
    return max(config.shape_penalty.values(), default=0.0)


def _receiving_bead(job: _Job, vec: _Vectors, config: AlignConfig, piece: Sentence,
                    share: float, mine: list[Sentence], x: list[Sentence], last: bool
                    ) -> tuple[float, float, bool]:
    """(objective, cosine, apart) of the bead that receives a piece of a crossing's unit:
    the piece joined to this side's other units ``mine`` (it comes last in the first bead,
    first in the second) against the other side's ``x``; or, when both sides would hold
    more than one unit, the piece alone against the unit of ``x`` next to it and the rest
    as a bead of their own (apart=True), whichever the objective prefers. The second form
    is what a 2-2 made of a crossing usually is (two 1-1 beads: the piece is the
    translation of the unit it meets); priced as one bead it pays the 2-2 penalty and the
    cut is never made. The piece counts as ``share`` of its unit's one sentence."""
    thr = config.threshold

    def bead(ys: list[Sentence], xs: list[Sentence], weight: float) -> tuple[float, float]:
        ar, en = (ys, xs) if job.side == "ar" else (xs, ys)
        q, cos = _quality(job.work, vec, ar, en, config)
        return weight * (q - thr) - _shape_cost(config, (len(ar), len(en))), cos

    ys = mine + [piece] if last else [piece] + mine
    gain, cos = bead(ys, x, len(x) + len(mine) + share)
    if not mine or len(x) < 2:
        return gain, cos, False
    if last:
        g_rest, c_rest = bead(mine, x[:-1], len(mine) + len(x) - 1)
        g_own, c_own = bead([piece], x[-1:], 1 + share)
    else:
        g_own, c_own = bead([piece], x[:1], 1 + share)
        g_rest, c_rest = bead(mine, x[1:], len(mine) + len(x) - 1)
    if g_rest + g_own > gain:
        return g_rest + g_own, min(c_rest, c_own), True
    return gain, cos, False


def _evaluate_hidden(job: _Job, k: int, vec: _Vectors, config: AlignConfig) -> None:
    """Gain of cutting both units of a 1-1 bead: (left, en left), (right, en right)."""
    left, right = _pieces(job, k)
    e1, e2 = job.en_pieces
    q1 = _quality(job.work, vec, [left], [e1], config)
    q2 = _quality(job.work, vec, [right], [e2], config)
    lv, rv, ev1, ev2 = (vec.get(x.text) for x in (left, right, e1, e2))
    crossed = min(float(lv @ ev1) - float(lv @ ev2), float(rv @ ev2) - float(rv @ ev1))
    share = len(left.text) / max(1, len(left.text) + len(right.text))
    en_share = len(e1.text) / max(1, len(e1.text) + len(e2.text))
    thr = config.threshold
    gain = ((share + en_share) * (q1[0] - thr) + (2 - share - en_share) * (q2[0] - thr)
            - 2 * config.shape_penalty.get((1, 1), 0.0))
    job.tried[k] = (gain, min(q1[1], q2[1]), crossed)


def _in_script(text: str, lang: str) -> bool:
    """Most letters of ``text`` are of the script of ``lang`` (Arabic or Latin)."""
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return arabic > latin if lang == "ar" else latin > arabic


def _evaluate_extra(job: _Job, k: int, vec: _Vectors, config: AlignConfig) -> None:
    """Gain of keeping one piece of a 1-1 bead's unit with the other side's unit and leaving
    the rest out (a 1-0 / 0-1 bead, worth nothing to the aligner)."""
    pieces = _pieces(job, k)
    kept, dropped = pieces if job.extra == 1 else pieces[::-1]
    [other] = _others(job)
    ar, en = ([kept], [other]) if job.side == "ar" else ([other], [kept])
    q, cos = _quality(job.work, vec, ar, en, config)
    ov = vec.get(other.text)
    # the kept piece must be clearly closer to the translation than the left-out one, and
    # than the whole unit: what is left out must take away words the translation lacks,
    # not only characters (the length prior alone would reward dropping any stretch of a
    # verbose unit, "أيه بي سي" for "ABC")
    kept_cos = float(vec.get(kept.text) @ ov)
    crossed = min(kept_cos - float(vec.get(dropped.text) @ ov),
                  kept_cos - float(vec.get(job.unit.text) @ ov))
    if not _in_script(kept.text, job.side):
        crossed = -1.0  # a copy of the other language inside the unit is no translation
    # priced as the aligner prices a 1-1 bead and a 1-0 one (worth nothing): the kept piece
    # is the sentence that the translation has (weighted by its share of the unit, the
    # gain would grow with every word of the other sentence kept)
    gain = 2 * (q - config.threshold) - config.shape_penalty.get((1, 1), 0.0)
    job.tried[k] = (gain, cos, crossed)


def _others(job: _Job) -> list[Sentence]:
    """The other side's units of the job's bead (of an orphan job: the sentence left out
    beside the unit)."""
    ar_idx, en_idx = job.work.beads[job.bead + (job.orphan == 1)]
    return ([job.work.en[j] for j in en_idx] if job.side == "ar"
            else [job.work.ar[i] for i in ar_idx])


def _evaluate(job: _Job, k: int, vec: _Vectors, config: AlignConfig) -> None:
    """Evaluate cut ``k`` of a job of any kind (see :class:`_Job`) into ``job.tried``."""
    if job.extra:
        _evaluate_extra(job, k, vec, config)
    elif job.en_pieces is not None:
        _evaluate_hidden(job, k, vec, config)
    elif job.cross:
        _evaluate_cross(job, k, vec, config)
    else:
        _evaluate_split(job, k, vec, config)


def _evaluate_split(job: _Job, k: int, vec: _Vectors, config: AlignConfig) -> None:
    """Gain of cutting the unit of a 1-N / N-1 bead: (left, others[:t]), (right,
    others[t:])."""
    left, right = _pieces(job, k)
    others = _others(job)
    if job.side == "ar":
        q1 = _quality(job.work, vec, [left], others[:job.t], config)
        q2 = _quality(job.work, vec, [right], others[job.t:], config)
    else:
        q1 = _quality(job.work, vec, others[:job.t], [left], config)
        q2 = _quality(job.work, vec, others[job.t:], [right], config)
    # each piece must be closer to its own counterpart than to the other piece's: otherwise
    # the cut is not where the two sentences meet (or there is no boundary to find)
    lv, rv = vec.get(left.text), vec.get(right.text)
    ov1 = _span([vec.get(s.text) for s in others[:job.t]], [len(s.text) for s in others[:job.t]])
    ov2 = _span([vec.get(s.text) for s in others[job.t:]], [len(s.text) for s in others[job.t:]])
    crossed = min(float(lv @ ov1) - float(lv @ ov2), float(rv @ ov2) - float(rv @ ov1))
    # the aligner's objective for the two beads, the pieces sharing their unit's weight of
    # one sentence (so the split is not paid for the extra row it makes)
    share = len(left.text) / max(1, len(left.text) + len(right.text))
    n_other = len(others)
    thr = config.threshold
    gain = ((share + job.t) * (q1[0] - thr) + (1 - share + n_other - job.t) * (q2[0] - thr)
            - _penalty(config, job, job.t) - _penalty(config, job, n_other - job.t))
    job.tried[k] = (gain, min(q1[1], q2[1]), crossed)


def _lex_sides(job: _Job) -> tuple[list[str], list[str], list[str], list[str]]:
    """The texts that go with the unit's left and right pieces on its own side and the
    counterparts of the two beads the cut makes (see corpus.lexicon.cut_scores)."""
    if job.en_pieces is not None:
        return [], [], [job.en_pieces[0].text], [job.en_pieces[1].text]
    if job.cross:
        x1, x2, before, after = _cross_sides(job)
        return ([s.text for s in before], [s.text for s in after], [s.text for s in x1],
                [s.text for s in x2])
    others = _others(job)
    return [], [], [s.text for s in others[:job.t]], [s.text for s in others[job.t:]]


def _lex_scores(job: _Job, lexicon, weight: float) -> list[float]:
    from corpus.lexicon import cut_scores

    mine1, mine2, other1, other2 = _lex_sides(job)
    raw = cut_scores(lexicon, job.unit.text, job.side, [c.at for c in job.cuts],
                     mine1, mine2, other1, other2)
    return [weight * x for x in raw]


def _anchors(text: str) -> set[str]:
    """Numbers (Arabic-Indic digits read as ASCII) and Latin-script words: translations keep
    them, so they show which side of a boundary a stretch of text belongs to."""
    from corpus.pair import latin_words, numbers_in

    return numbers_in(text) | latin_words(text)


def _anchored(text: str, cuts: list[_Cut], left: list[Sentence], right: list[Sentence]
              ) -> list[_Cut]:
    """The cuts that leave no anchor on the wrong side: a number or name that only the
    other side's right part has must not end up in the left piece, and the reverse."""
    a_left = _anchors(" ".join(s.text for s in left))
    a_right = _anchors(" ".join(s.text for s in right))
    only_left, only_right = a_left - a_right, a_right - a_left
    if not only_left and not only_right:
        return cuts
    return [c for c in cuts
            if not (_anchors(text[:c.at]) & only_right or _anchors(text[c.right:]) & only_left)]


def _penalty(config: AlignConfig, job: _Job, n_other: int) -> float:
    shape = (1, n_other) if job.side == "ar" else (n_other, 1)
    return _shape_cost(config, shape)  # a gap bead's piece may be longer than 1-3


def _jobs(work: _Work, config: RefineConfig, vec: _Vectors, align_config: AlignConfig
          ) -> list[_Job]:
    jobs = []
    for b, (ar_idx, en_idx) in enumerate(work.beads):
        if len(ar_idx) == 1 and 2 <= len(en_idx) <= config.max_units:
            side, unit, others = "ar", work.ar[ar_idx[0]], [work.en[j] for j in en_idx]
        elif len(en_idx) == 1 and 2 <= len(ar_idx) <= config.max_units:
            side, unit, others = "en", work.en[en_idx[0]], [work.ar[i] for i in ar_idx]
        else:
            continue
        lengths = [len(s.text) + 1 for s in others]
        total = sum(lengths)
        cuts: list[_Cut] = []
        owner: list[int] = []
        for t in range(1, len(others)):
            found = _boundaries(unit.text, unit.lang, sum(lengths[:t]) / total, config)
            cuts.extend(found)
            owner.extend([t] * len(found))
        # one job per boundary of the other side; each keeps its own candidates
        for t in range(1, len(others)):
            mine = [c for c, o in zip(cuts, owner) if o == t]
            mine = _anchored(unit.text, mine, others[:t], others[t:])
            # a join mark within one sd of the predicted place: the writer joined the
            # sentences there (as _decide would conclude), no need to embed anything
            if mine and (config.join_compete or not any(
                    c.join and abs(c.offset) <= config.join_skip_sd for c in mine)):
                jobs.append(_Job(work, b, side, t, unit, mine, config))
    if config.cross:
        jobs.extend(_cross_jobs(work, config, vec, align_config))
    if config.hidden:
        jobs.extend(_hidden_jobs(work, config))
    if config.dash:
        jobs.extend(_dash_jobs(work, config))
    if config.extra_sd > 0:
        jobs.extend(_extra_jobs(work, config, align_config))
    if config.orphans:
        jobs.extend(_orphan_jobs(work, config, align_config))
    return [job for job in jobs if id(job.unit) not in work.whole]


# English words that open a sentence and, capitalised after a lowercase word with no mark
# between them, show a missing full stop ("... a crime scene A woman appeared ...");
# "I" and names are left out (capitalised inside a sentence too). The closed classes whole
# (determiners and quantifiers, pronouns, numerals, question words, conjunctions and
# prepositions): inside a sentence they are lowercase unless a title is capitalised, and
# a title's word before them is capitalised too ("... the required turnout Another poll").
# Not "No" ("No.1", "No 10") nor "Your" (a licence's defined term: "does not replace Your
# obligations")
_EN_OPENERS = frozenset("""A An The This That These Those It Its He She They We You There
Their His Her Our My But And So Yet In On At After Before When While If As Since Although
Though However Meanwhile Now Then Some Many Most One Two Both All Other Others
Another Each Every Such Several Few Neither Either Any Much Everyone Nobody None
Someone Something Nothing Everything Three Four Five Six Seven Eight Nine Ten
What Why How Who Whose Where Which Because Unless Until Once Whether Whilst Also Still
Instead For With By From Under Over Despite During Without Through Among Amid Against
According Following""".split())
# Pronouns and determiners that open sentences and are capitalised inside one only as part
# of a title or name ("The Sunday Telegraph", "This Morning"): after a capitalised word, a
# closing quote or a number with no mark between (``... finding Sterling The English
# forward ...``) they still show a sentence start, unless the words before are a title (title
# case: no lowercase content word) or call for a name (``of``, ``told``, a colon, an
# opening quote). Words that often end a name or title ("A" in "Plan A", "One" in "Formula
# One", "All", "In", "On") are left out
_EN_STARTERS = frozenset("""The This These Those It He She They We There Their Our His
Its""".split())
_EN_NAME_CALLERS = frozenset("""of in on at for by from with to the a an and or called named
titled entitled dubbed nicknamed starring told tells telling watch watched watching read
reading wrote writes playing played show shows""".split())
_WORD_GAP = re.compile(r"\s+(?=(\w+)\b)")


def _en_sentence_start(left: str, word: str) -> bool:
    """A sentence starts with ``word`` right after ``left`` (stripped, no mark at its end)
    though ``left``'s last word is no lowercase one: ``word`` is a capitalised pronoun or
    determiner (``_EN_STARTERS``) after a capitalised word, a number or a closing quote that
    ends no title and calls for no name."""
    if word not in _EN_STARTERS:
        return False
    tail = left.split()[-6:]
    if not tail or tail[-1].strip("\"'\u201d\u2019)").lower() in _EN_NAME_CALLERS:
        return False
    # title case ("Kanye West Says It Didn't Go Well") capitalises every content word: a
    # lowercase word of four letters or more before the point says the text is a sentence
    return any(w[:1].islower() and sum(c.isalpha() for c in w) >= 4 for w in tail)


def _first_word(text: str) -> str:
    m = re.match(r"\w+", text)
    return m.group() if m else ""


def _missing_stop(left: str, word: str, starters: bool = True) -> bool:
    """``left`` (stripped) ends a sentence that lost its full stop and ``word`` opens the
    next: a capitalised sentence opener after a lowercase word or a number (``... a crime
    scene A woman ...``; not after a word that calls for a name, ``told The Sunday Times``),
    or a pronoun or determiner after a capitalised word or a closing quote
    (:func:`_en_sentence_start`; ``starters``)."""
    last = left[-1:]
    if not last or last in _JOIN_MARKS or last in _OPENING_QUOTES or last in _BULLETS:
        return False
    before = left.split()[-1]
    if before[0].islower() or before[0].isdigit():
        # not where a name is called for: "a source told The Sunday Times", "in The Hague"
        return (word in _EN_OPENERS and before.lower() not in _EN_NAME_CALLERS
                and not title_case_tail(left))
    return starters and _en_sentence_start(left, word)




def _hidden_jobs(work: _Work, config: RefineConfig) -> list[_Job]:
    """Hidden 2-2 beads: a 1-1 bead whose English unit has a missing full stop
    (:func:`_missing_stop`: a capitalised sentence opener after a lowercase word, ``... a
    crime scene A woman ...``, or a pronoun or determiner after a name or a closing quote)
    may hold two sentences on both sides.
    The English unit is cut there and the Arabic unit is searched near the place the
    English shares predict; the cut of both is kept on the usual evidence."""
    jobs = []
    for b, (ar_idx, en_idx) in enumerate(work.beads):
        if len(ar_idx) != 1 or len(en_idx) != 1:
            continue
        unit, en = work.ar[ar_idx[0]], work.en[en_idx[0]]
        for m in _WORD_GAP.finditer(en.text):
            left, right = en.text[:m.start()], en.text[m.end():]
            if not _missing_stop(left.rstrip(), m.group(1), config.en_starters):
                continue
            if (len(left.split()) < config.min_words or len(right.split()) < config.min_words
                    or len(left) < config.min_chars or len(right) < config.min_chars):
                continue
            pieces = (_piece(en, 0, m.start()), _piece(en, m.end(), len(en.text)))
            share = (len(left) + 1) / (len(left) + len(right) + 2)
            mirror = _mirror(config, left, "en")
            cuts = _boundaries(unit.text, unit.lang, share, mirror)
            cuts = _anchored(unit.text, cuts, [pieces[0]], [pieces[1]])
            if cuts:
                jobs.append(_Job(work, b, "ar", 1, unit, cuts, mirror, en_pieces=pieces))
    return jobs


# a dash between spaces: em dash U+2014, en dash U+2013 (a hyphen between spaces is too often
# a minus or a range)
_DASH = re.compile("\\s+[\u2013\u2014]\\s+")


def _dash_jobs(work: _Work, config: RefineConfig) -> list[_Job]:
    """A 1-1 bead whose two units each hold one spaced dash, at places that the character
    shares put within ``cross_inside_sd`` sd of each other: a label and its clause on both
    sides. Both units are cut at their dash (the dash itself goes to neither piece)."""
    jobs = []
    for b, (ar_idx, en_idx) in enumerate(work.beads):
        if len(ar_idx) != 1 or len(en_idx) != 1:
            continue
        unit, en = work.ar[ar_idx[0]], work.en[en_idx[0]]
        a_dash, e_dash = list(_DASH.finditer(unit.text)), list(_DASH.finditer(en.text))
        if len(a_dash) != 1 or len(e_dash) != 1:
            continue
        a, e = a_dash[0], e_dash[0]
        if not (unit.text[:a.start()].strip() and unit.text[a.end():].strip()
                and en.text[:e.start()].strip() and en.text[e.end():].strip()):
            continue
        a_share = a.start() / max(1, len(unit.text))
        e_share = e.start() / max(1, len(en.text))
        off = (a_share - e_share) / config.position_sd
        if abs(off) > config.cross_inside_sd:
            continue
        pieces = (_piece(en, 0, e.start()), _piece(en, e.end(), len(en.text)))
        cut = _Cut(a.start(), a.end(), config.strong_cue, False, config.strong_cue, off)
        jobs.append(_Job(work, b, "ar", 1, unit, [cut], config, en_pieces=pieces))
    return jobs


def _extra_jobs(work: _Work, config: RefineConfig, align_config: AlignConfig) -> list[_Job]:
    """Untranslated sentences inside a unit: a 1-1 bead whose one unit is far longer than
    its translation should be (more than ``extra_sd`` sd of the aligner's length model) may
    hold a sentence that the other side left out, run on without its full stop (``...
    الضغط علينا وقد حظى ترامب ...`` against ``... keeping up pressure.``). The unit is cut
    where the translation's length, at the start or at the end of the unit, puts the
    boundary, and the rest is left out (1-0 / 0-1) when the piece alone matches better
    than the whole unit (_evaluate_extra). Most 1-1 beads are within 2 sd, so the jobs are
    few."""
    jobs = []
    c = align_config.length_smoothing
    ratio = math.exp(align_config.length_mean)  # Arabic characters per English one
    # a sentence shown twice (a headline and its copy) is whole: it is not cut
    counts = Counter(_repeat_key(s.text) for s in work.ar + work.en)
    for b, (ar_idx, en_idx) in enumerate(work.beads):
        if len(ar_idx) != 1 or len(en_idx) != 1:
            continue
        ar, en = work.ar[ar_idx[0]], work.en[en_idx[0]]
        if counts[_repeat_key(ar.text)] > 1 or counts[_repeat_key(en.text)] > 1:
            continue
        z = ((math.log((len(ar.text) + c) / (len(en.text) + c)) - align_config.length_mean)
             / align_config.length_sigma)
        if abs(z) <= config.extra_sd:
            continue
        side, unit, other = ("ar", ar, en) if z > 0 else ("en", en, ar)
        own = len(other.text) * (ratio if side == "ar" else 1 / ratio)
        jobs.extend(_tail_jobs(work, b, side, unit, other, own, config))
    return jobs


def _tail_jobs(work: _Work, b: int, side: str, unit: Sentence, other: Sentence, own: float,
               config: RefineConfig, orphan: int = 0) -> list[_Job]:
    """The two extra jobs of ``unit`` (bead ``b``), which may hold ``other``'s translation,
    ``own`` characters long, at one end and a sentence with none run on at the other: cut
    where that translation ends (extra 1) or starts (extra 2)."""
    jobs = []
    share = (own + 1) / (len(unit.text) + 1)
    for extra, at in ((1, share), (2, 1 - share)):
        cuts = _boundaries(unit.text, unit.lang, at, config)
        # no number or name of the translation in the piece left out
        cuts = (_anchored(unit.text, cuts, [other], []) if extra == 1
                else _anchored(unit.text, cuts, [], [other]))
        if cuts:
            jobs.append(_Job(work, b, side, 1, unit, cuts, config, extra=extra,
                             orphan=orphan))
    return jobs


def _orphan_jobs(work: _Work, config: RefineConfig, align_config: AlignConfig) -> list[_Job]:
    """A unit left out (1-0 / 0-1) beside a sentence of the other side left out (``...
    الجديد" الذي تم نشره ... وقد عمل في ثمانينيات القرن العشرين ...`` untranslated, ``In
    the 1980s at Carnegie Mellon ...`` left out): the unit may hold the sentence's
    translation and a sentence with none, run on without its full stop, and the aligner
    could pair neither the whole unit nor leave the sentence with it. Where the unit is
    longer than the sentence's translation should be by at least a sentence's worth
    (``min_chars``), it is cut where that translation's length ends (or starts), as an
    extra job cuts (_evaluate_extra: the kept piece must clear the aligner's threshold and
    ``min_cosine`` against the sentence, and be closer to it than the whole unit and the
    rest are); the rest stays left out. Such neighbours are rare: the jobs are few."""
    jobs = []
    ratio = math.exp(align_config.length_mean)  # Arabic characters per English one
    counts = Counter(_repeat_key(s.text) for s in work.ar + work.en)
    for b in range(len(work.beads) - 1):
        (a1, e1), (a2, e2) = work.beads[b], work.beads[b + 1]
        if len(a1) == 1 and not e1 and len(e2) == 1 and not a2:
            orphan, ar, en = 1, work.ar[a1[0]], work.en[e2[0]]
        elif len(e1) == 1 and not a1 and len(a2) == 1 and not e2:
            orphan, ar, en = 2, work.ar[a2[0]], work.en[e1[0]]
        else:
            continue
        # a sentence shown twice (a headline and its copy) is the realign's to keep out
        if counts[_repeat_key(ar.text)] > 1 or counts[_repeat_key(en.text)] > 1:
            continue
        for side, unit, other in (("ar", ar, en), ("en", en, ar)):
            own = len(other.text) * (ratio if side == "ar" else 1 / ratio)
            if own + config.min_chars >= len(unit.text):
                continue
            # the unit is bead b (orphan 1) or b + 1 (orphan 2)
            jobs.extend(_tail_jobs(work, b, side, unit, other, own, config,
                                   orphan=orphan if side == "ar" else 3 - orphan))
    return jobs


def _holds_lone(work: _Work, vec: _Vectors, config: AlignConfig, lone: list[Sentence],
                own: list[Sentence], ys: list[Sentence]) -> bool:
    """A sentence with no counterpart of its own (``lone``: a 0-1 / 1-0 bead, or the edge
    unit the realign glued to a 1-3 / 3-1 bead) next to a bead of ``own`` against ``ys``
    (the other side's units): do ``ys`` hold its translation too? Most left-out sentences
    have none (a repeated headline, a line the translator dropped), so this asks what the
    aligner would, with the vectors at hand: ``ys`` match ``lone`` and ``own`` together
    better, by the aligner's quality, than ``own`` alone."""
    def quality(xs: list[Sentence]) -> float:
        ar, en = (ys, xs) if ys[0].lang == "ar" else (xs, ys)
        return _quality(work, vec, ar, en, config)[0]

    return quality(lone + own) > quality(own)


def _cross_jobs(work: _Work, config: RefineConfig, vec: _Vectors,
                align_config: AlignConfig) -> list[_Job]:
    """Crossings of two neighbouring beads: where both sides lost a stop in different places
    (Arabic ``A1`` ``A2+A3``, English ``E1+E2`` ``E3``), the aligner pairs the units 1-1
    twice and each bead holds a piece of the other's translation. The sign: by the character
    shares of the two beads, one side's bead boundary falls well inside the unit of the
    other side that touches the beads' boundary. A job cuts that unit there; the bead left
    with two units on one side is a 1-2 that the next round splits as usual.

    One of the two beads may be a left-out sentence (0-1 / 1-0): the unit at the boundary
    may hold its translation too, and the cut gives that piece to it. And a 1-3 / 3-1 made
    at the 1-2 price (RefineConfig.loose) takes part, for the realign glues a left-out
    sentence to the bead before it that way; both only when :func:`_holds_lone` says the
    unit's bead holds the sentence's translation."""
    jobs = []
    sizes = lambda units: sum(len(s.text) + 1 for s in units)  # noqa: E731
    made = _loose(align_config) if config.loose else align_config
    # a left-out sentence that repeats another of its side (a headline or a line shown
    # twice) is a copy, whose translation is its original's: the realign keeps it out
    copies = {lang: {k for k, n in Counter(_repeat_key(s.text) for s in units).items() if n > 1}
              for lang, units in (("ar", work.ar), ("en", work.en))}
    for b in range(len(work.beads) - 1):
        (a1, e1), (a2, e2) = work.beads[b], work.beads[b + 1]
        shapes = ((len(a1), len(e1)), (len(a2), len(e2)))
        loosened = sum(align_config.shape_penalty.get(x, 0.0) - made.shape_penalty.get(x, 0.0)
                       for x in shapes)
        # beads of up to three units; a 1-3 / 3-1 too when it was made at the 1-2 price
        # (the realign glues a left-out sentence to the bead before it that way)
        if max(sum(x) for x in shapes) > (4 if loosened > 0 else 3):
            continue
        units = {"ar": ([work.ar[i] for i in a1], [work.ar[i] for i in a2]),
                 "en": ([work.en[j] for j in e1], [work.en[j] for j in e2])}
        for side, other in (("ar", "en"), ("en", "ar")):
            x1, x2 = units[other]
            y1, y2 = units[side]
            # both beads hold the other side; this side may be missing from one of them:
            # a sentence left out (0-1 / 1-0) next to a bead whose unit at their boundary
            # holds its translation too (the unit lost its full stop, and its first or
            # last sentence is the left-out one's)
            if not (x1 and x2 and (y1 or y2)):
                continue
            share = sizes(x1) / (sizes(x1) + sizes(x2))
            place = share * (sizes(y1) + sizes(y2))  # in this side's characters
            if y1 and sizes(y1) - len(y1[-1].text) - 1 < place < sizes(y1):
                cross, unit = 1, y1[-1]
                at = (place - sizes(y1) + len(unit.text) + 1) / (len(unit.text) + 1)
            elif y2 and sizes(y1) <= place < sizes(y1) + len(y2[0].text) + 1:
                cross, unit, at = 2, y2[0], (place - sizes(y1)) / (len(y2[0].text) + 1)
            else:
                continue
            # well inside the unit: further from its ends than the lengths' uncertainty
            inside = config.cross_inside_sd * config.position_sd
            if not inside <= at <= 1 - inside:
                continue
            if not (y1 and y2):
                lone, own = (x1, x2) if not y1 else (x2, x1)
                if (_repeat_key(lone[0].text) in copies[other]
                        or not _holds_lone(work, vec, align_config, lone, own, y1 + y2)):
                    continue
            elif max(sum(x) for x in shapes) > 3:
                # the 1-3 / 3-1 bead holds a sentence the realign glued to it; the unit
                # must hold that sentence's translation as a left-out one's would
                lone, own, ys = ([x1[-1]], x2, y2) if cross == 2 else ([x2[0]], x1, y1)
                if not _holds_lone(work, vec, align_config, lone, own, ys):
                    continue
            cuts = _boundaries(unit.text, unit.lang, at, config)
            cuts = _anchored(unit.text, cuts, x1, x2)
            if cuts:
                jobs.append(_Job(work, b, side, 1, unit, cuts, config, cross=cross,
                                 loosened=loosened))
    return jobs


def _run_jobs(jobs: list[_Job], vec: _Vectors, align_config: AlignConfig,
              config: RefineConfig, lexicon=None) -> None:
    """Embed and evaluate candidates in two stages (each step one batch for all jobs).

    A first look: the best two by prior, the lexicon's best and the join marks and English
    sentence starts near the best of them. Where a join mark is then at least as good a
    place as the best other cut tried, and near it, and no sentence start near the best cut
    decides (:func:`_start_near_best`), the boundary is the writer's join (a translator's
    merge at a comma: most 1-2 beads of punctuated text) and the search stops: to change the
    decision, more cuts would have to find one that beats the join mark by the whole
    ``join_tolerance``, about two words' worth of the objective (on dev, dev-sparse and our
    seen check set this never happened: the output is the whole search's, for 47% fewer
    characters embedded on dev). The other jobs go on: the third by prior and the best of each side band, then
    the two best moved one word at a time while that helps, then the join marks and
    sentence starts near the best."""
    for job in jobs:
        # a piece left out has no counterpart to explain its words: no lexical comparison
        if lexicon is not None and job.cuts and not job.extra:
            job.lex = _lex_scores(job, lexicon, config.lexicon_weight)
    looked = [job for job in jobs if config.join_compete and config.first_look > 0]
    _evaluate_all([(job, _first(job, config, config.first_look, bands=False))
                   for job in looked], vec, align_config)
    _evaluate_all([(job, _joins_near_best(job) + _starts_near_best(job))
                   for job in looked if job.tried], vec, align_config)
    settled = {id(job) for job in looked if _join_settled(job)}
    jobs = [job for job in jobs if id(job) not in settled]
    todo = [(job, _first(job, config, config.candidates, bands=True)) for job in jobs]
    for _ in range(1 + config.climb_steps):
        if not todo:
            break
        _evaluate_all(todo, vec, align_config)
        nxt = []
        for job, _ in todo:
            # climb from the two best so far: the gain is noisy from word to word, and a
            # second hill is often the true one
            top = sorted(job.tried, key=lambda k: _pick(job, k), reverse=True)[:2]
            more = sorted({k for b in top for k in (b - 1, b + 1)
                           if 0 <= k < len(job.cuts) and k not in job.tried})
            if more:
                nxt.append((job, more))
        todo = nxt
    # the join marks and sentence starts near the best cut, cut at: the unit stays whole if
    # a join mark is as good a place as the best, or is cut at a sentence start that is
    # (see _decide)
    _evaluate_all([(job, _joins_near_best(job) + _starts_near_best(job))
                   for job in jobs if config.join_compete and job.tried], vec, align_config)


def _first(job: _Job, config: RefineConfig, n: int, bands: bool) -> list[int]:
    """The first candidates of a job: the best ``n`` by prior, the lexicon's best and, with
    ``bands``, the best of each side band, in case the lengths mislead (a name spelt out);
    not when the best by prior is a join mark: the writer marked a boundary where the
    lengths put it (the bands then changed no output of our three sets)."""
    ranked = sorted(range(len(job.cuts)), key=lambda k: (-job.cuts[k].prior, k))
    first = ranked[:n]
    if job.lex is not None and job.cuts:
        top = max(range(len(job.cuts)), key=lambda k: (job.lex[k], -k))
        if top not in first:
            first.append(top)
    if bands and ranked and not job.cuts[ranked[0]].join:
        for lo, hi in ((-2.5, -1.5), (1.5, 2.5)):
            band = [k for k in ranked if lo <= job.cuts[k].offset <= hi and k not in first]
            first += band[:1]
    return first


def _evaluate_all(todo: list[tuple[_Job, list[int]]], vec: _Vectors,
                  align_config: AlignConfig) -> None:
    """Embed the pieces of the cuts not tried yet (one batch) and evaluate them."""
    todo = [(job, [k for k in ks if k not in job.tried]) for job, ks in todo]
    texts = [p.text for job, ks in todo for k in ks for p in _pieces(job, k)]
    texts += [p.text for job, ks in todo if job.en_pieces and ks for p in job.en_pieces]
    if texts:
        vec.add(texts)
    for job, ks in todo:
        for k in ks:
            _evaluate(job, k, vec, align_config)


def _join_settled(job: _Job) -> bool:
    """After the first look: the writer's join decides the job (:func:`_writers_join`) and
    a join mark near the best other cut is at least as good a place as any tried."""
    if not job.tried or not _writers_join(job) or _start_near_best(job) is not None:
        return False
    k = _best(job, joins=False)
    best = job.cuts[k]
    if best.join:  # only join marks were tried
        return True
    # the same join marks _writers_join weighs (_joins_near: no opener's or quotation's comma)
    return any(job.tried[j][0] >= job.tried[k][0] for j in _joins_near(job, best)
               if j in job.tried)


def _joins_near(job: _Job, best: _Cut) -> list[int]:
    """The join cuts within ``join_reach`` characters of ``best`` (either side) that may be
    the writer's join of the sentences that meet there (:func:`_closes_opener`: not a comma
    of the next sentence's opening connective or of a quotation closed at ``best``)."""
    return [k for k, c in enumerate(job.cuts)
            if c.join and _within_reach(job, best, c) and not _closes_opener(job, best, c)
            and not (job.config.quotes and _introduces_quote(job.unit.text, c))]


def _introduces_quote(text: str, cut: _Cut) -> bool:
    """The join mark of ``cut`` is a colon right before an opening quote (``حيث قال:
    "...``, ``he said: "...``): it introduces a quotation that belongs to the sentence of
    the verb before it, and no sentence ends there (the writer joined nothing)."""
    opening = text[cut.right:cut.right + 1]
    return text[:cut.at].rstrip().endswith(":") and opening != "" and opening in \
        "\"'\u201c\u2018\u00ab"


def _joins_near_best(job: _Job) -> list[int]:
    """The join cuts near the best cut that is no join mark (:func:`_joins_near`), not
    evaluated yet."""
    best = job.cuts[_best(job, joins=False)]
    return [k for k in _joins_near(job, best) if k not in job.tried]


def _starts_sentence(job: _Job, cut: _Cut) -> bool:
    """The English of ``cut`` shows a sentence start with no full stop before it."""
    text = job.unit.text
    left, right = text[:cut.at].rstrip(), text[cut.right:]
    return (_missing_stop(left, _first_word(right), job.config.en_starters)
            or (job.config.common_capitals
                and _capitalised_common(left, right, _lowercase_words(job.work))))


def _lowercase_words(work: _Work) -> frozenset[str]:
    """The words that the pair's English writes in lowercase somewhere (computed once)."""
    if work.en_lowercase is None:
        work.en_lowercase = frozenset(
            w for s in work.en for w in re.findall(r"[A-Za-z]+", s.text) if w[0].islower())
    return work.en_lowercase


def _capitalised_common(left: str, right: str, lowercase: frozenset[str]) -> bool:
    """A sentence starts at ``right`` though its first word is no sentence opener of
    ``_EN_OPENERS``: a common word (one the text writes in lowercase elsewhere) capitalised
    after a lowercase word with no mark between, and followed by a lowercase word (``...
    rogue cells and kill them Vaccine teaches immune system ...``, summary lines run
    together). Inside a sentence English capitalises only names and titles, and a word the
    same text writes in lowercase is neither (truecasing's rule); a name that is also a
    common word mostly comes in a run of capitalised words (``former White House``) or
    after a word that calls for a name (``the``, ``of``)."""
    words = left.split()
    m = re.match(r"([A-Z][a-z]+)\s+([a-z])", right)
    if not words or m is None or left[-1] in _JOIN_MARKS or left[-1] in _OPENING_QUOTES:
        return False
    before = words[-1]
    return (before[0].islower() and before.lower() not in _EN_NAME_CALLERS
            and m.group(1).lower() in lowercase)


def _starts_near(job: _Job, best: _Cut) -> list[int]:
    """The cuts that are no join mark within ``join_reach`` characters of ``best`` where the
    English spells a sentence start (:func:`_starts_sentence`); none unless the job cuts an
    English unit (a hidden or dash job's English is cut already) and
    ``RefineConfig.start_compete``."""
    if (not job.config.start_compete or job.unit.lang != "en"
            or job.en_pieces is not None):
        return []
    return [k for k, c in enumerate(job.cuts)
            if not c.join and _within_reach(job, best, c) and _starts_sentence(job, c)]


def _starts_near_best(job: _Job) -> list[int]:
    """The sentence starts near the best cut that is no join mark (:func:`_starts_near`),
    not evaluated yet."""
    best = job.cuts[_best(job, joins=False)]
    return [k for k in _starts_near(job, best) if k not in job.tried]


def _start_near_best(job: _Job) -> int | None:
    """The sentence start tried near the best cut that is no join mark
    (:func:`_starts_near`) and within ``join_tolerance`` of its value (the best such, by
    :func:`_pick`), if any: the spelling says the sentence starts there, where the
    embedding cannot tell a word or two apart."""
    if not job.tried:
        return None
    k = _best(job, joins=False)
    near = [j for j in _starts_near(job, job.cuts[k]) if j in job.tried
            and _value(job, j) >= _value(job, k) - job.config.join_tolerance]
    return max(near, key=lambda j: _pick(job, j)) if near else None


def _closes_opener(job: _Job, best: _Cut, cut: _Cut) -> bool:
    """The join mark of ``cut`` is no writer's join of the sentences that meet at ``best``:
    it closes the opening connective of a sentence that starts at or after ``best`` ("...
    campaign | However, the ..."; cutting there would leave the next sentence's first
    words behind), or it lies inside a quotation that closes right at ``best`` (``"... ابنائي،
    إن مكاننا في أوروبا" | أدلى``: the comma is the quoted speaker's). A cut one word after
    the mark (an Arabic conjunct word, ``"ومع ذلك، فإننا | لا``) is judged by its mark."""
    if job.config.openers:
        start = _opener_start(job.unit.text, _mark_end(job.unit.text, cut.at), job.unit.lang)
        if start is not None and start >= best.right:
            return True
    return job.config.quotes and _inside_closed_quote(job.unit.text, cut.at, best.at)


def _mark_end(text: str, at: int) -> int:
    """Where the join mark of a cut at ``at`` ends: ``at`` itself, or, when the left piece
    ends with a word after its mark (a cut after the Arabic conjunct word that counts as the
    join mark, :func:`_conjunct_tail`), the end of the word before."""
    left = text[:at].rstrip()
    if not left or left[-1] in _JOIN_MARKS:
        return at
    cut = left.rfind(" ")
    return len(left[:cut].rstrip()) if cut > 0 else at


def _inside_closed_quote(text: str, mark: int, at: int) -> bool:
    """``text[:at]`` ends with a closing quote whose quotation was opened before ``mark``
    (no other quote mark in between)."""
    left = text[:at].rstrip()
    if not (mark < at and left and left[-1] in "\"\u201d\u00bb"):
        return False
    if any(q in text[mark:len(left) - 1] for q in "\"\u201c\u201d\u00ab\u00bb"):
        return False
    before = text[:mark]
    if left[-1] == '"':  # straight quotes: opened when an odd number precede the mark
        return before.count('"') % 2 == 1
    opener = "\u201c" if left[-1] == "\u201d" else "\u00ab"
    return before.rfind(opener) > before.rfind(left[-1])


def _within_reach(job: _Job, best: _Cut, cut: _Cut) -> bool:
    """``cut`` lies within ``join_reach`` characters of ``best``, either side."""
    reach = job.config.join_reach
    return best.at - reach <= cut.at <= best.right + reach


# what a cue of weight 1 is worth in the aligner's objective when choosing among cuts: about
# what moving a cut by one word changes (0.005-0.01 of quality per sentence, over the 2-3
# sentences of the beads), so a cue decides between neighbouring words and no more
CUE_GAIN = 0.02


def _value(job: _Job, k: int) -> float:
    """The objective's gain of cut ``k`` plus its lexical match (which only compares cuts
    of one job)."""
    return job.tried[k][0] + (job.lex[k] if job.lex is not None else 0.0)


def _pick(job: _Job, k: int) -> tuple:
    cut = job.cuts[k]
    return (_value(job, k) + CUE_GAIN * _cue_weight(cut), -k)


def _best(job: _Job, joins: bool = True) -> int:
    """The best cut tried (with ``joins=False``: the best that is no join mark, if any)."""
    pool = [k for k in job.tried if joins or not job.cuts[k].join] or list(job.tried)
    return max(pool, key=lambda k: _pick(job, k))


def _mirror(config: RefineConfig, left: str, lang: str) -> RefineConfig:
    """The settings for searching a unit whose cut mirrors the other side's cut after
    ``left``: where no sentence can end there (``... the database in which | You have
    ...``, a line or markup break inside a legal definition, a capitalised defined term
    after it), the boundary is no sentence end, and the mirror cut may fall where no
    sentence ends either (``... قاعدة البيانات التي | تملك بها ...``)."""
    if config.end_words and _cannot_end(left.rstrip(), lang):
        return replace(config, end_words=False)
    return config


def _can_end(job: _Job, cut: _Cut) -> bool:
    """A sentence may end at ``cut`` (see _no_boundary). Arabic cuts where none can are no
    candidates (_boundaries); English ones are tried but never made: the English sentence
    start near the best cut (_start_near_best) is looked for within join_reach of the
    embedding's best, wherever that falls, and whether the unit holds two sentences is that
    cut's to say; dropping them moved the reference (measured: three right rows lost on
    dev-sparse, ``... pushed a pass to | his left, finding Sterling | The English forward
    ...``)."""
    return not _no_boundary(job.unit.text[:cut.at].rstrip(), job.unit.text[cut.right:],
                            job.unit.lang)


def _best_near(job: _Job, best: _Cut, fits) -> int | None:
    """The best cut tried (by :func:`_pick`) that is no join mark, lies within
    ``join_reach`` of ``best`` and ``fits(job, cut)``, if any: where the embedding's best
    cut falls where no sentence can start or end, a word or two away is within its noise."""
    near = [k for k in job.tried if not job.cuts[k].join
            and _within_reach(job, best, job.cuts[k]) and fits(job, job.cuts[k])]
    return max(near, key=lambda k: _pick(job, k)) if near else None



def _writers_join(job: _Job) -> bool:
    """The boundary is at a join mark near the best cut (see RefineConfig.join_compete)."""
    if not job.config.join_compete:
        best = job.cuts[_best(job)]
        return best.join or _join_near(job.unit.text, best, job.config.join_reach)
    k = _best(job, joins=False)
    best = job.cuts[k]
    if best.join:  # only join marks were tried
        return True
    return any(job.tried[j][0] >= job.tried[k][0] - job.config.join_tolerance
               for j in _joins_near(job, best) if j in job.tried)


def _cue_weight(cut: _Cut) -> float:
    return 0.0 if cut.join else cut.cue


# how much closer each piece must be to its own counterpart than to the other piece's: a
# cosine difference within the noise between near-paraphrases says nothing about where the
# boundary is (every exact cut of our seen check set clears 0.025)
CROSSED_MARGIN = 0.02


def _decide(job: _Job, vec: _Vectors, config: AlignConfig) -> tuple[int, tuple] | None:
    """The cut to make, or None: the whole unit matches better, or the best boundary is the
    writer's own join."""
    if not job.tried:
        return None
    # a word or three is within the embedding's noise: a join mark that close to the cut,
    # and about as good a place, is where the boundary really is, and the writer joined the
    # sentences there; unless the English spells a sentence start that close and about as
    # good (_start_near_best): the cut is made there, if the best cut beats the whole bead
    # (whether the unit holds two sentences is the embedding's to say, where they meet the
    # spelling's)
    start = _start_near_best(job)
    if start is None and _writers_join(job):
        return None
    best = _best(job, joins=False)
    if job.config.end_words and start is None and not _can_end(job, job.cuts[best]):
        best = _best_near(job, job.cuts[best], _can_end)
        if best is None:
            return None
    if job.cross and job.config.cross_capital and _opens_lowercase(job, job.cuts[best]):
        best = _best_near(job, job.cuts[best], _opens_capital)
        if best is None:
            return None
    gain = (job.tried[best][0]
            + CUE_GAIN * _cue_weight(job.cuts[best]) * job.config.cue_against_whole)
    _, best_cos, best_crossed = job.tried[best]
    if start is not None:
        best = start
    start_gain, min_cos, crossed = job.tried[best]
    if start is not None:
        # the embedding's evidence that the unit holds two sentences is its best cut's, as
        # the gain is: a piece a word or two shorter may miss min_cosine or the margin by
        # a hair where the other clears them
        min_cos, crossed = max(min_cos, best_cos), max(crossed, best_crossed)
    if job.config.cue_against_whole:
        # the cut's cue (a closing quote before it; an opening phrase, a word opening with
        # و after it, ...) is evidence of a boundary the embedding does not see: it counts
        # against the whole bead as it counts among cuts (_pick)
        start_gain += CUE_GAIN * _cue_weight(job.cuts[best])
    gain = max(gain, start_gain)
    whole = 0.0  # the aligner's objective for the bead(s) as they are
    for b in _job_beads(job):
        ar_idx, en_idx = job.work.beads[b]
        if not (ar_idx and en_idx):
            continue  # a 0-1 or 1-0 bead (a crossing's neighbour) is worth nothing
        q, _ = _quality(job.work, vec, [job.work.ar[i] for i in ar_idx],
                        [job.work.en[j] for j in en_idx], config)
        shape = (len(ar_idx), len(en_idx))
        whole += sum(shape) * (q - config.threshold) - _shape_cost(config, shape)
    if min_cos < config.min_cosine or gain <= whole or crossed <= CROSSED_MARGIN:
        return None
    return best, gain - whole


def _opens_lowercase(job: _Job, cut: _Cut) -> bool:
    """The English piece right of ``cut`` opens with a lowercase letter, and no join mark
    is before it: no English sentence starts so."""
    return (job.unit.lang == "en" and not cut.join
            and job.unit.text[cut.right:cut.right + 1].islower())


def _opens_capital(job: _Job, cut: _Cut) -> bool:
    """The piece right of ``cut`` opens with a capital (a sentence start or a name)."""
    return job.unit.text[cut.right:cut.right + 1].isupper()


def _apply_splits(jobs: list[_Job], vec: _Vectors, config: AlignConfig) -> set[int]:
    """Make the best accepted cut of each bead (one per bead per round); returns the keys
    of the works that changed."""
    accepted = []
    for n, job in enumerate(jobs):
        d = _decide(job, vec, config)
        if d is not None:
            accepted.append((-d[1], n, job, d[0]))
    # the largest improvements first; a bead takes part in one cut per round
    taken: set[tuple[int, int]] = set()
    chosen: list[tuple[_Job, int]] = []
    for _, _, job, k in sorted(accepted, key=lambda x: x[:2]):
        keys = {(job.work.key, b) for b in _job_beads(job)}
        if not keys & taken:
            taken |= keys
            chosen.append((job, k))
    by_work: dict[int, list[tuple[_Job, int]]] = {}
    for job, k in chosen:
        by_work.setdefault(job.work.key, []).append((job, k))
    for items in by_work.values():
        work = items[0][0].work
        # from the last bead back, so earlier indices stay valid
        for job, k in sorted(items, key=lambda x: -x[0].bead):
            left, right = _pieces(job, k)
            if job.extra:
                _apply_extra(work, job, left, right)
            elif job.en_pieces is not None:
                _apply_hidden(work, job, left, right)
            elif job.cross:
                _apply_cross(work, job, left, right, k)
            else:
                _apply_split(work, job, left, right)
    return {job.work.key for job, _ in chosen}


def _put_pieces(work: _Work, side: str, i: int, left: Sentence, right: Sentence) -> None:
    """Put the two pieces in place of unit ``i`` of ``side``; the beads' indices of the
    units after it move up by one (the bead that held ``i`` is the caller's to remake)."""
    if side == "ar":
        work.ar[i:i + 1] = [left, right]
        work.beads = [([x + (x > i) for x in a], e) for a, e in work.beads]
    else:
        work.en[i:i + 1] = [left, right]
        work.beads = [(a, [x + (x > i) for x in e]) for a, e in work.beads]


def _apply_split(work: _Work, job: _Job, left: Sentence, right: Sentence) -> None:
    """Cut the unit of a 1-N / N-1 bead into two beads, the other side's units [:t] with
    the left piece and [t:] with the right one."""
    ar_idx, en_idx = work.beads[job.bead]
    if job.side == "ar":
        i = ar_idx[0]
        new = [([i], en_idx[:job.t]), ([i + 1], en_idx[job.t:])]
    else:
        i = en_idx[0]
        new = [(ar_idx[:job.t], [i]), (ar_idx[job.t:], [i + 1])]
    _put_pieces(work, job.side, i, left, right)
    work.beads[job.bead:job.bead + 1] = new


def _apply_hidden(work: _Work, job: _Job, left: Sentence, right: Sentence) -> None:
    """Cut both units of a 1-1 bead into two 1-1 beads."""
    b = job.bead
    (i,), (j,) = work.beads[b]
    _put_pieces(work, "ar", i, left, right)
    _put_pieces(work, "en", j, *job.en_pieces)
    work.beads[b:b + 1] = [([i], [j]), ([i + 1], [j + 1])]


def _apply_extra(work: _Work, job: _Job, left: Sentence, right: Sentence) -> None:
    """Cut the unit of a 1-1 bead (or of an orphan job's 1-0 / 0-1 bead, paired with the
    sentence beside it): one piece goes with the other side's unit, the other is left
    out."""
    b = job.bead
    if job.orphan:
        (a1, e1), (a2, e2) = work.beads[b], work.beads[b + 1]
        (i,), (j,) = a1 + a2, e1 + e2
        work.beads[b:b + 2] = [([i], [j])]
    else:
        (i,), (j,) = work.beads[b]
    if job.side == "ar":
        _put_pieces(work, "ar", i, left, right)
        new = [([i], [j]), ([i + 1], [])] if job.extra == 1 else [([i], []), ([i + 1], [j])]
    else:
        _put_pieces(work, "en", j, left, right)
        new = [([i], [j]), ([], [j + 1])] if job.extra == 1 else [([], [j]), ([i], [j + 1])]
    work.beads[b:b + 1] = new


def _apply_cross(work: _Work, job: _Job, left: Sentence, right: Sentence, k: int) -> None:
    """Cut the unit of a crossing: the left piece joins the first bead, the right one the
    second (with the other unit of this side, if it was in the first bead); a receiving
    bead the evaluation found better as two is made as two (see _receiving_bead)."""
    b = job.bead
    (a1, e1), (a2, e2) = work.beads[b], work.beads[b + 1]
    mine1, mine2 = (a1, a2) if job.side == "ar" else (e1, e2)
    i = mine1[-1] if job.cross == 1 else mine2[0]
    _put_pieces(work, job.side, i, left, right)
    if job.cross == 1:
        new1, new2 = mine1[:-1] + [i], [i + 1] + [x + 1 for x in mine2]
    else:
        new1, new2 = mine1 + [i], [i + 1] + [x + 1 for x in mine2[1:]]
    other = 1 if job.side == "ar" else 0
    o1, o2 = work.beads[b][other], work.beads[b + 1][other]
    apart1, apart2 = job.apart.get(k, (False, False))
    made = ([(new1[:-1], o1[:-1]), (new1[-1:], o1[-1:])] if apart1 else [(new1, o1)])
    made += ([(new2[:1], o2[:1]), (new2[1:], o2[1:])] if apart2 else [(new2, o2)])
    work.beads[b:b + 2] = [(m, o) if job.side == "ar" else (o, m) for m, o in made]


def _section_starts(sentences: list[Sentence], sections) -> list[bool]:
    """True where a sentence is in another section than the one before it."""
    bounds = [(s.start, s.end) for s in sections]
    out, last = [], None
    for s in sentences:
        k = next((n for n, (a, b) in enumerate(bounds) if a <= s.start < b), last)
        out.append(last is not None and k != last)
        last = k
    return out


def _repeat_key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?\u061f")


def _english_repeats(work: _Work, pair) -> set[int]:
    """English copies of the translation of a repeated Arabic sentence (a headline shown
    twice on both sides, perhaps in another case): like the Arabic copy, they need no
    translation of their own. Left in, a short copy is glued to whatever neighbouring bead
    it lowers least. Only as many copies as the Arabic has are held out, so an English copy
    whose Arabic is no repeat (it lost its full stop and joined a neighbour) stays."""
    index = {id(s): n for n, s in enumerate(work.ar)}
    wanted: dict[str, int] = {}
    in_beads: set[int] = set()
    copies: dict[int, int] = {}  # Arabic copies of each original
    for copy, original in (pair.repeats or {}).items():
        i = index.get(id(pair.ar_sentences[original]))
        copies[i] = copies.get(i, 0) + 1
        for a, e in work.beads:
            if i in a and e:
                for j in e:
                    key = _repeat_key(work.en[j].text)
                    wanted[key] = wanted.get(key, 0) + 1
                in_beads.update(e)
    out = set()
    # the English copy may already sit in the original's bead (1-2: the sentence twice): an
    # English sentence that repeats an earlier one of the same bead is a copy too, as many
    # as the Arabic has
    for a, e in work.beads:
        left = sum(copies.get(i, 0) for i in a)
        seen: set[str] = set()
        for j in e:
            key = _repeat_key(work.en[j].text)
            if key in seen and left > 0:
                out.add(j)
                left -= 1
                wanted[key] = wanted.get(key, 0) - 1
            seen.add(key)
    for j, s in enumerate(work.en):
        key = _repeat_key(s.text)
        if j not in in_beads and wanted.get(key, 0) > 0:
            out.add(j)
            wanted[key] -= 1
    return out


def _realign(work: _Work, pair, vec: _Vectors, config: AlignConfig) -> None:
    """Align the pair's (refined) units again with the aligner; repeated sentences (Arabic
    ones the pair names, English copies of an earlier English sentence) stay 1-0 / 0-1 beads
    where they stand."""
    repeated = {id(pair.ar_sentences[i]) for i in (pair.repeats or {})}
    kept = [i for i, s in enumerate(work.ar) if id(s) not in repeated]
    en_out = _english_repeats(work, pair)
    en_kept = [j for j in range(len(work.en)) if j not in en_out]
    ar = [work.ar[i] for i in kept]
    en = [work.en[j] for j in en_kept]
    beads = align_vectors(vec.many([s.text for s in ar]), vec.many([s.text for s in en]),
                          [len(s.text) for s in ar], [len(s.text) for s in en],
                          config=config,
                          ar_breaks=_section_starts(ar, pair.ar_sections),
                          en_breaks=_section_starts(en, pair.en_sections),
                          ar_paragraphs=[(s.paragraph,) for s in ar],
                          en_paragraphs=[(s.paragraph,) for s in en])
    pending = sorted(set(range(len(work.ar))) - set(kept))
    en_pending = sorted(en_out)
    out: list[tuple[list[int], list[int]]] = []
    for b in beads:
        a = [kept[i] for i in b.ar]
        e = [en_kept[j] for j in b.en]
        # English-only first where 1-0 and 0-1 meet, as the aligner orders them
        while e and en_pending and en_pending[0] < e[0]:
            out.append(([], [en_pending.pop(0)]))
        while a and pending and pending[0] < a[0]:
            out.append(([pending.pop(0)], []))
        out.append((a, e))
    out.extend(([], [j]) for j in en_pending)
    out.extend(([i], []) for i in pending)
    work.beads = out


def _release(work: _Work, vec: _Vectors, config: AlignConfig) -> None:
    """Let go of an edge unit of a multi-unit bead when the bead matches better without it."""
    out: list[tuple[list[int], list[int]]] = []
    for a, e in work.beads:
        before: list[tuple[list[int], list[int]]] = []
        after: list[tuple[list[int], list[int]]] = []
        while a and e and (len(a) > 1 or len(e) > 1):
            q, _ = _quality(work, vec, [work.ar[i] for i in a], [work.en[j] for j in e], config)
            options = []
            if len(a) > 1:
                options += [("ar", 0, a[1:], e), ("ar", -1, a[:-1], e)]
            if len(e) > 1:
                options += [("en", 0, a, e[1:]), ("en", -1, a, e[:-1])]
            scored = []
            for side, edge, a2, e2 in options:
                q2, cos2 = _quality(work, vec, [work.ar[i] for i in a2],
                                    [work.en[j] for j in e2], config)
                if q2 > q and cos2 >= config.min_cosine:
                    scored.append((q2, side, edge, a2, e2))
            if not scored:
                break
            _, side, edge, a2, e2 = max(scored, key=lambda x: x[0])
            gone = ([a[edge]], []) if side == "ar" else ([], [e[edge]])
            if edge == 0:
                before.append(gone)  # page order: the outermost unit goes first
            else:
                after.insert(0, gone)
            a, e = a2, e2
        out.extend(before)
        out.append((a, e))
        out.extend(after)
    work.beads = out


def _gap_beads(work: _Work, pair, vec: _Vectors, config: AlignConfig,
               refine: RefineConfig) -> bool:
    """Gap beads: a unit left out (1-0 / 0-1) that translates a run of several left-out
    sentences of the other side in the same gap (between two aligned beads, or between an
    aligned bead and the edge of the span, where the English the aligner left out is the
    pair's ``en_margins``): one Arabic paragraph of five sentences with no full stop between
    them against their five punctuated English sentences. The aligner's shapes stop at 1-3
    (and a 1-3 is priced as a 1-2 while units may still be cut), so it leaves all of them
    out, and no job looks at one-sided beads but the orphan's (one sentence). Here the unit
    is paired with the run of two to ``max_units`` sentences that makes the best such bead
    by the aligner's objective, ``(1 + n) * (quality - threshold)`` less the 1-2 shape
    price (as the loose realign prices a unit that may still be cut), when the aligner
    would take it were the shape allowed: quality above its threshold, cosine at least
    ``min_cosine``, a gain above leaving them all out. The split rounds then cut it into
    sentences; what is left of it after a realign is made again. Repeated sentences (a
    headline shown twice, an English copy) take no part; the other units of the gap (a
    date, an author's line) stay left out, and English of another section or another
    block never comes in. Gaps are few, and every vector is at hand: nothing new is
    embedded. True when a bead was made."""
    made = False
    # each bead made leaves the other candidates as they were: their (quality, cosine) by
    # text, computed once (a gap of U units and R sentences holds ~7 U R of them)
    known: dict[tuple, tuple[float, float]] = {}
    while True:
        found = _best_gap_bead(work, pair, vec, config, refine, known)
        if found is None:
            return made
        _make_gap_bead(work, *found)
        made = True


def _gap_items(work: _Work, before: list[Sentence], after: list[Sentence]
               ) -> list[tuple[int, int, list[tuple[str, int]]]]:
    """The gaps of the work: (first bead, end bead, the one-sided units in bead order as
    (side, index)); the English margins not yet in the work (:func:`_free_margins`,
    ``before`` and ``after``) are ("before", k) / ("after", k) items at the edges."""
    beads = work.beads
    aligned = [b for b, (a, e) in enumerate(beads) if a and e]
    if not aligned:
        return []
    out = []
    for x, y in zip([-1] + aligned, aligned + [len(beads)]):
        items = [it for a, e in beads[x + 1:y]
                 for it in [("ar", i) for i in a] + [("en", j) for j in e]]
        if x == -1:
            items = [("before", k) for k in range(len(before))] + items
        if y == len(beads):
            items += [("after", k) for k in range(len(after))]
        if items:
            out.append((x + 1, y, items))
    return out


def _free_margins(work: _Work, pair) -> tuple[list[Sentence], list[Sentence]]:
    """The pair's English margins not yet in the work, up to ``max_units`` nearest the
    span (a gap bead has no more)."""
    before, after = getattr(pair, "en_margins", None) or ((), ())
    have = work.en_had | {id(s) for s in work.en}
    return _unheld(before[::-1], have, work.en_held)[::-1], _unheld(after, have, work.en_held)


def _unheld(margin, have: set[int], held: set[int]) -> list[Sentence]:
    """The sentences of ``margin`` (outwards from the span) not in the work (``have``), up
    to the first that another work holds (``held``)."""
    out = []
    for s in margin:
        if id(s) in have:
            continue
        if id(s) in held:
            break
        out.append(s)
    return out


def _best_gap_bead(work: _Work, pair, vec: _Vectors, config: AlignConfig,
                   refine: RefineConfig, known: dict | None = None):
    """(gap, side of the unit, the unit's item, the run's items, the margins before and
    after as far as a gap bead may reach, and how many margin items before lie further
    out) of the best gap bead of the work (:func:`_make_gap_bead`'s arguments), or None. ``known``: (quality, cosine) of candidates already weighed, by their
    texts (the vectors and the margin's pools do not change while gap beads are made)."""
    known = {} if known is None else known
    margins = _free_margins(work, pair)
    before, after = margins[0][-refine.max_units:], margins[1][:refine.max_units]
    lo = len(margins[0]) - len(before)  # margin items too far out

    def sentence(item: tuple[str, int]) -> Sentence | None:
        side, k = item
        if side == "ar":
            return work.ar[k]
        if side == "en":
            return work.en[k]
        if side == "before":
            return before[k - lo] if k >= lo else None
        return after[k] if k < len(after) else None

    repeated = {id(pair.ar_sentences[i]) for i in (pair.repeats or {})}
    copies = _english_repeats(work, pair)
    out_of_play = lambda it: (sentence(it) is None  # noqa: E731
                              or (it[0] == "ar" and id(work.ar[it[1]]) in repeated)
                              or (it[0] == "en" and it[1] in copies))
    price = config.shape_penalty.get((1, 2), 0.0)
    best = None
    for gap in _gap_items(work, *margins):
        items = gap[2]
        sides = {"ar": [it for it in items if it[0] == "ar"],
                 "en": [it for it in items if it[0] != "ar"]}
        vec.add([sentence(it).text for it in items if sentence(it) is not None])
        for side, other in (("ar", "en"), ("en", "ar")):
            run = sides[other]
            units = [it for it in sides[side] if not out_of_play(it)]
            if len(run) < 2 or not units:
                continue
            # the cosine of every unit against every run, at once: a long stretch left out
            # (an unrelated article) is mostly below min_cosine and costs no margin
            cosines = _run_cosines(np.array([vec.get(sentence(u).text) for u in units]),
                                   [None if out_of_play(it) else vec.get(sentence(it).text)
                                    for it in run],
                                   [0 if out_of_play(it) else len(sentence(it).text)
                                    for it in run], refine.max_units)
            found = sorted((int(u), int(a), int(a) + n) for n, cos in cosines.items()
                           for u, a in np.argwhere(cos >= config.min_cosine - 1e-6))
            for u, a, b in found:
                unit, them = units[u], [sentence(it) for it in run[a:b]]
                ar, en = (([sentence(unit)], them) if side == "ar"
                          else (them, [sentence(unit)]))
                q, cos = _weighed(known, work, vec, side, ar, en, config)
                value = (1 + b - a) * (q - config.threshold) - price
                if (q > config.threshold and cos >= config.min_cosine and value > 0
                        and (best is None or value > best[0])):
                    best = (value, gap, side, unit, run[a:b])
    if best is None:
        return None
    _, gap, side, unit, run = best
    # the objective gives every sentence a share of the bead's value, so it takes in a
    # neighbour with no counterpart for a small loss of match (an English line before the
    # translation): let go of an edge sentence while the bead matches better without it,
    # as _release does
    def quality(them: list[tuple[str, int]]) -> tuple[float, float]:
        xs, ys = [sentence(unit)], [sentence(it) for it in them]
        return _weighed(known, work, vec, side, *((xs, ys) if side == "ar" else (ys, xs)),
                        config)

    q = quality(run)[0]
    while len(run) > 2:
        options = [(quality(r), r) for r in (run[1:], run[:-1])]
        (q2, cos2), shorter = max(options, key=lambda x: x[0][0])
        if q2 <= q or cos2 < config.min_cosine:
            break
        q, run = q2, shorter
    return gap, side, unit, run, before, after, lo


def _weighed(known: dict, work: _Work, vec: _Vectors, side: str, ar: list[Sentence],
             en: list[Sentence], config: AlignConfig) -> tuple[float, float]:
    """:func:`_quality` of a gap bead's candidate, computed once per texts (``known``)."""
    key = (side, tuple(s.text for s in ar), tuple(s.text for s in en))
    if key not in known:
        known[key] = _quality(work, vec, ar, en, config)
    return known[key]


def _run_cosines(units: np.ndarray, vectors: list, lengths: list[int], longest: int
                 ) -> dict[int, np.ndarray]:
    """{n: cosine of each of ``units`` (rows) against the run of n sentences starting at
    each place} for n = 2 .. ``longest``, the runs' vectors as the aligner makes them
    (:func:`_span`); -inf for a run through a sentence whose vector is None (out of play)."""
    units = units / np.maximum(np.linalg.norm(units, axis=1, keepdims=True), 1e-12)
    weighted = np.zeros((len(vectors), units.shape[1]))
    bad = np.zeros(len(vectors))
    for k, (v, length) in enumerate(zip(vectors, lengths)):
        if v is None:
            bad[k] = 1
        else:
            weighted[k] = (length + 1.0) * v
    sums = np.vstack([np.zeros((1, units.shape[1])), np.cumsum(weighted, axis=0)])
    bads = np.concatenate([[0], np.cumsum(bad)])
    out = {}
    for n in range(2, min(longest, len(vectors)) + 1):
        spans = sums[n:] - sums[:-n]
        cos = (units @ spans.T) / np.maximum(np.linalg.norm(spans, axis=1), 1e-12)
        cos[:, (bads[n:] - bads[:-n]) > 0] = -np.inf
        out[n] = cos
    return out


def _make_gap_bead(work: _Work, gap, side: str, unit: tuple[str, int],
                   run: list[tuple[str, int]], before: list[Sentence], after: list[Sentence],
                   lo: int) -> None:
    """Make the bead of ``unit`` against ``run`` in ``gap``: English margins it takes come
    into the work (with those between them and the span, left out), and the gap's other
    units stay one-sided, before the bead or after it as their order says."""
    g0, g1, items = gap
    # the margins the bead reaches, and all between them and the span
    firsts = [k for s, k in run + [unit] if s == "before"]
    lasts = [k for s, k in run + [unit] if s == "after"]
    new_before = before[min(firsts) - lo:] if firsts else []
    new_after = after[:max(lasts) + 1] if lasts else []
    shift = len(new_before)
    n_en = len(work.en)
    work.en[0:0] = new_before
    work.en.extend(new_after)
    work.en_held.update(id(s) for s in new_before + new_after)
    work.en_had.update(id(s) for s in new_before + new_after)

    def index(item: tuple[str, int]) -> tuple[str, int] | None:
        s, k = item
        if s == "before":
            k -= min(firsts) if firsts else 0
            return ("en", k) if k >= 0 else None
        if s == "after":
            return ("en", shift + n_en + k) if k < len(new_after) else None
        return (s, k + shift) if s == "en" else (s, k)

    unit = index(unit)
    run = [index(it) for it in run]
    items = [it for it in (index(it) for it in items) if it is not None]
    first = {s: min((k for t, k in [unit] + run if t == s), default=None) for s in ("ar", "en")}
    pre, post = [], []
    for it in items:
        if it == unit or it in run:
            continue
        s, k = it
        (pre if k < first[s] else post).append(it)
    one = lambda it: ([it[1]], []) if it[0] == "ar" else ([], [it[1]])  # noqa: E731
    bead = ([k for t, k in [unit] + run if t == "ar"], [k for t, k in [unit] + run if t == "en"])
    beads = [(a, [j + shift for j in e]) for a, e in work.beads]
    beads[g0:g1] = [one(it) for it in pre] + [(sorted(bead[0]), sorted(bead[1]))] + \
        [one(it) for it in post]
    work.beads = beads


def bead_confidence(quality: float, cosine: float, n_ar: int, n_en: int) -> float:
    """Probability that an aligned bead is exactly right (not merely overlapping).

    A logistic model of the aligner's evidence: the bead's quality (margin-normalised cosine
    plus length prior, as the aligner scores it), its plain cosine, and how many units it
    joins (beads of several units are more often only partly right). The coefficients were
    fitted on our own check set (the dev pages with full stops removed under another seed,
    ``scripts/bench_sparse.py --fit``), never on a bench we report. The quality carries the
    signal; the plain cosine comes in with a negative weight because, for a given quality,
    a high cosine means crowded neighbours (a hub sentence, a near-duplicate).
    """
    z = (CONFIDENCE["bias"] + CONFIDENCE["quality"] * quality
         + CONFIDENCE["cosine"] * (cosine - 0.85)
         + CONFIDENCE["extra_units"] * (n_ar + n_en - 2))
    return 1.0 / (1.0 + math.exp(-z))


# The weights of the first fit (scripts/bench_sparse.py --fit on the seen check set, 191
# beads, 163 exactly right, under an earlier aligner) recalibrated for the beads of
# align:margin-dp-12 (the result is dp-13): the same check set, 207 beads, 194 exactly
# right; a slope (0.80) and a bias on the old linear score, so the ranking (the AUC) is as
# before and only the probabilities move: the old weights said 0.88 on average where 0.94
# of the beads are right (in-sample log loss 0.221 -> 0.197). Refitting all four weights
# ranked no better (seen AUC 0.797 -> 0.793, leave-one-page-out 0.691 against the
# recalibration's 0.705; dev-sparse 0.880 -> 0.871), with 13 wrong beads to learn from.
# Tried as a fifth term and left out: the bead holds a piece of a cut made here (seen
# leave-one-page-out AUC 0.69 -> 0.78, but dev-sparse 0.871 -> 0.821: cuts were more often
# wrong than whole units on seen, less often on dev-sparse), and with it that cut's gain or
# contrast (the same); the length model's |z|, characters per unit, a short side (seen
# leave-one-page-out lower).
CONFIDENCE = {"bias": 1.53, "quality": 36.36, "cosine": -11.13, "extra_units": -1.79}


def _scored_beads(work: _Work, vec: _Vectors, config: AlignConfig
                  ) -> tuple[list[Bead], list]:
    """The beads with their confidence, and per bead the evidence behind it (quality,
    cosine; None for 1-0 and 0-1 beads)."""
    out: list[Bead] = []
    evidence: list[tuple[float, float] | None] = []
    for a, e in work.beads:
        if a and e:
            q, cos = _quality(work, vec, [work.ar[i] for i in a], [work.en[j] for j in e],
                              config)
            out.append(Bead(tuple(a), tuple(e),
                            round(bead_confidence(q, cos, len(a), len(e)), 4)))
            evidence.append((round(q, 5), round(cos, 5)))
        else:
            out.append(Bead(tuple(a), tuple(e), 0.0))
            evidence.append(None)
    return out, evidence


def _loose(config: AlignConfig, longest: int = 3) -> AlignConfig:
    """The aligner pricing 1-3 / 3-1 beads as 1-2 / 2-1 (a unit that may still be cut can
    stand for three sentences as well as for two); with ``longest`` above 3, beads of one
    unit against up to that many sentences are allowed too, at the same price (what is left
    of a gap bead, _gap_beads, after a cut)."""
    penalty = dict(config.shape_penalty)
    for one, many in (((1, 3), (1, 2)), ((3, 1), (2, 1))):
        if one in penalty and many in penalty:
            penalty[one] = penalty[many]
    shapes = config.shapes
    if longest > 3 and (1, 2) in penalty and (2, 1) in penalty:
        long = [x for n in range(4, longest + 1) for x in ((1, n), (n, 1))]
        shapes = tuple(shapes) + tuple(x for x in long if x not in shapes)
        penalty.update({x: penalty[(1, 2)] if x[0] == 1 else penalty[(2, 1)] for x in long})
    return replace(config, shapes=shapes, shape_penalty=penalty)


def refine_pairs(pairs: list, store, align_config: AlignConfig | None = None,
                 config: RefineConfig | None = None, *, embedder=None) -> list:
    """Refine the beads of translated :class:`~corpus.pair.SectionPair` s (others pass as
    they are): split units where the other side has a sentence end, let go of units that
    only lower a bead's match, and score each bead (see the module doc).

    ``store``: the embedding store of :func:`corpus.pair.pair_sections` (any object with
    ``add(texts)``, ``row`` {text: row} and ``matrix``), or None with ``embedder`` given.
    Every text is embedded once; all candidate pieces of a round go in one batch.
    """
    align_config = align_config or AlignConfig()
    config = config or (RefineConfig() if align_config.refine
                        else RefineConfig(split=False, release=False))
    if store is None:
        from corpus.pair import _Vectors as EmbeddingStore
        store = EmbeddingStore(embedder)
    vec = _Vectors(store)
    works: dict[int, _Work] = {}
    held = {id(s) for pair in pairs for s in pair.en_sentences}  # shared by all works
    for k, pair in enumerate(pairs):
        if not pair.translated or not any(b.ar and b.en for b in pair.beads):
            continue
        ar, en = list(pair.ar_sentences), list(pair.en_sentences)
        vec.add([s.text for s in ar + en])
        works[k] = _Work(ar, en, [(list(b.ar), list(b.en)) for b in pair.beads],
                         vec.many([s.text for s in ar]), vec.many([s.text for s in en]), k,
                         whole=frozenset(id(ar[i]) for i in _repeat_ends(pair)), en_held=held)
    lexicon = _train_lexicon(works) if config.split and config.lexicon else None
    if config.split:
        # a unit that may still be cut can stand for three sentences as well as for two: the
        # aligner's 1-3 / 3-1 beads pay what a 1-2 pays (their high default cost guards
        # against taking good 1-1 beads for a merge, which a single unit cannot be)
        loose = _loose(align_config) if config.loose else align_config
        # a work that holds a gap bead is realigned with beads of one unit against up to
        # max_units sentences too, at the 1-2 price, so what is left of the gap bead after
        # a cut stays together for the next round (the aligner's shapes stop at 1-3)
        long = _loose(align_config, config.max_units) if config.loose else align_config
        gapped: set[int] = set()
        if config.loose:
            for key, work in works.items():
                if any(len(a) != len(e) and a and e for a, e in work.beads):
                    _realign(work, pairs[key], vec, loose)
        if config.gaps:
            gapped = {key for key, work in works.items()
                      if _gap_beads(work, pairs[key], vec, align_config, config)}
        for _ in range(config.rounds):
            jobs = [j for w in works.values() for j in _jobs(w, config, vec, align_config)]
            if not jobs:
                break
            _run_jobs(jobs, vec, align_config, config, lexicon)
            changed = _apply_splits(jobs, vec, align_config)
            if not changed:
                break
            # the finer units may line up differently (a unit of three sentences against
            # two English ones pushed the third into the next bead): align them again
            for key in changed if config.realign else ():
                _realign(works[key], pairs[key], vec, long if key in gapped else loose)
                if config.gaps and _gap_beads(works[key], pairs[key], vec, align_config,
                                              config):
                    gapped.add(key)
    out = list(pairs)
    for k, work in works.items():
        if config.release:
            _release(work, vec, align_config)
        pair = pairs[k]
        index = {id(s): n for n, s in enumerate(work.ar)}
        repeats = {index[id(pair.ar_sentences[i])]: index[id(pair.ar_sentences[j])]
                   for i, j in (pair.repeats or {}).items()}
        beads, evidence = _scored_beads(work, vec, align_config)
        out[k] = replace(pair, ar_sentences=tuple(work.ar), en_sentences=tuple(work.en),
                         beads=tuple(beads), repeats=repeats,
                         score_adjust=_carried_adjustments(pair, work.ar, beads),
                         evidence={**pair.evidence, "beads": evidence})
    return out


def _repeat_ends(pair) -> set[int]:
    """The Arabic indices of the pair's repeats, both ends (the copy and what it repeats)."""
    return {i for item in (pair.repeats or {}).items() for i in item}


def _train_lexicon(works: dict[int, _Work]):
    """IBM Model 1 on the 1-1 beads of all works (None when they are too few)."""
    from corpus.lexicon import train_lexicon

    data = [(w.ar[a[0]].text, w.en[e[0]].text) for _, w in sorted(works.items())
            for a, e in w.beads if len(a) == 1 and len(e) == 1]
    return train_lexicon(data)


def _carried_adjustments(pair, ar_sentences, beads) -> tuple[float, ...]:
    """The pairing stage's per-bead score adjustments (site links, short beads), carried over
    to the refined beads: each new bead takes the adjustment of the old bead that held its
    first Arabic sentence (a piece of a split sentence lies inside that sentence's span)."""
    old = getattr(pair, "score_adjust", ()) or ()
    if not old:
        return ()
    bead_of = {i: k for k, b in enumerate(pair.beads) for i in b.ar}
    starts = [s.start for s in pair.ar_sentences]
    out = []
    for b in beads:
        if not b.ar:
            out.append(0.0)
            continue
        first = ar_sentences[b.ar[0]].start
        i = max(0, bisect.bisect_right(starts, first) - 1)
        k = bead_of.get(i)
        out.append(old[k] if k is not None and k < len(old) else 0.0)
    return tuple(out)
