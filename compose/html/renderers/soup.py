"""BeautifulSoup `get_text("\\n")`: every text node on its own line, blanks kept as they come."""

from __future__ import annotations

from importlib.metadata import version as dist_version

from bs4 import BeautifulSoup


def render(html: str, variant: int) -> str:
    return BeautifulSoup(html, "lxml").get_text("\n")


def version() -> str:
    return f"beautifulsoup4 {dist_version('beautifulsoup4')} (lxml {dist_version('lxml')})"
