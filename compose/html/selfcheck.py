#!/usr/bin/env python3
"""Self-check of the aligner on pages whose right answer is known line by line.

Each check page has elements with distinct texts and a known label; it is rendered by
every available renderer, and every rendered line whose text comes from one element
alone must carry that element's label (a line from several elements is checked against
the majority rule).  Run it after changing the aligner or a renderer:

    python compose/html/selfcheck.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from align import align, build_stream, norm  # noqa: E402
from markup import a, el, finish, page, t, table, ul  # noqa: E402
from renderers import RENDERERS, available  # noqa: E402

from cleanews.text.lines import split_lines  # noqa: E402


def check_pages() -> list[str]:
    """Pages with unique texts in the shapes that trouble renderers: menus, table layouts, lists."""
    nav = el("div", " | ".join(a(x) for x in ("首页", "要闻", "体育", "财经")), "nav")
    side = el("div", t("h3", "热门排行") + ul([a(f"第{n}条别的新闻标题在这里") for n in "一二三四五"]), "links")
    para = "正文第{}段，讲述了一件与本页有关的事情，内容足够长，会被窄屏折成两行。"
    body = el("div", "".join(t("p", para.format(n)) for n in "甲乙丙丁"), "body")
    head = t("h1", "本页文章的标题", "title")
    meta = t("div", "来源：测试日报 2024-05-06 作者：某某", "meta")
    foot = el("div", t("p", "版权所有 测试日报") + t("p", "京ICP备00000000号"), "chrome")
    regions = el("div", ul([a(x) for x in ("河北", "山西", "辽宁", "吉林")]), "region")
    prices = table([["票种", "价格"], ["成人票", "80元"], ["儿童票", "40元"]], "body", border="1")
    flat = "\n".join([nav, head, meta, body, prices, side, regions, foot])
    grid = el("table", el("tr", el("td", head + meta + body, valign="top") + el("td", side + regions, valign="top")))
    return [finish(page("本页文章的标题", flat)), finish(page("本页文章的标题", nav + grid + foot))]


def expected(html: str, renderer: str, line: str) -> set[str]:
    """Labels a line may rightly get: the label of every element whose text contains it whole."""
    st = build_stream(html, head=renderer in ("bs4", "blocks"))
    want = "".join(ch for ch in norm(line) if ch.isalnum())  # bullets, borders and markdown left out
    spans: dict[int, str] = {}
    for i, e in enumerate(st.owner):
        if st.chars[i].isalnum():
            spans[e] = spans.get(e, "") + st.chars[i]
    return {st.labels[e] for e, text in spans.items() if want and want in text}


def main() -> int:
    bad = 0
    for html in check_pages():
        for name in available():
            variants = (0, 1, 2) if name == "w3m" else (0, 1)
            for v in variants:
                rendered = RENDERERS[name](html, v)
                results, used = align(html, rendered, name)
                for ln, res in zip(split_lines(rendered), results):
                    ok_labels = expected(html, name, ln.text)
                    if len(ok_labels) == 1 and res.label not in ok_labels:
                        bad += 1
                        print(f"{name}/{v}: {ln.text.strip()[:50]!r} got {res.label}, expected {ok_labels}")
                print(f"{name:<11} variant {v}: {len(results)} lines, text used {used:.3f}")
    print("selfcheck:", "ok" if not bad else f"{bad} wrong labels")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
