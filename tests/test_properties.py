"""Properties of decoding, line splitting and the labelled format, over generated pages:
NUL padding and scattered NULs, magic-looking starts, mixed encodings, random bytes."""

from __future__ import annotations

import codecs

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleanews.data.labelled import format_labelled, parse_labelled
from cleanews.data.labels import LABELS
from cleanews.text.decode import NotTextError, decode_bytes
from cleanews.text.lines import is_blank, split_lines

SENTENCES = (
    "北京时间3月18日，国家统计局发布数据显示，全国规模以上工业增加值同比增长。",
    "记者从会上获悉，今年以来全市新建改建农村公路一千二百公里。",
    "专家表示，经济运行总体平稳，稳中有进，但外部环境依然复杂严峻。",
    "来源：新华社 | 时间：2025-03-18 11:30:28 | 责任编辑：张三",
    "网站首页 国内 国际 财经 体育 科技 教育 健康",
    "版权所有 2025 每日新闻网 京ICP备2025111695号 联系我们",
    "当地政府已经启动应急响应，转移安置群众三万余人，全市中小学全部停课。",
    "气象部门提醒市民尽量减少外出，远离海边和低洼地区，注意防范次生灾害。",
)
"""Realistic lines, each with more than eight Chinese characters (a page, not a fragment)."""

TEXT_MAGIC = ("MZ", "RIFF", "BZh", "GIF87a", "GIF89a", "%PDF-", "OggS", "PK")
"""Magic numbers made of printable ASCII: a page may begin with them and still be text."""

pages = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=12).map(lambda ls: "\n".join(ls) + "\n")
# Text of any script but without the characters a page cannot hold as text: NUL and other
# controls (dropped or refused), lone surrogates (not encodable), a BOM (taken as one).
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"), max_size=300
).map(lambda t: t.replace("\u2028", "").replace("\u2029", ""))
any_text_with_lines = st.lists(any_text, max_size=8).map("\n".join)


def _scatter(data: bytes, cuts: list[int], runs: list[int]) -> bytes:
    """``data`` with NUL runs of even length (2, 4, 6) inserted at the cut points."""
    out, last = [], 0
    for cut, run in sorted(zip((c % (len(data) + 1) for c in cuts), runs)):
        out += [data[last:cut], bytes(2 * run)]
        last = cut
    return b"".join(out) + data[last:]


@settings(max_examples=150, deadline=None)
@given(any_text_with_lines, st.integers(0, 5000))
def test_utf8_text_with_nul_padding_decodes_to_the_text(text: str, padding: int) -> None:
    d = decode_bytes(text.encode("utf-8") + bytes(padding))
    assert d.text == text and d.nuls_dropped == padding and not d.replaced


@settings(max_examples=150, deadline=None)
@given(
    any_text_with_lines,
    st.lists(st.integers(0, 10_000), max_size=10),
    st.lists(st.integers(1, 3), min_size=10, max_size=10),
)
def test_scattered_nul_runs_are_dropped_and_counted(text: str, cuts: list[int], runs: list[int]) -> None:
    raw = text.encode("utf-8")
    padded = _scatter(raw, cuts, runs)
    d = decode_bytes(padded)
    assert d.text == text and d.nuls_dropped == len(padded) - len(raw)


@settings(max_examples=100, deadline=None)
@given(pages, st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-8-sig"]), st.integers(0, 3000))
def test_a_page_in_any_encoding_with_padding_decodes_to_the_page(page: str, encoding: str, padding: int) -> None:
    if encoding == "big5":
        assume(all(_encodable(ch, "big5") for ch in page))
    d = decode_bytes(page.encode(encoding) + bytes(padding))
    assert d.text == page and not d.replaced


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TEXT_MAGIC), pages, st.sampled_from(["utf-8", "gb18030"]))
def test_a_page_that_starts_with_a_magic_number_is_text(magic: str, page: str, encoding: str) -> None:
    assert decode_bytes((magic + page).encode(encoding)).text == magic + page


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SENTENCES), st.booleans()), min_size=1, max_size=12))
def test_a_page_mixing_utf8_and_gbk_lines_keeps_every_line(lines: list[tuple[str, bool]]) -> None:
    page = "".join(text + "\n" for text, _ in lines)
    raw = b"".join((text + "\n").encode("utf-8" if utf8 else "gbk") for text, utf8 in lines)
    d = decode_bytes(raw)
    assert d.text == page and not d.replaced
    kinds = {utf8 for _, utf8 in lines}
    assert d.encoding == {frozenset({True}): "utf-8", frozenset({False}): "gb18030"}.get(
        frozenset(kinds), "utf-8+gb18030"
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_give_text_or_not_text_and_utf16_needs_evidence(data: bytes) -> None:
    try:
        d = decode_bytes(data)
    except NotTextError:
        return
    assert "\x00" not in d.text
    assert d.replaced == (d.replaced_bytes > 0) and d.text.count("\ufffd") >= min(d.replaced_bytes, 1)
    if d.encoding.startswith("utf-16") and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        assert b"\x00" in data  # UTF-16 without a BOM is only chosen on its NUL bytes


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=40, max_size=40))
def test_forty_random_bytes_without_nuls_are_never_utf16(data: bytes) -> None:
    assume(b"\x00" not in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))
    try:
        d = decode_bytes(data)
    except NotTextError:
        return
    assert not d.encoding.startswith("utf-16")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("a中 \t\r\n\x00\u3000\u200b"), max_size=80))
def test_lines_give_the_text_back_and_hold_no_line_feed(text: str) -> None:
    lines = split_lines(text)
    assert "".join(line.text + line.end for line in lines) == text
    assert all("\n" not in line.text for line in lines)
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(SENTENCES + ("", "  ", "\u3000", "MZ星球新闻网", "RIFF 标题")), max_size=15),
    st.sampled_from(["\n", "\r\n"]),
    st.data(),
)
def test_the_labelled_format_round_trips_any_page(texts: list[str], newline: str, data: st.DataObject) -> None:
    lines = split_lines(newline.join(texts) + (newline if texts else ""))
    labels = [None if is_blank(line.text) else data.draw(st.sampled_from(LABELS)) for line in lines]
    content = format_labelled(lines, labels)
    page = parse_labelled(content, "page.tsv")
    assert list(page.labels) == labels
    assert page.text == "".join(line.text + line.end for line in lines)


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
