"""HTML in: cleanews on rendered HTML against trafilatura on the same HTML, and the renderer choice.

Each labelled page (default: the dev corpus's gold pages, read at run time, never copied
here) is laid out as an HTML page by our own markup, one element kind per label: the
title an ``<h1>``, body lines ``<p>`` inside ``<article>``, meta a byline ``<div>``, nav
and region lines ``<li><a>`` in a ``<nav>``, link walls ``<ul><li><a>`` in an
``<aside>``, spam ``<div class="ad"><a>``, chrome a ``<footer>``; with a ``<head>``,
a script and a style as real pages have. Markdown links in a line become ``<a>``.
``--layout divs`` lays out the same pages as div soup, with no semantic elements.

Then, on the same HTML:

- cleanews: the HTML rendered to lines by inscriptis (what ``cleanews clean page.html``
  does) and by html2text (the other candidate), then labelled, body and title kept;
- trafilatura's ``extract`` with its defaults (comments left out).

Scores are on characters: the article (the gold body and title lines) against the text
each one keeps, as bags of characters without spaces, summed over all pages.

    python benchmarks/html_in.py                       # the dev corpus (../shared/corpus/dev/labels)
    python benchmarks/html_in.py --layout divs       # the same pages as div soup
    python benchmarks/html_in.py --pages training_data  # any folder of labelled pages
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEV, have, print_header, table, trafilatura_run  # noqa: E402

import cleanews  # noqa: E402
from cleanews.data.labelled import read_labelled  # noqa: E402
from cleanews.text.html import render_html  # noqa: E402

MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
KEEP = {"body", "title"}

BLOCKS = {  # label -> (opening markup of a run of lines, markup of one line, closing markup)
    "title": ('<div class="headline">', "<h1>{}</h1>", "</div>"),
    "body": ("<article>", "<p>{}</p>", "</article>"),
    "meta": ('<div class="byline">', "<span>{}</span><br>", "</div>"),
    "nav": ('<nav><ul class="menu">', '<li><a href="/c/">{}</a></li>', "</ul></nav>"),
    "region": ('<nav class="region"><ul>', '<li><a href="/r/">{}</a></li>', "</ul></nav>"),
    "links": ('<aside><ul class="related">', '<li><a href="/n/1.html">{}</a></li>', "</ul></aside>"),
    "spam": ('<div class="ad">', '<a href="http://ad.example/">{}</a><br>', "</div>"),
    "chrome": ("<footer>", "<p>{}</p>", "</footer>"),
}


DIV_BLOCKS = {  # the same page as div soup (no <article>, <nav>, <aside> or <footer>), as many portals serve it
    "title": ('<div class="t">', '<div class="h">{}</div>', "</div>"),
    "body": ('<div class="c">', "<div>{}</div>", "</div>"),
    "meta": ('<div class="i">', "<div>{}</div>", "</div>"),
    "nav": ('<div class="m">', '<a href="/c/">{}</a><br>', "</div>"),
    "region": ('<div class="r">', '<a href="/r/">{}</a><br>', "</div>"),
    "links": ('<div class="l">', '<div><a href="/n/1.html">{}</a></div>', "</div>"),
    "spam": ('<div class="x">', '<a href="http://ad.example/">{}</a><br>', "</div>"),
    "chrome": ('<div class="b">', "<div>{}</div>", "</div>"),
}
LAYOUTS = {"semantic": BLOCKS, "divs": DIV_BLOCKS}


def _inline(text: str) -> str:
    """A line's text as HTML, its markdown links as anchors."""
    out, last = [], 0
    for m in MD_LINK.finditer(text):
        out.append(html.escape(text[last : m.start()], quote=False))
        out.append(f'<a href="{html.escape(m.group(2))}">{html.escape(m.group(1), quote=False)}</a>')
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def page_html(lines: Sequence[tuple[str, str]], blocks: dict[str, tuple[str, str, str]] = BLOCKS) -> str:
    """Our HTML layout of a labelled page: runs of lines with one label become one block."""
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻</title>',
        "<style>.menu li{display:inline}</style><script>var pv = 1;</script></head><body>",
    ]
    current = None
    for label, text in lines:
        if not text.strip() or label not in blocks:
            continue
        if label != current:
            if current is not None:
                parts.append(blocks[current][2])
            parts.append(blocks[label][0])
            current = label
        parts.append(blocks[label][1].format(_inline(text)))
    if current is not None:
        parts.append(blocks[current][2])
    parts.append("</body></html>")
    return "\n".join(parts)


def html2text_render(markup: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0  # no wrapping: a paragraph stays one line
    converter.ignore_images = True
    return str(converter.handle(markup))


def chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def score(gold: Counter[str], got: Counter[str]) -> tuple[int, int, int]:
    overlap = sum((gold & got).values())
    return overlap, sum(got.values()), sum(gold.values())


def prf(tp: int, predicted: int, actual: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / actual if actual else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=DEV / "labels", help="a folder of labelled pages (*.tsv)")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="semantic", help="the markup of the pages")
    args = parser.parse_args()
    files = sorted(args.pages.glob("*.tsv"))
    if not files:
        print(f"no labelled pages in {args.pages}", file=sys.stderr)
        return 2
    print_header(f"HTML in: cleanews and trafilatura on the same HTML ({len(files)} pages, {args.layout} layout)")
    model = cleanews.load_model()
    methods: dict[str, Callable[[str], str]] = {
        "cleanews, inscriptis": lambda m: cleanews.label_page(render_html(m), model).text,
    }
    if have("html2text"):
        methods["cleanews, html2text"] = lambda m: cleanews.label_page(html2text_render(m), model).text
    if have("trafilatura"):
        methods["trafilatura"] = trafilatura_run
    totals = {name: [0, 0, 0, 0.0] for name in methods}
    for path in files:
        page = read_labelled(path)
        lines = [((label or "").split("+")[0], line.text) for line, label in zip(page.lines, page.labels)]
        markup = page_html(lines, LAYOUTS[args.layout])
        gold = chars("".join(text for label, text in lines if label in KEEP))
        for name, run in methods.items():
            start = time.perf_counter()
            got = run(markup)
            totals[name][3] += time.perf_counter() - start
            for i, v in enumerate(score(gold, chars(got))):
                totals[name][i] += v
    rows = []
    for name, (tp, predicted, actual, seconds) in totals.items():
        p, r, f = prf(int(tp), int(predicted), int(actual))
        rows.append([name, p, r, f, seconds])
    print(table(["method", "article chars P", "R", "F1", "seconds"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
