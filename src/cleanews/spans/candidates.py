"""Which lines the span model reads: those with evidence of injected spam.

Most lines of most pages hold no spam string, and segmenting and decoding every line
would cost more than labelling the page. A line is a candidate when one search of the
joined page finds in it a word of spam vocabulary (our own short list of the trades, plus
the character pairs the training spans are made of, learned by :class:`SpanModel`) or a
shape that advertises (a mobile number, a QQ/WeChat id, a web address, a letters-and-
digits code). Lines labelled spam are not read: the whole line goes already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanews.features.measures import JoinedLines
from cleanews.spans.cut import merge

SPAM_PARTS: tuple[str, ...] = tuple(
    (
        # gambling
        "赌场 赌博 博彩 娱乐城 娱乐场 娱乐平台 真人 棋牌 百家乐 老虎机 轮盘 彩金 返水 开户 注册 登录 网址 官网 入口 "
        "平台 投注 下注 时时彩 六合彩 快三 赛车 北京赛车 pk10 彩票 体育 赌球 网投 皇冠 葡京 威尼斯 金沙 永利 新濠 "
        "银河 太阳城 凯旋门 澳门 国际 娱乐 "
        # adult and dating
        "约会 同城 交友 约炮 楼凤 外围 少妇 人妻 美女 激情 成人 色情 裸聊 视频 在线观看 观看 直播 "
        # pharmacy
        "增大 壮阳 延时 伟哥 春药 迷药 催情 代孕 减肥 瘦身 丰胸 包生 药 丸 胶囊 "
        # invoices, loans, fraud
        "发票 代开 办证 刻章 贷款 网贷 借款 秒批 下款 套现 征信 黑户 口子 "
        # contact and web
        "QQ qq 微信 vx VX wx 加V 薇信 电话 热线 客服 www http .com .net .vip .cc .top .xyz .cn"
    ).split()
)
"""Words of the spam trades (ours, short and generic): a feature of the span model, which
decides; ordinary pages use many of them too (视频, 平台, 注册)."""

GATE_WORDS: tuple[str, ...] = tuple(
    (
        # gambling and lotteries
        "赌场 赌博 博彩 娱乐 娱乐城 娱乐场 真人 视讯 棋牌 百家乐 老虎机 电子游艺 捕鱼 牛牛 炸金花 德州扑克 骰宝 龙虎斗 "
        "彩金 体验金 返水 返利 首存 首充 存送 充值 提款 提现 秒到 到账 开户 官网 官方网站 备用网址 最新网址 登陆 "
        "投注 购彩 时时彩 分分彩 六合彩 快三 飞艇 赛车 计划群 计划网 稳赚 包赢 必中 大小单双 赌球 网投 彩票 "
        "葡京 威尼斯人 金沙 永利 新濠 太阳城 皇冠 凯旋门 美高梅 银河 澳门 "
        # adult, dating and vice
        "约炮 楼凤 外围 少妇 人妻 激情 成人 裸聊 在线观看 福利 影院 伦理 三级 番号 黄片 直播间 兼职妹 学生妹 上门 包夜 "
        "援交 桑拿 会所 同城 约会 交友 "
        # pharmacy and clinics
        "增大 增粗 壮阳 延时 持久 早泄 阳痿 伟哥 春药 迷药 催情 代孕 丰胸 包生 男科 妇科 不孕不育 牛皮癣 白癜风 根治 "
        "偏方 特效药 神油 减肥 瘦身 胶囊 哪家好 "
        # invoices, papers, loans
        "代开 发票 办证 刻章 毕业证 代办 网贷 贷款 借款 借钱 钱包 秒批 秒下 下款 套现 征信 黑户 白户 口子 "
        "无抵押 小额 额度 "
        # contact and web addresses seen as words
        "vx: vx： VX: 加QQ 加微信 微信号 微信: 微信： 加V 薇信 QQ: QQ： 扣扣 "
        ".vip .xyz .top .cc .app .com .net .me .co .tv www."
    ).split()
)
"""The words that make a line a candidate: rarer in ordinary text than :data:`SPAM_PARTS`."""

SHAPES = re.compile(
    r"1[3-9]\d{9}"  # a mobile number
    r"|(?:QQ|qq|vx|VX|wx|WX|微信|薇信|加V|扣扣)[:：]?\s?[A-Za-z0-9_-]{5,}"  # a contact id
    r"|[A-Za-z0-9-]+\.(?:com|net|vip|cc|top|xyz|org|me|app|co|tv|info|shop|site)\b"  # a web address
    r"|[A-Za-z]{1,6}\d{2,7}\b"  # a letters-and-digits code
)
"""Shapes that advertise. Looked for only where the characters say they may be: a digit
after a letter, seven digits in a row, a dot between letters."""

_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")
_DIGIT_RUN = 7


@dataclass(frozen=True)
class Gate:
    """The words that make a line a candidate, as arrays for one vectorised look-up.

    A pair table of the words' first two characters finds every place a word may start in
    the whole page at once (numpy); only those places are checked against the words.
    """

    words: tuple[str, ...]
    first: np.ndarray  # bool over code points: may start a word's first pair
    pairs: np.ndarray  # sorted int64 keys of the words' first pairs
    by_pair: dict[int, tuple[str, ...]]

    @classmethod
    def of(cls, words: Iterable[str]) -> Gate:
        words = tuple(sorted({w for w in words if len(w) >= 2}, key=lambda w: (-len(w), w)))
        first = np.zeros(0x110000, dtype=bool)
        by_pair: dict[int, list[str]] = {}
        for w in words:
            first[ord(w[0])] = True
            by_pair.setdefault(_key(ord(w[0]), ord(w[1])), []).append(w)
        pairs = np.array(sorted(by_pair), dtype=np.int64)
        return cls(words, first, pairs, {k: tuple(v) for k, v in by_pair.items()})


def _key(a: int, b: int) -> int:
    return (a << 21) | b


@lru_cache(maxsize=8)
def gate_for(learned: tuple[str, ...]) -> Gate:
    return Gate.of((*GATE_WORDS, *learned))


WINDOW = 16
"""Characters read on each side of a place where the gate fires: longer than the words
of a spam string beyond its advertising word, shorter than a sentence."""


def windows(texts: Sequence[str], skip: Sequence[bool], learned: tuple[str, ...]) -> dict[int, list[tuple[int, int]]]:
    """For each line the span model reads, the stretches of it to read (merged windows of
    :data:`WINDOW` characters around each gate hit); ``skip`` marks lines not to read.
    Only the lines to read are searched (joined into one text for numpy)."""
    rows_read = [i for i, s in enumerate(skip) if not s]
    if not rows_read:
        return {}
    read = [texts[i] for i in rows_read]
    joined = JoinedLines(read)
    found = _gate_hits(joined.text, gate_for(learned))
    if not found:
        return {}
    spans = np.array(found, dtype=np.int64)
    rows = np.searchsorted(joined.starts, spans[:, 0], side="right") - 1
    local = spans - joined.starts[rows][:, None]
    out: dict[int, list[tuple[int, int]]] = {}
    for k, (s, e) in zip(rows.tolist(), local.tolist()):
        row = rows_read[k]
        out.setdefault(row, []).append((max(0, s - WINDOW), min(len(texts[row]), e + WINDOW)))
    return {row: merge(ws) for row, ws in out.items()}


def _gate_hits(text: str, gate: Gate) -> list[tuple[int, int]]:
    """Gate words and long digit runs in the joined page (numpy finds where to look)."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = np.flatnonzero(gate.first[cps[:-1]])
    keys = (cps[at].astype(np.int64) << 21) | cps[at + 1]
    near = np.minimum(np.searchsorted(gate.pairs, keys), len(gate.pairs) - 1)
    keep = gate.pairs[near] == keys
    found: list[tuple[int, int]] = []
    for pos, key in zip(at[keep].tolist(), keys[keep].tolist()):
        word = next((w for w in gate.by_pair[key] if text.startswith(w, pos)), None)
        if word is not None and not (word[0] in ".w" and _in_address(text, pos)):
            found.append((pos, pos + len(word)))
    digit = np.zeros(len(cps) + 2, dtype=np.int8)
    digit[1:-1] = (cps >= 48) & (cps <= 57)
    edges = np.diff(digit)
    run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = run_ends - run_starts >= _DIGIT_RUN
    for s, e in zip(run_starts[long].tolist(), run_ends[long].tolist()):
        if not _in_address(text, s):
            found.append((s, e))
    found.extend(_codes(text, cps))
    return found


