"""What the model sees of each line on its own: shape, patterns, lexicons and characters.

Two parts per line: a short dense vector of hand-made measures (named in
:data:`DENSE_NAMES`, so importances can be read) and hashed character n-grams
(:mod:`cleanews.features.ngrams`). Both are computed for a whole page at once: the distinct lines
are joined, character classes are counted with numpy (:mod:`cleanews.text.chars`) and every
pattern runs once over the joined text, its matches mapped back to lines. Only the
token measures keep a short Python loop per line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from cleanews.features.lexicon import CHROME_WORDS, CITIES, LINK_WORDS, META_WORDS, NAV_WORDS, PROVINCES, SPAM_WORDS
from cleanews.features.ngrams import Grams, page_grams
from cleanews.text import chars

MAX_LINE_CHARS = 3000
"""Only this many characters of a line are measured: a 500,000-character line is not
more informative than its start, and it would cost time for nothing."""

# Patterns run over the joined lines of a page (normalised text: one plain space between
# words), so none of them may match across a line end. Those that start with a digit or
# an alternation run faster in the ``regex`` module, literal word lists in ``re``
# (benchmarks/README.md has the measurement).
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[详细\]|\[全文\]|详细>>|\[详情\]) ?$", re.M)
_MD_LINK = re.compile(r"\[[^\]\n]*\]\([^)\n]*\)")
_MD_URL = re.compile(r"\]\([^)\n]*\)")
_URL = regex.compile(r"[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.|(?<=[\w-])\.(?:com|cn|net|org|gov|edu|COM|CN|NET)\b")
_INSTITUTION_URL = re.compile(r"\.(?:gov|edu|org|ac)\.(?:cn|hk|mo|tw)\b|\.gov\b|\.edu\b", re.I)
_BARE_URL = re.compile(r"^(?:[•·*\-] ?)?(?:https?://|www\.)\S+/?$", re.M | re.I)
_BULLET = re.compile(r"^[^\S\n]*(?:[•·・*\-+□■▪◆◇○●>»▶►→]|\d{1,2}[.、)]|\(\d{1,2}\))", re.M)
_IMAGE_MARK = re.compile(r"\[(?:logo|image|img|图片|图|圖|photo)[^\]\n]*\]|!\[", re.I)
_BRACKET_TAG = re.compile(r"[\[【(（] ?\d+ ?[Pp] ?[\]】)）]")
_DATE = regex.compile(r"(?:19|20)\d\d ?[-/.年] ?\d{1,2} ?[-/.月] ?\d{1,2}|\b\d{1,2}[-/]\d{1,2}\b|\d{1,2}月\d{1,2}日")
_TIME = regex.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b")
_ICP = regex.compile(r"[Ii][Cc][Pp]|备案|公网安备|許可證|许可证|備案")
# Only whether a line has a phone number counts, and "0xx-1234567" holds seven digits in a
# row, so the area-code form needs no alternative of its own.
_PHONE = regex.compile(r"\d{7}|400-\d{3}")
_EMAIL = re.compile(r"@[\w-]+\.[A-Za-z]{2,}")
# "A counter" is either pattern; two simple patterns scan four times faster than their
# alternation (0.013 s against 0.047 s over the dev pages).
_COUNT_WORD = re.compile(r"(?:阅读|閱讀|浏览|瀏覽|点击|點擊|人气|人氣|评论|評論|跟贴|参与|參與|点赞|赞) ?[:：]? ?\d")
_COUNT_UNIT = re.compile(r"\d ?(?:人参与|条评论|人阅读|次浏览|评|赞)")
_COPYRIGHT = regex.compile(
    r"©|\([cC]\)|[Cc]opyright|COPYRIGHT|版权|版權|[Aa]ll [Rr]ights [Rr]eserved|ALL RIGHTS RESERVED"
)
_CREDIT = re.compile(r"(?:来源|來源|作者|记者|記者|编辑|編輯|责编|通讯员|摄影|供稿|审核|出处|稿源) ?[:：/]")
_BREADCRUMB = re.compile(r" (?:>|>>|›|»|→|/|〉|＞) |>>?|›|»|→")
_TOKEN = re.compile(r"[^ |｜/·•\n]+")
_PLACE = regex.compile(r"^\p{Han}{1,6}(?:[县市区旗州盟省]|自治州|自治县|自治区|新区|特区|地区|縣|區)$")
_PLACE_ENDS = frozenset("县市区旗州盟省縣區")
_TOKEN_TRIM = "[]()*•·-□■>#【】<>《》 "


def _alternation(words: Sequence[str]) -> Pattern:
    """One pattern matching any of the words (longest first, so a word beats its prefix)."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))))


_LINK_WORDS = _alternation(sorted(LINK_WORDS))
_CHROME_WORDS = _alternation(sorted(CHROME_WORDS))
_META_WORDS = _alternation(sorted(META_WORDS))
_SPAM_WORDS = _alternation(sorted(SPAM_WORDS))
_PROVINCE_WORDS = _alternation(sorted(w for w in PROVINCES if len(w) >= 2))
_PLACES = frozenset(PROVINCES) | frozenset(CITIES)

