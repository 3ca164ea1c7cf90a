"""`w3m -dump`: the text browser many crawlers shell out to; lays tables out as grids."""

from __future__ import annotations

import subprocess

WIDTHS = (80, 100, 64)


def render(html: str, variant: int) -> str:
    cols = WIDTHS[variant % len(WIDTHS)]
    cmd = ["w3m", "-dump", "-T", "text/html", "-O", "UTF-8", "-I", "UTF-8", "-cols", str(cols)]
    done = subprocess.run(cmd, input=html.encode("utf-8"), capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def version() -> str:
    done = subprocess.run(["w3m", "-version"], capture_output=True, check=True, text=True)
    return done.stdout.split(",")[0].strip()
