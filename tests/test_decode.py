"""Decoding pages that arrive in any encoding, and refusing what is not text."""

from __future__ import annotations

import codecs
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanews.text.decode import NotTextError, decode_bytes

SIMPLIFIED = "北京时间3月18日，国家统计局发布数据显示，全国规模以上工业增加值同比增长百分之五点九。记者从会上获悉，"
TRADITIONAL = "臺灣中央氣象署表示，颱風將於明天清晨登陸，各地民眾應提前做好防範準備，避免前往海邊與山區活動。"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED * 3, "gbk"),
        (SIMPLIFIED * 3, "gb2312"),
        (SIMPLIFIED * 3, "gb18030"),
        (TRADITIONAL * 3, "big5"),
        (SIMPLIFIED + TRADITIONAL, "utf-16"),
        (SIMPLIFIED + TRADITIONAL, "utf-8-sig"),
        (SIMPLIFIED + TRADITIONAL, "utf-8"),
    ],
)
def test_encodings_round_trip(text: str, encoding: str) -> None:
    page = f"{text}\n第二行，Second line, 123。\n"
    decoded = decode_bytes(page.encode(encoding))
    assert decoded.text == page
    assert not decoded.replaced


def test_short_gbk_page_is_not_mistaken_for_big5() -> None:
    page = "来源：新华网\n责任编辑：张三\n"
    assert decode_bytes(page.encode("gbk")).text == page


def test_utf8_is_reported() -> None:
    d = decode_bytes("中文".encode())
    assert d.encoding == "utf-8" and d.text == "中文"


def test_bad_bytes_are_replaced_and_reported() -> None:
    data = ("正文第一段。" * 50).encode("utf-8") + b"\xff\xfe\xfa" + "第二段。".encode()
    d = decode_bytes(data)
    assert d.replaced
    assert "正文第一段" in d.text and "第二段" in d.text


def test_truncated_utf8_character_at_end() -> None:
    data = "新闻正文".encode()[:-1]
    d = decode_bytes(data)
    assert d.text.startswith("新闻正") and d.replaced


def test_nul_and_invisible_characters_survive() -> None:
    page = "正文\x00内容\u200b，\u3000空格\xa0。\n"
    assert decode_bytes(page.encode()).text == page


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"PK\x03\x04" + os.urandom(200),
        b"%PDF-1.7\n" + os.urandom(200),
        b"\x7fELF" + bytes(300),
        bytes(range(256)) * 8,
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(NotTextError, match="not a text page|binary"):
        decode_bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_not_text(data: bytes) -> None:
    try:
        d = decode_bytes(data)
    except NotTextError:
        return
    assert isinstance(d.text, str)


def test_random_noise_is_binary() -> None:
    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(5000))
    with pytest.raises(NotTextError):
        decode_bytes(data)


def test_empty_bytes() -> None:
    assert decode_bytes(b"").text == ""


def test_utf16_bom_is_dropped() -> None:
    raw = codecs.BOM_UTF16_LE + "正文".encode("utf-16-le")
    assert decode_bytes(raw).text == "正文"


@pytest.mark.parametrize("text", ["新闻", "正文", "来源：新华网", "責任編輯"])
def test_very_short_legacy_pages(text: str) -> None:
    for enc in ("gb18030",):
        assert decode_bytes(text.encode(enc)).text == text
