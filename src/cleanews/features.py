"""What the model sees of one line on its own: shape, patterns, lexicons and characters.

Two parts per line: a short dense vector of hand-made measures (named in
:data:`DENSE_NAMES`, so importances can be read) and hashed character n-grams of the
normalised text (digits folded to ``0`` so every date looks alike). Both are computed
once per distinct line of a page: menus and feeds repeat the same lines many times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import regex as re
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from .lexicon import CHROME_WORDS, CITIES, LINK_WORDS, META_WORDS, NAV_WORDS, PROVINCES, SPAM_WORDS

FEATURE_VERSION = 2
"""Bumped whenever the features change; a saved model with another version is refused."""

NGRAM_FEATURES = 2**18
"""Hash buckets for character n-grams: collisions are rare at this size, memory stays small."""

MAX_NGRAM_CHARS = 3000
"""Only this many characters of a line feed the n-grams: a 500,000-character line is
not more informative than its start, and it would cost time for nothing."""

_HAN = re.compile(r"\p{Han}")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[\p{P}\p{S}]")
_TERMINAL_END = re.compile(r"[。！？!?…；;\.][”」』\"')）]?$")
_TERMINAL_ANY = re.compile(r"[。！？!?；]")
_COMMA = re.compile(r"[，,、：:]")
_ELLIPSIS_END = re.compile(r"(\.\.\.|…|\[详细\]|\[全文\]|详细>>|\[详情\])\s*$")
_MD_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_URL = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|cn|net|org|gov|edu)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[•·・*\-+□■▪◆◇○●>»▶►→]|\d{1,2}[.、)]|\(\d{1,2}\))\s*")
_IMAGE_MARK = re.compile(r"\[(?:logo|image|img|图片|图|圖|photo|IMG|Image|LOGO)[^\]]*\]|!\[", re.I)
_BRACKET_TAG = re.compile(r"[\[【(（]\s*\d+\s*[Pp]\s*[\]】)）]")
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\b\d{1,2}[-/]\d{1,2}\b|\d{1,2}月\d{1,2}日")
_TIME = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b")
_ICP = re.compile(r"ICP|备案|公网安备|許可證|许可证|備案", re.I)
_PHONE = re.compile(r"(?:\d{3,4}[-－ ]?)?\d{7,8}|1[3-9]\d{9}|400[-\d]{7,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_COUNT = re.compile(
    r"(?:阅读|閱讀|浏览|瀏覽|点击|點擊|人气|人氣|评论|評論|跟贴|参与|參與|点赞|赞)\s*[:：]?\s*\d|\d\s*(?:人参与|条评论|人阅读|次浏览|评|赞)"
)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权|版權|all rights reserved", re.I)
_CREDIT = re.compile(r"(?:来源|來源|作者|记者|記者|编辑|編輯|责编|通讯员|摄影|供稿|审核|出处|稿源)\s*[:：/]")
_BREADCRUMB = re.compile(r"\s(?:>|>>|›|»|→|/|〉|＞)\s|(?:>|>>|›|»|→)")
_SEPARATOR = re.compile(r"\s*[|｜]\s*")
_TOKEN_SPLIT = re.compile(r"[\s|｜/·•]+")
_PLACE = re.compile(r"^\p{Han}{1,6}(?:[县市区旗州盟省]|自治州|自治县|自治区|新区|特区|地区|縣|區)$")
_MD_URL = re.compile(r"\]\([^)]*\)")
_TOKEN_TRIM = "[]()*•·-□■>#【】<>《》 "
_TRAD_ONLY = re.compile(r"[們這個來時會對說國們與後關經長門開間區實當點體現還發過種麼樣從裡報導華際應動機臺灣]")


def _share(pattern: re.Pattern, text: str, n: int) -> float:
    return len(pattern.findall(text)) / n if n else 0.0


def _lexicon_hits(tokens: Sequence[str], text: str) -> tuple[float, float, float, float, float, float, float]:
    n_tokens = max(len(tokens), 1)
    region = sum(1 for t in tokens if t in PROVINCES or t in CITIES or _PLACE.match(t))
    nav = sum(1 for t in tokens if t in NAV_WORDS)
    link = sum(1 for w in LINK_WORDS if w in text)
    chrome = sum(1 for w in CHROME_WORDS if w in text)
    meta = sum(1 for w in META_WORDS if w in text)
    spam = sum(1 for w in SPAM_WORDS if w in text)
    province_any = sum(1 for w in PROVINCES if len(w) >= 2 and w in text)
    return (
        region / n_tokens,
        nav / n_tokens,
        math.log1p(link),
        math.log1p(chrome),
        math.log1p(meta),
        math.log1p(spam),
        math.log1p(province_any),
    )


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
)


def dense_features(raw: str, norm: str) -> list[float]:
    """The hand-made measures of one line (raw text for layout, normalised text for content)."""
    n = len(norm)
    text = norm[:MAX_NGRAM_CHARS]
    m = max(len(text), 1)
    han = _share(_HAN, text, m)
    bare = _MD_URL.sub("]", text)
    tokens = [t.strip(_TOKEN_TRIM) for t in _TOKEN_SPLIT.split(bare)]
    tokens = [t for t in tokens if t]
    n_tokens = len(tokens)
    token_lens = [len(t) for t in tokens] or [0]
    md_links = _MD_LINK.findall(text)
    md_chars = sum(len(x) for x in md_links)
    lead = len(raw) - len(raw.lstrip())
    terminal_end = 1.0 if _TERMINAL_END.search(text) else 0.0
    feats = [
        math.log1p(n),
        han,
        _share(_LATIN, text, m),
        _share(_DIGIT, text, m),
        _share(_PUNCT, text, m),
        text.count(" ") / m,
        math.log1p(lead),
        terminal_end,
        math.log1p(len(_TERMINAL_ANY.findall(text))),
        math.log1p(len(_COMMA.findall(text))),
        1.0 if _ELLIPSIS_END.search(text) else 0.0,
        math.log1p(len(md_links)),
        md_chars / m,
        1.0 if _URL.search(text) else 0.0,
        1.0 if _BULLET.match(raw) else 0.0,
        1.0 if _IMAGE_MARK.search(text) else 0.0,
        1.0 if _BRACKET_TAG.search(text) else 0.0,
        math.log1p(len(_DATE.findall(text))),
        1.0 if _TIME.search(text) else 0.0,
        1.0 if _ICP.search(text) else 0.0,
        1.0 if _PHONE.search(text) else 0.0,
        1.0 if _EMAIL.search(text) else 0.0,
        1.0 if _COUNT.search(text) else 0.0,
        1.0 if _COPYRIGHT.search(text) else 0.0,
        1.0 if _CREDIT.search(text) else 0.0,
        math.log1p(len(_BREADCRUMB.findall(text))),
        math.log1p(len(_SEPARATOR.findall(text))),
        math.log1p(n_tokens),
        math.log1p(sum(token_lens) / max(n_tokens, 1)),
        sum(1 for x in token_lens if x <= 4) / max(n_tokens, 1),
        *_lexicon_hits(tokens, bare),
        _share(_TRAD_ONLY, text, m) * 10,
        1.0 if 6 <= n <= 40 and not terminal_end and han > 0.5 else 0.0,
        1.0 if text.isascii() else 0.0,
        1.0 if n <= 4 else 0.0,
    ]
    return feats


def ngram_text(norm: str) -> str:
    """The string whose character n-grams are hashed: digits folded, length capped, ends marked."""
    return "\x02" + _DIGIT.sub("0", _MD_URL.sub("]", norm[:MAX_NGRAM_CHARS])) + "\x03"


def make_hasher() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        n_features=NGRAM_FEATURES,
        alternate_sign=False,
        norm="l2",
        lowercase=True,
        dtype=np.float32,
    )


def line_features(
    raws: Sequence[str], norms: Sequence[str], hasher: HashingVectorizer
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Dense and hashed features for the lines of one page, each distinct line computed once."""
    if not raws:
        return np.zeros((0, len(DENSE_NAMES)), dtype=np.float32), sparse.csr_matrix(
            (0, NGRAM_FEATURES), dtype=np.float32
        )
    index: dict[str, int] = {}
    order: list[int] = []
    uniq_raw: list[str] = []
    uniq_norm: list[str] = []
    for raw, norm in zip(raws, norms):
        key = raw
        at = index.get(key)
        if at is None:
            at = index[key] = len(uniq_raw)
            uniq_raw.append(raw)
            uniq_norm.append(norm)
        order.append(at)
    dense = np.array([dense_features(r, s) for r, s in zip(uniq_raw, uniq_norm)], dtype=np.float32).reshape(
        len(uniq_raw), len(DENSE_NAMES)
    )
    grams = hasher.transform([ngram_text(s) for s in uniq_norm]).tocsr()
    idx = np.asarray(order, dtype=np.intp)
    return dense[idx], grams[idx]
