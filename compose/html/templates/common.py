"""Blocks shared by the site templates: menus, bylines, the article, link walls, footers.

Each function returns an HTML fragment with its role on the outermost element (and on
the exceptions inside, such as a sponsored entry in a hot list), following LABELS.md.
Templates vary the tags and nesting through the `style` arguments so the same role
comes out of several HTML shapes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from content import Article, Pools
from markup import a, el, esc, img, t, table, ul


@dataclass
class Ctx:
    """One page being written: its random source, text pools, site identity and article."""

    rng: random.Random
    pools: Pools
    art: Article
    size: int = 2  # see `n`: the builder shrinks a page that renders too long and grows a short one
    used: set[str] = field(default_factory=set)

    @property
    def site(self) -> str:
        return self.pools.site

    def n(self, short: int, normal: int, long: int) -> int:
        """A count scaled by the page size (0 tiny ... 4 huge; templates give the middle three)."""
        return (max(1, short // 2), short, normal, long, long * 2)[self.size]

    def pick(self, name: str, k: int = 1) -> list[str]:
        return self.pools.pick(name, k)

    def one(self, name: str) -> str:
        return self.pools.one(name)

    def url(self) -> str:
        return self.pools.url()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def w(self, simp: str, trad: str) -> str:
        """A fixed word in the site's script."""
        return trad if self.pools.trad else simp


def menu(ctx: Ctx, items: list[str], label: str = "nav", inline: bool = False, sep: str = " | ", **kw: str) -> str:
    """A menu: inline links joined by `sep` (one rendered line) or a `<ul>`."""
    links = [a(x, f"/{i}/") for i, x in enumerate(items)]
    if inline:
        return el("div", esc(sep).join(links), label, **kw)
    return ul(links, label, **kw)


def channels(ctx: Ctx, k: int = 10, inline: bool | None = None) -> str:
    inline = ctx.chance(0.5) if inline is None else inline
    return menu(ctx, ctx.pick("nav.channels", k), inline=inline, sep=ctx.rng.choice([" | ", " ", "  ", " · "]))


def site_head(ctx: Ctx) -> str:
    """Site name, top bar (login, date), channel menu and search box, in varied order."""
    parts = [t("div", ctx.site, "nav", cls="logo")]
    if ctx.chance(0.6):
        parts.append(el("div", " ".join(a(x) for x in ctx.pick("nav.nav_phrases", 3)), "nav", cls="topbar"))
    if ctx.chance(0.4):
        parts.append(t("div", ctx.one("nav.date_bars"), "nav"))
    parts.append(channels(ctx, ctx.rng.randint(6, 14)))
    if ctx.chance(0.5):
        parts.append(el("form", t("button", ctx.one("nav.search_boxes")), "nav"))
    if ctx.chance(0.3):
        parts.append(t("div", ctx.one("chrome.app_promos"), "chrome"))
    return el("header" if ctx.chance(0.5) else "div", "\n".join(parts), cls="head") + "\n"


def breadcrumb(ctx: Ctx) -> str:
    sep = ctx.rng.choice([" > ", " » ", " / ", " >> ", "-"])
    items = [ctx.site, *ctx.pick("nav.channels", ctx.rng.randint(1, 2))]
    if ctx.chance(0.3):
        items.append("正文")
    prefix = ctx.one("nav.breadcrumb_prefixes") if ctx.chance(0.5) else ""
    return el("div", esc(prefix) + esc(sep).join(a(x) for x in items), "nav", cls="crumb") + "\n"


