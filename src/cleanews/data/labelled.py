"""Read and write labelled pages, the format of ``shared/LABELS.md``.

Each line of the page becomes ``<label>\\t<the line, exactly>``, with ``-`` as the label
of a blank line, keeping the page's line ends. Dropping the first column and the tab
gives the page back, so a labelled page is both training data and a faithful copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanews.data.labels import BLANK, LABELS
from cleanews.text.lines import Line, is_blank, split_lines

_VALID = frozenset(LABELS)


class LabelledFormatError(ValueError):
    """A labelled page that breaks the format; the message names file, line and fault."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class LabelledPage:
    """A page's lines and their gold labels (``None`` for a blank line)."""

    name: str
    lines: tuple[Line, ...]
    labels: tuple[str | None, ...]
    weight: float = 1.0
    """How much the page's lines count in training, beside the weights training gives itself."""

    @property
    def text(self) -> str:
        """The page itself, byte for byte as it was labelled."""
        return "".join(line.text + line.end for line in self.lines)


def parse_labelled(content: str, source: str = "<labelled page>") -> LabelledPage:
    """Parse the text of a labelled page; raise :class:`LabelledFormatError` on any fault."""
    lines: list[Line] = []
    labels: list[str | None] = []
    if content.startswith("\ufeff"):
        raise LabelledFormatError(source, 1, "starts with a byte-order mark; save the file as UTF-8 without BOM")
    for raw in split_lines(content):
        label, tab, text = raw.text.partition("\t")
        if not tab:
            raise LabelledFormatError(
                source, raw.number, f"no tab after the label {label[:20]!r}: each line must be '<label><TAB><text>'"
            )
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
    return LabelledPage(Path(source).stem, tuple(lines), tuple(labels))


def read_labelled(path: str | Path) -> LabelledPage:
    """Read a labelled page file (UTF-8)."""
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise LabelledFormatError(str(path), line, "is not UTF-8; labelled pages are UTF-8 text") from None
    page = parse_labelled(content, str(path))
    return LabelledPage(path.stem, page.lines, page.labels)


def format_labelled(lines: Sequence[Line], labels: Iterable[str | None]) -> str:
    """Render lines and their labels (``None`` for blank lines) as a labelled page."""
    out = []
    for line, label in zip(lines, labels, strict=True):
        out.append(f"{BLANK if label is None else label}\t{line.text}{line.end}")
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
