"""Blocks to lines of text, the way one of five scrapers would print them; one class per scraper.

:class:`Renderer` holds what they share (blank lines, links, menus flattened or listed,
paragraphs); each subclass says how its scraper differs: w3m wraps at a terminal width
and indents, html2text writes markdown, inscriptis indents, per-block extraction and a
browser's copy-paste leave few blank lines. Every renderer draws its random choices in
the same order as the renderer that composed the committed pages, so that
``python compose/build.py --check`` reproduces them byte for byte.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

from blocks import Block
from page import Page
from sources import LISTS

Line = tuple[str, str]
"""(label, text); label "-" for a blank line."""

BULLETS: dict[str, list[str]] = {
    "w3m": ["  • ", "  • ", "• ", "  * ", "· ", "□ "],
    "html2text": ["  * ", "* ", "  - "],
    "inscriptis": ["  * ", "    * ", "* "],
    "blocks": ["", "", "· ", "•"],
    "copypaste": ["", "", "·", "  • "],
}
"""List bullets by renderer. Every bullet draws once from each list, in this order, and
keeps its renderer's: the order of random draws the committed pages were made with."""


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(s: str, cols: int) -> list[str]:
    out, cur, w = [], "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > cols and cur:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        out.append(cur)
    return out


class Renderer:
    """What all five scrapers share; the subclasses override the hooks below."""

    name = ""
    blank_between = 0.5  # chance of a blank line between blocks and paragraphs
    flat_share = 0.35  # chance that a menu comes out flattened on one line
    md_links = False  # links written as markdown

    def __init__(self, rng: random.Random, page: Page) -> None:
        self.rng = rng
        self.page = page
        self.out: list[Line] = []
        self.cols = 10**9
        self.wrap_body = False

    # hooks -----------------------------------------------------------------
    def blank_text(self) -> str:
        return self.rng.choice(["", "", "", " ", "  ", "\u3000"])

    def menu_separator(self) -> str:
        return self.rng.choice(["", " ", "  ", " | ", "|", "\u3000", " · ", "   "])

    def menu_lines(self, line: str) -> list[str]:
        return [line]

    def menu_indent(self) -> str:
        return ""

    def line_indent(self) -> str:
        return ""

    def after_line(self, listy: bool) -> None:
        pass

    def title_text(self, text: str) -> str:
        return text

    # shared ----------------------------------------------------------------
    def blank(self) -> None:
        if self.out and self.out[-1][0] != "-":
            self.out.append(("-", self.blank_text()))

    def emit(self, label: str, text: str) -> None:
        if "{" in text:
            text = self.page.fill(text)
        if not text.strip():
            return
        self.out.append((label, text))

    def link(self, text: str) -> str:
        if self.md_links and "](" not in text:
            return f"[{text}]({self.page.url()})"
        return text

    def bullet(self) -> str:
        drawn = {name: self.rng.choice(options) for name, options in BULLETS.items()}
        return drawn[self.name]

    def render_menu(self, block: Block) -> None:
        rng = self.rng
        texts = [t for _, t in block.items]
        labels = [lab for lab, _ in block.items]
        flat = rng.random() < self.flat_share  # drawn for one-item menus too
        if len(texts) > 1 and flat:
            # flattened: one line (or a few wrapped lines) holding every item
            line = self.menu_separator().join(self.link(t) for t in texts)
            if rng.random() < 0.3:
                line = rng.choice(["", "  ", "    "]) + line
            lab = Counter(labels).most_common(1)[0][0]  # ties: the first label met, on every run
            for part in self.menu_lines(line):
                self.emit(lab, part)
            return
        indent = self.menu_indent()
        prefix = self.bullet() if rng.random() < 0.8 else ""
        for lab, t in block.items:
            if rng.random() < 0.05:  # a submenu item or a highlighted one
                self.emit(lab, indent + self.bullet() + self.link(t))
            else:
                self.emit(lab, indent + prefix + self.link(t))

    def render_lines(self, block: Block) -> None:
        rng = self.rng
        listy = bool(block.style.get("list"))
        bullet = self.bullet() if listy and rng.random() < 0.6 else ""
        indent = self.line_indent()
        for i, (lab, t) in enumerate(block.items):
            text = t
            if self.md_links and lab in ("links", "spam") and (i > 0 or not listy) and not t.endswith(("...", "…")):
                text = self.link(t)
                if listy and rng.random() < 0.15:
                    text = "### " + text
            elif self.md_links and lab == "nav" and block.style.get("breadcrumb"):
                text = re.sub(r"([^>›»/|\s][^>›»/|]*?)(\s*[>›»/|]\s*)", self._md_crumb, t)
            if listy and i > 0:
                text = bullet + text
            if listy and i == 0 and self.md_links and rng.random() < 0.5:
                closing = "**" if text.startswith("**") and not text.endswith("**") else ""
                text = rng.choice(["## ", "### ", "**"]) + text + closing
            self.emit(lab, indent + text)
            self.after_line(listy)

    def _md_crumb(self, m: re.Match[str]) -> str:
        return f"[{m.group(1).strip()}]({self.page.url()}){m.group(2)}"

    def render_title(self, block: Block) -> None:
        self.emit("title", self.title_text(block.items[0][1]))

    def render_paras(self, block: Block) -> None:
        rng = self.rng
        split_mode = rng.random() < 0.08  # WeChat style: one clause per line
        indent = rng.choice(["", "", "\u3000\u3000", "  ", "    "])
        for lab, t in block.items:
            if lab != "body":
                self.render_lines(Block("lines", [(lab, t)]))
                continue
            if split_mode and len(t) > 30:
                for p in (p for p in re.split(r"(?<=[，。！？；])", t) if p):
                    self.emit("body", p)
                if rng.random() < 0.5:
                    self.blank()
                continue
            if self.wrap_body:
                for part in wrap(indent + t, self.cols):
                    self.emit("body", part)
            else:
                self.emit("body", indent + t)
            if rng.random() < self.blank_between:
                self.blank()

    def render(self, blocks: list[Block]) -> list[Line]:
        for b in blocks:
            if self.rng.random() < self.blank_between:
                self.blank()
            getattr(self, f"render_{b.kind}")(b)
        return self.out


