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
    "detect": "corpus.detect",
    "normalize": "corpus.normalize",
    "split_sentences": "corpus.segment",
    "align_sentences": "corpus.align",
    "align": "corpus.pipeline",
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
