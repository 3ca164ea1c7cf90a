"""Blogs and self-media columns: WeChat-style posts (short lines, `[图片]` placeholders,
follow prompts, 阅读原文 / 在看 bars), self-media platform columns and personal blogs.
"""

from __future__ import annotations

from markup import a, el, esc, page, t, ul

from templates import template
from templates.common import Ctx, body_blocks, comments, footer, related, share, tags
from templates.layouts import pick_shape, skeleton


def wechat_byline(ctx: Ctx) -> str:
    art = ctx.art
    src = art.meta.get("source", ctx.site)
    who = art.meta.get("author", "")
    return el("div", t("span", who) + " " + a(src) + " " + t("span", f"{ctx.pools.date()} {ctx.pools.time()}"), "meta")


@template("wechat-mp", "wechat|selfmedia")
def wechat_mp(ctx: Ctx) -> str:
    """An official-account post: follow prompt on top (chrome), the post, end bar (chrome)."""
    src = ctx.art.meta.get("source", ctx.site)
    ctx.pools.site = src
    top = t("p", ctx.one("misc.wechat_top"), "chrome")
    text = el("div", body_blocks(ctx, ctx.art, wechat=True), "body", id="js_content")
    end = el("div", "\n".join(t("p", x) for x in ctx.pick("misc.wechat_end", ctx.rng.randint(3, 6))), "chrome")
    rec = el(
        "div",
        t("p", ctx.one("misc.wechat_recommend")) + ul([a(h) for h in ctx.pick("links.headlines", ctx.n(2, 3, 5))]),
        "links",
    )
    parts = [t("h1", ctx.art.title, "title"), wechat_byline(ctx), top, text]
    if ctx.chance(0.5):
        parts.append(
            t("p", f"文字：{ctx.art.meta.get('author', '小编')}  编辑：{ctx.one('meta.person_names')}", "meta")
        )
    parts += [rec, end, t("p", f"阅读 {ctx.rng.randint(200, 99999)}", "meta")]
    if ctx.chance(0.7):
        parts.append(comments(ctx, ctx.n(2, 4, 8)))
    return page(ctx.art.title, "\n".join(parts))


@template("selfmedia-column", "selfmedia|wechat|ent|finance")
def selfmedia_column(ctx: Ctx) -> str:
    """A self-media platform column: author card, follow button, feed of the author's posts."""
    author = ctx.art.meta.get("source", ctx.one("meta.person_names"))
    card = el(
        "div",
        t("span", author) + " " + t("span", "+关注", "chrome") + t("p", f"{ctx.rng.randint(1, 900)}万粉丝"),
        "meta",
    )
    head = el("div", t("span", ctx.site) + " " + " ".join(a(x) for x in ctx.pick("nav.channels", 6)), "nav")
    text = el("div", body_blocks(ctx, ctx.art, wechat=ctx.chance(0.5)), "body")
    notice = t("p", ctx.one("chrome.rights_notices"), "chrome")
    main = [
        t("h1", ctx.art.title, "title"),
        card,
        text,
        notice,
        share(ctx),
        related(ctx, ctx.n(3, 6, 9), heading="作者最新文章"),
    ]
    side = [related(ctx, ctx.n(3, 5, 8), heading="热门推荐")]
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "html5")), [head], main, side, [footer(ctx, 2)]))


def blog_sidebar(ctx: Ctx) -> list[str]:
    months = [f"{ctx.pools.year}年{m}月" for m in sorted(ctx.rng.sample(range(1, 13), 5))]
    cats = ctx.pick("nav.channels", 5)
    return [
        el("div", t("h4", "文章归档") + ul([a(m) for m in months]), "nav"),
        el("div", t("h4", "分类") + ul([a(c) for c in cats]), "nav"),
        el("div", t("h4", "最新文章") + ul([a(h) for h in ctx.pick("links.headlines", 5)]), "links"),
        el("div", t("h4", "博主简介") + t("p", f"{ctx.one('meta.person_names')}，喜欢读书和旅行。"), "chrome"),
    ]


@template("blog-classic", "blog|selfmedia")
def blog_classic(ctx: Ctx) -> str:
    """A personal blog: sidebar of archives and categories before or after the post."""
    head = el("div", t("h2", f"{ctx.one('meta.person_names')}的博客") + t("p", "记录生活，分享点滴"), "nav")
    menu = el("div", " | ".join(a(x) for x in ("首页", "博文目录", "图片", "关于我")), "nav")
    main = [
        t("h1", ctx.art.title, "title"),
        t("div", f"{ctx.pools.date()} {ctx.pools.time()} 阅读({ctx.rng.randint(3, 9000)})", "meta"),
        el("div", body_blocks(ctx, ctx.art, br=ctx.chance(0.3)), "body"),
        tags(ctx),
        el("div", t("span", "上一篇：", "nav") + a(ctx.one("links.headlines"), label="links")),
        comments(ctx, ctx.n(1, 3, 6)),
    ]
    return page(
        ctx.art.title,
        skeleton(
            ctx,
            pick_shape(ctx, ("divs", "side-first", "table2")),
            [head, menu],
            main,
            blog_sidebar(ctx),
            [footer(ctx, 2)],
        ),
    )


def toc(ctx: Ctx) -> str:
    """文章目录: the article's own subheadings, as navigation."""
    heads = [x for k, x in ctx.art.blocks if k == "h"] or [ctx.art.title]
    return el(
        "div",
        t("p", ctx.rng.choice(["文章目录", "目录"])) + ul([a(h, "#" + str(i)) for i, h in enumerate(heads)], tag="ol"),
        "nav",
        cls="toc",
    )


@template("blog-tech", "tech|structured")
def blog_tech(ctx: Ctx) -> str:
    """A tech blog: table of contents (nav), code blocks in the post, tag list (meta)."""
    head = el("div", esc(ctx.site) + " " + " ".join(a(x) for x in ("首页", "归档", "标签", "关于", "RSS")), "nav")
    main = [
        t("h1", ctx.art.title, "title"),
        t("p", f"发布于 {ctx.pools.date()} · 作者 {ctx.art.meta.get('author', ctx.one('meta.person_names'))}", "meta"),
        toc(ctx),
        el("div", body_blocks(ctx, ctx.art), "body"),
        tags(ctx),
        share(ctx),
        related(ctx, ctx.n(3, 5, 6), heading="相关文章"),
        comments(ctx, ctx.n(0, 3, 5)),
    ]
    side = [toc(ctx)] if ctx.chance(0.3) else []
    return page(ctx.art.title, skeleton(ctx, pick_shape(ctx, ("html5", "divs")), [head], main, side, [footer(ctx, 2)]))
