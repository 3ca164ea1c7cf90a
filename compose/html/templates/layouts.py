"""Page skeletons: the same blocks placed in div soup, old tables, or HTML5 sections.

Templates choose the blocks; the skeleton decides how the HTML nests them, which is what
makes renderers differ (w3m and inscriptis lay table cells side by side, html2text turns
layout tables into pipes, the block extractor flattens everything).
"""

from __future__ import annotations

from markup import el

from templates.common import Ctx

SHAPES = ("divs", "table2", "table3", "html5", "side-first", "nested")


def skeleton(ctx: Ctx, shape: str, top: list[str], main: list[str], side: list[str], bottom: list[str]) -> str:
    """Arrange the page's blocks; `side` may be split around `main` in some shapes."""
    nl = "\n"
    if shape == "table2":
        row = el("tr", el("td", nl.join(main), width="70%", valign="top") + el("td", nl.join(side), valign="top"))
        middle = el("table", row, width="960", border="0", cellpadding="0")
    elif shape == "table3":
        half = len(side) // 2
        cells = [
            el("td", nl.join(side[:half]) or "&nbsp;", width="20%", valign="top"),
            el("td", nl.join(main), width="60%", valign="top"),
            el("td", nl.join(side[half:]) or "&nbsp;", width="20%", valign="top"),
        ]
        middle = el("table", el("tr", "".join(cells)), width="100%")
    elif shape == "html5":
        middle = el("main", el("article", nl.join(main)) + nl + el("aside", nl.join(side)))
    elif shape == "side-first":
        middle = el("div", el("div", nl.join(side), cls="left") + nl + el("div", nl.join(main), cls="right"))
    elif shape == "nested":
        inner = main
        for depth in range(3):
            inner = [el("div", nl.join(inner), cls=f"wrap{depth}")]
        middle = el("div", inner[0] + nl + el("div", el("div", nl.join(side)), cls="sidebar"))
    else:
        middle = el("div", el("div", nl.join(main), cls="main") + nl + el("div", nl.join(side), cls="side"))
    return nl.join([*top, middle, *bottom])


def pick_shape(ctx: Ctx, allowed: tuple[str, ...] = SHAPES) -> str:
    return ctx.rng.choice(sorted(allowed))
