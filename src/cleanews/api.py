"""The top-level verbs: label every line of a page, or clean a page down to its article.

A page goes read/decode -> lines -> model -> labelled lines; writers take it from
there. The options object carries the choices (what to keep, a confidence floor) so
the verbs keep short signatures.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from cleanews.data.labels import DEFAULT_KEEP, LABEL_INDEX, LABELS
from cleanews.decide import decide_page
from cleanews.model.store import Model, load_model
from cleanews.spans.cut import cut_spans
from cleanews.spans.model import PageView
from cleanews.spans.span import Span
from cleanews.text.decode import Decoded, decode_bytes
from cleanews.text.lines import Line, split_lines

SPAM = LABEL_INDEX["spam"]

_default_model: Model | None = None
_default_lock = threading.Lock()


def default_model() -> Model:
    """The shipped model, loaded once per process on first use."""
    global _default_model
    with _default_lock:
        if _default_model is None:
            _default_model = load_model()
        return _default_model


@dataclass(frozen=True)
class CleanOptions:
    """What to keep: a set of labels, a floor under the confidence of kept lines, and
    whether spam spans found inside kept lines stay in the text (cut by default)."""

    keep: frozenset[str] = DEFAULT_KEEP
    min_confidence: float = 0.0
    keep_spans: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.keep) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown label(s) {', '.join(sorted(unknown))}; choose from {', '.join(LABELS)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, not {self.min_confidence}")


class LabelledLine(NamedTuple):
    """One line of a page and the decision about it (label and confidence are None when blank).

    An immutable named tuple (made three times faster than a frozen dataclass, and a
    page has one per line).
    """

    number: int
    text: str
    end: str
    label: str | None
    confidence: float | None
    kept: bool
    spans: tuple[Span, ...] = ()

    @property
    def blank(self) -> bool:
        return self.label is None

    @property
    def cut_text(self) -> str:
        """The text without its spam spans, tidied where they were cut (:mod:`cleanews.spans.cut`)."""
        return cut_spans(self.text, [(s.start, s.end) for s in self.spans]) if self.spans else self.text

    @property
    def reason(self) -> str:
        """Why the line was kept or dropped, in words (the datatrove habit: every drop says why)."""
        if self.label is None:
            return "blank"
        if self.kept:
            return f"kept: {self.label}"
        return f"dropped: {self.label} ({self.confidence:.2f})"


@dataclass(frozen=True)
class PageResult:
    """All lines of a page with their decisions, plus how the page was decoded.

    ``replaced_bytes`` counts the undecodable bytes that became U+FFFD (``replaced`` says
    whether there were any), ``nuls_dropped`` the NUL bytes taken out of the page.
    """

    lines: tuple[LabelledLine, ...]
    encoding: str = "utf-8"
    replaced: bool = False
    options: CleanOptions = field(default_factory=CleanOptions)
    replaced_bytes: int = 0
    nuls_dropped: int = 0

    def __iter__(self) -> Iterator[LabelledLine]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def text(self) -> str:
        """The kept lines, with a blank line where the page had one between them.

        Spam spans are cut from the kept lines unless the options keep them; a line left
        with nothing of its own by the cut goes. Every line ends as in the page; a last
        line without an end gets the page's own line end (``\\r\\n`` in a CRLF page), so
        the text always ends with one.
        """
        out: list[str] = []
        gap: LabelledLine | None = None
        newline = next((line.end for line in self.lines if line.end), "\n")
        cut = not self.options.keep_spans
        for line in self.lines:
            if line.kept:
                text = line.cut_text if cut else line.text
                if not text:
                    continue
                if gap is not None and out:
                    out.append(gap.text + (gap.end or newline))
                out.append(text + (line.end or newline))
                gap = None
            elif line.blank and gap is None:
                gap = line
        return "".join(out)


Page = str | bytes | bytearray | memoryview
"""A page: its text, or its bytes in any encoding (any bytes-like object)."""


def _decode(page: Page) -> Decoded:
    if isinstance(page, str):
        return Decoded(page, "str", False)
    if isinstance(page, (bytes, bytearray, memoryview)):
        return decode_bytes(page)
    raise TypeError(f"a page is text (str) or bytes in any encoding, not {type(page).__name__}")


def predict_lines(model: Model, lines: Sequence[Line]) -> tuple[list[str | None], list[float | None]]:
    """Label and confidence of every line (None for blank lines).

    The classifier labels very long pages in chunks of lines (see
    ``LineClassifier.predict_proba_page``), so memory stays bounded on a 200 MB page.
    """
    labels, confs, _ = _predict(model, lines, spans=False)
    return labels, confs


def predict_lines_and_spans(
    model: Model, lines: Sequence[Line]
) -> tuple[list[str | None], list[float | None], list[tuple[Span, ...]]]:
    """Labels and confidences as :func:`predict_lines`, and the spam spans of every line
    (empty when the model has no span model). Spans never change a line's label."""
    return _predict(model, lines, spans=True)


