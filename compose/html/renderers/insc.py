"""inscriptis: layout-aware text (tables as aligned columns, `*` bullets)."""

from __future__ import annotations

from importlib.metadata import version as dist_version

from inscriptis import get_text


def render(html: str, variant: int) -> str:
    return get_text(html)


def version() -> str:
    return f"inscriptis {dist_version('inscriptis')}"
