"""Turn the bytes of a scraped page into text, whatever encoding it arrived in.

Scraped pages come as UTF-8 (with or without BOM), UTF-16, GBK/GB2312, Big5, a mix
of these (a UTF-8 page with a pasted GBK part), or mislabelled. We try the strict,
cheap answers first (BOMs, UTF-16 by its NUL bytes, then UTF-8), then decode line by
line (:mod:`cleanews.text.segments`: lines that are UTF-8 stay UTF-8, the others get
the detected legacy encoding), and always end with *some* text: undecodable bytes are
replaced, and the result counts them. NUL bytes (the padding of a preallocated or cut
download) are dropped. Only input that is not text at all (an image, an archive, a
binary) is refused, with :class:`NotTextError`; magic numbers at the start only make
the check stricter, because a page may begin with ``MZ`` or ``RIFF`` and be text.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DETECT_SAMPLE_BYTES = 256 * 1024
"""Detection reads at most this much of a page: enough for a verdict, cheap on a 200 MB page."""

MAX_BROKEN_UTF8_SHARE = 0.05
"""A page whose UTF-8 decoding breaks on fewer than this share of its non-ASCII characters is
damaged UTF-8 (legacy encodings read as UTF-8 break on nearly all of them)."""

MAX_CONTROL_SHARE = 0.05
"""A decoded sample with more control characters than this share is binary, not text (random
bytes give about 10% in any 8-bit reading, text pages next to none once NULs are dropped)."""

MAX_BROKEN_SHARE = 0.25
"""A page where even the best decoding breaks on more than this share of characters is not text."""

MAX_SHARE_AFTER_MAGIC = 0.01
"""A page that starts like a binary format (``MZ``, ``RIFF``...) is text only if at most this
share of its sample is control characters or undecodable bytes (text pages have almost none)."""

MIN_UTF16_NULS = 4
"""UTF-16 without a BOM is recognised by its NUL bytes (the high byte of ASCII characters and
line ends): at least this many at one parity, almost none at the other, and the decoding must
read as plain text."""

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

_CANDIDATES = ("gb18030", "big5hkscs", "shift_jis", "euc_kr", "cp1252")
"""Legacy encodings tried after UTF-8. UTF-16 is not among them: random bytes decode as
UTF-16 without complaint, so UTF-16 needs a BOM or its NUL bytes to be chosen."""


class NotTextError(ValueError):
    """The input is not a text page (an image, an archive, an executable...)."""


@dataclass(frozen=True)
class Decoded:
    """A decoded page: its text, the encoding used, and what had to be mended.

    ``replaced_bytes`` counts the undecodable bytes that became U+FFFD (``replaced`` is
    true when there were any); ``nuls_dropped`` counts the NUL bytes taken out. The
    encoding is ``utf-8+gb18030`` (say) for a page decoded by segments.
    """

    text: str
    encoding: str
    replaced: bool
    replaced_bytes: int = 0
    nuls_dropped: int = 0


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def _control_share(text: str) -> float:
    """Share of control characters other than tab, line ends, form feed and escape."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _magic(data: bytes) -> str | None:
    """What the first bytes claim the file is (a PNG image...), or None."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    return None


_replaced = threading.local()


def _replace_and_count(exc: UnicodeError) -> tuple[str, int]:
    """The ``replace`` error handler (one U+FFFD per bad sequence) that also counts the bytes."""
    assert isinstance(exc, UnicodeDecodeError)
    _replaced.count += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("cleanews-replace", _replace_and_count)


def decode_part(data: bytes, encoding: str) -> tuple[str, int]:
    """``data`` decoded, undecodable bytes replaced by U+FFFD; and how many bytes those were."""
    try:
        return data.decode(encoding), 0
    except UnicodeDecodeError:
        _replaced.count = 0
        text = data.decode(encoding, errors="cleanews-replace")
        return text, _replaced.count


def cjk_score(text: str) -> float:
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


def detect(sample: bytes) -> str:
    """Best legacy encoding for bytes that are not UTF-8: charset-normalizer, checked against candidates."""
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 pages pay for it

    guess: str | None = None
    best = from_bytes(sample).best()
    if best is not None:
        guess = _ENCODING_ALIASES.get(best.encoding.lower(), best.encoding.lower())
        if guess.replace("_", "-").startswith(("utf-16", "utf-32")):
            guess = None  # without a BOM or NUL bytes, a UTF-16 guess is a guess about noise
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
        scored.append((cjk_score(text) - penalty + prior + (0.01 if enc == guess else 0.0), enc))
    return max(scored)[1] if scored else "gb18030"


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NUL bytes sit at one parity, as in UTF-16 text; else None."""
    sample = data[:DETECT_SAMPLE_BYTES].rstrip(b"\0")  # trailing padding says nothing
    if b"\0" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < MIN_UTF16_NULS or min(even, odd) > 0.5 * max(even, odd):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    text = sample[: len(sample) // 2 * 2].decode(encoding, errors="replace")
    return encoding if cjk_score(text) >= 0.9 else None


def decode_bytes(data: bytes | bytearray | memoryview) -> Decoded:
    """Decode a page's bytes: BOM, UTF-16, UTF-8, then by segments; never raises on bad bytes.

    Raises :class:`NotTextError` when the bytes are evidently not text, and
    :class:`TypeError` for anything but bytes-like objects.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"a page is bytes or str, not {type(data).__name__}")
    data = bytes(data)
    if not data:
        return Decoded("", "utf-8", False)
    what = _magic(data)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None or encoding == "utf-8-sig":
        encoding = _utf16_by_nuls(data) or encoding
    if encoding is not None and encoding != "utf-8-sig":  # UTF-16/32: NULs are part of the text
        return _checked(_decode_wide(data, encoding), what)
    # After a magic number, NULs inside the file (not the padding after it) are a binary's.
    if what is not None and _binary_bytes(data.rstrip(b"\0")):
        raise NotTextError(f"this is {what}, not a text page; give cleanews the page's text")
    nuls = data.count(0)
    if nuls:
        data = data.replace(b"\0", b"")
    if encoding == "utf-8-sig":
        text, bad = decode_part(data, encoding)
        return _checked(Decoded(text.lstrip("\ufeff"), encoding, bad > 0, bad, nuls), what)
    from cleanews.text.segments import decode_segments  # segments imports this module

    text, encoding, bad = decode_segments(data)
    logger.debug("decoded as %s (%d bytes replaced, %d NULs dropped)", encoding, bad, nuls)
    return _checked(Decoded(text, encoding, bad > 0, bad, nuls), what)


def _decode_wide(data: bytes, encoding: str) -> Decoded:
    """UTF-16/32: padding NUL bytes cut back to whole code units, U+0000 characters dropped."""
    unit = 4 if encoding.startswith("utf-32") else 2
    body = data.rstrip(b"\0")
    body = data[: -(-len(body) // unit) * unit]  # the last character's own NUL bytes stay
    text, bad = decode_part(body, encoding)
    text = text.lstrip("\ufeff")
    nuls = len(data) - len(body) + unit * text.count("\x00")
    return Decoded(text.replace("\x00", ""), encoding, bad > 0, bad, nuls)


def _binary_bytes(data: bytes) -> bool:
    """True when a sample of ASCII-compatible bytes holds more control bytes than text has."""
    sample = data[:DETECT_SAMPLE_BYTES]
    return len(_CONTROL_BYTES.findall(sample)) > MAX_SHARE_AFTER_MAGIC * max(len(sample), 1)


def _checked(decoded: Decoded, what: str | None) -> Decoded:
    sample = decoded.text[: DETECT_SAMPLE_BYTES // 2]
    broken = sample.count("\ufffd") / max(len(sample), 1)
    control = _control_share(sample)
    if what is not None and (control > MAX_SHARE_AFTER_MAGIC or broken > MAX_SHARE_AFTER_MAGIC):
        raise NotTextError(f"this is {what}, not a text page; give cleanews the page's text")
    if control > MAX_CONTROL_SHARE or (len(sample) > 64 and broken > MAX_BROKEN_SHARE):
        raise NotTextError("this file holds binary data, not a text page; give cleanews the page's text")
    return decoded


def read_page_file(path: str | Path) -> Decoded:
    """Read and decode one page file. OSError and NotTextError propagate to the caller."""
    return decode_bytes(Path(path).read_bytes())
