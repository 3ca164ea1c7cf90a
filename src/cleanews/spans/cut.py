"""Cutting spam spans out of a line, and tidying what the cut leaves.

A hijacker's string sits inside the article's own punctuation: the outlet's bracket in
a dateline (``【…2025年03月18日讯】``), a pair of parentheses of its own
(``…协议（金冠娱乐）``), a comma it was dropped after. Cutting only the string would leave
``（）`` and ``，，`` in the article, so at every cut point an emptied bracket pair goes
too, a separator doubled by the cut is written once, and spaces the cut left against a
bracket or separator go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PAIRS = {"(": ")", "（": "）", "【": "】", "[": "]", "「": "」", "《": "》", "〔": "〕", "『": "』"}
"""Bracket pairs that an emptied cut removes."""

SEPARATORS = frozenset("，,、；;：:|｜/·•-—～~")
"""Marks that may not stand twice in a row, nor open a line, once a cut has joined them."""

_MD_TARGET = re.compile(r"\([^)\s]*\)")
_CLOSERS = frozenset(PAIRS.values())
_SPACE = " \u3000\t"
_VISIBLE = re.compile(r"[\w\u3400-\u9fff]")


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` ranges covering the given ones."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def cut_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` without the given code-point ranges, tidied at each cut point."""
    ranges = merge(spans)
    if not ranges:
        return text
    pieces: list[str] = []
    at = 0
    for s, e in ranges:
        pieces.append(text[at:s])
        at = e
    pieces.append(text[at:])
    out = pieces[0]
    for piece in pieces[1:]:
        out = _join(out, piece)
    if out.strip() and not _VISIBLE.search(out):
        return ""  # nothing of the line's own is left
    return out


def _join(left: str, right: str) -> str:
    """Join the text before and after one cut, tidying the seam."""
    indent = left if not left.strip() else ""  # the cut opened the line: keep its indent
    ls = "" if indent else left.rstrip(_SPACE)
    rs = right.lstrip(_SPACE)
    spaced = len(ls) < len(left) and len(rs) < len(right)
    while ls and rs and PAIRS.get(ls[-1]) == rs[0]:  # an emptied bracket pair around the cut
        opener = ls[-1]
        ls, rs, spaced = ls[:-1].rstrip(_SPACE), rs[1:], False
        target = _MD_TARGET.match(rs) if opener == "[" else None
        if target:  # an emptied markdown link: "[](http://…)" goes whole
            rs = rs[target.end() :]
    if ls and rs and ls[-1] in SEPARATORS and rs[0] in SEPARATORS:
        rs = rs[1:]  # "排险，，同时" -> "排险，同时"
    elif not ls and rs and rs[0] in SEPARATORS:
        rs = rs[1:].lstrip(_SPACE)  # no separator opens the line
    elif ls and not rs.strip() and ls[-1] in SEPARATORS and ls[-1] not in "|｜":
        ls = ls[:-1].rstrip(_SPACE)  # no dangling comma ends it
    tight = not ls or not rs or ls[-1] in PAIRS or rs[0] in _CLOSERS or ls[-1] in SEPARATORS or rs[0] in SEPARATORS
    return indent + ls + ("" if tight or not spaced else " ") + rs
