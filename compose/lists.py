"""Lists of other pages: related links, teaser feeds, rankings, videos, spam and ad units."""

from __future__ import annotations

from blocks import Block, PageBase
from sources import LISTS, pool


class Lists(PageBase):
    def link_list(self, heading: str | None = None, n: int | None = None) -> Block:
        rng = self.rng
        n = n or rng.randint(3, 14)
        heads = rng.sample(self.others, min(n, len(self.others)))
        suffixes = pool("list_suffixes", ["09-08"])
        style = rng.random()
        items = [("links", heading or rng.choice(pool("block_headings")))]
        for h in heads:
            if style < 0.3:
                h = h + rng.choice(["  ", " ", "\u3000"]) + self.fill(rng.choice(suffixes))
            elif style < 0.4:
                h = self.fill(rng.choice(suffixes)) + " " + h
            items.append(("links", h))
            if rng.random() < 0.12:
                items.append(("links", rng.choice(pool("teasers"))))
        if rng.random() < 0.3:
            items.append(("links", rng.choice(["更多>>", "更多", ">>更多", "查看更多", "More", "更多 >"])))
        return Block("lines", items, {"list": True})

    def teaser_feed(self) -> Block:
        rng = self.rng
        items = [("links", rng.choice(pool("block_headings")))]
        share = self.pick("share_widgets", 4)
        img_style = rng.choice(["code", "md", "mark", None, None])
        meta_style = rng.random()
        for h in rng.sample(self.others, min(rng.randint(3, 14), len(self.others))):
            if img_style and rng.random() < 0.8:
                items.append(("links", self.image_mark(img_style)))
            items.append(("links", h))
            if meta_style < 0.35:
                tags = "".join(self.pick("tags", rng.randint(1, 3)))
                when = rng.choice(
                    [
                        f"今天 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日 "
                        + f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                        f"{rng.randint(1, 23)}小时前",
                        "刚刚",
                    ]
                )
                items.append(("links", when + tags + (str(rng.randint(1, 999)) if rng.random() < 0.5 else "")))
            if rng.random() < 0.6:
                items.append(("links", rng.choice(pool("teasers"))))
            if rng.random() < 0.7:
                src = rng.choice(pool("feed_sources"))
                items.append(
                    (
                        "links",
                        rng.choice(
                            [
                                src,
                                f"{src} {rng.randint(1, 23)}小时前",
                                f"{src}  {rng.randint(1, 9999)}评论",
                                f"{rng.randint(1, 59)}分钟前",
                            ]
                        ),
                    )
                )
            if rng.random() < 0.4:
                items.extend(("chrome", s) for s in share[: rng.randint(1, 4)])
            if rng.random() < 0.12 and LISTS.get("ad_unit_titles"):
                items.append(("spam", rng.choice(pool("ad_unit_titles") + pool("feed_clickbait"))))
                if rng.random() < 0.6:
                    items.append(("spam", rng.choice(pool("ad_unit_advertisers"))))
        return Block("lines", items, {"list": True})

    def hot_rank(self) -> Block:
        rng = self.rng
        items = [("links", rng.choice(pool("block_headings")))]
        for i, h in enumerate(rng.sample(self.others, min(rng.randint(5, 10), len(self.others))), 1):
            items.append(
                ("links", rng.choice([f"{i} {h}", f"{i:02d} {h}", f"{i}. {h}", f"{h} {rng.randint(1, 99)}万", h]))
            )
        if rng.random() < 0.5:
            items.extend(("links", x) for x in self.pick("rank_lines", rng.randint(1, 4)))
        return Block("lines", items, {"list": True})

    def video_block(self) -> Block:
        items = [("links", self.rng.choice(["视频", "精彩视频", "图集", "热门视频", "图片新闻", "高清图集"]))]
        items += [("links", x) for x in self.pick("video_items", self.rng.randint(2, 6))]
        return Block("lines", items, {"list": True})

    def spam_block(self) -> Block:
        rng = self.rng
        items: list[tuple[str, str]] = []
        if rng.random() < 0.7:
            items.append(
                (
                    "links",
                    rng.choice(["随便看看", "猜你喜欢", "热门推荐", "精彩推荐", "热点排行", "今日推荐", "最新更新"]),
                )
            )
        srcs = ["adult_titles"] * 3 + ["casino_promos", "medical_ads", "getrich_ads", "commercial_ads", "scam_lines"]
        if LISTS.get("feed_clickbait"):
            srcs += ["feed_clickbait", "feed_clickbait", "old_sp_ads"]
        for _ in range(rng.randint(5, 30)):
            if rng.random() < 0.25 and self.others:
                items.append(("links", rng.choice(self.others)))
            else:
                items.append(("spam", rng.choice(pool(rng.choice(srcs)))))
        return Block("lines", items, {"list": True})

    def ad_unit(self) -> Block:
        rng = self.rng
        srcs = ["commercial_ads", "medical_ads", "getrich_ads", "casino_promos"]
        if LISTS.get("old_sp_ads"):
            srcs += ["old_sp_ads", "old_sp_ads", "ecommerce_rows", "feed_clickbait"]
        src = rng.choice(srcs)
        items = [("spam", x) for x in self.pick(src, rng.randint(1, 4))]
        if rng.random() < 0.4:
            items.insert(0, ("chrome", rng.choice(pool("ad_slots"))))
        return Block("lines", items)

    def seo_dump(self) -> Block:
        return Block("lines", [("spam", x) for x in self.pick("seo_dumps", self.rng.randint(1, 3))])
