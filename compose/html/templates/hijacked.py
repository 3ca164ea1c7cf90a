"""Hijacked sites: a company's or a small news site's own pages with injected link walls
of gambling and adult spam.  The company's own menus are nav, its introduction is the
article (body), its contact block chrome; every injected item is spam.
"""

from __future__ import annotations

from markup import a, el, esc, page, t, ul

from templates import template
from templates.common import Ctx, article, body_blocks, breadcrumb, channels, footer, related
from templates.layouts import skeleton


def spam_wall(ctx: Ctx, n: int, inline: bool) -> str:
    """An injected wall of casino and adult links."""
    items = ctx.pick("spam.adult_titles", n // 2) + ctx.pick("spam.casino_promos", n - n // 2)
    ctx.rng.shuffle(items)
    links = [a(x, f"https://{ctx.rng.randint(100, 999)}.example.org/") for x in items]
    inner = " ".join(links) if inline else ul(links)
    return el("div", inner, "spam", cls="lk")


def company_head(ctx: Ctx) -> str:
    name = t("div", ctx.art.meta.get("source", ctx.site), "nav", cls="logo")
    menu = el("div", " | ".join(a(x) for x in ctx.pick("misc.company_menus", ctx.rng.randint(6, 10))), "nav")
    return name + "\n" + menu


def contacts(ctx: Ctx) -> str:
    ctx.pools.site = ctx.art.meta.get("source", ctx.site)
    lines = ctx.pick("misc.company_contacts", ctx.rng.randint(3, 5))
    return el("div", t("h4", "联系我们") + "".join(t("p", x) for x in lines), "chrome")


def products(ctx: Ctx) -> str:
    items = ctx.pick("misc.company_products", ctx.rng.randint(3, 6))
    return el("div", t("h4", "产品中心") + ul([a(x) for x in items]), "nav")


@template("hijack-company-table", "company")
def hijack_company_table(ctx: Ctx) -> str:
    """An old table-layout company site with a casino wall pasted above the footer."""
    main = [t("h2", ctx.art.title, "title"), el("div", body_blocks(ctx, ctx.art, br=ctx.chance(0.5)), "body")]
    news = el("div", t("h4", "新闻动态") + ul([a(x) for x in ctx.pick("links.headlines", ctx.n(3, 5, 8))]), "links")
    side = [products(ctx), news, contacts(ctx)]
    bottom = [spam_wall(ctx, ctx.n(6, 12, 20), ctx.chance(0.5)), footer(ctx, 3)]
    return page(ctx.art.title, skeleton(ctx, "table2", [company_head(ctx)], main, side, bottom))


@template("hijack-company-div", "company")
def hijack_company_div(ctx: Ctx) -> str:
    """A div-soup company page; the hijacker put spam both above and below the text."""
    news = el("div", t("h4", "新闻动态") + ul([a(x) for x in ctx.pick("links.headlines", 4)]), "links")
    main = [
        spam_wall(ctx, ctx.n(3, 6, 8), True),
        breadcrumb(ctx),
        t("h1", ctx.art.title, "title"),
        el("div", body_blocks(ctx, ctx.art), "body"),
        spam_wall(ctx, ctx.n(4, 10, 16), False),
    ]
    side = [products(ctx), news, contacts(ctx)]
    return page(ctx.art.title, skeleton(ctx, "side-first", [company_head(ctx)], main, side, [footer(ctx, 2)]))


@template("hijack-news", "local|news")
def hijack_news(ctx: Ctx) -> str:
    """A small news site whose sidebar and footer were taken over by spam."""
    seo = el("div", esc(ctx.one("spam.seo_dumps")), "spam")
    top = [t("div", ctx.site, "nav"), channels(ctx, ctx.rng.randint(5, 9))]
    main = [article(ctx), related(ctx, ctx.n(3, 5, 8))]
    side = [spam_wall(ctx, ctx.n(5, 10, 14), False), related(ctx, 4, heading="热门文章")]
    return page(ctx.art.title, skeleton(ctx, "divs", top, main, side, [seo, footer(ctx, 3)]))
