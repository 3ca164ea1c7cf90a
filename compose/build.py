#!/usr/bin/env python3
"""Compose labelled training pages from the components in compose/components/.

Each page is a random site (name, menus, furniture) around one article, laid out as
blocks in a varied order and rendered to text the way one of five scrapers would
(w3m, html2text, inscriptis, per-block extraction, browser copy-paste). Every line
keeps the label of the block it came from; where a renderer merges an article line
and a sidebar item into one line (old table layouts), the line is the article's.

    python compose/build.py            # rewrite training_data/gen_*.tsv
    python compose/build.py --check    # fail if the committed pages differ

The random seed is fixed, so the output is the same on every machine. The pieces:
``sources.py`` reads the components, ``page.py`` lays a page out in blocks (its makers
in ``furniture.py``, ``story.py`` and ``lists.py``), ``render.py`` prints the blocks as
a scraper would, and this script writes or checks the labelled pages.
"""

from __future__ import annotations

import argparse
import random
import sys

from page import Page
from render import RENDERERS, Line, table_layout
from sources import HERE, LISTS, Article, pool, read_articles

OUT = HERE.parent / "training_data"
SEED = 20261122
N_PAGES = 320
RENDERER_NAMES = ("w3m", "html2text", "inscriptis", "blocks", "copypaste")
PAGE_KINDS = ("portal", "state", "local", "gov", "overseas", "selfmedia", "vertical", "hijacked", "oldtable", "blog")

_T2S_PAIRS = (
    "們们這这個个來来時时會会對对說说國国與与後后關关經经長长門门開开間间區区實实當当點点體体現现還还發发過过種种"
    "麼么樣样從从裡里報报導导華华際际應应動动機机臺台灣湾"
)
"""Traditional characters (even places) beside their simplified forms: a headline with one is traditional."""


def build_page(rng: random.Random, article: Article, all_headlines: list[str], index: int) -> tuple[str, list[Line]]:
    """The name and the labelled lines of composed page number ``index``."""
    kind = rng.choice(PAGE_KINDS)
    renderer = rng.choice(RENDERER_NAMES)
    if article.meta.get("script") == "trad":
        kind = rng.choice(["overseas", "overseas", "portal", "blog", "hijacked"])
    if kind == "oldtable":
        renderer = "w3m"
    trad = article.meta.get("script") == "trad"
    src = [h for h in all_headlines if _is_trad(h) == trad] or all_headlines
    others = rng.sample(src, min(60, len(src)))
    page = Page(rng, article, kind, renderer, others)
    blocks = page.layout()
    lines = RENDERERS[renderer](rng, page).render(blocks)
    if kind == "oldtable":
        lines = table_layout(rng, lines, page)
    while lines and lines[-1][0] == "-":
        lines.pop()
    return f"gen_{index:04d}_{kind}_{renderer}", lines


def _is_trad(s: str) -> bool:
    return any(c in s for c in _T2S_PAIRS[0::2])


def render_tsv(lines: list[tuple[str, str]], rng: random.Random) -> str:
    crlf = rng.random() < 0.05
    end = "\r\n" if crlf else "\n"
    out = []
    for lab, text in lines:
        text = text.replace("\t", " ").replace("\r", "").replace("\n", " ")
        blank = not text.strip() or all(c in "\u3000\u200b\ufeff " for c in text)
        if blank and lab != "-":
            continue
        if not blank and lab == "-":
            lab = "chrome"
        out.append(f"{lab}\t{text}{end}")
    return "".join(out)


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="compare with the committed pages instead of writing")
    ap.add_argument("-n", type=int, default=N_PAGES, help="number of pages")
    return ap.parse_args()


def main() -> int:
    args = _arguments()
    rng = random.Random(SEED)
    articles = read_articles()
    headlines = pool("headlines") + LISTS.get("headlines_trad", [])
    if not articles:
        raise SystemExit("no articles in compose/components/articles")
    order: list[int] = []
    while len(order) < args.n:
        batch = list(range(len(articles)))
        rng.shuffle(batch)
        order += batch
    pages = {}
    for i in range(args.n):
        # Each page has its own random stream, so a change to one component or one page
        # leaves the names, kinds and renderers of all other pages where they were.
        page_rng = random.Random(f"{SEED}-{i}")
        name, lines = build_page(page_rng, articles[order[i]], headlines, i)
        pages[name + ".tsv"] = render_tsv(lines, page_rng)
    return _check(pages) if args.check else _write(pages)


def _check(pages: dict[str, str]) -> int:
    existing = {p.name for p in OUT.glob("gen_*.tsv")}
    bad = sorted(n for n, t in pages.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != t.encode("utf-8"))
    bad += sorted(existing - set(pages))
    if bad:
        print(f"{len(bad)} composed pages differ from the committed ones, e.g. {bad[:3]}", file=sys.stderr)
        return 1
    print(f"{len(pages)} composed pages match")
    return 0


def _write(pages: dict[str, str]) -> int:
    existing = {p.name for p in OUT.glob("gen_*.tsv")}
    OUT.mkdir(exist_ok=True)
    for stale in existing - set(pages):
        (OUT / stale).unlink()
    for name, text in pages.items():
        with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    print(f"wrote {len(pages)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
