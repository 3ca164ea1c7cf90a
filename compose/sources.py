"""The components pages are composed of: word lists and articles from compose/components/.

A list file holds sections (``## name``) of one item a line; ``# `` lines are comments.
An article file is a header of ``key: value`` lines, ``---``, then its paragraphs
(``## `` a heading, ``[img]`` a caption, ``> `` a quote).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENTS = HERE / "components"
LIST_FILES = ("nav", "chrome", "meta", "links", "spam", "spam2", "region")


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


LISTS: dict[str, list[str]] = {}
"""Every section of every list file, by name (a later file's section replaces an earlier one's)."""
for _name in LIST_FILES:
    LISTS.update(read_lists(_name))


def pool(name: str, fallback: list[str] | None = None) -> list[str]:
    items = LISTS.get(name) or fallback or []
    if not items:
        raise SystemExit(f"component list {name!r} is missing or empty")
    return items
