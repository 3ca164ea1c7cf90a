"""HTML in: render a page's markup to the lines cleanews labels.

The model learned on pages as a crawler saves them to text: one block of the layout per
line, list items and table rows on lines of their own, links as markdown links. inscriptis
renders HTML that way (block elements to lines, a blank line around paragraphs, ``<li>``
to bullet lines, tables laid out in columns, scripts and styles dropped) and keeps
Chinese text whole. Measured on rendered pages it cleans as well as html2text (article
character F1 0.978 against 0.978, and 0.975 against 0.977 on div soup;
``benchmarks/html_in.py``, figures in ``benchmarks/README.md``) without html2text's
spaces around inline emphasis (``**粗** 体``) or its GPL licence. It comes with the
extra: ``pip install 'cleanews[html]'``.
"""

from __future__ import annotations

import logging
from typing import Any

import regex

from cleanews.text.decode import Decoded, decode_bytes

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

HTML_HINT = "pip install 'cleanews[html]'"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
SNIFF_BYTES = 4096
"""The declared charset is looked for in the first bytes only, where ``<head>`` puts it."""


class HtmlNotInstalled(ImportError):
    """The HTML renderer is not installed; the message says how to install the extra."""


def _renderer() -> Any:
    try:
        from inscriptis import Inscriptis
        from inscriptis.model.config import ParserConfig
        from lxml import html as lxml_html
    except ImportError as exc:
        raise HtmlNotInstalled(f"reading HTML needs inscriptis ({exc.msg}); install it with: {HTML_HINT}") from exc
    return Inscriptis, ParserConfig, lxml_html


def decode_html(data: bytes) -> Decoded:
    """The markup as text: the charset the page declares when it decodes cleanly, else detected."""
    declared = _META_CHARSET.search(data[:SNIFF_BYTES])
    if declared is not None:
        name = declared.group(1).decode("ascii", "replace").lower()
        encoding = _ALIASES.get(name, name)
        try:
            return Decoded(data.decode(encoding), encoding, False)
        except (LookupError, UnicodeDecodeError):
            logger.info("the page declares %s but does not decode as it; detecting instead", name)
    return decode_bytes(data)


def render_html(markup: str) -> str:
    """The text of an HTML page, one layout block per line (scripts, styles and comments dropped)."""
    inscriptis, parser_config, lxml_html = _renderer()
    if not markup.strip():
        return ""
    try:
        tree = lxml_html.document_fromstring(markup.encode("utf-8"), parser=_parser(lxml_html))
    except Exception as exc:  # lxml raises ParserError for markup with no elements at all
        logger.info("no HTML elements found (%s); the page is read as text", exc)
        return markup
    text: str = inscriptis(tree, parser_config(css=_strict_css(), display_links=True)).get_text()
    return "\n".join(line.strip() for line in text.splitlines()) + "\n"


def _strict_css() -> Any:
    """inscriptis's strict profile: a blank line around paragraphs and headings, as saved pages have."""
    from inscriptis.css_profiles import CSS_PROFILES

    return CSS_PROFILES["strict"].copy()


def _parser(lxml_html: Any) -> Any:
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)


def html_page(page: str | bytes) -> Decoded:
    """An HTML page (markup as text, or bytes in any encoding) rendered to text, and how it was decoded."""
    decoded = decode_html(page) if isinstance(page, bytes) else Decoded(page, "str", False)
    return Decoded(render_html(decoded.text), decoded.encoding, decoded.replaced)


def is_html_path(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)
