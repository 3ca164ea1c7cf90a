"""The article and what sites print with it: title, meta lines, paragraphs and what follows them."""

from __future__ import annotations

from blocks import Block, PageBase
from sources import pool

GOV_OFFICES = ["办公室", "发展和改革委员会", "教育局", "生态环境局", "人力资源和社会保障局", "统计局"]
GOV_TOPICS = ["综合政务", "国民经济管理", "城乡建设", "教育", "卫生", "农业、林业、水利", "财政"]


class Story(PageBase):
    def title_block(self) -> list[Block]:
        rng = self.rng
        out = [Block("title", [("title", self.article.title)])]
        if "subtitle" in self.article.meta and rng.random() < 0.8:
            out.append(Block("title", [("title", self.article.meta["subtitle"])], {"sub": True}))
        return out

    def meta_block(self) -> Block:
        rng = self.rng
        n = rng.choice([1, 1, 1, 2, 2, 3])
        lines = [("meta", self.fill(t)) for t in self.pick("meta_templates", n)]
        if rng.random() < 0.35:
            # one line holding several facts, as many sites print them
            lines = [("meta", rng.choice(["  ", " | ", "　", " "]).join(t for _, t in lines))]
        return Block("lines", lines, {"meta": True})

    def body_blocks(self) -> list[Block]:
        """The article's paragraphs, with furniture that sites put inside articles."""
        rng = self.rng
        out: list[Block] = []
        paras = list(self.article.paras)
        casino = rng.choice(pool("casino_names")) if self.kind == "hijacked" else None
        items: list[tuple[str, str]] = []
        for i, (kind, text) in enumerate(paras):
            if casino and kind == "p" and rng.random() < 0.35:
                frag = rng.choice(pool("injected_fragments"))
                text = rng.choice(
                    [
                        frag + text,
                        f"{text}{casino}",
                        f"【{casino}{self.year}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日讯】{text}",
                        text[: len(text) // 2] + casino + text[len(text) // 2 :],
                    ]
                )
            if kind == "img" and rng.random() < 0.5:
                text = rng.choice(
                    ["[图片]", "[image]", "[img]", "![](http://img.example.com/p.jpg)", "△", "（资料图）"]
                ) + (" " + text if rng.random() < 0.7 else "")
            if kind == "quote" and self.renderer == "html2text":
                text = "> " + text
            if kind == "h" and self.renderer == "html2text" and rng.random() < 0.5:
                text = rng.choice(["**", "### ", "## "]) + text + ("**" if text and rng.random() < 0.3 else "")
            items.append(("body", text))
            if i < len(paras) - 2 and rng.random() < 0.05:
                items.append(
                    ("spam", rng.choice(pool("commercial_ads") + pool("medical_ads")))
                    if rng.random() < 0.5
                    else ("chrome", rng.choice(pool("ad_slots")))
                )
            if i < len(paras) - 2 and rng.random() < 0.03:
                items.append(
                    (
                        "links",
                        rng.choice(["相关阅读：", "延伸阅读：", "推荐阅读：", "点击阅读：", ""])
                        + (rng.choice(self.others) if self.others else ""),
                    )
                )
        out.append(Block("paras", items))
        return out

    def after_article(self) -> list[Block]:
        rng = self.rng
        out: list[Block] = []
        if rng.random() < 0.15:
            out.append(Block("lines", [("nav", rng.choice(pool("pagination")))]))
        if rng.random() < 0.6:
            out.append(Block("lines", [("meta", self.fill(rng.choice(pool("editor_lines"))))]))
        out += self._tags()
        out += self._credit()
        if rng.random() < 0.4:
            out.append(Block("lines", [("chrome", self.fill(rng.choice(pool("rights_notices"))))]))
        if rng.random() < 0.4:
            out.append(self.widgets())
        out += self._prev_next()
        return out

    def _tags(self) -> list[Block]:
        """Tags and keywords, on one line or as a list."""
        rng = self.rng
        out: list[Block] = []
        if rng.random() < 0.3:
            tags = self.pick("tags", rng.randint(2, 6))
            out.append(
                Block(
                    "lines",
                    [
                        (
                            "meta",
                            rng.choice(["标签：", "关键词：", "Tags: ", "标签: ", "相关标签："])
                            + rng.choice([" ", "、", "  "]).join(tags),
                        )
                    ],
                )
            )
        if rng.random() < 0.15:
            tags = self.pick("tags", rng.randint(2, 6)) + self.pick(
                rng.choice(["provinces", "cities"]), rng.randint(0, 2)
            )
            rng.shuffle(tags)
            head = (
                [("meta", rng.choice(["标签", "相关标签", "关键词", "标签：", "Tags", "本文标签"]))]
                if rng.random() < 0.5
                else []
            )
            out.append(Block("menu", head + [("meta", t) for t in tags]))
        return out

    def _credit(self) -> list[Block]:
        """Where the article came from, in one of the ways sites say it."""
        rng = self.rng
        out: list[Block] = []
        if rng.random() < 0.15:
            src = self.fill("{source}")
            out.append(
                Block(
                    "lines",
                    [
                        (
                            "meta",
                            rng.choice(
                                [
                                    f"（本文来自{src}，更多原创资讯请下载“{src}”APP）",
                                    f"(本文来源：{src})",
                                    f"本文首发于{src}",
                                    f"（实习生{self.fill('{author}')}对此文亦有贡献）",
                                    f"文章来源：{src}",
                                    f"（{self.fill('{author}')}）",
                                    f"原标题：{self.article.title}",
                                    f"（来源：{src}）",
                                    f"本文转载自{src}",
                                ]
                            ),
                        )
                    ],
                )
            )
        return out

    def _prev_next(self) -> list[Block]:
        """Links to the previous and the next article."""
        rng = self.rng
        out: list[Block] = []
        if rng.random() < 0.35 and self.others:
            a, b = rng.sample(self.others, 2) if len(self.others) > 1 else (self.others[0], self.others[0])
            prev_word, next_word = rng.choice(
                [("上一篇：", "下一篇："), ("上一篇", "下一篇"), ("上一条：", "下一条："), ("« 上一篇", "下一篇 »")]
            )
            if rng.random() < 0.5:
                out.append(Block("lines", [("nav", prev_word), ("links", a), ("nav", next_word), ("links", b)]))
            else:
                out.append(Block("lines", [("nav", prev_word + a), ("nav", next_word + b)]))
        return out

    def gov_table(self) -> Block:
        rng = self.rng
        rows = [
            f"索引号：{rng.randint(11000000, 65999999)}/{self.year}-{rng.randint(10, 99999):05d}",
            f"发布机构：{self.site.replace('门户网站', '')}{rng.choice(GOV_OFFICES)}",
            f"发文日期：{self.date}",
            f"主题分类：{rng.choice(GOV_TOPICS)}",
            f"文号：{rng.choice(['政办发', '政发', '办字'])}〔{self.year}〕{rng.randint(1, 99)}号",
            f"发布日期：{self.date}",
            f"公开方式：{rng.choice(['主动公开', '依申请公开'])}",
        ]
        rows = rng.sample(rows, rng.randint(3, len(rows)))
        if rng.random() < 0.5:
            rows = ["    ".join(rows[i : i + 2]) for i in range(0, len(rows), 2)]
        return Block("lines", [("meta", r) for r in rows])