DENSE_NAMES: tuple[str, ...] = (
    "log_len",
    "han_share",
    "latin_share",
    "digit_share",
    "punct_share",
    "space_share",
    "lead_space",
    "terminal_end",
    "terminal_count",
    "comma_count",
    "ellipsis_end",
    "md_links",
    "md_link_share",
    "url",
    "bullet",
    "image_mark",
    "p_tag",
    "date",
    "time",
    "icp",
    "phone",
    "email",
    "count",
    "copyright",
    "credit",
    "breadcrumb",
    "separators",
    "log_tokens",
    "mean_token_len",
    "short_token_share",
    "region_share",
    "nav_share",
    "link_words",
    "chrome_words",
    "meta_words",
    "spam_words",
    "province_any",
    "trad_share",
    "headline_shape",
    "ascii_only",
    "very_short",
    "institution_url",
    "bare_url",
)

Pattern = Any  # a compiled pattern of either ``re`` or ``regex``

_COL = {name: i for i, name in enumerate(DENSE_NAMES)}


@dataclass
class LineFeatures:
    """Features of some distinct lines: the dense measures and the hashed n-grams."""

    dense: np.ndarray  # (lines, len(DENSE_NAMES)) float32
    grams: Grams


class JoinedLines:
    """Lines joined by ``\\n``, with the offset where each line starts."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = "\n".join(texts) + "\n"
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        self.n = len(texts)

    def counts(self, pattern: Pattern) -> np.ndarray:
        """Matches of the pattern in each line."""
        at = [m.start() for m in pattern.finditer(self.text)]
        if not at:
            return np.zeros(self.n)
        line = np.searchsorted(self.starts, np.asarray(at, dtype=np.int64), side="right") - 1
        return np.bincount(line, minlength=self.n).astype(np.float64)

    def lengths(self, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        """Matches of the pattern in each line, and the characters they cover."""
        spans = [m.span() for m in pattern.finditer(self.text)]
        if not spans:
            return np.zeros(self.n), np.zeros(self.n)
        arr = np.asarray(spans, dtype=np.int64)
        line = np.searchsorted(self.starts, arr[:, 0], side="right") - 1
        return (
            np.bincount(line, minlength=self.n).astype(np.float64),
            np.bincount(line, weights=arr[:, 1] - arr[:, 0], minlength=self.n),
        )


def _class_counts(joined: JoinedLines) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """Characters of each class in each line, and the flags of every character of the
    joined text (:mod:`cleanews.text.chars`)."""
    cps = np.frombuffer(joined.text.encode("utf-32-le"), dtype=np.uint32)
    flags = chars.char_flags(cps)
    out = {}
    for bit in (chars.HAN, chars.LATIN, chars.DIGIT, chars.PUNCT, chars.TRAD, chars.SPACE, chars.TERMINAL, chars.COMMA):
        out[bit] = np.add.reduceat(((flags & bit) != 0).astype(np.int64), joined.starts).astype(np.float64)
    out[chars.NON_ASCII] = np.add.reduceat(((flags & chars.NON_ASCII) != 0).astype(np.int64), joined.starts)
    return out, flags


def _terminal_end(flags: np.ndarray, joined: JoinedLines, lengths: np.ndarray) -> np.ndarray:
    """1 where a line ends in terminal punctuation, perhaps followed by one closing quote
    or bracket (what ``[。！？!?…；;.][”」』"')）]?$`` finds, read off the character flags)."""
    out = np.zeros(joined.n)
    has = lengths > 0
    last_at = (joined.starts + lengths - 1)[has]
    last = flags[last_at]
    ends = (last & chars.END_PUNCT) != 0
    two = (lengths[has] >= 2) & ((last & chars.CLOSER) != 0)
    ends[two] = (flags[last_at[two] - 1] & chars.END_PUNCT) != 0
    out[has] = ends
    return out


def _token_measures(bare: JoinedLines) -> np.ndarray:
    """Per line: log tokens, log mean token length, short-token share, place share, nav share.

    Tokens are the runs between separators, trimmed of brackets and bullets; they are
    found over the joined page at once, so the only Python work left is one flat pass
    over the tokens for the lexicon look-ups.
    """
    out = np.zeros((bare.n, 5))
    found = [(m.start(), m.group().strip(_TOKEN_TRIM)) for m in _TOKEN.finditer(bare.text)]
    tokens = [t for _, t in found if t]
    if not tokens:
        return out
    at = np.fromiter((start for start, t in found if t), dtype=np.int64, count=len(tokens))
    line = np.searchsorted(bare.starts, at, side="right") - 1
    size = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    region = np.fromiter(
        (t in _PLACES or (t[-1] in _PLACE_ENDS and len(t) <= 9 and _PLACE.match(t) is not None) for t in tokens),
        dtype=bool,
        count=len(tokens),
    )
    nav = np.fromiter((t in NAV_WORDS for t in tokens), dtype=bool, count=len(tokens))
    n = np.bincount(line, minlength=bare.n).astype(np.float64)
    has = n > 0
    total = np.bincount(line, weights=size.astype(np.float64), minlength=bare.n)
    short = np.bincount(line, weights=(size <= 4).astype(np.float64), minlength=bare.n)
    places = np.bincount(line, weights=region.astype(np.float64), minlength=bare.n)
    navs = np.bincount(line, weights=nav.astype(np.float64), minlength=bare.n)
    k = n[has]
    out[has] = np.column_stack([np.log1p(k), np.log1p(total[has] / k), short[has] / k, places[has] / k, navs[has] / k])
    return out


def line_features(raws: Sequence[str], norms: Sequence[str]) -> LineFeatures:
    """Dense measures and n-grams of distinct lines (raw text for layout, normalised for content)."""
    n = len(raws)
    width = len(DENSE_NAMES)
    if n == 0:
        return LineFeatures(np.zeros((0, width), dtype=np.float32), page_grams([]))
    texts = [s[:MAX_LINE_CHARS] for s in norms]
    page = JoinedLines(texts)
    bare_text = _MD_URL.sub("]", page.text)
    bare_lines = bare_text.split("\n")[:n]
    bare = JoinedLines(bare_lines)
    raw = JoinedLines([r[:MAX_LINE_CHARS] for r in raws])
    cls, flags = _class_counts(page)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    m = np.maximum(lengths.astype(np.float64), 1.0)
    full_len = np.fromiter((len(s) for s in norms), dtype=np.float64, count=n)
    lead = np.fromiter((len(r) - len(r.lstrip()) for r in raws), dtype=np.float64, count=n)
    md_count, md_chars = page.lengths(_MD_LINK)
    terminal_end = _terminal_end(flags, page, lengths)
    han = cls[chars.HAN] / m

    x = np.zeros((n, width))

    def put(name: str, values: np.ndarray) -> None:
        x[:, _COL[name]] = values

    put("log_len", np.log1p(full_len))
    put("han_share", han)
    put("latin_share", cls[chars.LATIN] / m)
    put("digit_share", cls[chars.DIGIT] / m)
    put("punct_share", cls[chars.PUNCT] / m)
    put("space_share", cls[chars.SPACE] / m)
    put("lead_space", np.log1p(lead))
    put("terminal_end", terminal_end)
    put("terminal_count", np.log1p(cls[chars.TERMINAL]))
    put("comma_count", np.log1p(cls[chars.COMMA]))
    put("md_links", np.log1p(md_count))
    put("md_link_share", md_chars / m)
    bars = ((flags & chars.BAR) != 0).astype(np.int64)
    put("separators", np.log1p(np.add.reduceat(bars, page.starts).astype(np.float64)))
    for name, values in (*_pattern_measures(page, raw), *_word_measures(bare)):
        put(name, values)
    put("trad_share", cls[chars.TRAD] / m * 10)
    put("headline_shape", ((full_len >= 6) & (full_len <= 40) & (terminal_end == 0) & (han > 0.5)).astype(np.float64))
    put("ascii_only", (cls[chars.NON_ASCII] == 0).astype(np.float64))
    put("very_short", (full_len <= 4).astype(np.float64))
    return LineFeatures(x.astype(np.float32), page_grams(bare_lines))


def _pattern_measures(page: JoinedLines, raw: JoinedLines) -> list[tuple[str, np.ndarray]]:
    """The measures read off patterns run over the joined lines (``raw`` for layout marks)."""

    def anywhere(pattern: Pattern, joined: JoinedLines = page) -> np.ndarray:
        return (joined.counts(pattern) > 0).astype(np.float64)

    return [
        ("ellipsis_end", anywhere(_ELLIPSIS_END)),
        ("url", anywhere(_URL)),
        ("bullet", anywhere(_BULLET, raw)),
        ("image_mark", anywhere(_IMAGE_MARK)),
        ("p_tag", anywhere(_BRACKET_TAG)),
        ("date", np.log1p(page.counts(_DATE))),
        ("time", anywhere(_TIME)),
        ("icp", anywhere(_ICP)),
        ("phone", anywhere(_PHONE)),
        ("email", anywhere(_EMAIL)),
        ("count", np.maximum(anywhere(_COUNT_WORD), anywhere(_COUNT_UNIT))),
        ("copyright", anywhere(_COPYRIGHT)),
        ("credit", anywhere(_CREDIT)),
        ("breadcrumb", np.log1p(page.counts(_BREADCRUMB))),
        ("institution_url", anywhere(_INSTITUTION_URL)),
        ("bare_url", anywhere(_BARE_URL)),
    ]


def _word_measures(bare: JoinedLines) -> list[tuple[str, np.ndarray]]:
    """The token and lexicon measures, read off the lines with link targets removed."""
    tokens = _token_measures(bare)
    names = ("log_tokens", "mean_token_len", "short_token_share", "region_share", "nav_share")
    out = [(name, tokens[:, k]) for k, name in enumerate(names)]
    for name, words in (
        ("link_words", _LINK_WORDS),
        ("chrome_words", _CHROME_WORDS),
        ("meta_words", _META_WORDS),
        ("spam_words", _SPAM_WORDS),
        ("province_any", _PROVINCE_WORDS),
    ):
        out.append((name, np.log1p(bare.counts(words))))
    return out
