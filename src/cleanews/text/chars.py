"""What kind of character each code point is, as bit flags, for whole pages at once.

Counting Han, Latin, digits or punctuation line by line with regular expressions was a
tenth of the labelling time. A table of flags for the Basic Multilingual Plane, built
once on first use (about 30 ms), turns those counts into numpy operations over a page's
code points.
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


@lru_cache(maxsize=1)
def flag_table() -> np.ndarray:
    """Flags of every BMP code point (index = code point)."""
    table = np.zeros(0x10000, dtype=np.uint16)
    for lo, hi in _HAN_RANGES:
        table[lo : hi + 1] |= HAN
    table[ord("A") : ord("Z") + 1] |= LATIN
    table[ord("a") : ord("z") + 1] |= LATIN
    table[0x80:] |= NON_ASCII
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if ch.isdecimal():
            table[cp] |= DIGIT
        if unicodedata.category(ch)[0] in "PS":
            table[cp] |= PUNCT
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


def char_flags(cps: np.ndarray) -> np.ndarray:
    """Flags of an array of code points (astral Han counts as Han; other astral as non-ASCII)."""
    table = flag_table()
    small = cps < 0x10000
    out = table[np.where(small, cps, 0).astype(np.intp)]
    if not small.all():
        astral = ~small
        han = astral & (cps >= _ASTRAL_HAN[0]) & (cps <= _ASTRAL_HAN[1])
        out[astral] = NON_ASCII
        out[han] |= HAN
    return out
