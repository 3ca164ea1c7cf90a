"""Government sites: a county site with its township list (region) and notices, court
notices, procurement notices and police bulletins.  Notice lists of other documents are
links; the signature block at the end of a notice belongs to the notice (body).
"""

from __future__ import annotations

from markup import a, el, esc, page, t, table, ul

from templates import template
from templates.common import Ctx, body_blocks, breadcrumb, share
from templates.layouts import pick_shape, skeleton


def gov_head(ctx: Ctx, menu: str) -> str:
    name = t("div", ctx.site, "nav", cls="logo")
    bar = el("div", " ".join(a(x) for x in ("无障碍", "长者模式", "繁體")), "chrome")
    items = el("div", " ".join(a(x) for x in ctx.pick(menu, ctx.rng.randint(6, 10))), "nav")
    search = el("form", t("button", "搜索"), "nav")
    return "\n".join([bar, name, items, search])


def gov_foot(ctx: Ctx) -> str:
    return el("div", "\n".join(t("p", x) for x in ctx.pick("misc.gov_footer", ctx.rng.randint(3, 6))), "chrome")


def gov_bottom(ctx: Ctx) -> list[str]:
    return [notice_list(ctx, "相关文件", ctx.n(2, 4, 6)), gov_foot(ctx)]


def notice_article(ctx: Ctx) -> str:
    """The notice: headline, publishing facts (meta), text (body), font and print tools."""
    source = ctx.art.meta.get("source", ctx.site)
    facts = f"发布时间：{ctx.pools.date()}  来源：{source}  浏览次数：{ctx.rng.randint(20, 5000)}"
    tools = el("div", " ".join(t("span", x) for x in ("【字体：大 中 小】", "【打印】", "【关闭】")), "chrome")
    return "\n".join(
        [t("h1", ctx.art.title, "title"), t("div", facts, "meta"), tools, el("div", body_blocks(ctx, ctx.art), "body")]
    )


def notice_list(ctx: Ctx, heading: str, n: int) -> str:
    rows = [a(x, ctx.url()) + " " + t("span", ctx.pools.date()) for x in ctx.pick("misc.gov_notice_titles", n)]
    return el("div", t("h3", heading) + ul(rows), "links")


def townships(ctx: Ctx, inline: bool) -> str:
    names = ctx.pick("misc.townships", ctx.rng.randint(8, 15))
    head = t("h4", ctx.rng.choice(["乡镇街道", "乡镇导航", "镇街之窗"]))
    body = " ".join(a(x) for x in names) if inline else ul([a(x) for x in names])
    return el("div", head + body, "region")


@template("gov-county", "gov|notice")
def gov_county(ctx: Ctx) -> str:
    ctx.pools.site = ctx.one("misc.county_names") + "人民政府"
    top = [gov_head(ctx, "misc.gov_services"), breadcrumb(ctx)]
    main = [notice_article(ctx), share(ctx)]
    side = [townships(ctx, ctx.chance(0.5)), notice_list(ctx, "通知公告", ctx.n(3, 6, 8))]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("divs", "side-first", "table2")),
            top,
            main,
            side,
            gov_bottom(ctx),
        ),
    )


@template("gov-city-table", "gov|local")
def gov_city_table(ctx: Ctx) -> str:
    """A city government site in tables with a list of its districts and counties."""
    cities = el(
        "div",
        t("h4", "区县导航") + " ".join(a(x) for x in ctx.pick("region.districts", ctx.rng.randint(6, 12))),
        "region",
    )
    top = [gov_head(ctx, "nav.gov_menus")]
    main = [breadcrumb(ctx), notice_article(ctx)]
    side = [cities, notice_list(ctx, "政务要闻", ctx.n(3, 5, 8))]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("table2", "table3")),
            top,
            main,
            side,
            gov_bottom(ctx),
        ),
    )


@template("gov-court", "notice")
def gov_court(ctx: Ctx) -> str:
    ctx.pools.site = ctx.rng.choice(["青峦市中级人民法院", "南溪县人民法院", "滨海市北岭区人民法院"])
    top = [gov_head(ctx, "misc.court_menus"), breadcrumb(ctx)]
    main = [notice_article(ctx)]
    side = [
        notice_list(ctx, "开庭公告", ctx.n(3, 5, 7)),
        el("div", t("p", "诉讼服务热线：12368") + t("p", "扫码关注官方微信"), "chrome"),
    ]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("divs", "html5")),
            top,
            main,
            side,
            gov_bottom(ctx),
        ),
    )


@template("gov-tender", "notice")
def gov_tender(ctx: Ctx) -> str:
    """A procurement site: a facts table of the project above the notice (body)."""
    ctx.pools.site = ctx.rng.choice(["南溪县公共资源交易中心", "青峦市政府采购网", "石门县公共资源交易网"])
    facts = table(
        [
            ["项目编号", f"CG-{ctx.pools.year}-{ctx.rng.randint(100, 999)}"],
            ["采购方式", "竞争性磋商"],
            ["公告类型", "采购公告"],
        ],
        "body",
        header=False,
        border="1",
    )
    top = [gov_head(ctx, "misc.tender_menus"), breadcrumb(ctx)]
    main = [notice_article(ctx), facts, t("p", "附件：磋商文件.doc", "body")]
    side = [notice_list(ctx, "最新公告", ctx.n(4, 6, 9))]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("divs", "table2")),
            top,
            main,
            side,
            gov_bottom(ctx),
        ),
    )


@template("gov-police", "notice")
def gov_police(ctx: Ctx) -> str:
    ctx.pools.site = ctx.rng.choice(["滨海市公安局", "青峦市公安局", "南溪县公安局"])
    top = [gov_head(ctx, "misc.police_menus")]
    main = [breadcrumb(ctx), notice_article(ctx)]
    side = [
        notice_list(ctx, "警情通报", ctx.n(3, 5, 7)),
        el("div", esc("报警电话：110  举报邮箱：") + a("jubao@police"), "chrome"),
    ]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("side-first", "divs")),
            top,
            main,
            side,
            gov_bottom(ctx),
        ),
    )
