"""A whole composed page: the block makers of the mixins, laid out in a varied order."""

from __future__ import annotations

from blocks import Block
from furniture import Furniture
from lists import Lists
from sources import pool
from story import Story


class Page(Furniture, Story, Lists):
    """A random site around one article; :meth:`layout` gives its blocks, top to bottom."""

    def layout(self) -> list[Block]:
        head = self._head()
        art = self._article()
        self._title_echoes(head, art)
        tail = self._tail()
        # some sites put a sidebar (links) between head and article, or after the title
        if self.rng.random() < 0.2:
            head.append(self.link_list())
        return head + art + tail

    def _head(self) -> list[Block]:
        """Bars, the site's name, menus, regions and the breadcrumb above the article."""
        rng = self.rng
        k = self.kind
        head: list[Block] = []
        head += self.top_bar()
        head.append(self.site_name())
        if rng.random() < 0.4:
            head.append(self.search_box())
        n_menus = rng.choice([1, 1, 2, 2, 3])
        for _ in range(n_menus):
            head.append(self.channel_menu(rng.randint(4, len(self.channels))))
        if k == "gov":
            head.append(self.gov_menu())
        if k in ("local", "state", "gov", "portal") and rng.random() < 0.55 or rng.random() < 0.12:
            head.insert(rng.randint(0, len(head)), self.region_block())
        if rng.random() < 0.25:
            if k in ("hijacked", "vertical", "portal"):
                head.append(self.ad_unit())
            else:
                head.append(Block("lines", [("chrome", rng.choice(pool("ad_slots")))]))
        if rng.random() < 0.75:
            head.append(self.breadcrumb())
        return head

    def _article(self) -> list[Block]:
        """Title, meta and paragraphs, in one of three orders, with what sites print around them."""
        rng = self.rng
        k = self.kind
        art: list[Block] = []
        titles = self.title_block()
        meta = self.meta_block()
        if k == "gov" and rng.random() < 0.8:
            art.append(self.gov_table())
        order = rng.random()
        if order < 0.7:
            art += titles + [meta]
        elif order < 0.85:
            art += [meta] + titles
        else:
            art += titles
        if rng.random() < 0.4:
            art.append(self.widgets())
        if k == "selfmedia" and rng.random() < 0.8:
            source = ("meta", rng.choice(pool("feed_sources")))
            follow = [("chrome", x) for x in rng.sample(["关注", "+关注", "已关注", "私信", "举报", "粉丝"], 2)]
            art.append(Block("lines", [source, *follow]))
        art += self.body_blocks()
        if order >= 0.85:
            art.append(meta)
        if k == "selfmedia":
            actions = [
                "阅读原文",
                "点赞",
                "在看",
                "分享",
                "收藏",
                "赞赏",
                "留言",
                "举报",
                "写留言",
                "喜欢此内容的人还喜欢",
            ]
            art.append(Block("menu", [("chrome", x) for x in rng.sample(actions, rng.randint(2, 5))]))
        art += self.after_article()
        return art

    def _title_echoes(self, head: list[Block], art: list[Block]) -> None:
        """The headline again: a "now reading" bar, or the window title above everything."""
        rng = self.rng
        if rng.random() < 0.12:
            echo = (
                rng.choice(["正在阅读：", "正在阅读：", "当前文章：", "分享：", "您正在阅读：", ""])
                + self.article.title
            )
            (art if rng.random() < 0.5 else head).insert(0, Block("lines", [("title", echo)]))
        if rng.random() < 0.15:
            sep = rng.choice(["_", " - ", "|", " | ", "_新闻_"])
            head.insert(0, Block("lines", [("title", self.article.title + sep + self.site)]))

    def _tail(self) -> list[Block]:
        """Lists, feeds and comments below the article, friend links and the footer."""
        rng = self.rng
        k = self.kind
        tail: list[Block] = []
        makers = [
            self.link_list,
            self.link_list,
            self.teaser_feed,
            self.hot_rank,
            self.comments,
            self.video_block,
            self.misc_chrome,
        ]
        if k in ("hijacked", "blog", "oldtable") or rng.random() < 0.1:
            makers += [self.spam_block, self.spam_block]
        if k in ("vertical", "portal", "hijacked"):
            makers.append(self.ad_unit)
        for _ in range(rng.randint(1, 6)):
            tail.append(rng.choice(makers)())
        if rng.random() < 0.5:
            tail.append(self.friend_links())
        if rng.random() < 0.15:
            tail.append(self.region_block())
        tail += self.footer()
        if k == "hijacked" and rng.random() < 0.7:
            tail.append(self.seo_dump())
        return tail
