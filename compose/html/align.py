"""Map each rendered line back to the labelled HTML elements its characters came from.

The HTML gives a *stream*: every visible character of the document's text nodes in
document order, each owned by its nearest `data-label` element.  A renderer's output
is aligned to that stream line by line: matching continues where the previous match
ended (text usually comes out in order); otherwise a probe of the next characters is
looked up among the stream characters not yet used, from the first unused one
(columns of a table layout interleave) or from the last match (text a renderer dropped).
Characters that match nothing are renderer artefacts (bullets, markdown, borders) or
failures; failures are counted, so a bad alignment shows instead of being guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import _Element

from cleanews.text.lines import is_blank, split_lines

ARTICLE = ("body", "title")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
SKIP_TAGS = {"script", "style", "noscript", "template"}
MARK_TAGS = {"hr", "img", "input", "button", "select", "textarea"}
PROBE = 8
HEAD_RENDERERS = {"bs4", "blocks"}  # these print the <title> text; the others start at <body>
# Renderer output that never comes from the page text: excluded from matching.
PRE_MASKS = {
    "html2text": [re.compile(r"\]\([^)\s]*\)"), re.compile(r"<https?://[^>\s]*>")],
}
# Unmatched text that is known renderer furniture rather than a failure.
ARTEFACTS = [re.compile(r"\[[A-Za-z0-9_.\-]*\]"), re.compile(r"^\s*\d+\.(?=\s)"), re.compile(r"IMG")]


@dataclass
class Stream:
    """The page's visible characters in order, with the labelled element owning each."""

    text: str = ""
    chars: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=lambda: ["chrome"])  # element 0: unlabelled page
    parent: list[int] = field(default_factory=lambda: [-1])
    marks: list[tuple[int, int]] = field(default_factory=list)  # (stream position, element) of hr/img/...

    def add(self, text: str | None, elem: int) -> None:
        for ch in norm(text or ""):
            self.chars.append(ch)
            self.owner.append(elem)


def norm(text: str) -> str:
    """Visible characters only, NFKC-folded, so full-width forms match their ASCII output."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and ch not in INVISIBLE and ch.isprintable())


def build_stream(html: str, head: bool = True) -> Stream:
    """The stream of the page; `head=False` leaves out `<head>` (the `<title>`) for renderers
    that print only the body, so its text cannot capture a repeat of it in the body."""
    root = lxml.html.document_fromstring(html)
    st = Stream()
    for part in root:
        if head or part.tag != "head":
            _collect(part, 0, st)
    st.text = "".join(st.chars)
    return st


def _collect(node: _Element, elem: int, st: Stream) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in SKIP_TAGS or not tag:
        return
    label = node.get("data-label")
    if label:
        st.labels.append(label)
        st.parent.append(elem)
        elem = len(st.labels) - 1
    if tag in MARK_TAGS:
        st.marks.append((len(st.chars), elem))
    st.add(node.text, elem)
    for child in node:
        _collect(child, elem, st)
        st.add(child.tail, elem)


@dataclass
class LineResult:
    """What one rendered line aligned to."""

    label: str | None  # None: blank
    kind: str  # blank | aligned | artefact | unaligned
    matched: int = 0
    failed: int = 0
    first: int = -1
    last: int = -1


class Aligner:
    """Sequential alignment state over one stream."""

    def __init__(self, st: Stream) -> None:
        self.st = st
        self.used = bytearray(len(st.text))
        self.frontier = 0
        self.prev = 0

    def _extend(self, pos: int, probe: str, start: int) -> int:
        s, used, k = self.st.text, self.used, 0
        while start + k < len(probe) and pos + k < len(s) and not used[pos + k] and s[pos + k] == probe[start + k]:
            k += 1
        return k

    def _first_free(self, probe: str, start: int, stop: int | None = None) -> int:
        s, used = self.st.text, self.used
        while True:
            pos = s.find(probe, start, stop) if stop is not None else s.find(probe, start)
            if pos < 0 or used.find(1, pos, pos + len(probe)) < 0:
                return pos
            start = pos + 1

    def _search(self, chars: str, i: int) -> tuple[int, int]:
        """Best stream position and length for chars[i:], or (-1, 0)."""
        rest = len(chars) - i
        for m in range(min(PROBE, rest), 1, -1):
            probe = chars[i : i + m]
            cands = {p for p in (self._first_free(probe, self.frontier), self._first_free(probe, self.prev)) if p >= 0}
            if cands:
                best = max(sorted(cands), key=lambda p: self._extend(p, chars, i))
                return best, self._extend(best, chars, i)
        if ord(chars[i]) >= 0x2E80:  # a lone CJK character (a vote button, a narrow table column) nearby;
            # lone digits and letters are too common to place safely, they count as failures instead
            pos = self._first_free(chars[i], self.frontier, max(self.prev, self.frontier) + 400)
            if pos >= 0:
                return pos, 1
        return -1, 0

    def _take(self, pos: int, k: int) -> None:
        self.used[pos : pos + k] = b"\x01" * k
        self.prev = pos + k
        while self.frontier < len(self.used) and self.used[self.frontier]:
            self.frontier += 1

    def line(self, chars: str) -> list[int]:
        """Stream position of each character of the line (-1: not matched)."""
        where = [-1] * len(chars)
        i = 0
        while i < len(chars):
            k = self._extend(self.prev, chars, i)
            pos = self.prev
            if not k:
                pos, k = self._search(chars, i)
            if k:
                where[i : i + k] = range(pos, pos + k)
                self._take(pos, k)
                i += k
            else:
                i += 1
        return where


def _visible(text: str, renderer: str) -> tuple[str, list[int], set[int]]:
    """The line's comparable characters, the column of each, and the columns that are artefacts."""
    masked: set[int] = set()
    for rx in PRE_MASKS.get(renderer, []):
        for m in rx.finditer(text):
            masked.update(range(m.start(), m.end()))
    chars: list[str] = []
    cols: list[int] = []
    for col, ch in enumerate(text):
        if col in masked:
            continue
        for piece in norm(ch):
            chars.append(piece)
            cols.append(col)
    furniture = set(masked)
    for rx in ARTEFACTS:
        for m in rx.finditer(text):
            furniture.update(range(m.start(), m.end()))
    return "".join(chars), cols, furniture


