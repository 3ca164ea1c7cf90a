"""Decoding a page that is not valid UTF-8, line by line.

A crawl joins pages from many places: a UTF-8 page with a paragraph pasted from a GBK
page, a cut download, a few broken bytes. Decoding such a page whole as GB18030 turns
its UTF-8 half into mojibake; decoding it whole as UTF-8 turns its GBK half into U+FFFD.
So each line is judged alone (``\\n`` is never part of a multi-byte character in UTF-8
or the legacy encodings): lines that are UTF-8 stay UTF-8, lines that are UTF-8 with a
few broken bytes stay UTF-8 with those bytes replaced, and the other lines are decoded
with the legacy encoding detected on them. A page with no real UTF-8 line is decoded
whole with the detected encoding, as before.
"""

from __future__ import annotations

import logging
import re

from cleanews.text.decode import DETECT_SAMPLE_BYTES, MAX_BROKEN_SHARE, cjk_score, decode_part, detect

logger = logging.getLogger(__name__)

MIN_UTF8_HAN = 8
"""A page counts as partly UTF-8 when its valid UTF-8 lines hold at least this many Chinese
characters (three-byte sequences led by E4-E9): a short legacy line can be valid UTF-8 by
accident, a paragraph cannot."""

UTF8, DAMAGED, LEGACY = 0, 1, 2

_HAN_UTF8 = re.compile(b"[\xe4-\xe9][\x80-\xbf][\x80-\xbf]")
_ESCAPED = re.compile("[\udc80-\udcff]")


def _kind(line: bytes) -> tuple[int, int]:
    """How a line reads (UTF8, DAMAGED or LEGACY), and the Chinese characters of a UTF-8 line."""
    try:
        line.decode("utf-8")
        return UTF8, 0 if line.isascii() else len(_HAN_UTF8.findall(line))
    except UnicodeDecodeError:
        pass
    broken = len(_ESCAPED.findall(line.decode("utf-8", errors="surrogateescape")))
    # A legacy line read as UTF-8 breaks on nearly every character; a damaged UTF-8 line
    # (a cut character, a flipped byte) keeps most of its Chinese characters.
    return (DAMAGED, 0) if 3 * len(_HAN_UTF8.findall(line)) >= 2 * broken else (LEGACY, 0)


def decode_segments(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, bytes replaced) of bytes that hold no NUL and no BOM."""
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            text, bad = decode_part(data, "utf-8")  # a page cut in the middle of a character
            return text, "utf-8", bad
    lines = data.split(b"\n")
    kinds = [_kind(line) for line in lines]
    legacy = [line for line, (kind, _) in zip(lines, kinds) if kind == LEGACY]
    if not legacy:
        text, bad = decode_part(data, "utf-8")
        return text, "utf-8", bad
    if sum(han for kind, han in kinds if kind == UTF8) < MIN_UTF8_HAN:
        encoding = detect(data[:DETECT_SAMPLE_BYTES])
        text, bad = decode_part(data, encoding)
        return text, encoding, bad
    encoding = detect(b"\n".join(legacy)[:DETECT_SAMPLE_BYTES])
    sample, _ = decode_part(b"\n".join(legacy)[:DETECT_SAMPLE_BYTES], encoding)
    if sample.count("\ufffd") > MAX_BROKEN_SHARE * max(len(sample), 1):
        text, bad = decode_part(data, "utf-8")  # the odd lines are noise, not an encoding
        return text, "utf-8", bad
    return _decode_mixed(lines, kinds, encoding)


def _decode_mixed(lines: list[bytes], kinds: list[tuple[int, int]], encoding: str) -> tuple[str, str, int]:
    parts: list[str] = []
    replaced = 0
    used_legacy = used_utf8 = False
    for line, (kind, _) in zip(lines, kinds):
        if kind == UTF8 and not line.isascii():
            text = line.decode("utf-8")
            legacy_text, legacy_bad = decode_part(line, encoding)
            # A short legacy line can be valid UTF-8 by accident; it then reads as stray
            # Greek or Hebrew, where the legacy reading gives plain Chinese.
            if legacy_bad == 0 and cjk_score(legacy_text) > cjk_score(text):
                text, kind = legacy_text, LEGACY
        elif kind == UTF8:
            text = line.decode("ascii")
        else:
            text, bad = decode_part(line, "utf-8" if kind == DAMAGED else encoding)
            replaced += bad
        used_legacy |= kind == LEGACY
        used_utf8 |= kind != LEGACY and not line.isascii()
        parts.append(text)
    name = f"utf-8+{encoding}" if used_legacy and used_utf8 else (encoding if used_legacy else "utf-8")
    logger.debug("decoded by lines as %s", name)
    return "\n".join(parts), name, replaced
