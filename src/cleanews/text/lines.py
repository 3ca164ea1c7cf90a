"""A page as lines: splitting that keeps every byte, blank detection, and the feature copy.

The text of a line is never changed: what is written out is what came in. Features
are computed on a *normalised copy* (NFKC, invisible characters removed), so that
full-width and half-width forms, NBSP and U+3000 look alike to the model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import numpy as np

# Characters that render as nothing: a line made only of these (and spaces) is blank.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u2061\u2062\u2063\u2064\x00")
_INVISIBLE_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")
_SPACES_RE = re.compile(r"\s+")
_SPACES_IN_LINE_RE = re.compile(r"[^\S\n]+")
_SURROGATES_RE = re.compile("[\ud800-\udfff]")


class Line(NamedTuple):
    """One line of a page: its 1-based number, its text and its line end, exactly as read.

    A named tuple, not a dataclass: pages have hundreds of thousands of lines, and a
    tuple is made three times faster than a frozen dataclass.
    """

    number: int
    text: str
    end: str

    @property
    def blank(self) -> bool:
        return is_blank(self.text)


def is_blank(text: str) -> bool:
    """True when a line has no visible character (spaces, U+3000, zero-width, BOM, controls)."""
    rest = text.lstrip()
    if not rest:
        return True
    if rest[0].isprintable() and rest[0] not in _INVISIBLE:
        return False  # the common case, decided by the first character after the indent
    for ch in rest:
        if ch.isspace() or ch in _INVISIBLE:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            continue
        return False
    return True


def split_lines(text: str) -> list[Line]:
    """Split page text into lines, keeping each line's end (``\\n``, ``\\r\\n`` or nothing).

    Lines end at ``\\n`` (so a ``\\r`` inside a line stays in its text, as the scorer
    reads pages); a page with no ``\\n`` at all but ``\\r`` line ends (old Mac files) is
    split at ``\\r``. Joining ``text + end`` of every line gives the page back exactly.
    """
    if not text:
        return []
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    parts = text.split(sep)
    last = parts.pop()  # the text after the last separator ("" when the page ends with one)
    lines: list[Line] = []
    if sep == "\n":
        for number, body in enumerate(parts, 1):
            if body.endswith("\r"):
                lines.append(Line(number, body[:-1], "\r\n"))
            else:
                lines.append(Line(number, body, "\n"))
    else:
        lines = [Line(number, body, sep) for number, body in enumerate(parts, 1)]
    if last:
        lines.append(Line(len(lines) + 1, last, ""))
    return lines


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The copy of a line that features see: NFKC, invisible characters dropped, spaces squeezed."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    return _SPACES_RE.sub(" ", folded).strip()


def normalise_many(texts: list[str]) -> list[str]:
    """:func:`normalise` of many lines (none containing ``\n``) in one pass over their join.

    Three C-level passes over a page instead of three per line; the result is the same
    as normalising each line alone (NFKC never joins characters across a line feed).
    """
    if not texts:
        return []
    joined = nfkc_lines(_INVISIBLE_RE.sub("", "\n".join(texts)))
    return [part.strip() for part in _SPACES_IN_LINE_RE.sub(" ", joined).split("\n")]


_FULLWIDTH_FIRST, _FULLWIDTH_LAST, _FULLWIDTH_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
_IDEOGRAPHIC_SPACE = 0x3000


def nfkc_lines(text: str) -> str:
    """NFKC of text whose lines are joined by ``\n``, the same as ``unicodedata.normalize``.

    Why not just call that: on a Chinese page, NFKC has almost nothing to do but map
    full-width ASCII forms (，：１２Ａ) and U+3000 to their plain forms, yet it
    decomposes and recomposes every character (0.08 s over the dev pages). Here those
    forms are mapped with numpy first; then a quick check finds the lines that still
    need NFKC (…, ①, half-width kana...) and only they are normalised (0.012 s). The
    first mapping is part of NFKC itself, so NFKC of the mapped text is NFKC of the text.
    Lone surrogates, which only a caller's ``str`` can hold, become U+FFFD: this copy is
    measured as code points, and the page's own text is never changed.
    """
    if text.isascii():
        return text
    try:
        encoded = text.encode("utf-32-le")
    except UnicodeEncodeError:  # lone surrogates (a caller's str): no character to measure
        text = _SURROGATES_RE.sub("\ufffd", text)
        encoded = text.encode("utf-32-le")
    cps = np.frombuffer(encoded, dtype=np.uint32).copy()
    wide = (cps >= _FULLWIDTH_FIRST) & (cps <= _FULLWIDTH_LAST)
    cps[wide] -= _FULLWIDTH_SHIFT
    cps[cps == _IDEOGRAPHIC_SPACE] = 0x20
    mapped = cps.tobytes().decode("utf-32-le")
    if unicodedata.is_normalized("NFKC", mapped):
        return mapped
    return "\n".join(
        line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
        for line in mapped.split("\n")
    )
