"""Domain exceptions. The CLI turns any CorpusError into one line and a non-zero exit."""

from __future__ import annotations


class CorpusError(Exception):
    """Base of every error the toolkit raises on purpose.

    Carries the offending file and line where known, so the message can point at them.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(CorpusError):
    """A file or argument given by the user cannot be used as it is."""


class DecodeError(InputError):
    """A file could not be decoded as text in any supported encoding."""


class ModelError(CorpusError):
    """A model is missing, invalid, or failed to load."""


class MissingDependencyError(CorpusError):
    """An optional dependency is not installed; the hint names the pip install that fixes it."""


class OutputError(CorpusError):
    """An output file cannot be written (read-only or missing folder, full disk, a directory
    in the way); names the path and the cause."""