def _predict(
    model: Model, lines: Sequence[Line], spans: bool
) -> tuple[list[str | None], list[float | None], list[tuple[Span, ...]]]:
    labels: list[str | None] = [None] * len(lines)
    confs: list[float | None] = [None] * len(lines)
    spam = [0.0] * len(lines)
    rows, probs = model.classifier.predict_proba_page(lines)  # no rows when every line is blank
    if len(rows):
        best, confidence = decide_page(probs, [lines[r].text for r in rows.tolist()])
        for r, k, c, ps in zip(rows.tolist(), best.tolist(), confidence.tolist(), probs[:, SPAM].tolist()):
            labels[r] = LABELS[k]
            confs[r] = c
            spam[r] = ps
    found: list[tuple[Span, ...]] = [()] * len(lines)
    span_model = getattr(model, "spans", None)
    if spans and span_model is not None and len(rows):
        found = span_model.predict_page(PageView([line.text for line in lines], labels, spam))
    return labels, confs, found


def label_page(page: Page, model: Model | None = None, options: CleanOptions | None = None) -> PageResult:
    """Label every line of a page (text, or bytes in any encoding) with a calibrated confidence.

    Raises :class:`TypeError` for anything else (None, a number...), before any work.
    """
    decoded = _decode(page)
    options = options or CleanOptions()
    model = model or default_model()
    lines = split_lines(decoded.text)
    how = (decoded.encoding, decoded.replaced, options, decoded.replaced_bytes, decoded.nuls_dropped)
    del decoded  # the lines hold the text now: a huge page should not be held twice
    labels, confs, spans = predict_lines_and_spans(model, lines)
    out = tuple(
        LabelledLine(
            line.number,
            line.text,
            line.end,
            lab,
            conf,
            lab is not None and lab in options.keep and (conf or 0.0) >= options.min_confidence,
            found,
        )
        for line, lab, conf, found in zip(lines, labels, confs, spans)
    )
    return PageResult(out, *how)


def label_html(page: str | bytes, model: Model | None = None, options: CleanOptions | None = None) -> PageResult:
    """Label an HTML page: its markup rendered to lines (``pip install 'cleanews[html]'``), then labelled.

    Bytes are decoded by the charset the page declares (``<meta charset>``), else detected.
    Raises :class:`~cleanews.text.html.HtmlNotInstalled` without the extra.
    """
    from cleanews.text.html import html_page  # the renderer is an optional extra

    rendered = html_page(page)
    result = label_page(rendered.text, model, options)
    return replace(result, encoding=rendered.encoding, replaced=rendered.replaced)


def clean_page(page: Page, model: Model | None = None, options: CleanOptions | None = None) -> str:
    """The article of a page: its kept lines (body and title by default) as text, with the
    spam spans inside them cut (``CleanOptions(keep_spans=True)`` keeps them)."""
    return label_page(page, model, options).text
