"""Features of each character of a window, for the span model's tagger.

A window is a stretch of one line around a gate hit (:mod:`cleanews.spans.candidates`).
Each character gets string features in the CRF's usual form: the characters and pairs
around it, its character class, the jieba word it falls in (the word, where in it, how
common the dictionary says it is: an unknown name falls apart into rare pieces), the
spam vocabulary and advertising shapes it is part of, how many of the page's candidate
lines repeat its four-character neighbourhood (a site-wide replacement repeats), where it
sits in the line (line start and end, a dateline bracket, after a comma, before 记者/讯)
and the line's label and spam probability from the line model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleanews.spans import words as jieba_words
from cleanews.spans.candidates import line_hits

OPENERS = "(（【[「《〔『"
CLOSERS = ")）】]」》〕』"
COMMAS = "，,、；;：:"
AFTER_WORDS = re.compile("记者|讯|报道|报导|电|消息|综合|版权|主办|承办|客户端|APP|网")
"""Words that follow an outlet's name: what stands before them may be a hijacker's replacement."""


@dataclass(frozen=True)
class LineContext:
    """What the line model and the page say about the line a window is in."""

    label: str
    spam_probability: float
    repeats: Counter[str]  # four-character strings -> how many candidate lines hold them


def page_repeats(texts: Sequence[str]) -> Counter[str]:
    """For each four-character string, how many of these lines hold it."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update({t[i : i + 4] for i in range(max(0, len(t) - 3))})
    return counts


def _fold(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    return (n if len(n) == 1 else ch).lower()


def _shape(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    if "\u3400" <= ch <= "\u9fff":
        return "H"
    return "P" if unicodedata.category(ch)[0] in "PS" else "O"


def _band(p: float) -> str:
    return "0" if p < 0.05 else "1" if p < 0.2 else "2" if p < 0.5 else "3"


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4" if n < 8 else "8"


def window_features(
    line: str, start: int, end: int, ctx: LineContext, learned: tuple[str, ...]
) -> list[list[str]]:
    """One feature list per character of ``line[start:end]``."""
    text = line[start:end]
    folded = [_fold(c) for c in text]
    shapes = [_shape(c) for c in folded]
    n = len(text)
    word_of: list[tuple[str, str, int]] = []  # (word, position tag, dictionary band)
    for w in jieba_words.segment(text):
        band = jieba_words.frequency_band(w)
        for k in range(len(w)):
            tag = "S" if len(w) == 1 else "B" if k == 0 else "E" if k == len(w) - 1 else "M"
            word_of.append((w if len(w) <= 6 else "<long>", tag, band))
    vocab = [0] * n  # 1 inside spam vocabulary or a shape, 2 at its first character
    for s, e in line_hits(text, learned):
        for k in range(s, e):
            vocab[k] = max(vocab[k], 1)
        vocab[s] = 2
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    bracket_end = _dateline_bracket(line, indent)
    rep = [ctx.repeats.get(line[i : i + 4], 0) for i in range(start, end)]
    common = [f"lab={ctx.label}", f"ps={_band(ctx.spam_probability)}"]
    credits = {m.start() - 1 for m in AFTER_WORDS.finditer(line, start, min(len(line), end + 1))}
    out = []
    before = line[:start].rstrip()
    last = before[-1] if before else ""  # the last non-space character before the current one
    for k in range(n):
        i = start + k
        c = folded[k]
        p1 = folded[k - 1] if k > 0 else "^"
        n1 = folded[k + 1] if k + 1 < n else "$"
        p2 = folded[k - 2] if k > 1 else "^"
        n2 = folded[k + 2] if k + 2 < n else "$"
        w, tag, band = word_of[k]
        reps = max(rep[max(0, k - 3) : k + 1])
        f = [
            "b",
            "c=" + c,
            "c-1=" + p1,
            "c+1=" + n1,
            "c-2=" + p2,
            "c+2=" + n2,
            "cc-1=" + p1 + c,
            "cc+1=" + c + n1,
            "ccc=" + p1 + c + n1,
            "s=" + shapes[k],
            "ss=" + (shapes[k - 1] if k else "^") + shapes[k] + (shapes[k + 1] if k + 1 < n else "$"),
            "w=" + w,
            "wt=" + tag,
            "wb=" + str(band),
            "wtb=" + tag + str(band),
            "v=" + str(vocab[k]),
            "rep=" + _bucket(max(0, reps - 1)),
            "ls=" + _bucket(i - indent),
            "le=" + _bucket(len(line.rstrip()) - i - 1),
            *common,
        ]
        if bracket_end and indent < i < bracket_end:
            f.append("dateline")
        if last and last in COMMAS:
            f.append("after_comma")
        elif last and last in OPENERS:
            f.append("after_opener")
        if i + 1 < len(line) and line[i + 1] in CLOSERS:
            f.append("before_closer")
        if i in credits:
            f.append("before_credit")
        if not text[k].isspace():
            last = text[k]
        out.append(f)
    return out


def _dateline_bracket(line: str, indent: int) -> int:
    """Where the bracket that opens the line closes (0 when the line opens without one)."""
    if indent >= len(line) or line[indent] not in OPENERS:
        return 0
    close = CLOSERS[OPENERS.index(line[indent])]
    at = line.find(close, indent + 1)
    return at if 0 < at <= indent + 40 else 0
