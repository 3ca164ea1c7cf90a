"""Text pools for the HTML page generator.

All text comes from the project's own component files (`compose/components/`) and from
the files in `compose/html/data/`, which were written for this generator.  Nothing here
is copied from real pages.  A `Pools` object binds the pools to one page's random
generator, so every template draws its text through the same seeded source and a page
is reproducible from its seed alone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENTS = HERE.parent / "components"
DATA = HERE / "data"


@dataclass
class Article:
    """One article: headline, facts for the byline, and its body blocks in order.

    Block kinds: p (paragraph), h (subheading), img (image caption), quote, ul / ol
    (list items joined by newlines), table (rows of cells separated by ' | '), code.
    """

    title: str
    meta: dict[str, str]
    blocks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def trad(self) -> bool:
        return self.meta.get("script") == "trad"


def _read_sections(path: Path) -> dict[str, list[str]]:
    """Read `## section` lists: the one format all component and data lists share."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("## "):
            current = sections.setdefault(raw[3:].strip(), [])
        elif raw.startswith("# ") or not raw.strip() or current is None:
            continue
        else:
            current.append(raw.rstrip())
    return sections


@cache
def lists() -> dict[str, list[str]]:
    """All named lists, keyed `file.section` (e.g. `nav.channels`, `forum.replies`)."""
    out: dict[str, list[str]] = {}
    for path in sorted(COMPONENTS.glob("*.txt")) + sorted(DATA.glob("*.txt")):
        for name, items in _read_sections(path).items():
            out[f"{path.stem}.{name}"] = items
    return out


def _body_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Parse the body part of an article file into typed blocks (see `Article`)."""
    blocks: list[tuple[str, str]] = []
    code: list[str] | None = None
    for raw in lines:
        if raw.strip().startswith("```"):
            if code is None:
                code = []
            else:
                blocks.append(("code", "\n".join(code)))
                code = None
            continue
        if code is not None:
            code.append(raw.rstrip())
            continue
        line = raw.strip()
        if not line:
            continue
        kind, text = _classify(line)
        if blocks and kind in ("ul", "ol", "table") and blocks[-1][0] == kind:
            blocks[-1] = (kind, blocks[-1][1] + "\n" + text)
        else:
            blocks.append((kind, text))
    return blocks


def _classify(line: str) -> tuple[str, str]:
    if line.startswith("## "):
        return "h", line[3:].strip()
    if line.startswith("[img]"):
        return "img", line[5:].strip()
    if line.startswith("> "):
        return "quote", line[2:].strip()
    if line.startswith("- "):
        return "ul", line[2:].strip()
    if re.match(r"\d+\. ", line):
        return "ol", line.split(" ", 1)[1].strip()
    if line.startswith("| "):
        return "table", line[2:].strip()
    return "p", line


def parse_articles(text: str) -> list[Article]:
    """Split a file of one or more articles (separated by `===`) into `Article`s."""
    arts = []
    for chunk in re.split(r"^===\s*$", text, flags=re.M):
        if not chunk.strip():
            continue
        head, _, body = chunk.strip("\n").partition("\n---\n")
        meta: dict[str, str] = {}
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                meta[key.strip()] = value.strip()
        if "title" in meta:
            arts.append(Article(meta["title"], meta, _body_blocks(body.splitlines())))
    return arts


@cache
def articles() -> dict[str, list[Article]]:
    """Articles by `kind`; `trad` collects every article in traditional characters."""
    by_kind: dict[str, list[Article]] = {}
    paths = sorted((COMPONENTS / "articles").glob("*.txt")) + sorted((DATA / "articles").glob("*.txt"))
    for path in paths:
        for art in parse_articles(path.read_text(encoding="utf-8")):
            by_kind.setdefault(art.meta.get("kind", "news"), []).append(art)
            if art.trad:
                by_kind.setdefault("trad", []).append(art)
    return by_kind


class Pools:
    """The text source of one page: seeded picks from the lists, placeholders filled."""

    def __init__(self, rng: random.Random, site: str, domain: str, trad: bool = False) -> None:
        self.rng = rng
        self.site = site
        self.domain = domain
        self.trad = trad
        self.year = str(rng.randint(2016, 2025))

    def items(self, name: str) -> list[str]:
        """A list by name; a traditional-script site reads `trad.<section>` when there is one."""
        if self.trad:
            alt = "trad." + name.split(".", 1)[-1]
            name = alt if lists().get(alt) else name
        found = lists().get(name)
        if not found:
            raise SystemExit(f"text list {name!r} is missing or empty")
        return found

    def pick(self, name: str, k: int = 1) -> list[str]:
        """k distinct items of a list (fewer if the list is shorter), placeholders filled."""
        pool = self.items(name)
        chosen = self.rng.sample(pool, min(k, len(pool)))
        return [self.fill(x) for x in chosen]

    def one(self, name: str) -> str:
        return self.pick(name, 1)[0]

    def article(self, kind: str, used: set[str]) -> Article:
        """An article of the kind not yet used by this template, so pages differ."""
        pool = [a for a in articles()[kind] if a.title not in used] or articles()[kind]
        art = self.rng.choice(pool)
        used.add(art.title)
        return art

    def date(self) -> str:
        r = self.rng
        return f"{self.year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def time(self) -> str:
        return f"{self.rng.randint(6, 23):02d}:{self.rng.randint(0, 59):02d}"

    def url(self, ext: str = "html") -> str:
        r = self.rng
        sect = r.choice(["news", "a", "c", "content", "article", "n1", "p"])
        return f"https://{self.domain}/{sect}/{self.year}{r.randint(101, 1231):04d}/{r.randint(10000, 999999)}.{ext}"

    def fill(self, template: str) -> str:
        """Replace `{placeholder}`s the way compose/README.md defines them."""
        r = self.rng
        values = {
            "site": self.site,
            "domain": self.domain,
            "year": self.year,
            "date": self.date(),
            "time": self.time(),
            "n": str(r.randint(3, 98765)),
            "icp": f"{r.choice('京沪粤浙苏鲁豫川鄂湘')}ICP备{r.randint(10000000, 99999999)}号-{r.randint(1, 9)}",
            "police": f"{r.choice('京沪粤浙苏鲁')}公网安备 {r.randint(11000000000000, 65999999999999)}号",
            "phone": f"0{r.randint(10, 999)}-{r.randint(2000000, 89999999)}",
            "email": f"{r.choice(['news', 'tougao', 'service', 'admin'])}@{self.domain.removeprefix('www.')}",
        }
        lazy = {
            "source": "meta.sources",
            "author": "meta.person_names",
            "editor": "meta.person_names",
            "province": "region.provinces",
            "city": "region.cities",
            "headline": "links.headlines",
            "addr": "chrome.addresses",
        }

        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            if key in values:
                return values[key]
            if key in lazy and lists().get(lazy[key]):
                return r.choice(lists()[lazy[key]])
            return m.group(0)

        once = re.sub(r"\{(\w+)\}", sub, template)
        return re.sub(r"\{(\w+)\}", sub, once)  # a filled item may hold a placeholder ({addr} holds {n})