def byline(ctx: Ctx, style: int | None = None) -> str:
    """This article's facts (source, author, time, views): meta."""
    art, style = ctx.art, ctx.rng.randint(0, 3) if style is None else style
    date = art.meta.get("date") or f"{ctx.pools.date()} {ctx.pools.time()}"
    src = art.meta.get("source") or ctx.one("meta.sources")
    fields = [f"{ctx.w('来源', '來源')}：{src}", f"{date}"]
    if art.meta.get("author"):
        fields.append(f"作者：{art.meta['author']}")
    if ctx.chance(0.5):
        fields.append(f"{ctx.w('阅读数', '瀏覽數')}：{ctx.rng.randint(100, 99999)}")
    if style == 0:
        return t("div", "  ".join(fields), "meta", cls="info") + "\n"
    if style == 1:
        return el("div", "".join(t("span", f) for f in fields), "meta") + "\n"
    if style == 2:
        return el("p", " | ".join(esc(f) for f in fields), "meta") + "\n"
    return ul([esc(f) for f in fields], "meta", cls="info") + "\n"


def editor_line(ctx: Ctx) -> str:
    name = ctx.art.meta.get("editor") or ctx.one("meta.person_names")
    if ctx.pools.trad:
        return t("p", ctx.one("trad.editor_lines"), "meta")
    return t("p", ctx.rng.choice([f"责任编辑：{name}", f"编辑：{name}", f"（编辑：{name}）", f"编辑/{name}"]), "meta")


def body_blocks(ctx: Ctx, art: Article, wechat: bool = False, br: bool = False) -> str:
    """The article text as HTML; `br` writes old-style `<br><br>` paragraphs in one div."""
    if br:
        return el("div", "<br><br>\n".join(esc(x) for k, x in art.blocks if k in ("p", "h", "quote")), "body")
    out = []
    for kind, text in art.blocks:
        out.append(_block(ctx, kind, text, wechat))
    return "\n".join(out)


def _block(ctx: Ctx, kind: str, text: str, wechat: bool) -> str:
    if kind == "h":
        return t(ctx.rng.choice(["h2", "h3"]), text) if not wechat else el("p", el("strong", esc(text)))
    if kind == "img":
        pic = (
            t("p", "[图片]") if wechat else img(f"/upload/{ctx.rng.randint(1000, 9999)}/p{ctx.rng.randint(10, 99)}.jpg")
        )
        credit = "meta" if text.startswith(("图片来源", "圖片來源")) else None  # a credit line, not a caption
        if credit:
            return pic + "\n" + t("p", text, credit)
        return el("figure", pic + t("figcaption", text)) if ctx.chance(0.6) else pic + "\n" + t("p", text)
    if kind == "quote":
        return el("blockquote", t("p", text))
    if kind in ("ul", "ol"):
        return ul([esc(x) for x in text.split("\n")], tag=kind)
    if kind == "table":
        return table([row.split(" | ") for row in text.split("\n")], border="1")
    if kind == "code":
        return el("pre", el("code", esc(text)))
    return t("p", text)


def article(ctx: Ctx, h1: str = "h1", meta_first: bool | None = None, br: bool = False) -> str:
    """Headline, byline and text of this page's article."""
    art = ctx.art
    head = t(h1, art.title, "title")
    if art.meta.get("subtitle"):
        head += "\n" + t("h2", art.meta["subtitle"], "title")
    by = byline(ctx)
    text = body_blocks(ctx, art, br=br)
    meta_first = ctx.chance(0.8) if meta_first is None else meta_first
    parts = [head, by, el("div", text, "body", cls="content")] if meta_first else [head, el("div", text, "body"), by]
    if ctx.chance(0.6):
        parts.append(editor_line(ctx))
    return "\n".join(parts) + "\n"


def tags(ctx: Ctx) -> str:
    words = ctx.pick("meta.tags", ctx.rng.randint(2, 5))
    return el(
        "div",
        esc(ctx.rng.choice(["标签：", "关键词：", "Tags: ", "相关标签 "])) + " ".join(a(w) for w in words),
        "meta",
    )


def share(ctx: Ctx) -> str:
    return el("div", " ".join(t("span", x) for x in ctx.pick("chrome.share_widgets", ctx.rng.randint(2, 5))), "chrome")


