"""The site around the article: menus, bars, breadcrumbs, widgets, comments and the footer."""

from __future__ import annotations

from blocks import Block, PageBase
from sources import pool


class Furniture(PageBase):
    def channel_menu(self, k: int | None = None) -> Block:
        items = self.channels[: k or len(self.channels)]
        if self.rng.random() < 0.5:
            items = [self.rng.choice(["首页", "网站首页", "首 页", "Home", "首頁" if self.trad else "首页"])] + items
        return Block("menu", [("nav", x) for x in items])

    def top_bar(self) -> list[Block]:
        rng = self.rng
        out = []
        if rng.random() < 0.5:
            out.append(Block("lines", [("nav", self.fill(rng.choice(pool("date_bars"))))]))
        if rng.random() < 0.6:
            out.append(Block("menu", [("nav", x) for x in self.pick("nav_phrases", rng.randint(2, 7))]))
        if rng.random() < 0.3:
            out.append(Block("menu", [("nav", x) for x in self.pick("sister_sites", rng.randint(3, 12))]))
        if rng.random() < 0.25:
            out.append(Block("menu", [("nav", x) for x in self.pick("lang_switches", rng.randint(1, 3))]))
        if rng.random() < 0.3:
            out.append(Block("lines", [("chrome", rng.choice(pool("app_promos")))]))
        return out

    def site_name(self) -> Block:
        rng = self.rng
        name = self.site
        if rng.random() < 0.3:
            name = rng.choice(
                [
                    f"[logo] {name}",
                    f"[{self.domain}]",
                    f"{name} {self.domain}",
                    "[LOGO]",
                    f"![{name}](http://{self.domain}/logo.png)",
                ]
            )
        return Block("lines", [("nav", name)])

    def region_block(self) -> Block:
        rng = self.rng
        src = "provinces_trad" if self.trad else rng.choice(["provinces", "provinces", "cities", "districts"])
        places = self.pick(src, rng.randint(6, 34))
        items = [("region", x) for x in places]
        if rng.random() < 0.5:
            items.insert(0, ("region", rng.choice(pool("region_headings"))))
        return Block("menu", items, {"region": True})

    def breadcrumb(self) -> Block:
        rng = self.rng
        sep = rng.choice(pool("breadcrumb_separators", [">"]))
        sep = sep if rng.random() < 0.3 else f" {sep.strip()} "
        parts = [rng.choice([self.site, "首页", "网站首页"])] + rng.sample(
            self.channels, min(rng.randint(1, 3), len(self.channels))
        )
        tail = rng.choice(["正文", self.article.title, "", "内容", "正文内容"])
        if tail:
            parts.append(tail)
        prefix = rng.choice(pool("breadcrumb_prefixes", ["当前位置："])) if rng.random() < 0.5 else ""
        return Block("lines", [("nav", prefix + sep.join(parts))], {"breadcrumb": True})

    def search_box(self) -> Block:
        return Block("lines", [("nav", self.rng.choice(pool("search_boxes")))])

    def widgets(self) -> Block:
        rng = self.rng
        src = rng.choice(["share_widgets", "page_widgets"])
        items = self.pick(src, rng.randint(1, 6))
        if rng.random() < 0.5:
            return Block("menu", [("chrome", x) for x in items])
        return Block("lines", [("chrome", x) for x in items[:2]])

    def gov_menu(self) -> Block:
        return Block("menu", [("nav", x) for x in self.pick("gov_menus", self.rng.randint(5, 20))])

    def footer(self) -> list[Block]:
        rng = self.rng
        out = []
        if rng.random() < 0.6:
            out.append(Block("menu", [("chrome", x) for x in self.pick("about_links", rng.randint(3, 8))]))
        lines = [("chrome", self.fill(t)) for t in self.pick("footer_templates", rng.randint(2, 7))]
        for _ in range(rng.randint(0, 2)):
            lines.insert(
                rng.randint(0, len(lines)), ("chrome", self.fill(rng.choice(pool("qr_prompts") + pool("tip_prompts"))))
            )
        out.append(Block("lines", lines))
        return out

    def friend_links(self) -> Block:
        rng = self.rng
        head = rng.choice(
            ["友情链接", "友情链接：", "合作媒体", "兄弟网站", "友情鏈接", "合作伙伴", "相关网站", "媒体链接"]
        )
        items = [("links", x) for x in self.pick("friend_links", rng.randint(5, 30))]
        if self.kind == "hijacked" and rng.random() < 0.7:
            for _ in range(rng.randint(1, 5)):
                items.insert(rng.randint(0, len(items)), ("spam", rng.choice(pool("casino_promos"))))
        return Block("menu", [("links", head)] + items, {"friend": True})

    def misc_chrome(self) -> Block:
        return Block("lines", [("chrome", self.fill(x)) for x in self.pick("misc", self.rng.randint(1, 3))])

    def comments(self) -> Block:
        rng = self.rng
        items = [("chrome", self.fill(x)) for x in self.pick("comment_headers", rng.randint(1, 3))]
        tail_style = rng.random()
        for _ in range(rng.randint(2, 14)):
            if rng.random() < 0.7:
                items.append(("chrome", self.fill(rng.choice(pool("comment_users")))))
            items.append(("chrome", rng.choice(pool("comments"))))
            if tail_style < 0.5:
                items.append(
                    (
                        "chrome",
                        rng.choice(
                            [
                                f"{rng.randint(1, 23)}小时前",
                                f"{rng.randint(1, 59)}分钟前",
                                f"{self.date} {self.time}",
                                f"回复 举报 赞({rng.randint(0, 999)})",
                                f"顶[{rng.randint(0, 99)}]",
                                "回复",
                                f"{rng.randint(1, 999)}",
                            ]
                        ),
                    )
                )
        return Block("lines", items)
