"""Labelled pages with span marks, read and written in the format of ``shared/LABELS.md``.

The project's reader does not know ``+spam:`` yet, so this module has its own small parser: the label
column is everything up to the first tab, split on ``+spam:``; the rest of the line is the page's text,
kept exactly, with its own line end. Writing a parsed page gives back the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("body", "title", "meta", "nav", "region", "links", "spam", "chrome")
BLANK = "-"
MARK = "+spam:"


@dataclass
class Row:
    """One page line: its role label, the spam spans marked in it, its text and its line end."""

    label: str
    text: str
    end: str
    spans: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        """Blank lines carry no label and never a span."""
        return self.label == BLANK

    def mark(self, span: str) -> None:
        """Add a span once; the text must hold it (every occurrence of it is then spam)."""
        if span not in self.text:
            raise ValueError(f"span {span!r} is not in line {self.text[:60]!r}")
        if span not in self.spans:
            self.spans.append(span)

    def render(self) -> str:
        return self.label + "".join(MARK + s for s in self.spans) + "\t" + self.text + self.end


class FormatError(ValueError):
    """A labelled line that breaks the format; the message names the source and line number."""


def parse(content: str, source: str) -> list[Row]:
    """Parse a labelled page; raise :class:`FormatError` on an unknown label, a missing tab or a lost span."""
    rows: list[Row] = []
    pieces = content.split("\n")
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        if last and piece == "":
            break
        end = "" if last else "\n"
        if piece.endswith("\r") and not last:
            piece, end = piece[:-1], "\r\n"
        column, tab, text = piece.partition("\t")
        if not tab:
            raise FormatError(f"{source}:{i + 1}: no tab after the label column")
        label, *spans = column.split(MARK)
        if label not in LABELS and label != BLANK:
            raise FormatError(f"{source}:{i + 1}: unknown label {label[:20]!r}")
        if label == BLANK and spans:
            raise FormatError(f"{source}:{i + 1}: a blank line carries a span")
        for s in spans:
            if not s or s not in text:
                raise FormatError(f"{source}:{i + 1}: span {s!r} is not in the line")
        rows.append(Row(label, text, end, spans))
    return rows


def read(path: Path) -> list[Row]:
    """Read a labelled page as bytes, so ``\r\n`` line ends survive (``read_text`` would fold them to ``\n``)."""
    return parse(path.read_bytes().decode("utf-8"), str(path))


def render(rows: list[Row]) -> str:
    """The labelled page as text; written as UTF-8 bytes it is the file again."""
    return "".join(r.render() for r in rows)


def new_row_like(template: Row, label: str, text: str) -> Row:
    """A new line with the line end of its neighbour, so inserted lines keep the page's line-end style."""
    return Row(label, text, template.end or "\n")
