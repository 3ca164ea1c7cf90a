"""Small HTML-writing helpers for the templates.

Every element that carries a role gets `data-label="<label>"`; the aligner reads the
label of the nearest labelled ancestor for each text node, so templates label blocks
(a menu, a comment list) and only mark the exceptions inside them (a sponsored item in
a hot list).  `finish()` gives every labelled element a unique id, which keeps the
element-to-line mapping checkable by hand in the committed HTML-free output.
"""

from __future__ import annotations

import html
import itertools
import re

VOID = {"br", "hr", "img", "input", "meta", "link"}


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attrs(label: str | None, extra: dict[str, str]) -> str:
    parts = [f' data-label="{label}"'] if label else []
    for key, value in extra.items():
        name = "class" if key == "cls" else key.replace("_", "-")
        parts.append(f' {name}="{html.escape(value)}"')
    return "".join(parts)


def el(tag: str, inner: str = "", label: str | None = None, **extra: str) -> str:
    """An element; `inner` is HTML (escape text with `esc` or use `t`)."""
    if tag in VOID:
        return f"<{tag}{attrs(label, extra)}>"
    return f"<{tag}{attrs(label, extra)}>{inner}</{tag}>"


def t(tag: str, text: str, label: str | None = None, **extra: str) -> str:
    """An element holding plain text."""
    return el(tag, esc(text), label, **extra)


def a(text: str, href: str = "#", label: str | None = None, **extra: str) -> str:
    return el("a", esc(text), label, href=href, **extra)


def ul(items: list[str], label: str | None = None, tag: str = "ul", sep: str = "\n", **extra: str) -> str:
    """A list of already-built HTML items, one `<li>` each."""
    return el(tag, sep + sep.join(el("li", it) for it in items) + sep, label, **extra)


def links_list(texts: list[str], hrefs: list[str], label: str | None = None, **extra: str) -> str:
    return ul([a(x, h) for x, h in zip(texts, hrefs)], label, **extra)


def table(rows: list[list[str]], label: str | None = None, header: bool = True, **extra: str) -> str:
    """A table of plain-text cells; the first row becomes `<th>` cells when `header`."""
    out = []
    for i, row in enumerate(rows):
        cell = "th" if header and i == 0 else "td"
        out.append("<tr>" + "".join(t(cell, c) for c in row) + "</tr>")
    return el("table", "\n" + "\n".join(out) + "\n", label, **extra)


def img(src: str, label: str | None = None) -> str:
    return el("img", "", label, src=src, alt="")


def page(title: str, body: str, charset: str = "utf-8") -> str:
    """The whole document; the `<title>` is the headline plus the site (label: title)."""
    head = f'<meta charset="{charset}">\n<title data-label="title">{esc(title)}</title>'
    return f"<!DOCTYPE html>\n<html>\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"


def finish(doc: str) -> str:
    """Give every labelled element a unique id (`L1`, `L2`, ...) in document order."""
    counter = itertools.count(1)
    return re.sub(r"<(\w+) data-label=", lambda m: f'<{m.group(1)} id="L{next(counter)}" data-label=', doc)
