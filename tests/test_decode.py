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


def test_invisible_characters_survive_and_nul_bytes_are_dropped() -> None:
    page = "正文\x00内容\u200b，\u3000空格\xa0。\n"
    d = decode_bytes(page.encode())
    assert d.text == page.replace("\x00", "") and d.nuls_dropped == 1 and not d.replaced


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


# -- NUL bytes, magic-looking starts, mixed encodings (issue 15) -------------------------

ARTICLE = "星球新闻网\n正文第一段，记者从会上获悉，全国规模以上工业增加值同比增长。\n第二段，专家表示。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_a_page_padded_with_nul_bytes_is_text(encoding: str) -> None:
    text = ARTICLE if encoding != "big5" else TRADITIONAL + "\n"
    d = decode_bytes(text.encode(encoding) + bytes(4096))
    assert d.text == text and d.nuls_dropped == 4096 and not d.replaced


def test_scattered_nul_bytes_are_dropped() -> None:
    raw = ARTICLE.encode()
    scattered = b"\0".join(raw[i : i + 7] for i in range(0, len(raw), 7))
    d = decode_bytes(b"\0\0" + scattered + b"\0" * 100)
    assert d.text == ARTICLE and d.nuls_dropped == scattered.count(0) + 102


def test_utf16_without_a_bom_is_known_by_its_nul_bytes_even_when_padded() -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        d = decode_bytes((ARTICLE * 3).encode(encoding) + bytes(1000))
        assert d.text == ARTICLE * 3 and d.encoding == encoding


@pytest.mark.parametrize("magic", ["MZ", "RIFF", "BZh", "PK", "OggS", "%PDF-", "GIF89a"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_text_page_that_starts_with_a_magic_number_is_text(magic: str, encoding: str) -> None:
    page = magic + ARTICLE
    assert decode_bytes(page.encode(encoding)).text == page


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + bytes(range(256)) * 4,
        b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00" + random.Random(3).randbytes(3000),
        b"BZh91AY&SY" + random.Random(4).randbytes(3000),
        b"MZ" + bytes(4000) + b"\x01\x02\x03\x04\x05\x06" * 20,
    ],
    ids=["exe", "wav", "bzip2", "exe-mostly-nul"],
)
def test_real_binaries_with_those_magic_numbers_are_still_refused(data: bytes) -> None:
    with pytest.raises(NotTextError, match="not a text page"):
        decode_bytes(data)


def test_a_page_half_utf8_and_half_gbk_is_decoded_by_segment() -> None:
    utf8_half = "第一部分用UTF-8编码：记者从会上获悉，全国规模以上工业增加值同比增长。\n" * 3
    gbk_half = "第二部分用GBK编码：专家表示，经济运行总体平稳，稳中有进。\n" * 3
    d = decode_bytes(utf8_half.encode("utf-8") + gbk_half.encode("gbk"))
    assert d.text == utf8_half + gbk_half
    assert d.encoding == "utf-8+gb18030" and not d.replaced


def test_replaced_bytes_are_counted() -> None:
    page = ("正文第一段。" * 50).encode() + b"\xff\xfe\xfa" + "第二段。\n".encode() + b"\xff" + "第三段。".encode()
    d = decode_bytes(page)
    assert d.replaced and d.replaced_bytes == 4 and d.encoding == "utf-8"
    assert d.text.count("\ufffd") == 4 and "第三段" in d.text


def test_gbk_page_with_a_broken_byte_counts_it() -> None:
    page = (SIMPLIFIED + "\n").encode("gbk") * 3 + b"\xff" + "结尾。\n".encode("gbk")
    d = decode_bytes(page)
    assert d.encoding == "gb18030" and d.replaced_bytes == 1 and d.text.endswith("结尾。\n")


def test_forty_random_bytes_are_not_taken_for_utf16() -> None:
    rng = random.Random(15)
    for _ in range(200):
        data = rng.randbytes(40)
        try:
            d = decode_bytes(data)
        except NotTextError:
            continue
        assert not d.encoding.startswith("utf-16"), data


@pytest.mark.parametrize("page", [None, 12, 3.5, ["正文"]])
def test_decode_bytes_names_a_wrong_type(page: object) -> None:
    with pytest.raises(TypeError, match=type(page).__name__):
        decode_bytes(page)  # type: ignore[arg-type]


def test_bytearray_and_memoryview_decode_like_bytes() -> None:
    raw = ARTICLE.encode("gb18030")
    assert decode_bytes(bytearray(raw)) == decode_bytes(memoryview(raw)) == decode_bytes(raw)
