"""The ways hijackers put a spam string inside a legitimate line, one function per named mode.

Each mode edits the text of one or more lines of a page, marks the string as a span there and returns
the indices of the lines it changed, or ``None`` when the page has no line the mode fits (a page with
no nav line cannot have its menu hijacked). The line keeps its role label: the span is a finding
inside the line, not a new label for it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from pages import Row

REPORTERS = "张婷 李明 王芳 刘洋 陈静 杨帆 赵磊 黄蕾 周雯 吴凯 徐菲 孙浩 马骏 朱琳 胡斌 郭佳 林峰 何莉".split()
_HAN = re.compile(r"[\u4e00-\u9fff]")
_COPYRIGHT = re.compile(r"版权|Copyright|©|ICP|备案|All Rights|All rights|保留所有")
_SITE_END = re.compile(r"(网|报|新闻|在线|日报|晚报|时报|财讯|资讯|快报|周刊|热线|头条|之声|电视台)$")
_NOT_SITE_NAMES = {"今日头条", "滚动新闻", "企业资讯", "统计公报", "豆瓣网", "人人网", "开心网", "热点新闻", "图片新闻"}
_MENU_WORD = re.compile(r"^(\W*)([\u4e00-\u9fff]{2,6})(\W*)$")
_OUTLET_DATELINE = re.compile(
    r"^(\s*)(本报|本台|本网|新华社|中新社|中新网|[\u4e00-\u9fff]{2,8}(?:网|报))"
    r"(?=讯|[\u4e00-\u9fff]{0,4}\d{1,2}月\d{1,2}日[电讯])"
)
_LEAD_DATELINE = re.compile(r"【[^】]{1,40}】|[^\s（(]{2,40}?讯（[^）]{1,20}）|[^\s（(]{2,40}?\d{1,2}日电 ?")
_OUTLET_CREDIT = re.compile(r"^(\s*)([\u4e00-\u9fff]{1,10}?(?:网|报|台|社|新闻))讯(?=[（(]记者)")


@dataclass
class Page:
    """A page being hijacked, with the date its dateline uses."""

    rows: list[Row]
    year: int
    month: int
    day: int

    def live(self) -> list[int]:
        """Lines a hijacker can write into: every non-blank line that is not already a spam line."""
        return [i for i, r in enumerate(self.rows) if not r.blank and r.label != "spam"]

    def paragraphs(self) -> list[int]:
        """Body paragraphs long enough to be prose (not image lines or one-word subheadings)."""
        out = []
        for i, r in enumerate(self.rows):
            t = r.text.strip()
            if r.label == "body" and len(t) >= 15 and len(_HAN.findall(t)) >= 8 and t[0] not in "![#>*|":
                out.append(i)
        return out


def _alnum(ch: str) -> bool:
    """Latin letters and digits only: CJK characters are alphanumeric to Python but never blur a span's edge."""
    return ch.isascii() and ch.isalnum()


def joins_cleanly(left: str, span: str, right: str) -> bool:
    """False when a Latin/digit edge of the span would run into Latin/digit text (``js1234`` + ``2025年``)."""
    if left and _alnum(left[-1]) and _alnum(span[0]):
        return False
    return not (right and _alnum(right[0]) and _alnum(span[-1]))


def _put(row: Row, new_text: str, span: str, again: bool = False) -> bool:
    """Replace a line's text and mark the span.

    Refused when the span was already in the line (it would be an unplanned second occurrence) unless
    ``again`` says the mode repeats it on purpose, and when an earlier span of the line would be lost.
    """
    if (span in row.text and not again) or new_text.count(span) <= row.text.count(span):
        return False
    if any(s not in new_text for s in row.spans):
        return False
    row.text = new_text
    row.mark(span)
    return True


def _split_ws(text: str) -> tuple[str, str, str]:
    """Leading space, text, trailing space: renderers indent paragraphs, and the indent must stay in front."""
    core = text.strip()
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return lead, core, tail


