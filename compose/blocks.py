"""A page as blocks of labelled items, and what every block maker needs to know of its page."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from sources import Article, pool


@dataclass
class Block:
    """A run of page content with one role; items are (label, text) pairs."""

    kind: str  # menu, lines, paras, title, table, rule
    items: list[tuple[str, str]]
    style: dict[str, Any] = field(default_factory=dict)


class PageBase:
    """One random site around one article: its name, domain, date and channels, and the
    helpers that fill templates with them. The block makers are mixins on top of this."""

    def __init__(self, rng: random.Random, article: Article, kind: str, renderer: str, others: list[str]) -> None:
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

    def make_domain(self) -> str:
        rng = self.rng
        syll = (
            "xin hua ren min dong nan bei zhong guo ri bao wan cheng shi jiang he hai tian yun shan qing ming".split()
        )
        name = "".join(rng.choice(syll) for _ in range(rng.randint(1, 3)))
        return (
            rng.choice(["www.", "news.", "", "m."])
            + name
            + rng.choice([".com", ".cn", ".com.cn", ".net", ".gov.cn", ".org"])
        )

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
            "date": rng.choice(
                [self.date, self.date.replace("-", "/"), f"{y}年{int(self.date[5:7])}月{int(self.date[8:10])}日"]
            ),
            "time": self.time + rng.choice(["", f":{rng.randint(0, 59):02d}"]),
            "source": self.article.meta.get("source") or rng.choice(pool("sources")),
            "author": self.article.meta.get("author") or rng.choice(pool("person_names")),
            "editor": self.article.meta.get("editor") or rng.choice(pool("person_names")),
            "n": str(rng.choice([rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10000, 999999)])),
            "icp": rng.choice(["京", "沪", "粤", "浙", "苏", "鲁", "豫", "川", "蒙", "鄂", "湘", "闽"])
            + rng.choice(["ICP备", "ICP证", "ICP备案号："])
            + f"{rng.randint(5, 25):02d}{rng.randint(10000, 99999)}号"
            + rng.choice(["", "-1", "-2"]),
            "police": rng.choice(["京", "沪", "粤", "浙", "苏", "鲁", "豫"])
            + f"公网安备 {rng.randint(11000000000000, 65999999999999)}号",
            "phone": rng.choice(
                [
                    f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}",
                    f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                ]
            ),
            "email": rng.choice(["news", "tougao", "jubao", "service", "editor", "webmaster"])
            + "@"
            + self.domain.split(".", 1)[-1],
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
        folder = rng.choice(["news", "a", "c", "html", "content", "article", "n1"])
        month = rng.randint(100, 1299)
        number = rng.randint(10000, 9999999)
        ext = rng.choice(["html", "shtml", "htm"])
        return f"http://{self.domain}/{folder}/{self.year}{month:04d}/{number}.{ext}"

    def page_url(self) -> str:
        return self.url()

    def image_mark(self, style: str) -> str:
        rng = self.rng
        if style == "code":
            return (
                "["
                + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(8, 22)))
                + "]"
            )
        if style == "md":
            return (
                f"[![](http://img.{self.domain.split('.', 1)[-1]}/{rng.randint(10**6, 10**9)}.jpg)]({self.page_url()})"
                if rng.random() < 0.5
                else "![](//img.cdn.com/p.jpg)"
            )
        return rng.choice(["[图片]", "[img]", "[image]", "[pic]", "[缩略图]"])
