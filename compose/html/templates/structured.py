"""Structured articles: price lists (成人票/儿童票), shop lists with phones and addresses,
timetables, code, galleries, tables, product reviews (性价比), a lottery story, a sexual
health article.  All of their text is body, however commercial or sensitive it sounds;
the ads around them on the page are the spam.
"""

from __future__ import annotations

from markup import a, el, page, t, ul

from templates import template
from templates.common import (
    Ctx,
    ad_unit,
    article,
    breadcrumb,
    comments,
    footer,
    hot_list,
    prev_next,
    related,
    share,
    site_head,
    tags,
)
from templates.layouts import pick_shape, skeleton
from templates.selfmedia import toc


@template("struct-travel", "structured")
def struct_travel(ctx: Ctx) -> str:
    top = [site_head(ctx), breadcrumb(ctx)]
    main = [article(ctx), share(ctx), related(ctx, ctx.n(3, 5, 8), heading="周边推荐")]
    side = [hot_list(ctx, ctx.n(4, 6, 8), 1), ad_unit(ctx, "spam.commercial_ads", 2)]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "table2")), top, main, side, [footer(ctx)]))


@template("struct-life", "structured")
def struct_life(ctx: Ctx) -> str:
    """A lifestyle site: city picker (region) in the header, the article, comments."""
    city = el(
        "div",
        t("span", "切换城市：") + " ".join(a(x) for x in ctx.pick("region.cities", ctx.rng.randint(5, 9))),
        "region",
    )
    top = [site_head(ctx), city]
    main = [article(ctx), tags(ctx), comments(ctx, ctx.n(1, 4, 7))]
    side = [related(ctx, ctx.n(3, 6, 8), heading="本地热门")]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("html5", "side-first")), top, main, side, [footer(ctx)]))


@template("struct-techmedia", "structured|tech")
def struct_techmedia(ctx: Ctx) -> str:
    top = [site_head(ctx)]
    main = [breadcrumb(ctx), article(ctx, meta_first=True), prev_next(ctx), comments(ctx, ctx.n(0, 3, 5))]
    side = [toc(ctx), related(ctx, ctx.n(3, 5, 7), heading="热门评测")]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "nested")), top, main, side, [footer(ctx)]))


@template("struct-gallery", "structured")
def struct_gallery(ctx: Ctx) -> str:
    """A gallery page: picture counter and thumbnails strip (nav) around the article."""
    counter = t("div", f"1/{ctx.rng.randint(5, 12)}  上一张 下一张  查看原图", "nav")
    strip = el("div", ul([a(f"图{i}") for i in range(1, ctx.rng.randint(5, 9))], tag="ol"), "nav")
    top = [site_head(ctx)]
    main = [counter, article(ctx), strip, related(ctx, ctx.n(3, 5, 8), heading="更多图集")]
    return page(ctx.art.title, skeleton(ctx, "divs", top, main, [hot_list(ctx, 6, 1)], [footer(ctx, 3)]))


@template("struct-review", "structured")
def struct_review(ctx: Ctx) -> str:
    """A shopping-guide site: buy buttons of third-party shops beside the review are spam."""
    buy = el("div", "".join(t("p", x) for x in ctx.pick("spam2.ecommerce_rows", 3)), "spam")
    top = [site_head(ctx), breadcrumb(ctx)]
    main = [article(ctx), buy, share(ctx), comments(ctx, ctx.n(2, 5, 8))]
    side = [related(ctx, ctx.n(4, 6, 8), heading="值得买")]
    return page(
        ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "html5", "table3")), top, main, side, [footer(ctx)])
    )


@template("struct-health", "structured|health")
def struct_health(ctx: Ctx) -> str:
    """A health/news channel hemmed in by hospital and pharmacy ads (spam)."""
    top = [site_head(ctx), ad_unit(ctx, "misc.portal_ads", 1)]
    main = [article(ctx), ad_unit(ctx, "spam.medical_ads", ctx.n(1, 2, 3)), related(ctx, ctx.n(3, 5, 8))]
    side = [
        hot_list(ctx, ctx.n(4, 7, 9), ctx.rng.randint(1, 2)),
        el("div", ul([a(x) for x in ctx.pick("misc.portal_ads", 3)]), "spam"),
    ]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "side-first")), top, main, side, [footer(ctx)]))
