"""Peak memory of ``cleanews clean`` on one huge page, against the page's size.

Each size gets a page made of the seed pages repeated, written to a temporary folder,
and cleaned by ``python -m cleanews clean PAGE -o OUT`` in a fresh process; the peak
resident memory of that process (``ru_maxrss``) is read by a small parent process of its
own, so that one run's peak cannot hide another's. The model's share is measured the
same way on a one-line page, and the table gives what the page itself cost, per MB.

    python benchmarks/memory.py                    # 1, 10, 100 and 200 MB (minutes)
    python benchmarks/memory.py --sizes 1,10       # a quick look
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024

_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_page(path: Path, size: int) -> int:
    """A page of about ``size`` bytes: the seed pages, repeated; returns its exact size."""
    seeds = b"\n".join(p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt")))
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            fh.write(seeds)
            written += len(seeds)
    return written


def peak_mb(page: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of cleaning ``page`` in a fresh process."""
    command = [sys.executable, "-m", "cleanews", "clean", str(page), "-o", str(out)]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, int(result.stdout.strip()) / 1024  # ru_maxrss is in KB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100,200", help="page sizes in MB, comma-separated")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = folder / "tiny.txt"
        tiny.write_text("正文第一段，记者从会上获悉。\n", encoding="utf-8")
        _, base = peak_mb(tiny, folder / "tiny.out")
        print(f"model and interpreter alone: {base:.0f} MB peak")
        print("| page MB | seconds | peak MB | peak - model, MB | per MB of page |")
        print("|--------:|--------:|--------:|-----------------:|---------------:|")
        for size in sizes:
            page = folder / "page.txt"
            exact = make_page(page, int(size * MB)) / MB
            seconds, peak = peak_mb(page, folder / "page.out")
            extra = peak - base
            row = f"| {exact:7.1f} | {seconds:7.1f} | {peak:7.0f} | {extra:16.0f} | {extra / exact:14.1f} |"
            print(row, flush=True)
            page.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
