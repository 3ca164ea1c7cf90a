"""Shared pieces of the benchmarks: where the data is, the peers, tables, and caches.

The peers are what a user would run instead of cleanews on the same text, each given
the page's lines and answering, line by line, "keep" (predicted body) or "drop":

- jusText in its language-independent mode (empty stoplist, ``stopwords_low=0``,
  ``stopwords_high=0``), each line one ``<p>`` paragraph of an HTML page;
- trafilatura on the same HTML page, its extracted text mapped back to the lines;
- the line rule of LLM-data pipelines: keep a line with at least 15 CJK characters
  that ends in terminal punctuation.

Nothing here copies corpus text into the repository: the dev corpus is read at run time.
"""

from __future__ import annotations

import functools
import html
import os
import platform
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"
SCORER = SHARED / "bench" / "score.py"
TRAINING_DATA = ROOT / "training_data"
SEED_PAGE = ROOT / "seeds" / "002_5aacf02890d5d153.txt"
CACHE = Path(os.environ.get("CLEANEWS_BENCH_CACHE", "/tmp/cleanews-bench"))


# -- the command line and the run ------------------------------------------------
def print_header(title: str) -> None:
    """The exact command, where it ran and with which versions: the first lines of every table."""
    exe = sys.executable
    with suppress(ValueError):
        exe = os.path.relpath(exe)
    print(f"# {title}")
    print(f"$ {shlex.join([exe, *sys.argv])}")
    print(f"  (cwd {os.getcwd()}; Python {platform.python_version()}; {platform.platform(terse=True)}; {cpu_name()})")
    print(f"  versions: {versions()}")
    if hasattr(os, "getloadavg"):
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  load average at start: {load} on {os.cpu_count()} CPUs (other work on the machine skews timings)")
    print()


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in ("cleanews", "scikit-learn", "numpy", "jusText", "trafilatura"):
        try:
            out.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist} not installed")
    return ", ".join(out)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], floatfmt: str = ".3f") -> str:
    """A plain-text table with right-aligned numbers and left-aligned text."""

    def cell(v: object) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return format(v, floatfmt)
        return str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) or row[i] is None for row in rows) for i in range(len(headers))]

    def fmt(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    line = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(headers), line, *(fmt(r) for r in cells)])


# -- data ------------------------------------------------------------------------
@dataclass(frozen=True)
class DevPage:
    """A dev-corpus page: its name, the bytes of pages/<name>.txt, and its gold labelled page."""

    name: str
    data: bytes
    gold_path: Path


def dev_pages() -> list[DevPage] | None:
    """The dev corpus pages that have both text and gold labels, or None when the corpus is absent."""
    labels, pages = DEV / "labels", DEV / "pages"
    if not labels.is_dir() or not pages.is_dir():
        return None
    out = []
    for gold in sorted(labels.glob("*.tsv")):
        text = pages / (gold.stem + ".txt")
        if text.is_file():
            out.append(DevPage(gold.stem, text.read_bytes(), gold))
    return out or None


def clear_caches(prefixes: Sequence[str] = ("cleanews", "justext", "trafilatura", "htmldate", "courlan")) -> None:
    """Empty every functools cache in these packages, so repeated timed passes see cold text."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(tuple(prefixes)):
            continue
        for attr in list(vars(module).values()):
            clear = getattr(attr, "cache_clear", None)
            if callable(clear) and hasattr(attr, "cache_info"):
                clear()


# -- the peers -------------------------------------------------------------------
def html_page(lines: Sequence[str]) -> tuple[str, list[int]]:
    """An HTML page with one <p> per non-blank line, and the line index of each paragraph."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>\n']
    index = []
    for i, line in enumerate(lines):
        if line.strip():
            parts.append(f"<p>{html.escape(line, quote=False)}</p>\n")
            index.append(i)
    parts.append("</body></html>\n")
    return "".join(parts), index


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


_P_INDEX = re.compile(r"/p\[(\d+)\]$")


def justext_run(page_html: str) -> list:
    import justext

    return justext.justext(page_html, frozenset(), stopwords_low=0, stopwords_high=0)


def justext_keep(
    lines: Sequence[str], page_html: str, index: Sequence[int], paragraphs: list | None = None
) -> list[bool]:
    """jusText's verdict per line: a line is kept when its paragraph is classified good."""
    paragraphs = justext_run(page_html) if paragraphs is None else paragraphs
    keep = [False] * len(lines)
    for par in paragraphs:
        m = _P_INDEX.search(par.xpath)
        if m and not par.is_boilerplate:
            k = int(m.group(1)) - 1  # xpath counts from 1
            if 0 <= k < len(index):
                keep[index[k]] = True
    return keep


def trafilatura_run(page_html: str) -> str:
    import trafilatura

    # Defaults, except comment sections, which are not part of the article.
    return trafilatura.extract(page_html, include_comments=False) or ""


_SPACE = re.compile(r"\s+")
_INVISIBLE = regex.compile(r"[\p{Co}\p{Cf}\p{Cc}\p{Cs}]")


def _squeeze(text: str) -> str:
    """The comparable form of a line: no private-use or invisible characters, spaces squeezed."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", _SPACE.sub(" ", html.unescape(text)))).strip()


def trafilatura_keep(lines: Sequence[str], extracted: str | None = None, page_html: str | None = None) -> list[bool]:
    """trafilatura's verdict per line: the lines its extracted text gives back.

    Each extracted line marks the first not yet marked page line with the same text,
    looking forward from the previous match first (trafilatura keeps page order, but
    can move table cells), compared without invisible characters and entities.
    """
    if extracted is None:
        extracted = trafilatura_run(page_html if page_html is not None else html_page(lines)[0])
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        key = _squeeze(line)
        if key:
            where.setdefault(key, []).append(i)
    keep = [False] * len(lines)
    at = 0
    for raw in extracted.splitlines():
        spots = where.get(_squeeze(raw))
        if not spots:
            continue
        free = [i for i in spots if not keep[i]]
        if not free:
            continue
        i = next((i for i in free if i >= at), free[0])
        keep[i] = True
        at = i + 1
    return keep


_HAN = regex.compile(r"\p{Han}")
_TERMINAL = regex.compile(r"[。！？!?…．][”’」』\"'）)》]*$")
MIN_CJK = 15


def rule_keep_line(line: str) -> bool:
    """The line rule: at least 15 CJK characters, ending in terminal punctuation (closing quotes allowed)."""
    s = line.strip()
    return bool(_TERMINAL.search(s)) and len(_HAN.findall(s)) >= MIN_CJK


def rule_keep(lines: Sequence[str]) -> list[bool]:
    return [rule_keep_line(line) for line in lines]


@dataclass(frozen=True)
class Peer:
    name: str
    available: bool
    note: str
    keep: Callable[[Sequence[str]], list[bool]]


def _justext_lines(lines: Sequence[str]) -> list[bool]:
    page_html, index = html_page(lines)
    return justext_keep(lines, page_html, index)


def _trafilatura_lines(lines: Sequence[str]) -> list[bool]:
    return trafilatura_keep(lines, page_html=html_page(lines)[0])


@functools.cache
def peers() -> list[Peer]:
    hint = 'not installed: pip install ".[bench]"'
    return [
        Peer("jusText", have("justext"), "" if have("justext") else hint, _justext_lines),
        Peer("trafilatura", have("trafilatura"), "" if have("trafilatura") else hint, _trafilatura_lines),
        Peer("line rule", True, "", rule_keep),
    ]
