"""What kind of character each code point is, as bit flags, for whole pages at once.

Counting Han, Latin, digits or punctuation line by line with regular expressions was a
tenth of the labelling time. A table of flags for the Basic Multilingual Plane turns
those counts into numpy operations over a page's code points. The flags that need the
Unicode database (digits, punctuation and symbols) are filled in for the code points
pages actually use, when first seen: the whole table took 30 ms to build, a tenth of a
cold start on one page.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

HAN = 1
LATIN = 2
DIGIT = 4
PUNCT = 8  # Unicode punctuation and symbols (P*, S*)
TRAD = 16  # characters written only in traditional Chinese (a short, frequent list)
SPACE = 32  # the plain space (lines are normalised, so other spaces became this one)
TERMINAL = 64  # sentence-ending punctuation: 。！？!?；
COMMA = 128  # clause punctuation: ，,、：:
NON_ASCII = 256
END_PUNCT = 512  # what may end a sentence at a line end: 。！？!?…；;.
CLOSER = 1024  # a closing quote or bracket that may follow it: ”」』"')）
BAR = 2048  # the separators | and ｜

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_ASTRAL_HAN = (0x20000, 0x3FFFF)
TRAD_ONLY = "們這個來時會對說國與後關經長門開間區實當點體現還發過種麼樣從裡報導華際應動機臺灣"


UNKNOWN = 0x8000
"""Marks a table entry whose Unicode-database flags are not filled in yet."""


@lru_cache(maxsize=1)
def flag_table() -> np.ndarray:
    """Flags of every BMP code point (index = code point); DIGIT and PUNCT come later, see
    :func:`_fill`, until when an entry carries :data:`UNKNOWN`."""
    table = np.full(0x10000, UNKNOWN, dtype=np.uint16)
    for lo, hi in _HAN_RANGES:
        table[lo : hi + 1] |= HAN
    table[ord("A") : ord("Z") + 1] |= LATIN
    table[ord("a") : ord("z") + 1] |= LATIN
    table[0x80:] |= NON_ASCII
    table[0xD800:0xE000] &= ~np.uint16(UNKNOWN)  # lone surrogates: no character, no flags
    for ch in TRAD_ONLY:
        table[ord(ch)] |= TRAD
    table[ord(" ")] |= SPACE
    for ch in "。！？!?；":
        table[ord(ch)] |= TERMINAL
    for ch in "，,、：:":
        table[ord(ch)] |= COMMA
    for ch in "。！？!?…；;.":
        table[ord(ch)] |= END_PUNCT
    for ch in "”」』\"')）":
        table[ord(ch)] |= CLOSER
    for ch in "|｜":
        table[ord(ch)] |= BAR
    return table


def _fill(table: np.ndarray, cps: np.ndarray) -> None:
    """Fill in the Unicode-database flags of these BMP code points (each entry is written
    once, to the same value whichever thread writes it)."""
    for cp in np.unique(cps).tolist():
        ch = chr(cp)
        flags = int(table[cp]) & ~UNKNOWN
        if ch.isdecimal():
            flags |= DIGIT
        if unicodedata.category(ch)[0] in "PS":
            flags |= PUNCT
        table[cp] = flags


def char_flags(cps: np.ndarray) -> np.ndarray:
    """Flags of an array of code points (astral Han counts as Han; other astral as non-ASCII)."""
    table = flag_table()
    small = cps < 0x10000
    index = np.where(small, cps, 0).astype(np.intp)
    out = table[index]
    missing = (out & UNKNOWN).astype(bool)
    if missing.any():
        _fill(table, index[missing])
        out = table[index]
    if not small.all():
        astral = ~small
        han = astral & (cps >= _ASTRAL_HAN[0]) & (cps <= _ASTRAL_HAN[1])
        out[astral] = NON_ASCII
        out[han] |= HAN
    return out
