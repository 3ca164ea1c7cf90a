"""A review report: one self-contained HTML page that shows what the model decided.

``cleanews review PAGES... -o report.html`` labels the pages and writes a page a person
can read in a browser with no network and no server: every line coloured by its label,
its confidence as a bar, spam spans highlighted, the least sure lines listed first with
a link to each, and the count of every label. It is how a user finds what to correct
before retraining (``cleanews clean --format tsv`` writes the files to correct).

The whole report is held in memory while it is written: it is meant for the pages a
person reviews in an afternoon (hundreds), not for a crawl.
"""

from __future__ import annotations

import heapq
import html
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleanews.api import CleanOptions, LabelledLine, PageResult, label_html, label_page
from cleanews.data.labels import LABELS
from cleanews.files import PageReadError, atomic_text, read_page
from cleanews.model.store import Model
from cleanews.run.plan import page_kind, walk_pages
from cleanews.run.rows import line_spans
from cleanews.text.decode import NotTextError
from cleanews.text.html import HtmlNotInstalled

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

COLOURS = {
    "body": "#cfe8cf",
    "title": "#9fd3a0",
    "meta": "#cfe0f3",
    "nav": "#f3e2c0",
    "region": "#efd3e9",
    "links": "#f6d2b8",
    "spam": "#f4a7a7",
    "chrome": "#dcdcdc",
}
"""One background colour per label: kept labels green, the rest warm or grey, spam red."""

STYLE = (
    "body{font:14px/1.5 sans-serif;margin:0 24px 48px;color:#222}"
    "h1{font-size:20px}h2{font-size:16px;margin-top:32px;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;width:100%}td{padding:1px 6px;vertical-align:top}"
    "td.n{color:#888;text-align:right;width:3em}td.l{width:5em;font-size:12px}"
    "td.c{width:7em}.bar{background:#eee;height:8px;width:6em;margin-top:7px}"
    ".bar span{display:block;height:8px;background:#4a7bd0}"
    "tr.blank td{height:6px}mark{background:#e53935;color:#fff;padding:0 1px}"
    "ol li{margin:2px 0}"
    "table.counts{width:auto}table.counts td{padding:1px 10px}"
)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""The report loads nothing: no script, no font, no image from anywhere (the browser enforces it)."""


@dataclass(frozen=True)
class ReviewedPage:
    """A page's name, its decisions, or why it could not be labelled."""

    name: str
    result: PageResult | None
    error: str | None = None


def review_inputs(paths: Iterable[str], pattern: str = "*.txt") -> Iterator[Path]:
    """The page files named or found under the folders (sorted, lazily)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from (f for f, error in walk_pages(path, pattern) if error is None)
        else:
            yield path


def review_pages(
    files: Iterable[Path], model: Model, options: CleanOptions, input_format: str = "auto"
) -> Iterator[ReviewedPage]:
    """Each file labelled (HTML by extension or ``input_format``); a bad file keeps its reason."""
    for f in files:
        try:
            data = read_page(str(f))
            kind = page_kind(str(f), input_format)
            result = label_html(data, model, options) if kind == "html" else label_page(data, model, options)
        except (PageReadError, NotTextError, HtmlNotInstalled) as exc:
            yield ReviewedPage(str(f), None, str(exc))
            continue
        yield ReviewedPage(str(f), result)


def write_report(pages: Iterable[ReviewedPage], out: Path, least: int = 50) -> Counter[str]:
    """Write the report to ``out`` (atomically); returns the count of each label."""
    pages = list(pages)
    counts: Counter[str] = Counter()
    doubts: list[tuple[float, int, int, LabelledLine]] = []
    for i, page in enumerate(pages):
        for line in page.result.lines if page.result else ():
            if line.label is None:
                continue
            counts[line.label] += 1
            doubts.append((line.confidence or 0.0, i, line.number, line))
    lowest = heapq.nsmallest(least, doubts, key=lambda d: (d[0], d[1], d[2]))
    with atomic_text(out) as fh:
        fh.write(_head(len(pages), counts))
        fh.write(_least(lowest, pages))
        for i, page in enumerate(pages):
            fh.write(_page(i, page))
        fh.write("</body></html>\n")
    return counts


def _head(n: int, counts: Counter[str]) -> str:
    total = sum(counts.values())
    rows = "".join(
        f'<tr><td><span style="background:{COLOURS[lab]};padding:1px 8px">{lab}</span></td>'
        f"<td>{counts[lab]}</td><td>{100 * counts[lab] / max(total, 1):.1f}%</td></tr>"
        for lab in LABELS
    )
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>cleanews review: {n} pages</title><style>{STYLE}</style></head><body>"
        f"<h1>cleanews review: {n} pages, {total} lines</h1>"
        f'<table class="counts" id="counts"><tr><th>label</th><th>lines</th><th>share</th></tr>{rows}</table>'
        "<p>Each line has its label's colour, its number, its label (✗: not kept) and its confidence as a bar.</p>"
    )


def _least(lowest: list[tuple[float, int, int, LabelledLine]], pages: list[ReviewedPage]) -> str:
    items = "".join(
        f'<li><a href="#p{i}-l{n}">{html.escape(Path(pages[i].name).name)}:{n}</a> '
        f"{line.label} {conf:.2f} &mdash; {html.escape(_short(line.text))}</li>"
        for conf, i, n, line in lowest
    )
    return f'<h2 id="least">The {len(lowest)} least sure lines: look at these first</h2><ol>{items}</ol>'


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _page(i: int, page: ReviewedPage) -> str:
    title = f'<h2 id="p{i}">{html.escape(page.name)}</h2>'
    if page.result is None:
        return f"{title}<p>not labelled: {html.escape(page.error or '')}</p>"
    rows = []
    for line in page.result.lines:
        if line.label is None:
            rows.append('<tr class="blank"><td colspan="4"></td></tr>')
            continue
        conf = line.confidence or 0.0
        rows.append(
            f'<tr id="p{i}-l{line.number}" style="background:{COLOURS.get(line.label, "#fff")}">'
            f'<td class="n">{line.number}</td><td class="l">{line.label}{"" if line.kept else " ✗"}</td>'
            f'<td class="c"><div class="bar" title="{conf:.2f}">'
            f'<span style="width:{100 * conf:.0f}%"></span></div></td>'
            f"<td>{_marked(line)}</td></tr>"
        )
    return f"{title}<table>{''.join(rows)}</table>"


def _marked(line: LabelledLine) -> str:
    """The line's text with its spans in ``<mark>`` (offsets are code points, end exclusive)."""
    text, out, at = line.text, [], 0
    for span in sorted(line_spans(line), key=lambda s: s.get("start") or 0):
        start, end = span.get("start"), span.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or start < at or end <= start:
            continue
        out.append(html.escape(text[at:start]))
        out.append(
            f'<mark title="{html.escape(str(span.get("label") or "span"))}">{html.escape(text[start:end])}</mark>'
        )
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)