def _codes(text: str, cps: np.ndarray) -> list[tuple[int, int]]:
    """Letters-and-digits codes written against Chinese characters (金沙yh664官网): ASCII
    letters directly followed by digits, with a Han character on one side."""
    letter = ((cps | 32) >= 97) & ((cps | 32) <= 122)
    digit = (cps >= 48) & (cps <= 57)
    han = (cps >= 0x3400) & (cps <= 0x9FFF)
    turn = np.flatnonzero(letter[:-1] & digit[1:])
    if not len(turn):
        return []
    not_letter = np.where(~letter, np.arange(len(cps)), -1)
    start = np.maximum.accumulate(not_letter)[turn] + 1  # first letter of the run
    not_digit = np.where(~digit, np.arange(len(cps)), len(cps))
    end = np.minimum.accumulate(not_digit[::-1])[::-1][turn + 1]  # one past the last digit
    before = np.where(start > 0, han[np.maximum(start - 1, 0)], False)
    after = np.where(end < len(cps), han[np.minimum(end, len(cps) - 1)], False)
    ok = (before | after) & (turn + 1 - start <= 8)
    return list(zip(start[ok].tolist(), end[ok].tolist()))


def _in_address(text: str, pos: int) -> bool:
    """Whether a position lies in a link target or an address with a path (not shown to readers as words)."""
    lo = max(text.rfind(" ", 0, pos), text.rfind("(", 0, pos), text.rfind("\n", 0, pos)) + 1
    head = text[lo:pos]
    return "/" in head or "http" in head or "=" in head


def line_hits(text: str, learned: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where spam vocabulary (:data:`SPAM_PARTS` and the learned words) and the advertising
    shapes occur in one line: features of the span model."""
    hits = []
    for m in vocabulary_pattern(learned).finditer(text):
        hits.append(m.span())
    masked = _LINK_TARGET.sub(lambda m: " " * len(m.group()), text)
    hits.extend(m.span() for m in SHAPES.finditer(masked))
    return sorted(hits)


@lru_cache(maxsize=8)
def vocabulary_pattern(learned: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*SPAM_PARTS, *GATE_WORDS, *learned}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))
