"""A per-block extractor in the style of many crawlers: one line per block element.

Each block-level element contributes its own inline text (text of nested blocks goes
to those blocks, so nothing is printed twice), with whitespace collapsed.  Variant 1
separates blocks with an empty line, as some pipelines store paragraphs.
"""

from __future__ import annotations

import re
from importlib.metadata import version as dist_version

import lxml.html
from lxml.etree import _Element

BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
    "title",
}
SKIP = {"script", "style", "noscript", "template"}


def _walk(node: _Element, out: list[str], buf: list[str]) -> None:
    """Collect inline text into `buf`; a block boundary flushes `buf` as one line."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in SKIP:
        return
    block = tag in BLOCK
    if block:
        _flush(out, buf)
    if node.text and tag:
        buf.append(node.text)
    for child in node:
        _walk(child, out, buf)
        if child.tail:
            buf.append(child.tail)
    if block:
        _flush(out, buf)


def _flush(out: list[str], buf: list[str]) -> None:
    line = re.sub(r"\s+", " ", "".join(buf)).strip()
    if line:
        out.append(line)
    buf.clear()


def render(html: str, variant: int) -> str:
    root = lxml.html.document_fromstring(html)
    out: list[str] = []
    _walk(root, out, [])
    sep = "\n\n" if variant % 2 else "\n"
    return sep.join(out) + "\n"


def version() -> str:
    return f"own per-block extractor on lxml {dist_version('lxml')}"
