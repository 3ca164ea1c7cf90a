"""The renderers: each turns one HTML page into the plain text a scraper would store.

Each module exposes `render(html, variant) -> str` and `version() -> str`.  `variant`
selects a setting (w3m width, html2text wrapping) so one renderer yields several
realistic shapes; it is taken from the page number, so output is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable

from renderers import blocks, chromium, h2t, insc, soup, w3m

Render = Callable[[str, int], str]

RENDERERS: dict[str, Render] = {
    "w3m": w3m.render,
    "html2text": h2t.render,
    "inscriptis": insc.render,
    "blocks": blocks.render,
    "bs4": soup.render,
    "chromium": chromium.render,
}

VERSIONS: dict[str, Callable[[], str]] = {
    "w3m": w3m.version,
    "html2text": h2t.version,
    "inscriptis": insc.version,
    "blocks": blocks.version,
    "bs4": soup.version,
    "chromium": chromium.version,
}


def available() -> list[str]:
    """Renderers that can run here; chromium is optional (a Debian package)."""
    return [name for name in RENDERERS if name != "chromium" or chromium.present()]
