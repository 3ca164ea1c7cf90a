"""Read and write labelled pages, the format of ``shared/LABELS.md``.

Each line of the page becomes ``<label>\\t<the line, exactly>``, with ``-`` as the label
of a blank line, keeping the page's line ends. Dropping the first column and the tab
gives the page back, so a labelled page is both training data and a faithful copy.

Spam injected inside a line is written after the label as ``+spam:<text>``, once per
span text (``body+spam:大澳门威尼斯人赌场官网``); every occurrence of the text in the line
is spam. The span texts are kept in the order written, so a page reads and writes back
byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanews.data.labels import BLANK, LABELS
from cleanews.text.lines import Line, is_blank, split_lines

_VALID = frozenset(LABELS)

SPAN_MARK = "+spam:"
"""What opens a span text in the label column (LABELS.md)."""


class LabelledFormatError(ValueError):
    """A labelled page that breaks the format; the message names file, line and fault."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class LabelledPage:
    """A page's lines, their gold labels (``None`` for a blank line) and the texts of the
    spam spans marked in each line (empty for most lines; ``()`` for a page made without
    span marks)."""

    name: str
    lines: tuple[Line, ...]
    labels: tuple[str | None, ...]
    spans: tuple[tuple[str, ...], ...] = ()
    weight: float = 1.0
    """How much the page's lines count in training, beside the weights training gives itself."""

    def span_texts(self, index: int) -> tuple[str, ...]:
        """The span texts marked in line ``index`` (0-based)."""
        return self.spans[index] if self.spans else ()

    @property
    def text(self) -> str:
        """The page itself, byte for byte as it was labelled."""
        return "".join(line.text + line.end for line in self.lines)


def parse_labelled(content: str, source: str = "<labelled page>") -> LabelledPage:
    """Parse the text of a labelled page; raise :class:`LabelledFormatError` on any fault."""
    lines: list[Line] = []
    labels: list[str | None] = []
    spans: list[tuple[str, ...]] = []
    if content.startswith("\ufeff"):
        raise LabelledFormatError(source, 1, "starts with a byte-order mark; save the file as UTF-8 without BOM")
    for raw in split_lines(content):
        column, tab, text = raw.text.partition("\t")
        if not tab:
            raise LabelledFormatError(
                source, raw.number, f"no tab after the label {column[:20]!r}: each line must be '<label><TAB><text>'"
            )
        label, *marked = column.split(SPAN_MARK)
        spans.append(_check_spans(tuple(marked), label, text, source, raw.number))
        blank = is_blank(text)
        if label == BLANK:
            if not blank:
                raise LabelledFormatError(
                    source,
                    raw.number,
                    f"'-' marks blank lines, but this line has text; give it one of {', '.join(LABELS)}",
                )
            labels.append(None)
        elif label in _VALID:
            if blank:
                raise LabelledFormatError(
                    source, raw.number, f"label {label!r} on a blank line; blank lines are labelled '-'"
                )
            labels.append(label)
        else:
            raise LabelledFormatError(
                source,
                raw.number,
                f"unknown label {label[:20]!r}; use one of {', '.join(LABELS)} or '-' for a blank line",
            )
        lines.append(Line(raw.number, text, raw.end))
    return LabelledPage(Path(source).stem, tuple(lines), tuple(labels), tuple(spans))


def _check_spans(marked: tuple[str, ...], label: str, text: str, source: str, number: int) -> tuple[str, ...]:
    for span in marked:
        if not span:
            raise LabelledFormatError(
                source, number, f"an empty span after {SPAN_MARK!r}; write the span's text after it"
            )
        if label == BLANK:
            raise LabelledFormatError(source, number, "a spam span on a blank line; blank lines carry no spans")
        if span not in text:
            raise LabelledFormatError(
                source, number, f"spam span {span[:30]!r} is not in the line; copy it exactly from the line's text"
            )
    return marked


def span_offsets(text: str, span_texts: Iterable[str]) -> list[tuple[int, int]]:
    """Code-point ``(start, end)`` of every occurrence of every span text in ``text``, sorted
    (end exclusive; occurrences may overlap, as the scorer counts them)."""
    found: set[tuple[int, int]] = set()
    for span in span_texts:
        at = text.find(span)
        while at >= 0 and span:
            found.add((at, at + len(span)))
            at = text.find(span, at + 1)
    return sorted(found)


def label_column(label: str | None, span_texts: Iterable[str] = ()) -> str:
    """The first column of a labelled line: the label (``-`` for blank) and its span marks."""
    return (BLANK if label is None else label) + "".join(SPAN_MARK + span for span in span_texts)


def read_labelled(path: str | Path) -> LabelledPage:
    """Read a labelled page file (UTF-8)."""
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise LabelledFormatError(str(path), line, "is not UTF-8; labelled pages are UTF-8 text") from None
    page = parse_labelled(content, str(path))
    return LabelledPage(path.stem, page.lines, page.labels, page.spans)


def format_labelled(
    lines: Sequence[Line], labels: Iterable[str | None], spans: Iterable[Sequence[str]] | None = None
) -> str:
    """Render lines, their labels (``None`` for blank lines) and, if given, each line's span
    texts as a labelled page."""
    out = []
    marks = spans if spans is not None else (() for _ in lines)
    for line, label, texts in zip(lines, labels, marks, strict=True):
        out.append(f"{label_column(label, texts)}\t{line.text}{line.end}")
    return "".join(out)


def find_labelled(paths: Iterable[str | Path]) -> list[Path]:
    """All ``*.tsv`` labelled pages under the given files and folders, sorted, recursively."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*.tsv") if q.is_file()))
        else:
            found.append(p)
    return found
