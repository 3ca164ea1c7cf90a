"""Forum threads: the opening post is the article (subject `title`, text `body`); replies
of other users, with names, floors, quotes, signatures and buttons, are `chrome`.
"""

from __future__ import annotations

from markup import a, el, esc, page, t, ul

from templates import template
from templates.common import Ctx, footer, pagination
from templates.layouts import pick_shape, skeleton

FLOORS = ["沙发", "板凳", "地板", "地下室"]


def forum_head(ctx: Ctx) -> str:
    """Forum name, menu and board breadcrumb; called first, it also names the site."""
    ctx.pools.site = ctx.one("forum.forum_names")
    name = t("div", ctx.site, "nav", cls="logo")
    menu = el("div", " ".join(a(x) for x in ctx.pick("forum.forum_nav", ctx.rng.randint(5, 9))), "nav")
    board = ctx.one("forum.boards")
    crumb = el("div", " › ".join(a(x) for x in [ctx.site, "论坛", board]) + " › " + esc(ctx.art.title[:12]), "nav")
    return "\n".join([name, menu, crumb])


def op_post(ctx: Ctx, table: bool) -> str:
    """The opening post: subject, the author's byline (meta), the text (body)."""
    user = ctx.one("forum.users")
    by = el("div", t("span", user) + " " + t("span", ctx.one("forum.post_times")), "meta")
    stat = ctx.one("forum.thread_stats")
    stats = t("div", stat, "meta" if "查看" in stat else "chrome")  # this thread's counts; a 楼主 or copy tag
    body_html = "\n".join(_op_block(ctx, k, x) for k, x in ctx.art.blocks)
    body = el("div", body_html, "body", cls="t_f")
    tools = el("div", " ".join(t("span", x) for x in ctx.pick("forum.thread_tools", 4)), "chrome")
    if table:
        info = el("td", t("p", user) + t("p", ctx.one("forum.user_stats")), "chrome", width="160", valign="top")
        post = el("td", t("h1", ctx.art.title, "title") + by + body + tools)
        return stats + "\n" + el("table", el("tr", info + post), cls="plhin")
    return "\n".join([t("h1", ctx.art.title, "title"), stats, by, body, tools])


def _op_block(ctx: Ctx, kind: str, text: str) -> str:
    if kind == "img":
        return el("p", el("img", src=f"/attachment/{ctx.rng.randint(100, 999)}.jpg", alt="") + esc(text))
    if kind == "h":
        return el("p", el("strong", esc(text)))
    return t("p", text) if ctx.chance(0.7) else esc(text) + "<br>"


def reply(ctx: Ctx, floor: str, table: bool) -> str:
    """One reply of another user: every part of it is chrome."""
    user = ctx.one("forum.users")
    parts = [t("span", floor), t("span", user), t("span", ctx.one("forum.post_times"))]
    if ctx.chance(0.25):
        parts.append(el("blockquote", t("p", ctx.one("forum.quotes")) + t("p", ctx.one("forum.replies"))))
    parts.append(t("div", ctx.one("forum.replies")))
    if ctx.chance(0.4):
        parts.append(t("div", ctx.one("forum.signatures"), cls="sign"))
    parts.append(el("div", " ".join(a(x) for x in ctx.pick("forum.post_buttons", ctx.rng.randint(2, 4)))))
    if table:
        info = el("td", t("p", user) + t("p", ctx.one("forum.user_stats")), width="160")
        return el("table", el("tr", info + el("td", "\n".join(parts))), "chrome")
    return el("div", "\n".join(parts), "chrome", cls="reply")


def replies(ctx: Ctx, n: int, table: bool) -> list[str]:
    names = FLOORS + [f"{i}楼" for i in range(6, 60)]
    return [reply(ctx, names[i] if ctx.chance(0.8) else f"#{i + 2}", table) for i in range(n)]


def forum_foot(ctx: Ctx) -> str:
    return el("div", "\n".join(t("p", x) for x in ctx.pick("forum.forum_footer", 4)), "chrome")


def hot_threads(ctx: Ctx) -> str:
    items = [a(x, ctx.url()) for x in ctx.pick("forum.hot_threads", ctx.rng.randint(4, 8))]
    return el("div", t("h3", ctx.rng.choice(["热门帖子", "本版热帖", "推荐阅读"])) + ul(items), "links")


@template("forum-discuz", "forum")
def forum_discuz(ctx: Ctx) -> str:
    """Table-per-post layout: user panel on the left of every post."""
    body = [
        forum_head(ctx),
        el("div", t("span", "发新帖") + " " + t("span", "回复"), "chrome"),
        op_post(ctx, True),
        *replies(ctx, ctx.n(3, 6, 12), True),
        pagination(ctx),
        hot_threads(ctx),
        forum_foot(ctx),
    ]
    return page(f"{ctx.art.title} - {ctx.site}", "\n".join(body))


@template("forum-tieba", "forum")
def forum_tieba(ctx: Ctx) -> str:
    """A list-style thread: floors, 只看楼主, a side column of hot threads."""
    top = [forum_head(ctx)]
    main = [op_post(ctx, False), *replies(ctx, ctx.n(3, 7, 14), False), pagination(ctx)]
    side = [hot_threads(ctx), el("div", t("p", f"{ctx.site}APP") + t("p", "扫码下载"), "chrome")]
    return page(
        ctx.art.title, skeleton(ctx, pick_shape(ctx, ("divs", "side-first")), top, main, side, [forum_foot(ctx)])
    )


@template("forum-oldbbs", "forum")
def forum_oldbbs(ctx: Ctx) -> str:
    """An old BBS: everything in nested tables, the replies as table rows."""
    top = [forum_head(ctx)]
    main = [op_post(ctx, True), *replies(ctx, ctx.n(2, 5, 10), True)]
    side = [hot_threads(ctx), el("div", t("p", ctx.one("spam.casino_promos")), "spam")]
    return page(ctx.art.title, skeleton(ctx, "table2", top, main, side, [footer(ctx, 3)]))


@template("forum-mobile", "forum")
def forum_mobile(ctx: Ctx) -> str:
    """A mobile thread page: semantic HTML, replies in an ordered list, app prompt."""
    app = t("div", f"打开{ctx.site}APP，查看更多精彩回复", "chrome")
    reps = el("ol", "\n".join(el("li", r) for r in replies(ctx, ctx.n(3, 8, 14), False)))
    more = t("div", f"查看全部{ctx.rng.randint(20, 300)}条回复", "chrome")
    body = [
        t("header", ctx.site, "nav"),
        el("article", op_post(ctx, False)),
        app,
        reps,
        more,
        hot_threads(ctx),
        forum_foot(ctx),
    ]
    return page(ctx.art.title, "\n".join(body))
