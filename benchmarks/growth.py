"""Growth: time and peak memory labelling one page of 1 KB .. 100 MB, each in a fresh process.

The page is made by repeating the dev pages; the child process is started through the
launcher of ``timing.py`` so that its peak RSS is its own. Part of ``speed.py``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import common
from timing import MAXRSS_SCALE, launch

import cleanews

SIZES = (("1 KB", 1_000), ("1 MB", 1_000_000), ("10 MB", 10_000_000), ("100 MB", 100_000_000))


def section(title: str) -> None:
    print()
    print(title)
    print("=" * len(title))


def mb(n: float) -> float:
    return n / 1e6


def build_page(pages: Sequence[common.DevPage], size: int, path: Path) -> int:
    """Write one page of about `size` bytes, the dev pages repeated, cut at a line end; return its size.

    Written page by page, so this process never holds the big page.
    """
    total = 0
    with open(path, "wb") as fh:
        while total < size:
            for p in pages:
                chunk = p.data if p.data.endswith(b"\n") else p.data + b"\n"
                if total + len(chunk) > size:
                    cut = chunk.rfind(b"\n", 0, size - total)
                    chunk = chunk[: cut + 1] if cut >= 0 else b""
                    fh.write(chunk)
                    return total + len(chunk)
                fh.write(chunk)
                total += len(chunk)
    return total


def growth_child(path: str) -> None:
    """In a fresh process: load the model, label one page, print time and memory as JSON."""
    model = cleanews.load_model()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_SCALE
    data = Path(path).read_bytes()
    t0 = time.perf_counter()
    result = cleanews.label_page(data, model)
    elapsed = time.perf_counter() - t0
    lines = sum(1 for line in result.lines if not line.blank)
    print(json.dumps({"seconds": elapsed, "base": base, "lines": lines}))


def growth(pages: Sequence[common.DevPage], max_mb: float, timeout: float) -> None:
    section("Growth: one page of each size (dev pages repeated), each in a fresh process, one core")
    rows, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="cleanews-growth-") as tmp:
        for label, size in SIZES:
            if size > max_mb * 1e6:
                skipped.append(label)
                continue
            path = Path(tmp) / f"page-{size}.txt"
            real = build_page(pages, size, path)
            cmd = [sys.executable, str(Path(__file__).with_name("speed.py")), "--growth-child", str(path)]
            try:
                run = launch(cmd, timeout=timeout)
            except subprocess.TimeoutExpired:
                rows.append([label, real, None, None, None, None, None, None, None, f"timed out after {timeout:.0f} s"])
                continue
            except subprocess.CalledProcessError as exc:
                err = ((exc.stderr or "").strip().splitlines() or ["?"])[-1]
                rows.append([label, real, None, None, None, None, None, None, None, f"failed: {err[:60]}"])
                continue
            finally:
                path.unlink(missing_ok=True)
            r = json.loads(run["stdout"].strip().splitlines()[-1])
            r["peak"] = run["maxrss"]
            extra = r["peak"] - r["base"]
            rows.append(
                [
                    label,
                    real,
                    r["lines"],
                    r["seconds"],
                    r["seconds"] / mb(real),
                    mb(real) / r["seconds"],
                    mb(r["base"]),
                    mb(r["peak"]),
                    mb(extra),
                    f"{extra / real:.1f}x page" if real >= 1e6 else "",
                ]
            )
    print(
        common.table(
            ["page", "bytes", "lines", "time s", "s/MB", "MB/s", "RSS loaded MB", "peak RSS MB", "peak-loaded MB", ""],
            rows,
            floatfmt=".2f",
        )
    )
    print("time: label_page on the page's bytes (decoding included, model load excluded); RSS from ru_maxrss.")
    print("The repeated dev pages repeat lines, so per-page caches of line features help more than on real pages.")
    if skipped:
        print(f"skipped (over --max-mb {max_mb:g}): {', '.join(skipped)}")
