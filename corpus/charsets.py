"""Unicode character classes that several stages test for (kept here so they agree)."""

from __future__ import annotations

import re
import unicodedata

# Arabic-Indic digits U+0660-U+0669 and Extended Arabic-Indic (Persian/Urdu) digits
# U+06F0-U+06F9.
ARABIC_INDIC_DIGITS = frozenset("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
PERSIAN_DIGITS = frozenset("\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9")
_ASCII_DIGITS = str.maketrans({**{c: str(i) for i, c in enumerate(sorted(ARABIC_INDIC_DIGITS))},
                               **{c: str(i) for i, c in enumerate(sorted(PERSIAN_DIGITS))}})

# Arabic script blocks: Arabic U+0600-06FF, Supplement U+0750-077F, Extended-A U+08A0-08FF,
# Presentation Forms-A U+FB50-FDFF and -B U+FE70-FEFF.
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                 (0xFE70, 0xFEFF))
# Latin: Basic Latin letters, Latin-1 Supplement, Extended-A/B, Extended Additional.
LATIN_BLOCKS = ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF))


def to_ascii_digits(text: str) -> str:
    """Map Arabic-Indic and Extended Arabic-Indic digits to ASCII ones."""
    return text.translate(_ASCII_DIGITS)


def in_blocks(ch: str, blocks) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in blocks)


def is_arabic_letter(ch: str) -> bool:
    """A letter of the Arabic script (not the Arabic comma, not an Arabic-Indic digit)."""
    return in_blocks(ch, ARABIC_BLOCKS) and unicodedata.category(ch).startswith("L")


def _block_class(blocks) -> re.Pattern:
    return re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in blocks) + "]+")


# Runs of characters of each block set: counting letters through these and str.isalpha (both
# in C) keeps per-row checks linear with a small constant on very long cells.
ARABIC_RUN = _block_class(ARABIC_BLOCKS)
LATIN_RUN = _block_class(LATIN_BLOCKS)


def count_letters(text: str) -> int:
    """Characters of Unicode category L (what ``str.isalpha`` tests)."""
    return sum(map(str.isalpha, text))
