"""News portals: channel menus, hot lists with promoted entries, native ads, feeds.

Third-party ads (hospital, pharmacy, sponsored feed items, the promoted entry of a hot
list) are spam; the site's own empty ad slots and app promotions are chrome; ordinary
hot-list items and related walls are links.
"""

from __future__ import annotations

from markup import a, el, esc, page, t

from templates import template
from templates.common import (
    Ctx,
    ad_slot,
    ad_unit,
    article,
    breadcrumb,
    comments,
    footer,
    friend_links,
    hot_list,
    pagination,
    prev_next,
    regions,
    related,
    share,
    site_head,
    tags,
)
from templates.layouts import pick_shape, skeleton


def feed(ctx: Ctx, n: int, sponsored: int) -> str:
    """A recommendation feed: each teaser (headline, source, time) links; sponsored units spam."""
    items = []
    for h in ctx.pick("links.headlines", n):
        meta = f"{ctx.one('meta.sources')} {ctx.rng.randint(1, 23)}小时前"
        items.append(el("div", a(h, ctx.url()) + t("span", meta) + t("span", "不感兴趣", "chrome"), "links"))
    for _ in range(sponsored):
        unit = el(
            "div",
            a(ctx.one("misc.sponsored_feed"), "https://ad.example.net/x")
            + t("span", "广告")
            + t("span", ctx.one("spam2.ad_unit_advertisers")),
            "spam",
        )
        items.insert(ctx.rng.randint(1, len(items)), unit)
    return el("div", t("h3", ctx.rng.choice(["为你推荐", "猜你喜欢", "推荐阅读"])) + "\n" + "\n".join(items), "links")


def native_ads(ctx: Ctx, n: int = 2) -> str:
    rows = [
        el("li", a(x, "https://ad.example.net/m") + " " + t("span", "广告")) for x in ctx.pick("misc.portal_ads", n)
    ]
    return el("ul", "\n".join(rows), "spam", cls="ads")


@template("portal-feed", "news|finance|ent|sports")
def portal_feed(ctx: Ctx) -> str:
    top = [site_head(ctx), breadcrumb(ctx)]
    main = [article(ctx), share(ctx), tags(ctx), feed(ctx, ctx.n(4, 8, 14), ctx.rng.randint(1, 2))]
    side = [hot_list(ctx, ctx.n(5, 8, 10), 1), ad_slot(ctx)]
    bottom = [footer(ctx)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "html5")), top, main, side, bottom))


@template("portal-classic", "news|local|military|edu")
def portal_classic(ctx: Ctx) -> str:
    top = [site_head(ctx), native_ads(ctx, 1), breadcrumb(ctx)]
    main = [article(ctx), prev_next(ctx), related(ctx, ctx.n(4, 6, 10)), comments(ctx, ctx.n(1, 3, 6))]
    side = [hot_list(ctx, ctx.n(5, 8, 10), ctx.rng.randint(0, 2)), native_ads(ctx, ctx.n(1, 3, 4)), related(ctx, 5)]
    if ctx.chance(0.5):
        side.insert(0, el("div", t("h4", ctx.one("region.region_headings")) + regions(ctx, ctx.n(6, 12, 20)), "region"))
    bottom = [friend_links(ctx), footer(ctx)]
    return page(
        ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "side-first", "nested")), top, main, side, bottom)
    )


@template("portal-oldtable", "news|finance|local")
def portal_oldtable(ctx: Ctx) -> str:
    top = [site_head(ctx), ad_slot(ctx)]
    main = [breadcrumb(ctx), article(ctx, h1=ctx.rng.choice(["h1", "h2"]), br=ctx.chance(0.5)), share(ctx)]
    side = [hot_list(ctx, ctx.n(4, 6, 8), 1), ad_unit(ctx, "spam.medical_ads", ctx.n(1, 2, 3)), related(ctx, 6)]
    bottom = [related(ctx, ctx.n(3, 6, 8), teasers=True), footer(ctx, 5)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("table2", "table3")), top, main, side, bottom))


@template("portal-html5", "news|tech|ent")
def portal_html5(ctx: Ctx) -> str:
    top = [site_head(ctx)]
    crumbs = el("nav", breadcrumb(ctx))
    main = [crumbs, article(ctx, meta_first=True), tags(ctx), share(ctx), related(ctx, ctx.n(3, 5, 8), teasers=True)]
    side = [hot_list(ctx, ctx.n(5, 10, 10), ctx.rng.randint(1, 2)), ad_slot(ctx)]
    bottom = [comments(ctx, ctx.n(0, 2, 5)), footer(ctx)]
    return page(ctx.art.title, skeleton(ctx, "html5", top, main, side, bottom))


@template("portal-longpage", "news|finance|military|local")
def portal_longpage(ctx: Ctx) -> str:
    """A very long page: the article under a tall header, then wall after wall."""
    top = [
        site_head(ctx),
        el("div", esc("热点专题：") + " ".join(a(x) for x in ctx.pick("links.headlines", 3)), "links"),
        breadcrumb(ctx),
    ]
    walls = [related(ctx, ctx.n(4, 8, 10), teasers=ctx.chance(0.5)) for _ in range(ctx.n(1, 2, 3))]
    main = [article(ctx), share(ctx), prev_next(ctx), *walls, comments(ctx, ctx.n(2, 5, 9)), pagination(ctx)]
    side = [hot_list(ctx, ctx.n(5, 8, 10), 1), native_ads(ctx, 2), feed(ctx, ctx.n(3, 6, 10), 1)]
    bottom = [friend_links(ctx), footer(ctx, 6)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "nested")), top, main, side, bottom))


@template("portal-mobile", "news|ent|sports|health")
def portal_mobile(ctx: Ctx) -> str:
    """A short mobile page: app banner, article, feed with sponsored cards, one-line footer."""
    banner = el("div", t("span", f"打开{ctx.site}APP") + " " + t("span", "阅读全文"), "chrome")
    body = [
        banner,
        t("div", ctx.site, "nav"),
        article(ctx, meta_first=True),
        share(ctx),
        feed(ctx, ctx.n(3, 6, 9), 1),
        related(ctx, ctx.n(3, 5, 8), heading="相关阅读"),
        el("div", t("p", ctx.one("chrome.footer_templates")), "chrome"),
    ]
    return page(ctx.art.title, "\n".join(body))