def related(ctx: Ctx, n: int | None = None, heading: str | None = None, teasers: bool = False) -> str:
    """A wall of other articles (links), optionally with teaser text under each headline."""
    n = n or ctx.rng.randint(4, 9)
    head = heading or ctx.one("links.block_headings")
    items = []
    for h in ctx.pick("links.headlines", n):
        item = a(h, ctx.url())
        if teasers and ctx.chance(0.6):
            item += t("p", ctx.one("links.teasers"))
        if ctx.chance(0.3):
            item += " " + t("span", ctx.pools.date())
        items.append(item)
    return el("div", t("h3", head) + "\n" + ul(items), "links", cls="related") + "\n"


def hot_list(ctx: Ctx, n: int = 8, promoted: int = 1) -> str:
    """A ranked hot list; `promoted` entries are third-party ads (spam) among real headlines."""
    items = [a(h, ctx.url()) for h in ctx.pick("links.headlines", n)]
    for _ in range(promoted):
        ad = el("a", esc(ctx.one("spam2.ad_unit_titles")) + t("span", "广告"), "spam", href="https://ad.example.net/c")
        items.insert(ctx.rng.randint(1, len(items)), ad)
    return el(
        "div", t("h3", ctx.rng.choice(["热榜", "24小时热门", "排行榜", "热点排行"])) + ul(items, tag="ol"), "links"
    )


def ad_unit(ctx: Ctx, kind: str = "spam.medical_ads", n: int = 1) -> str:
    """A third-party ad block: spam, with its `广告` marker."""
    lines = "".join(t("p", x) for x in ctx.pick(kind, n))
    return el("div", lines + t("span", ctx.rng.choice(["广告", "推广", "AD"])), "spam", cls="ad")


def ad_slot(ctx: Ctx) -> str:
    """An empty ad slot of the site itself: chrome."""
    return t("div", ctx.one("chrome.ad_slots"), "chrome", cls="adslot")


def comments(ctx: Ctx, n: int) -> str:
    """Reader comments with names, times and vote buttons: chrome, header included."""
    rows = [t("h3", ctx.one("chrome.comment_headers"))]
    for _ in range(n):
        who = ctx.one("chrome.comment_users")
        rows.append(
            el(
                "div",
                t("span", who)
                + " "
                + t("span", f"{ctx.pools.date()} {ctx.pools.time()}")
                + t("p", ctx.one("chrome.comments"))
                + t("span", f"赞({ctx.rng.randint(0, 300)})")
                + " "
                + t("span", "回复"),
                cls="cmt",
            )
        )
    return el("div", "\n".join(rows), "chrome", cls="comments") + "\n"


def footer(ctx: Ctx, k: int = 4) -> str:
    lines = ctx.pick("chrome.footer_templates", k)
    about = " | ".join(a(x) for x in ctx.pick("chrome.about_links", ctx.rng.randint(3, 6)))
    parts = [el("div", about), *(t("p", x) for x in lines)]
    return el("footer" if ctx.chance(0.5) else "div", "\n".join(parts), "chrome", cls="foot") + "\n"


def friend_links(ctx: Ctx) -> str:
    names = ctx.pick("links.friend_links", ctx.rng.randint(5, 10))
    return el("div", t("h4", "友情链接") + " ".join(a(x, "https://" + str(i)) for i, x in enumerate(names)), "links")


def regions(ctx: Ctx, k: int = 12, inline: bool | None = None) -> str:
    """A province list used as navigation (region)."""
    items = ctx.pick("region.provinces_trad" if ctx.pools.trad else "region.provinces", k)
    inline = ctx.chance(0.5) if inline is None else inline
    return menu(ctx, items, label="region", inline=inline, sep=" ")


def prev_next(ctx: Ctx) -> str:
    heads = ctx.pick("links.headlines", 2)
    rows = [el("p", t("span", m, "nav") + a(h, ctx.url(), "links")) for m, h in zip(("上一篇：", "下一篇："), heads)]
    return el("div", "\n".join(rows)) + "\n"


def pagination(ctx: Ctx) -> str:
    pages = ["上一页", *[str(i) for i in range(1, ctx.rng.randint(4, 8))], "下一页"]
    return el("div", " ".join(a(x) for x in pages), "nav", cls="pages")
