"""The recipe of a corpus: a compact one-line signature (in the style of sacrebleu's) and its
JSON form, written as ``OUT.signature.json`` next to every output.

Each component (normaliser, language ID, embedder, translator, cleaner, dedup) describes
itself with a short string, usually from its own ``signature()``; ``make_signature`` joins them
in a fixed order::

    corpus:0.1.0|norm:match|lid:fasttext-176|emb:e5-small|mt:argos-ar_en-1.0-abc123|clean:...

The signature holds nothing that changes from run to run (no time, host or path of the
machine), so the same input and options give a byte-identical signature file.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Iterable, Mapping

# Components in the order they appear in the compact string; unknown ones follow, sorted.
COMPONENT_ORDER = ("corpus", "read", "norm", "lid", "seg", "emb", "pair", "align", "mt",
                   "clean", "dedup", "format")


@dataclass(frozen=True)
class Signature:
    components: tuple[tuple[str, str], ...]  # (name, value) in compact order, "corpus" first
    options: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def compact(self) -> str:
        return "|".join(f"{name}:{value}" for name, value in self.components)

    def __str__(self) -> str:
        return self.compact

    def to_dict(self) -> dict:
        return {"signature": self.compact, "components": dict(self.components),
                "options": self.options}

    def to_json(self) -> str:
        """Pretty JSON with sorted keys and a final newline: byte-stable for equal input."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _component_value(value: Any) -> str:
    if value is None:
        return "none"
    if hasattr(value, "signature") and callable(value.signature):
        value = value.signature()
    text = str(value)
    # "|" separates components and whitespace would split the line: keep the string one token
    return "_".join(text.replace("|", "/").split()) or "none"


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return _jsonable(value.to_dict())
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def make_signature(components: Mapping[str, Any] | Iterable[Any],
                   options: Mapping[str, Any] | None = None, *,
                   version: str | None = None) -> Signature:
    """Join component signatures (strings, or objects with ``signature()``) and options.

    ``components`` maps a short name (``norm``, ``lid``, ``emb``, ``mt``, ``clean``, ...) to
    its signature, or is a list of self-named signatures (``"lid:fasttext-176"``, an embedder,
    a ``CleanConfig``...) whose name is the part before the first ``:``.
    ``corpus:<version>`` is added first. ``options`` (thresholds, the full cleaning config,
    model sha256s, ...) go into the JSON form only.
    """
    if version is None:
        from corpus import __version__ as version
    if not isinstance(components, Mapping):
        named = {}
        for item in components:
            name, sep, value = _component_value(item).partition(":")
            if not sep:
                from corpus.errors import InputError
                raise InputError(f"signature component {name!r} does not name itself",
                                 hint="give it as name:value, or pass a dict")
            named[name] = value
        components = named
    values = {}
    for name, value in components.items():
        if name == "corpus":
            continue
        text = _component_value(value)
        # a component may name itself already (``normalizer_signature()`` -> "norm:light")
        values[name] = text[len(name) + 1:] if text.startswith(f"{name}:") else text
    known = [n for n in COMPONENT_ORDER if n in values]
    rest = sorted(n for n in values if n not in COMPONENT_ORDER)
    ordered = (("corpus", str(version)), *((n, values[n]) for n in (*known, *rest)))
    return Signature(components=ordered, options=_jsonable(dict(options or {})))


def parse_signature(compact: str) -> dict[str, str]:
    """``corpus:0.1.0|norm:match`` -> ``{"corpus": "0.1.0", "norm": "match"}``."""
    out = {}
    for part in compact.strip().split("|"):
        if part:
            name, _, value = part.partition(":")
            out[name] = value
    return out


def read_signature(path) -> Signature:
    """Load an ``OUT.signature.json`` written by ``write_corpus``."""
    from corpus.errors import InputError

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InputError("signature file not found", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not a signature file ({exc.msg})", path=str(path),
                         line=exc.lineno) from None
    comps = parse_signature(data.get("signature", ""))
    return Signature(components=tuple(comps.items()), options=data.get("options", {}))
