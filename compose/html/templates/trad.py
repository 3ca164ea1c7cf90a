"""Taiwan and Hong Kong news sites in traditional characters: their own menus,
即時新聞 lists, 分享 widgets, 延伸閱讀 walls and footers.
"""

from __future__ import annotations

from markup import a, el, esc, page, t, ul

from templates import template
from templates.common import (
    Ctx,
    ad_slot,
    article,
    breadcrumb,
    comments,
    footer,
    regions,
    related,
    share,
    site_head,
    tags,
)
from templates.layouts import pick_shape, skeleton


def live_news(ctx: Ctx, n: int) -> str:
    """即時新聞: time-stamped headlines of other articles (links)."""
    items = [t("span", ctx.pools.time()) + " " + a(h, ctx.url()) for h in ctx.pick("links.headlines", n)]
    return el("div", t("h3", "即時新聞") + ul(items), "links", cls="live")


def more_reading(ctx: Ctx) -> str:
    return related(ctx, ctx.n(3, 5, 8), heading=ctx.rng.choice(["延伸閱讀", "相關新聞", "推薦閱讀"]))


def font_bar(ctx: Ctx) -> str:
    return el(
        "div", t("span", "字級") + " " + " ".join(a(x) for x in ("大", "中", "小")) + " " + t("span", "列印"), "chrome"
    )


@template("trad-hk-portal", "trad")
def trad_hk_portal(ctx: Ctx) -> str:
    top = [site_head(ctx), t("div", "繁體 | 简体", "chrome")]
    main = [article(ctx), font_bar(ctx), share(ctx), more_reading(ctx), comments(ctx, ctx.n(0, 3, 6))]
    side = [live_news(ctx, ctx.n(4, 8, 10)), ad_slot(ctx), related(ctx, 5, heading="人氣排行")]
    if ctx.chance(0.5):
        side.append(el("div", t("h4", "地區") + regions(ctx, ctx.n(5, 8, 12)), "region"))
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "nested")), top, main, side, [footer(ctx)]))


@template("trad-tw-daily", "trad")
def trad_tw_daily(ctx: Ctx) -> str:
    top = [site_head(ctx), breadcrumb(ctx)]
    main = [share(ctx), article(ctx, meta_first=True), tags(ctx), share(ctx), more_reading(ctx)]
    side = [live_news(ctx, ctx.n(5, 10, 12)), t("div", ctx.one("chrome.app_promos"), "chrome")]
    bottom = [related(ctx, ctx.n(3, 6, 8), heading="編輯精選", teasers=True), footer(ctx, 5)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "side-first")), top, main, side, bottom))


@template("trad-tw-html5", "trad")
def trad_tw_html5(ctx: Ctx) -> str:
    top = [el("header", site_head(ctx) + el("nav", breadcrumb(ctx)))]
    main = [
        article(ctx),
        el("div", t("span", "分享") + " " + " ".join(t("span", x) for x in ("Facebook", "LINE", "X")), "chrome"),
        more_reading(ctx),
    ]
    side = [live_news(ctx, ctx.n(4, 6, 10)), related(ctx, 6, heading="熱門新聞")]
    bottom = [comments(ctx, ctx.n(0, 2, 4)), footer(ctx)]
    return page(ctx.art.title, skeleton(ctx, "html5", top, main, side, bottom))


@template("trad-hk-table", "trad")
def trad_hk_table(ctx: Ctx) -> str:
    """An old Hong Kong site in tables: 即時新聞 column beside the article."""
    top = [site_head(ctx), ad_slot(ctx)]
    main = [article(ctx, h1="h2", br=ctx.chance(0.5)), font_bar(ctx), more_reading(ctx)]
    side = [live_news(ctx, ctx.n(5, 8, 12)), el("div", t("p", "廣告") + t("p", ctx.one("misc.portal_ads")), "spam")]
    bottom = [el("div", esc("版權所有 不得轉載") + " " + a("私隱政策"), "chrome"), footer(ctx, 3)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("table2", "table3")), top, main, side, bottom))
