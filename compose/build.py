#!/usr/bin/env python3
"""Compose labelled training pages from the components in compose/components/.

Each page is a random site (name, menus, furniture) around one article, laid out as
blocks in a varied order and rendered to text the way one of five scrapers would
(w3m, html2text, inscriptis, per-block extraction, browser copy-paste). Every line
keeps the label of the block it came from; where a renderer merges an article line
and a sidebar item into one line (old table layouts), the line is the article's.

    python compose/build.py            # rewrite training_data/gen_*.tsv
    python compose/build.py --check    # fail if the committed pages differ

The random seed is fixed, so the output is the same on every machine.
"""

from __future__ import annotations

import argparse
from collections import Counter
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENTS = HERE / "components"
OUT = HERE.parent / "training_data"
SEED = 20261122
N_PAGES = 320
RENDERERS = ("w3m", "html2text", "inscriptis", "blocks", "copypaste")
PAGE_KINDS = ("portal", "state", "local", "gov", "overseas", "selfmedia", "vertical", "hijacked", "oldtable", "blog")


# ----------------------------------------------------------------------------- components
def read_lists(name: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    path = COMPONENTS / f"{name}.txt"
    if not path.exists():
        return sections
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("## "):
            current = sections.setdefault(raw[3:].strip(), [])
        elif raw.startswith("# ") or not raw.strip() or current is None:
            continue
        else:
            current.append(raw.rstrip())
    return sections


@dataclass
class Article:
    title: str
    meta: dict[str, str]
    paras: list[tuple[str, str]]  # (kind, text): kind in p, h, img, quote


def read_articles() -> list[Article]:
    arts = []
    for path in sorted((COMPONENTS / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        meta = {}
        for line in head.splitlines():
            k, _, v = line.partition(":")
            if v.strip():
                meta[k.strip()] = v.strip()
        paras: list[tuple[str, str]] = []
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("## "):
                paras.append(("h", line[3:].strip()))
            elif line.startswith("[img]"):
                paras.append(("img", line[5:].strip()))
            elif line.startswith("> "):
                paras.append(("quote", line[2:].strip()))
            else:
                paras.append(("p", line))
        if "title" in meta and paras:
            arts.append(Article(meta["title"], meta, paras))
    return arts


L: dict[str, list[str]] = {}
for _name in ("nav", "chrome", "meta", "links", "spam", "spam2", "region"):
    for _k, _v in read_lists(_name).items():
        L[_k] = _v


def pool(name: str, fallback: list[str] | None = None) -> list[str]:
    items = L.get(name) or fallback or []
    if not items:
        raise SystemExit(f"component list {name!r} is missing or empty")
    return items


# ----------------------------------------------------------------------------- page model
@dataclass
class Block:
    """A run of page content with one role; items are (label, text) pairs."""

    kind: str  # menu, lines, paras, title, table, rule
    items: list[tuple[str, str]]
    style: dict = field(default_factory=dict)


class Page:
    def __init__(self, rng: random.Random, article: Article, kind: str, renderer: str, others: list[str]):
        self.rng = rng
        self.article = article
        self.kind = kind
        self.renderer = renderer
        self.others = others  # headlines of other articles on this site
        self.trad = article.meta.get("script") == "trad"
        self.site = rng.choice(pool("site_names"))
        self.domain = self.make_domain()
        self.year, self.date, self.time = self.parse_date()
        n_channels = rng.choice([6, 9, 12, 16, 20, 28, 40])
        self.channels = rng.sample(pool("channels"), min(n_channels, len(pool("channels"))))

    # helpers ---------------------------------------------------------------
    def make_domain(self) -> str:
        rng = self.rng
        syll = "xin hua ren min dong nan bei zhong guo ri bao wan cheng shi jiang he hai tian yun shan qing ming".split()
        name = "".join(rng.choice(syll) for _ in range(rng.randint(1, 3)))
        return rng.choice(["www.", "news.", "", "m."]) + name + rng.choice([".com", ".cn", ".com.cn", ".net", ".gov.cn", ".org"])

    def parse_date(self) -> tuple[str, str, str]:
        raw = self.article.meta.get("date", "2018-06-01 10:00")
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?", raw)
        if not m:
            return "2018", "2018-06-01", "10:00"
        y, mo, d, hh, mm = m.groups()
        return y, f"{y}-{int(mo):02d}-{int(d):02d}", f"{int(hh or 9):02d}:{mm or '00'}"

    def fill(self, template: str) -> str:
        rng = self.rng
        y = self.year
        values = {
            "site": self.site,
            "domain": self.domain,
            "year": y,
            "date": rng.choice([self.date, self.date.replace("-", "/"), f"{y}年{int(self.date[5:7])}月{int(self.date[8:10])}日"]),
            "time": self.time + rng.choice(["", f":{rng.randint(0, 59):02d}"]),
            "source": self.article.meta.get("source") or rng.choice(pool("sources")),
            "author": self.article.meta.get("author") or rng.choice(pool("person_names")),
            "editor": self.article.meta.get("editor") or rng.choice(pool("person_names")),
            "n": str(rng.choice([rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10000, 999999)])),
            "icp": rng.choice(["京", "沪", "粤", "浙", "苏", "鲁", "豫", "川", "蒙", "鄂", "湘", "闽"])
            + rng.choice(["ICP备", "ICP证", "ICP备案号："])
            + f"{rng.randint(5, 25):02d}{rng.randint(10000, 99999)}号"
            + rng.choice(["", "-1", "-2"]),
            "police": rng.choice(["京", "沪", "粤", "浙", "苏", "鲁", "豫"]) + f"公网安备 {rng.randint(11000000000000, 65999999999999)}号",
            "phone": rng.choice(
                [f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}", f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                 f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"]),
            "email": rng.choice(["news", "tougao", "jubao", "service", "editor", "webmaster"]) + "@" + self.domain.split(".", 1)[-1],
            "addr": rng.choice(pool("addresses", ["北京市朝阳区建国路88号"])),
            "province": rng.choice(pool("provinces")),
            "city": rng.choice(pool("cities")),
            "title": self.article.title,
            "headline": rng.choice(self.others) if self.others else self.article.title,
        }
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)

    def pick(self, name: str, k: int) -> list[str]:
        items = pool(name)
        return self.rng.sample(items, min(k, len(items)))

    def url(self) -> str:
        rng = self.rng
        return f"http://{self.domain}/{rng.choice(['news', 'a', 'c', 'html', 'content', 'article', 'n1'])}/{self.year}{rng.randint(100, 1299):04d}/{rng.randint(10000, 9999999)}.{rng.choice(['html', 'shtml', 'htm'])}"

    # block makers ----------------------------------------------------------
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
            name = rng.choice([f"[logo] {name}", f"[{self.domain}]", f"{name} {self.domain}", f"[LOGO]", f"![{name}](http://{self.domain}/logo.png)"])
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
        parts = [rng.choice([self.site, "首页", "网站首页"])] + rng.sample(self.channels, min(rng.randint(1, 3), len(self.channels)))
        tail = rng.choice(["正文", self.article.title, "", "内容", "正文内容"])
        if tail:
            parts.append(tail)
        prefix = rng.choice(pool("breadcrumb_prefixes", ["当前位置："])) if rng.random() < 0.5 else ""
        return Block("lines", [("nav", prefix + sep.join(parts))], {"breadcrumb": True})

    def search_box(self) -> Block:
        return Block("lines", [("nav", self.rng.choice(pool("search_boxes")))])

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

    def widgets(self) -> Block:
        rng = self.rng
        src = rng.choice(["share_widgets", "page_widgets"])
        items = self.pick(src, rng.randint(1, 6))
        if rng.random() < 0.5:
            return Block("menu", [("chrome", x) for x in items])
        return Block("lines", [("chrome", x) for x in items[:2]])

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
                text = rng.choice([frag + text, f"{text}{casino}", f"【{casino}{self.year}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日讯】{text}",
                                   text[: len(text) // 2] + casino + text[len(text) // 2:]])
            if kind == "img" and rng.random() < 0.5:
                text = rng.choice(["[图片]", "[image]", "[img]", "![](http://img.example.com/p.jpg)", "△", "（资料图）"]) + (" " + text if rng.random() < 0.7 else "")
            if kind == "quote" and self.renderer == "html2text":
                text = "> " + text
            if kind == "h" and self.renderer == "html2text" and rng.random() < 0.5:
                text = rng.choice(["**", "### ", "## "]) + text + ("**" if text and rng.random() < 0.3 else "")
            items.append(("body", text))
            if i < len(paras) - 2 and rng.random() < 0.05:
                items.append(("spam", rng.choice(pool("commercial_ads") + pool("medical_ads"))) if rng.random() < 0.5 else ("chrome", rng.choice(pool("ad_slots"))))
            if i < len(paras) - 2 and rng.random() < 0.03:
                items.append(("links", rng.choice(["相关阅读：", "延伸阅读：", "推荐阅读：", "点击阅读：", ""]) + (rng.choice(self.others) if self.others else "")))
        out.append(Block("paras", items))
        return out

    def after_article(self) -> list[Block]:
        rng = self.rng
        out = []
        if rng.random() < 0.15:
            out.append(Block("lines", [("nav", rng.choice(pool("pagination")))]))
        if rng.random() < 0.6:
            out.append(Block("lines", [("meta", self.fill(rng.choice(pool("editor_lines"))))]))
        if rng.random() < 0.3:
            tags = self.pick("tags", rng.randint(2, 6))
            out.append(Block("lines", [("meta", rng.choice(["标签：", "关键词：", "Tags: ", "标签: ", "相关标签："]) + rng.choice([" ", "、", "  "]).join(tags))]))
        if rng.random() < 0.15:
            tags = self.pick("tags", rng.randint(2, 6)) + self.pick(rng.choice(["provinces", "cities"]), rng.randint(0, 2))
            rng.shuffle(tags)
            head = [("meta", rng.choice(["标签", "相关标签", "关键词", "标签：", "Tags", "本文标签"]))] if rng.random() < 0.5 else []
            out.append(Block("menu", head + [("meta", t) for t in tags]))
        if rng.random() < 0.15:
            src = self.fill("{source}")
            out.append(Block("lines", [("meta", rng.choice([
                f"（本文来自{src}，更多原创资讯请下载“{src}”APP）", f"(本文来源：{src})", f"本文首发于{src}",
                f"（实习生{self.fill('{author}')}对此文亦有贡献）", f"文章来源：{src}", f"（{self.fill('{author}')}）",
                f"原标题：{self.article.title}", f"（来源：{src}）", f"本文转载自{src}",
            ]))]))
        if rng.random() < 0.4:
            out.append(Block("lines", [("chrome", self.fill(rng.choice(pool("rights_notices"))))]))
        if rng.random() < 0.4:
            out.append(self.widgets())
        if rng.random() < 0.35 and self.others:
            a, b = rng.sample(self.others, 2) if len(self.others) > 1 else (self.others[0], self.others[0])
            prev_word, next_word = rng.choice([("上一篇：", "下一篇："), ("上一篇", "下一篇"), ("上一条：", "下一条："), ("« 上一篇", "下一篇 »")])
            if rng.random() < 0.5:
                out.append(Block("lines", [("nav", prev_word), ("links", a), ("nav", next_word), ("links", b)]))
            else:
                out.append(Block("lines", [("nav", prev_word + a), ("nav", next_word + b)]))
        return out

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
                when = rng.choice([f"今天 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                                   f"{rng.randint(1, 23)}小时前", "刚刚"])
                items.append(("links", when + tags + (str(rng.randint(1, 999)) if rng.random() < 0.5 else "")))
            if rng.random() < 0.6:
                items.append(("links", rng.choice(pool("teasers"))))
            if rng.random() < 0.7:
                src = rng.choice(pool("feed_sources"))
                items.append(("links", rng.choice([src, f"{src} {rng.randint(1, 23)}小时前", f"{src}  {rng.randint(1, 9999)}评论", f"{rng.randint(1, 59)}分钟前"])))
            if rng.random() < 0.4:
                items.extend(("chrome", s) for s in share[: rng.randint(1, 4)])
            if rng.random() < 0.12 and L.get("ad_unit_titles"):
                items.append(("spam", rng.choice(pool("ad_unit_titles") + pool("feed_clickbait"))))
                if rng.random() < 0.6:
                    items.append(("spam", rng.choice(pool("ad_unit_advertisers"))))
        return Block("lines", items, {"list": True})

    def image_mark(self, style: str) -> str:
        rng = self.rng
        if style == "code":
            return "[" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(8, 22))) + "]"
        if style == "md":
            return f"[![](http://img.{self.domain.split('.', 1)[-1]}/{rng.randint(10**6, 10**9)}.jpg)]({self.page_url()})" if rng.random() < 0.5 else "![](//img.cdn.com/p.jpg)"
        return rng.choice(["[图片]", "[img]", "[image]", "[pic]", "[缩略图]"])

    def page_url(self) -> str:
        return self.url()

    def spam_block(self) -> Block:
        rng = self.rng
        items: list[tuple[str, str]] = []
        if rng.random() < 0.7:
            items.append(("links", rng.choice(["随便看看", "猜你喜欢", "热门推荐", "精彩推荐", "热点排行", "今日推荐", "最新更新"])))
        srcs = ["adult_titles"] * 3 + ["casino_promos", "medical_ads", "getrich_ads", "commercial_ads", "scam_lines"]
        if L.get("feed_clickbait"):
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
        if L.get("old_sp_ads"):
            srcs += ["old_sp_ads", "old_sp_ads", "ecommerce_rows", "feed_clickbait"]
        src = rng.choice(srcs)
        items = [("spam", x) for x in self.pick(src, rng.randint(1, 4))]
        if rng.random() < 0.4:
            items.insert(0, ("chrome", rng.choice(pool("ad_slots"))))
        return Block("lines", items)

    def comments(self) -> Block:
        rng = self.rng
        items = [("chrome", self.fill(x)) for x in self.pick("comment_headers", rng.randint(1, 3))]
        tail_style = rng.random()
        for _ in range(rng.randint(2, 14)):
            if rng.random() < 0.7:
                items.append(("chrome", self.fill(rng.choice(pool("comment_users")))))
            items.append(("chrome", rng.choice(pool("comments"))))
            if tail_style < 0.5:
                items.append(("chrome", rng.choice([f"{rng.randint(1, 23)}小时前", f"{rng.randint(1, 59)}分钟前", f"{self.date} {self.time}",
                                                    f"回复 举报 赞({rng.randint(0, 999)})", f"顶[{rng.randint(0, 99)}]", "回复", f"{rng.randint(1, 999)}"])))
        return Block("lines", items)

    def friend_links(self) -> Block:
        rng = self.rng
        head = rng.choice(["友情链接", "友情链接：", "合作媒体", "兄弟网站", "友情鏈接", "合作伙伴", "相关网站", "媒体链接"])
        items = [("links", x) for x in self.pick("friend_links", rng.randint(5, 30))]
        if self.kind == "hijacked" and rng.random() < 0.7:
            for _ in range(rng.randint(1, 5)):
                items.insert(rng.randint(0, len(items)), ("spam", rng.choice(pool("casino_promos"))))
        return Block("menu", [("links", head)] + items, {"friend": True})

    def footer(self) -> list[Block]:
        rng = self.rng
        out = []
        if rng.random() < 0.6:
            out.append(Block("menu", [("chrome", x) for x in self.pick("about_links", rng.randint(3, 8))]))
        lines = [("chrome", self.fill(t)) for t in self.pick("footer_templates", rng.randint(2, 7))]
        for _ in range(rng.randint(0, 2)):
            lines.insert(rng.randint(0, len(lines)), ("chrome", self.fill(rng.choice(pool("qr_prompts") + pool("tip_prompts")))))
        out.append(Block("lines", lines))
        return out

    def gov_menu(self) -> Block:
        return Block("menu", [("nav", x) for x in self.pick("gov_menus", self.rng.randint(5, 20))])

    def gov_table(self) -> Block:
        rng = self.rng
        rows = [
            f"索引号：{rng.randint(11000000, 65999999)}/{self.year}-{rng.randint(10, 99999):05d}",
            f"发布机构：{self.site.replace('门户网站', '')}{rng.choice(['办公室', '发展和改革委员会', '教育局', '生态环境局', '人力资源和社会保障局', '统计局'])}",
            f"发文日期：{self.date}",
            f"主题分类：{rng.choice(['综合政务', '国民经济管理', '城乡建设', '教育', '卫生', '农业、林业、水利', '财政'])}",
            f"文号：{rng.choice(['政办发', '政发', '办字'])}〔{self.year}〕{rng.randint(1, 99)}号",
            f"发布日期：{self.date}",
            f"公开方式：{rng.choice(['主动公开', '依申请公开'])}",
        ]
        rows = rng.sample(rows, rng.randint(3, len(rows)))
        if rng.random() < 0.5:
            rows = ["    ".join(rows[i : i + 2]) for i in range(0, len(rows), 2)]
        return Block("lines", [("meta", r) for r in rows])

    def seo_dump(self) -> Block:
        return Block("lines", [("spam", x) for x in self.pick("seo_dumps", self.rng.randint(1, 3))])

    def hot_rank(self) -> Block:
        rng = self.rng
        items = [("links", rng.choice(pool("block_headings")))]
        for i, h in enumerate(rng.sample(self.others, min(rng.randint(5, 10), len(self.others))), 1):
            items.append(("links", rng.choice([f"{i} {h}", f"{i:02d} {h}", f"{i}. {h}", f"{h} {rng.randint(1, 99)}万", h])))
        if rng.random() < 0.5:
            items.extend(("links", x) for x in self.pick("rank_lines", rng.randint(1, 4)))
        return Block("lines", items, {"list": True})

    def video_block(self) -> Block:
        items = [("links", self.rng.choice(["视频", "精彩视频", "图集", "热门视频", "图片新闻", "高清图集"]))]
        items += [("links", x) for x in self.pick("video_items", self.rng.randint(2, 6))]
        return Block("lines", items, {"list": True})

    def misc_chrome(self) -> Block:
        return Block("lines", [("chrome", self.fill(x)) for x in self.pick("misc", self.rng.randint(1, 3))])

    # layout ----------------------------------------------------------------
    def layout(self) -> list[Block]:
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
            head.append(self.ad_unit() if k in ("hijacked", "vertical", "portal") else Block("lines", [("chrome", rng.choice(pool("ad_slots")))]))
        if rng.random() < 0.75:
            head.append(self.breadcrumb())

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
            art.append(Block("lines", [("meta", rng.choice(pool("feed_sources")))] + [("chrome", x) for x in rng.sample(["关注", "+关注", "已关注", "私信", "举报", "粉丝"], 2)]))
        art += self.body_blocks()
        if order >= 0.85:
            art.append(meta)
        if k == "selfmedia":
            art.append(Block("menu", [("chrome", x) for x in rng.sample(["阅读原文", "点赞", "在看", "分享", "收藏", "赞赏", "留言", "举报", "写留言", "喜欢此内容的人还喜欢"], rng.randint(2, 5))]))
        art += self.after_article()

        if rng.random() < 0.12:
            echo = rng.choice(["正在阅读：", "正在阅读：", "当前文章：", "分享：", "您正在阅读：", ""]) + self.article.title
            (art if rng.random() < 0.5 else head).insert(0, Block("lines", [("title", echo)]))
        if rng.random() < 0.15:
            sep = rng.choice(["_", " - ", "|", " | ", "_新闻_"])
            head.insert(0, Block("lines", [("title", self.article.title + sep + self.site)]))

        tail: list[Block] = []
        makers = [self.link_list, self.link_list, self.teaser_feed, self.hot_rank, self.comments, self.video_block, self.misc_chrome]
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
        # some sites put a sidebar (links) between head and article, or after the title
        if rng.random() < 0.2:
            head.append(self.link_list())
        return head + art + tail


# ----------------------------------------------------------------------------- traditional script
_T2S_PAIRS = "們们這这個个來来時时會会對对說说國国與与後后關关經经長长門门開开間间區区實实當当點点體体現现還还發发過过種种麼么樣样從从裡里報报導导華华際际應应動动機机臺台灣湾"


# ----------------------------------------------------------------------------- rendering
def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(s: str, cols: int) -> list[str]:
    out, cur, w = [], "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > cols and cur:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        out.append(cur)
    return out


class Renderer:
    def __init__(self, rng: random.Random, name: str, page: Page):
        self.rng = rng
        self.name = name
        self.page = page
        self.out: list[tuple[str, str]] = []  # (label, line); label "-" for blank
        self.cols = rng.choice([76, 78, 80, 100]) if name == "w3m" else 10**9
        self.blank_between = {"w3m": 0.6, "html2text": 0.9, "inscriptis": 0.5, "blocks": 0.05, "copypaste": 0.1}[name]
        self.md_links = name == "html2text"
        self.wrap_body = name == "w3m" and rng.random() < 0.35

    def blank(self) -> None:
        if self.out and self.out[-1][0] != "-":
            self.out.append(("-", self.rng.choice(["", "", "", " ", "  ", "\u3000"]) if self.name != "blocks" else ""))

    def emit(self, label: str, text: str) -> None:
        if "{" in text:
            text = self.page.fill(text)
        if not text.strip():
            return
        self.out.append((label, text))

    def link(self, text: str) -> str:
        if self.md_links and "](" not in text:
            return f"[{text}]({self.page.url()})"
        return text

    def bullet(self) -> str:
        return {
            "w3m": self.rng.choice(["  • ", "  • ", "• ", "  * ", "· ", "□ "]),
            "html2text": self.rng.choice(["  * ", "* ", "  - "]),
            "inscriptis": self.rng.choice(["  * ", "    * ", "* "]),
            "blocks": self.rng.choice(["", "", "· ", "•"]),
            "copypaste": self.rng.choice(["", "", "·", "  • "]),
        }[self.name]

    def render_menu(self, block: Block) -> None:
        rng = self.rng
        label = block.items[0][0]
        texts = [t for _, t in block.items]
        labels = [lab for lab, _ in block.items]
        mode = rng.random()
        flat_p = {"w3m": 0.5, "html2text": 0.35, "inscriptis": 0.35, "blocks": 0.25, "copypaste": 0.7}[self.name]
        if len(texts) > 1 and mode < flat_p:
            # flattened: one line (or a few wrapped lines) holding every item
            sep = rng.choice(["", " ", "  ", " | ", "|", "\u3000", " · ", "   "]) if self.name != "copypaste" else rng.choice(["", "", " ", "  "])
            pieces = [self.link(t) for t in texts]
            line = sep.join(pieces)
            if rng.random() < 0.3:
                line = rng.choice(["", "  ", "    "]) + line
            lab = Counter(labels).most_common(1)[0][0]  # ties: the first label met, on every run
            for part in wrap(line, self.cols) if self.name == "w3m" else [line]:
                self.emit(lab, part)
        else:
            indent = rng.choice(["", "", "  ", "    "]) if self.name in ("inscriptis", "w3m") else ""
            prefix = self.bullet() if rng.random() < 0.8 else ""
            for lab, t in block.items:
                if rng.random() < 0.05:  # a submenu item or a highlighted one
                    self.emit(lab, indent + self.bullet() + self.link(t))
                else:
                    self.emit(lab, indent + prefix + self.link(t))

    def render_lines(self, block: Block) -> None:
        rng = self.rng
        listy = block.style.get("list")
        bullet = self.bullet() if listy and rng.random() < 0.6 else ""
        indent = rng.choice(["", "", "  ", "    ", "      "]) if self.name in ("inscriptis", "w3m") else ""
        for i, (lab, t) in enumerate(block.items):
            text = t
            if self.md_links and lab in ("links", "spam") and (i > 0 or not listy) and not t.endswith(("...", "…")):
                text = self.link(t)
                if listy and rng.random() < 0.15:
                    text = "### " + text
            elif self.md_links and lab == "nav" and block.style.get("breadcrumb"):
                text = re.sub(r"([^>›»/|\s][^>›»/|]*?)(\s*[>›»/|]\s*)", lambda m: f"[{m.group(1).strip()}]({self.page.url()}){m.group(2)}", t)
            if listy and i > 0:
                text = bullet + text
            if block.style.get("list") and i == 0 and self.md_links and rng.random() < 0.5:
                text = rng.choice(["## ", "### ", "**"]) + text + ("**" if text.startswith("**") and not text.endswith("**") else "")
            self.emit(lab, indent + text)
            if self.name == "html2text" and not listy and rng.random() < 0.5:
                self.blank()

    def render_title(self, block: Block) -> None:
        rng = self.rng
        t = block.items[0][1]
        if self.name == "html2text":
            t = rng.choice(["# ", "# ", "## ", "**", ""]) + t
        elif self.name == "w3m":
            pad = rng.choice([0, 0, 4, 10, 20, 30])
            t = " " * pad + t
            if rng.random() < 0.3:
                t += " " * rng.randint(8, 30) + rng.choice(["", self.page.site])
                t = t.rstrip()
        elif self.name == "inscriptis":
            t = rng.choice(["", "  ", "    "]) + t
        self.emit("title", t)
        if self.name == "w3m" and rng.random() < 0.2:
            self.emit("chrome", rng.choice(["━", "─", "=", "-"]) * rng.randint(30, 80))

    def render_paras(self, block: Block) -> None:
        rng = self.rng
        split_mode = rng.random() < 0.08  # WeChat style: one clause per line
        indent = rng.choice(["", "", "\u3000\u3000", "  ", "    "])
        for lab, t in block.items:
            if lab != "body":
                self.render_lines(Block("lines", [(lab, t)]))
                continue
            if split_mode and len(t) > 30:
                parts = [p for p in re.split(r"(?<=[，。！？；])", t) if p]
                for p in parts:
                    self.emit("body", p)
                self.blank() if rng.random() < 0.5 else None
                continue
            if self.wrap_body:
                for part in wrap(indent + t, self.cols):
                    self.emit("body", part)
            else:
                self.emit("body", indent + t)
            if rng.random() < self.blank_between:
                self.blank()

    def render(self, blocks: list[Block]) -> list[tuple[str, str]]:
        for b in blocks:
            if self.rng.random() < self.blank_between:
                self.blank()
            getattr(self, f"render_{b.kind}")(b)
        return self.out


def table_layout(rng: random.Random, lines: list[tuple[str, str]], page: Page) -> list[tuple[str, str]]:
    """Old table pages in w3m: body lines wrapped narrow, with a sidebar column on the same lines."""
    side_src = [("links", h) for h in rng.sample(page.others, min(12, len(page.others)))]
    side_src += [("spam", x) for x in page.pick(rng.choice(["getrich_ads", "commercial_ads", "medical_ads"]), 8)]
    if L.get("sidebar_ads_short"):
        side_src += [("spam", x) for x in page.pick("sidebar_ads_short", 10)]
    rng.shuffle(side_src)
    cols = rng.choice([60, 64, 70, 76])
    out: list[tuple[str, str]] = []
    side = iter(side_src)
    for lab, text in lines:
        if lab != "body":
            out.append((lab, text))
            continue
        for part in wrap(text.strip(), cols):
            if rng.random() < 0.45:
                nxt = next(side, None)
                if nxt is not None:
                    item = nxt[1][: rng.randint(6, 12)]
                    pad = " " * max(2, cols - width(part) + rng.randint(2, 10))
                    out.append(("body", part + pad + rng.choice(["• ", "· ", ""]) + item))
                    if rng.random() < 0.3:
                        out.append((nxt[0], " " * (cols + 8) + nxt[1][len(item):][:10] if len(nxt[1]) > len(item) else nxt[1]))
                    continue
            out.append(("body", part))
    return out


def to_trad_lite(text: str) -> str:
    return text


def build_page(rng: random.Random, article: Article, all_headlines: list[str], index: int) -> tuple[str, list[tuple[str, str]]]:
    kind = rng.choice(PAGE_KINDS)
    renderer = rng.choice(RENDERERS)
    if article.meta.get("script") == "trad":
        kind = rng.choice(["overseas", "overseas", "portal", "blog", "hijacked"])
    if kind == "oldtable":
        renderer = "w3m"
    trad = article.meta.get("script") == "trad"
    src = [h for h in all_headlines if _is_trad(h) == trad] or all_headlines
    others = rng.sample(src, min(60, len(src)))
    page = Page(rng, article, kind, renderer, others)
    blocks = page.layout()
    lines = Renderer(rng, renderer, page).render(blocks)
    if kind == "oldtable":
        lines = table_layout(rng, lines, page)
    while lines and lines[-1][0] == "-":
        lines.pop()
    return f"gen_{index:04d}_{kind}_{renderer}", lines


def _is_trad(s: str) -> bool:
    return any(c in s for c in _T2S_PAIRS[0::2])


def render_tsv(lines: list[tuple[str, str]], rng: random.Random) -> str:
    crlf = rng.random() < 0.05
    end = "\r\n" if crlf else "\n"
    out = []
    for lab, text in lines:
        text = text.replace("\t", " ").replace("\r", "").replace("\n", " ")
        blank = not text.strip() or all(c in "\u3000\u200b\ufeff " for c in text)
        if blank and lab != "-":
            continue
        if not blank and lab == "-":
            lab = "chrome"
        out.append(f"{lab}\t{text}{end}")
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed pages instead of writing")
    ap.add_argument("-n", type=int, default=N_PAGES, help="number of pages")
    args = ap.parse_args()
    rng = random.Random(SEED)
    articles = read_articles()
    headlines = pool("headlines") + L.get("headlines_trad", [])
    if not articles:
        raise SystemExit("no articles in compose/components/articles")
    order = []
    while len(order) < args.n:
        batch = list(range(len(articles)))
        rng.shuffle(batch)
        order += batch
    pages = {}
    for i in range(args.n):
        # Each page has its own random stream, so a change to one component or one page
        # leaves the names, kinds and renderers of all other pages where they were.
        page_rng = random.Random(f"{SEED}-{i}")
        name, lines = build_page(page_rng, articles[order[i]], headlines, i)
        pages[name + ".tsv"] = render_tsv(lines, page_rng)
    existing = {p.name for p in OUT.glob("gen_*.tsv")}
    if args.check:
        bad = sorted(n for n, t in pages.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != t.encode("utf-8"))
        bad += sorted(existing - set(pages))
        if bad:
            print(f"{len(bad)} composed pages differ from the committed ones, e.g. {bad[:3]}", file=sys.stderr)
            return 1
        print(f"{len(pages)} composed pages match")
        return 0
    OUT.mkdir(exist_ok=True)
    for stale in existing - set(pages):
        (OUT / stale).unlink()
    for name, text in pages.items():
        with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    print(f"wrote {len(pages)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
