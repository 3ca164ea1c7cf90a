"""Content farms: a padded article between SEO keyword strips (spam) and the same
recommended-article walls repeated again and again (links).
"""

from __future__ import annotations

from markup import a, el, esc, page, t, ul

from templates import template
from templates.common import Ctx, article, body_blocks, footer, pagination
from templates.layouts import pick_shape, skeleton


def keywords(ctx: Ctx) -> str:
    return t("div", ctx.one("misc.farm_keywords"), "spam", cls="kw")


def wall(ctx: Ctx, heading: str, items: list[str]) -> str:
    return el("div", t("h3", heading) + ul([a(x, ctx.url()) for x in items]), "links")


def walls(ctx: Ctx, n: int) -> list[str]:
    """The same handful of recommendations under several headings, as farms repeat them."""
    items = ctx.pick("misc.farm_walls", ctx.rng.randint(5, 8))
    heads = ctx.rng.sample(["猜你喜欢", "相关推荐", "热门文章", "最新文章", "精彩推荐", "随机文章"], n)
    return [wall(ctx, h, ctx.rng.sample(items, len(items))) for h in heads]


@template("farm-seo", "blog|health|news")
def farm_seo(ctx: Ctx) -> str:
    top = [el("div", esc(ctx.site) + " " + " ".join(a(x) for x in ctx.pick("nav.channels", 8)), "nav"), keywords(ctx)]
    main = [article(ctx), *walls(ctx, ctx.n(2, 3, 4)), keywords(ctx)]
    side = walls(ctx, ctx.n(1, 2, 2))
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "table2")), top, main, side, [footer(ctx, 2)]))


@template("farm-qa", "health|edu|blog")
def farm_qa(ctx: Ctx) -> str:
    """A Q&A farm: the question is the title, the best answer the article."""
    q = t("h1", ctx.art.title, "title")
    asked = t(
        "div",
        f"提问者：{ctx.one('meta.person_names')}  {ctx.pools.date()}  浏览 {ctx.rng.randint(50, 9999)} 次",
        "meta",
    )
    best = el("div", t("span", "最佳答案", "chrome") + body_blocks(ctx, ctx.art, br=ctx.chance(0.4)), "body")
    others = el(
        "div", t("h3", "其他回答") + "".join(t("p", x) for x in ctx.pick("forum.replies", ctx.n(2, 4, 6))), "chrome"
    )
    related_q = wall(ctx, "相关问题", [x + "？" for x in ctx.pick("misc.farm_walls", 6)])
    main = [q, asked, best, others, related_q, *walls(ctx, ctx.n(1, 2, 3))]
    return page(ctx.art.title, skeleton(ctx, "divs", [keywords(ctx)], main, [related_q], [footer(ctx, 2)]))


@template("farm-aggregator", "news|ent|finance|blog")
def farm_aggregator(ctx: Ctx) -> str:
    """A copied article split over pages, tag cloud of SEO words, walls before and after."""
    top = [el("div", " ".join(a(x) for x in ctx.pick("nav.channels", 10)), "nav"), *walls(ctx, 1)]
    tag_cloud = el(
        "div", t("h4", "热门标签") + " ".join(a(x) for x in ctx.pick("spam.seo_dumps", 1)[0].split(",")[:12]), "spam"
    )
    main = [article(ctx), pagination(ctx), *walls(ctx, ctx.n(1, 2, 3)), tag_cloud]
    return page(
        ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "nested")), top, main, walls(ctx, 1), [footer(ctx, 2)])
    )