def _decide(st: Stream, counts: Counter[int]) -> str:
    """Label of a line by the characters each element gave it (see the module docstring of build)."""
    total = sum(counts.values())
    article = sum(n for e, n in counts.items() if st.labels[e] in ARTICLE)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if article * 2 > total:
        return next(st.labels[e] for e, _ in ranked if st.labels[e] in ARTICLE)
    return next(st.labels[e] for e, _ in ranked if st.labels[e] not in ARTICLE)


def _one_line(al: Aligner, text: str, renderer: str) -> LineResult:
    if is_blank(text):
        return LineResult(None, "blank")
    chars, cols, furniture = _visible(text, renderer)
    where = al.line(chars)
    hits = [p for p in where if p >= 0]
    failed = 0
    for ch, col, p in zip(chars, cols, where):
        if p < 0 and col not in furniture and unicodedata.category(ch)[0] not in "PSZ":
            failed += 1
    if not hits:
        return LineResult(None, "unaligned" if failed else "artefact", 0, failed)
    label = _decide(al.st, Counter(al.st.owner[p] for p in hits))
    return LineResult(label, "aligned", len(hits), failed, min(hits), max(hits))


def _around(st: Stream, before: int, after: int) -> str:
    """Label for a line with no page text, from the block around it (LABELS.md: borders, icons)."""
    ea = st.owner[before] if before >= 0 else -1
    eb = st.owner[after] if after >= 0 else -1
    chain: list[int] = []
    e = ea
    while e > 0:
        chain.append(e)
        e = st.parent[e]
    e = eb
    while e > 0:
        if e in chain:
            return st.labels[e]
        e = st.parent[e]
    lo, hi = (before, after if after >= 0 else len(st.text))
    for pos, elem in st.marks:
        if lo < pos <= hi and elem > 0:
            return st.labels[elem]
    if ea > 0:
        return st.labels[ea]
    return st.labels[eb] if eb > 0 else "chrome"


def align(html: str, rendered: str, renderer: str) -> tuple[list[LineResult], float]:
    """One `LineResult` per line of `rendered` (split as cleanews splits pages), and the share
    of the page's text that the lines used up (low when a renderer drops or garbles text)."""
    st = build_stream(html, head=renderer in HEAD_RENDERERS)
    al = Aligner(st)
    results = [_one_line(al, line.text, renderer) for line in split_lines(rendered)]
    last = -1
    for i, res in enumerate(results):
        if res.kind == "aligned":
            last = res.last
        elif res.kind in ("artefact", "unaligned"):
            nxt = next((r.first for r in results[i + 1 :] if r.kind == "aligned"), -1)
            res.label = _around(st, last, nxt)
    return results, sum(al.used) / max(len(al.used), 1)
