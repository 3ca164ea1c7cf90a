"""html2text: markdown output (links as `[text](url)`, `*` bullets, `#` headings)."""

from __future__ import annotations

from importlib.metadata import version as dist_version

import html2text


def render(html: str, variant: int) -> str:
    conv = html2text.HTML2Text()
    conv.body_width = 0 if variant % 2 == 0 else 78  # unwrapped, or html2text's default wrapping
    conv.unicode_snob = True
    return conv.handle(html)


def version() -> str:
    return f"html2text {dist_version('html2text')}"