class W3m(Renderer):
    """w3m's dump: a terminal width, wrapped menus (and sometimes paragraphs), indents, rules."""

    name = "w3m"
    blank_between = 0.6
    flat_share = 0.5

    def __init__(self, rng: random.Random, page: Page) -> None:
        super().__init__(rng, page)
        self.cols = rng.choice([76, 78, 80, 100])
        self.wrap_body = rng.random() < 0.35

    def menu_lines(self, line: str) -> list[str]:
        return wrap(line, self.cols)

    def menu_indent(self) -> str:
        return self.rng.choice(["", "", "  ", "    "])

    def line_indent(self) -> str:
        return self.rng.choice(["", "", "  ", "    ", "      "])

    def title_text(self, text: str) -> str:
        rng = self.rng
        text = " " * rng.choice([0, 0, 4, 10, 20, 30]) + text
        if rng.random() < 0.3:
            text += " " * rng.randint(8, 30) + rng.choice(["", self.page.site])
            text = text.rstrip()
        return text

    def render_title(self, block: Block) -> None:
        super().render_title(block)
        if self.rng.random() < 0.2:
            self.emit("chrome", self.rng.choice(["━", "─", "=", "-"]) * self.rng.randint(30, 80))


class Html2Text(Renderer):
    """html2text's markdown: links, headings and emphasis marks, a blank line after most lines."""

    name = "html2text"
    blank_between = 0.9
    md_links = True

    def after_line(self, listy: bool) -> None:
        if not listy and self.rng.random() < 0.5:
            self.blank()

    def title_text(self, text: str) -> str:
        return self.rng.choice(["# ", "# ", "## ", "**", ""]) + text


class Inscriptis(Renderer):
    """inscriptis: the layout's indents kept, blank lines where the HTML had blocks."""

    name = "inscriptis"
    blank_between = 0.5

    def menu_indent(self) -> str:
        return self.rng.choice(["", "", "  ", "    "])

    def line_indent(self) -> str:
        return self.rng.choice(["", "", "  ", "    ", "      "])

    def title_text(self, text: str) -> str:
        return self.rng.choice(["", "  ", "    "]) + text


class Blocks(Renderer):
    """Per-block extraction: one block a line, hardly any blank lines, and those empty."""

    name = "blocks"
    blank_between = 0.05
    flat_share = 0.25

    def blank_text(self) -> str:
        return ""


class CopyPaste(Renderer):
    """A browser's copy-paste: menus run together, few blank lines."""

    name = "copypaste"
    blank_between = 0.1
    flat_share = 0.7

    def menu_separator(self) -> str:
        return self.rng.choice(["", "", " ", "  "])


RENDERERS: dict[str, type[Renderer]] = {r.name: r for r in (W3m, Html2Text, Inscriptis, Blocks, CopyPaste)}


def table_layout(rng: random.Random, lines: list[Line], page: Page) -> list[Line]:
    """Old table pages in w3m: body lines wrapped narrow, with a sidebar column on the same lines."""
    side_src = [("links", h) for h in rng.sample(page.others, min(12, len(page.others)))]
    side_src += [("spam", x) for x in page.pick(rng.choice(["getrich_ads", "commercial_ads", "medical_ads"]), 8)]
    if LISTS.get("sidebar_ads_short"):
        side_src += [("spam", x) for x in page.pick("sidebar_ads_short", 10)]
    rng.shuffle(side_src)
    cols = rng.choice([60, 64, 70, 76])
    out: list[tuple[str, str]] = []
    side = iter(side_src)
    for lab, text in lines:
        if lab != "body":
            out.append((lab, text))
            continue
        for part in wrap(text.strip(), cols):
            if rng.random() < 0.45:
                nxt = next(side, None)
                if nxt is not None:
                    item = nxt[1][: rng.randint(6, 12)]
                    pad = " " * max(2, cols - width(part) + rng.randint(2, 10))
                    out.append(("body", part + pad + rng.choice(["• ", "· ", ""]) + item))
                    if rng.random() < 0.3:
                        out.append(
                            (nxt[0], " " * (cols + 8) + nxt[1][len(item) :][:10] if len(nxt[1]) > len(item) else nxt[1])
                        )
                    continue
            out.append(("body", part))
    return out
