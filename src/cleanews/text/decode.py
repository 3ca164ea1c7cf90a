"""Turn the bytes of a scraped page into text, whatever encoding it arrived in.

Scraped pages come as UTF-8 (with or without BOM), UTF-16 with a BOM, GBK/GB2312,
Big5, or mislabelled. We try the strict, cheap answers first (BOMs, then UTF-8),
then detection on a sample, and always end with *some* text: undecodable bytes are
replaced, and the result says so. Only input that is not text at all (an image,
an archive, a binary) is refused, with :class:`NotTextError`.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cleanews.files import read_page

logger = logging.getLogger(__name__)

DETECT_SAMPLE_BYTES = 256 * 1024
"""Detection reads at most this much of a page: enough for a verdict, cheap on a 200 MB page."""

MAX_BROKEN_UTF8_SHARE = 0.05
"""A page whose UTF-8 decoding breaks on fewer than this share of its non-ASCII characters is
damaged UTF-8 (legacy encodings read as UTF-8 break on nearly all of them)."""

MAX_CONTROL_SHARE = 0.10
"""A decoded sample with more control characters than this share is binary, not text."""

MAX_BROKEN_SHARE = 0.25
"""A page where even the best decoding breaks on more than this share of characters is not text."""

# Magic numbers of common non-text formats that scrapers pick up by mistake.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or docx/xlsx/jar)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Detectors name the Chinese legacy encodings by their subsets; GB18030 is their
# superset and decodes everything they do, so it is what we use for all of them.
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "big5": "big5hkscs",
}

_CANDIDATES = ("gb18030", "big5hkscs", "utf-16-le", "utf-16-be", "shift_jis", "euc_kr", "cp1252")


class NotTextError(ValueError):
    """The input is not a text page (an image, an archive, an executable...)."""


@dataclass(frozen=True)
class Decoded:
    """A decoded page: its text, the encoding used, and whether bytes were replaced."""

    text: str
    encoding: str
    replaced: bool


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _control_share(text: str) -> float:
    """Share of control characters other than tab, line ends, form feed and escape."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _refuse_binary(data: bytes) -> None:
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise NotTextError(f"this is {what}, not a text page; give cleanews the page's text")


def _cjk_score(text: str) -> float:
    """Share of characters that are CJK ideographs or common punctuation: high for a right guess."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if (
            0x4E00 <= o <= 0x9FFF
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or ch.isascii()
            and (ch.isprintable() or ch in "\t\n\r")
        ):
            good += 1
    return good / len(text)


def _detect(sample: bytes) -> str | None:
    """Best guess for a sample that is not UTF-8: charset-normalizer, checked against candidates."""
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 pages pay for it

    guess: str | None = None
    best = from_bytes(sample).best()
    if best is not None:
        guess = _ENCODING_ALIASES.get(best.encoding.lower(), best.encoding.lower())
    # Detectors waver between GB18030 and Big5 on short Chinese samples; the decoding
    # that yields the most plain CJK text is the right one.
    scored = []
    for enc in ([guess] if guess else []) + [c for c in _CANDIDATES if c != guess]:
        try:
            text = sample.decode(enc, errors="replace")
        except LookupError:
            continue
        penalty = text.count("\ufffd") * 5 / max(len(text), 1)
        prior = 0.02 if enc == "gb18030" else 0.0  # the commonest legacy encoding of Chinese pages
        scored.append((_cjk_score(text) - penalty + prior + (0.01 if enc == guess else 0.0), enc))
    return max(scored)[1] if scored else guess


def decode_bytes(data: bytes) -> Decoded:
    """Decode a page's bytes: BOM, then UTF-8, then detection; never raises on bad bytes.

    Raises :class:`NotTextError` when the bytes are evidently not text.
    """
    if not data:
        return Decoded("", "utf-8", False)
    _refuse_binary(data)
    encoding: str | None = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    if encoding is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A page cut in the middle of a character is still UTF-8.
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                text = data.decode("utf-8", errors="replace")
                return _checked(Decoded(text, "utf-8", True), data)
        else:
            return _checked(Decoded(text, "utf-8", False), data)
        # Mostly UTF-8 with a few broken bytes (a bad copy, a cut): keep UTF-8, mark replaced.
        sample = data[:DETECT_SAMPLE_BYTES].decode("utf-8", errors="replace")
        non_ascii = sum(1 for ch in sample if not ch.isascii())
        if sample.count("\ufffd") <= non_ascii * MAX_BROKEN_UTF8_SHARE:
            return _checked(Decoded(data.decode("utf-8", errors="replace"), "utf-8", True), data)
        encoding = _detect(data[:DETECT_SAMPLE_BYTES]) or "utf-8"
    try:
        text = data.decode(encoding)
        replaced = False
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        replaced = True
    if encoding.startswith("utf-16") or encoding.startswith("utf-32") or encoding == "utf-8-sig":
        text = text.lstrip("\ufeff")
    logger.debug("decoded as %s (replaced=%s)", encoding, replaced)
    return _checked(Decoded(text, encoding, replaced), data)


def _checked(decoded: Decoded, data: bytes) -> Decoded:
    sample = decoded.text[: DETECT_SAMPLE_BYTES // 2]
    broken = sample.count("\ufffd") / max(len(sample), 1)
    if _control_share(sample) > MAX_CONTROL_SHARE or (len(sample) > 64 and broken > MAX_BROKEN_SHARE):
        raise NotTextError("this file holds binary data, not a text page; give cleanews the page's text")
    return decoded


def read_page_file(path: str | Path) -> Decoded:
    """Read and decode one page file.

    Raises :class:`~cleanews.files.PageReadError` (an ``OSError``) saying why a file
    cannot be read, and :class:`NotTextError` for a file that is not text.
    """
    return decode_bytes(read_page(os.fspath(path)))