def dateline(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The outlet's name in the lead's dateline replaced by the string: 【XX2025年03月18日讯】.

    A lead that opens with its own dateline (本报讯, 中新网11月9日电) gets the outlet word replaced, as a
    site-wide replacement does; other leads get a bracketed dateline in front.
    """
    paras = page.paragraphs()
    if not paras:
        return None
    i = paras[0]
    row = page.rows[i]
    if any(re.search(re.escape(s) + r"(\s?\d{4}|讯|\d{1,2}月)", row.text) for s in [*row.spans, span]):
        return None  # this lead already carries a hijacked dateline
    m = _OUTLET_DATELINE.match(row.text)
    if m and joins_cleanly("", span, row.text[m.end(2) :]):
        return [i] if _put(row, row.text[: m.start(2)] + span + row.text[m.end(2) :], span, again=True) else None
    y, mo, d = page.year, page.month, page.day
    forms = [
        f"【{span}{y}年{mo:02d}月{d:02d}日讯】",
        f"【{span}{y}年{mo}月{d}日讯】",
        f"{span}{y}年{mo}月{d}日电 ",
        f"【{span} {y}-{mo:02d}-{d:02d}】",
        f"{span}讯（{y}年{mo}月{d}日）",
    ]
    if _alnum(span[-1]):
        forms = [f for f in forms if f.startswith(f"【{span} ") or f.startswith(f"{span}讯")]
    lead, core, tail = _split_ws(row.text)
    return [i] if _put(row, lead + rng.choice(forms) + core + tail, span, again=True) else None


def reporter(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """A reporter credit in the outlet's name: (XX记者张婷综合报导), XX讯（记者 …）; an existing outlet is replaced."""
    paras = page.paragraphs()
    if not paras:
        return None
    i = paras[0]
    row = page.rows[i]
    m = _OUTLET_CREDIT.match(row.text)
    if m:
        return [i] if _put(row, row.text[: m.start(2)] + span + row.text[m.end(2) :], span, again=True) else None
    name = rng.choice(REPORTERS)
    credits = [
        f"({span}记者{name}综合报导)",
        f"（{span}记者 {name}）",
        f"（{span}特约撰稿{name}）",
        f"({span}记者{name}报导)",
    ]
    lead, core, tail = _split_ws(row.text)
    bracket = _LEAD_DATELINE.match(core)
    cut = bracket.end() if bracket else 0
    if not bracket:
        credits += [f"{span}讯（记者 {name}）", f"{span}讯 "]
    new = lead + core[:cut] + rng.choice(credits) + core[cut:] + tail
    return [i] if _put(row, new, span, again=True) else None


def _random_paragraph(page: Page, rng: random.Random, skip_lead: bool = True) -> int | None:
    """A prose paragraph, by default not the lead (the lead belongs to the dateline and reporter modes)."""
    paras = page.paragraphs()
    if skip_lead and len(paras) > 1:
        paras = paras[1:]
    return rng.choice(paras) if paras else None


def before_paragraph(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The string glued in front of a paragraph, bare or in the frames sites use for sponsors and sources."""
    i = _random_paragraph(page, rng)
    if i is None:
        return None
    lead, core, tail = _split_ws(page.rows[i].text)
    frame = rng.choice(["{s}", "{s} ", "【{s}】", "本文来源：{s} ", "（{s}）", "本站由{s}赞助", "转载请注明：{s} "])
    head = frame.format(s=span)
    if not joins_cleanly("", head, core):
        head = f"【{span}】"
    return [i] if _put(page.rows[i], lead + head + core + tail, span) else None


def after_paragraph(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The string appended to a paragraph: bare, in brackets, after a space or a dash."""
    i = _random_paragraph(page, rng, skip_lead=False)
    if i is None:
        return None
    lead, core, tail = _split_ws(page.rows[i].text)
    frame = rng.choice(["{s}", "{s}", "（{s}）", " {s}", "——{s}", "[{s}]"])
    end = frame.format(s=span)
    if not joins_cleanly(core, end, ""):
        end = f"（{span}）"
    return [i] if _put(page.rows[i], lead + core + end + tail, span) else None


def after_comma(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The string dropped in after a comma in the middle of a sentence, as keyword stuffing does."""
    paras = page.paragraphs()
    rng.shuffle(paras)
    for i in paras:
        text = page.rows[i].text
        cuts = [k + 1 for k, ch in enumerate(text[:-3]) if ch in "，,、" and k > 2]
        if not cuts:
            continue
        k = rng.choice(cuts)
        piece = span + rng.choice(["", "，", " "])
        if joins_cleanly(text[:k], piece, text[k:]):
            return [i] if _put(page.rows[i], text[:k] + piece + text[k:], span) else None
    return None


def menu_word(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """A menu word (首页 first, else a short channel name) in a nav line replaced by the string."""
    navs = [i for i in page.live() if page.rows[i].label == "nav"]
    homes = [i for i in navs if "首页" in page.rows[i].text]
    if homes:
        i = rng.choice(homes)
        new = re.sub(r"(网站|新闻)?首页", lambda _: span, page.rows[i].text, count=1)
        return [i] if _put(page.rows[i], new, span) else None
    words = [i for i in navs if _MENU_WORD.match(page.rows[i].text)]
    if not words:
        return None
    i = rng.choice(words)
    m = _MENU_WORD.match(page.rows[i].text)
    assert m is not None
    return [i] if _put(page.rows[i], m.group(1) + span + m.group(3), span) else None


def copyright_line(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The string inside the copyright or ICP line of the footer (a chrome line)."""
    lines = [i for i in page.live() if page.rows[i].label == "chrome" and _COPYRIGHT.search(page.rows[i].text)]
    if not lines:
        return None
    i = rng.choice(lines)
    text = page.rows[i].text
    lead, core, tail = _split_ws(text)
    options = [lead + core + " " + span + tail, lead + core + " 友情赞助：" + span + tail]
    if "版权所有" in core:
        options.append(text.replace("版权所有", f"{span} 版权所有", 1))
    year = re.search(r"(©|Copyright|\(C\))\s*(\d{4}(-\d{4})?)", core)
    if year:
        options.append(
            text[: text.find(year.group(2)) + len(year.group(2))]
            + " "
            + span
            + " "
            + text[text.find(year.group(2)) + len(year.group(2)) :].lstrip()
        )
    return [i] if _put(page.rows[i], rng.choice(options), span) else None


def title_line(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """The string inside the headline line: as the site suffix, or glued before or after the headline."""
    titles = [i for i in page.live() if page.rows[i].label == "title"]
    if not titles:
        return None
    i = titles[0]
    lead, core, tail = _split_ws(page.rows[i].text)
    sep = re.search(r"(_| - | \| |－|—)([^_|－—]{2,20})$", core)
    options = [f"{core}_{span}", f"{span}-{core}", f"{core} - {span}", f"【{span}】{core}"]
    if sep:
        options.append(core[: sep.start(2)] + span)
    return [i] if _put(page.rows[i], lead + rng.choice(options) + tail, span) else None


def _site_names(page: Page) -> list[str]:
    """Names the page itself prints for its site: short stand-alone nav lines and title suffixes."""
    names: set[str] = set()
    for i in page.live():
        row = page.rows[i]
        t = row.text.strip().lstrip("•·*- ").strip()
        if t.startswith("分享") or t in _NOT_SITE_NAMES:
            continue
        if row.label in ("nav", "chrome") and 3 <= len(t) <= 10 and _SITE_END.search(t) and _HAN.match(t):
            names.add(t)
        if row.label == "title":
            m = re.search(r"(?:_| - | \| |－)([\u4e00-\u9fff]{3,10})$", t)
            if m and _SITE_END.search(m.group(1)):
                names.add(m.group(1))
    return sorted(names)


def repeated(page: Page, span: str, rng: random.Random) -> list[int] | None:
    """A site-wide replacement: the site's own name becomes the string in every line that prints it.

    When the page prints its name in fewer than two lines, the string goes into three to five lines
    through the other modes, as a template-level injection does.
    """
    best, hits = "", list[int]()
    for name in _site_names(page):
        where = [i for i in page.live() if name in page.rows[i].text]
        if len(where) > len(hits):
            best, hits = name, where
    if len(hits) >= 2 and not any(span in page.rows[i].text for i in hits):
        for i in hits:
            _put(page.rows[i], page.rows[i].text.replace(best, span), span)
        return hits
    changed: list[int] = []
    makers: list[Mode] = [dateline, after_paragraph, after_paragraph, before_paragraph, copyright_line, title_line]
    rng.shuffle(makers)
    for make in makers:
        got = make(page, span, rng)
        changed += got or []
        if len(set(changed)) >= rng.randint(3, 5):
            break
    return sorted(set(changed)) if len(set(changed)) >= 2 else None


Mode = Callable[[Page, str, random.Random], "list[int] | None"]
MODES: dict[str, Mode] = {
    "dateline": dateline,
    "reporter": reporter,
    "before_para": before_paragraph,
    "after_para": after_paragraph,
    "after_comma": after_comma,
    "menu": menu_word,
    "copyright": copyright_line,
    "title": title_line,
    "repeated": repeated,
}
# Which families hijackers use for which mode (outlet-name slots take names, not phone numbers).
MODE_FAMILIES: dict[str, tuple[str, ...]] = {
    "dateline": ("casino", "casino", "casino", "lottery", "seo", "adult"),
    "reporter": ("casino", "casino", "lottery", "seo"),
    "before_para": ("casino", "lottery", "adult", "pharmacy", "invoice", "loan", "seo", "contact"),
    "after_para": ("casino", "lottery", "adult", "pharmacy", "invoice", "loan", "seo", "contact"),
    "after_comma": ("casino", "lottery", "adult", "pharmacy", "invoice", "loan", "seo", "contact"),
    "menu": ("casino", "casino", "lottery", "adult", "seo"),
    "copyright": ("casino", "seo", "seo", "contact", "invoice", "lottery"),
    "title": ("casino", "casino", "lottery", "adult", "seo", "pharmacy"),
    "repeated": ("casino", "casino", "casino", "lottery", "seo"),
}
