"""Time one folder of pages cleaned in-process and on a Ray cluster with 1 and 2 workers.

The folder is made at run time from copies of ``../shared/corpus/dev/pages`` (107 real
pages, 2.7 MB; ten copies by default, 1,070 pages), so the runs clean exactly the same bytes. Each run writes one
JSON Lines file with a row per page; the Ray rows are checked against the in-process
ones (labels and confidences, line for line) before a time is reported.

    python benchmarks/ray_bench.py                          # local cluster, 1 and 2 workers, 1,070 pages
    python benchmarks/ray_bench.py --copies 1 --limit 30    # a quick look
    python benchmarks/ray_bench.py --copies 4 --workers 1,2,4 --address auto   # a running cluster

Times are wall-clock seconds on whatever else the machine is doing: the load average
is printed with them. A Ray run's time includes starting its actors (each loads the
model) but not starting the cluster, which is timed on its own line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import cleanews
from cleanews.run.ray import RayNotInstalled, clean_folder_with_ray, clean_one, connected

ROOT = Path(__file__).resolve().parents[1]
DEV_PAGES = ROOT.parent / "shared" / "corpus" / "dev" / "pages"
TARGET = 1.7  # two Ray workers over one, on a 2-core machine (issue 17)


def make_folder(src: Path, dest: Path, copies: int, limit: int | None) -> list[Path]:
    """``copies`` copies of the first ``limit`` pages of ``src`` (in name order) under ``dest``."""
    pages = sorted(src.glob("*.txt"))[:limit]
    if not pages:
        raise SystemExit(f"no pages (*.txt) in {src}")
    out = []
    for k in range(copies):
        folder = dest / f"copy{k:02d}"
        folder.mkdir(parents=True)
        for p in pages:
            shutil.copyfile(p, folder / p.name)
            out.append(folder / p.name)
    return sorted(out)


def in_process(files: list[Path], model: cleanews.Model, output: Path) -> dict[str, dict]:
    """The same rows as the Ray helper writes, from one process: the baseline."""
    rows = {}
    options = cleanews.CleanOptions()
    with output.open("w", encoding="utf-8") as fh:
        for f in files:
            row = {"path": str(f.resolve()), **asdict(clean_one(f.read_bytes(), model, options))}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows[row["path"]] = row
    return rows


def read_rows(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as fh:
        return {r["path"]: r for r in map(json.loads, fh)}


def same(a: dict[str, dict], b: dict[str, dict]) -> bool:
    keys = ("labels", "confidences", "kept", "cleaned", "error")
    return a.keys() == b.keys() and all(all(a[k][c] == b[k][c] for c in keys) for k in a)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=DEV_PAGES, help="folder of pages to copy (default: the dev corpus)")
    ap.add_argument("--copies", type=int, default=10, help="copies of the folder to clean (default 10)")
    ap.add_argument("--limit", type=int, default=None, help="take only the first N pages of the folder")
    ap.add_argument("--workers", default="1,2", help="Ray worker counts to time, comma-separated (default 1,2)")
    ap.add_argument("--model", type=Path, default=None, help="model file (default: the shipped model)")
    ap.add_argument("--address", default=None, help="a running Ray cluster (default: start a local one)")
    args = ap.parse_args()
    workers = [int(w) for w in args.workers.split(",") if w.strip()]

    model = cleanews.load_model(args.model)
    with tempfile.TemporaryDirectory(prefix="cleanews-ray-bench-") as tmp:
        files = make_folder(args.pages, Path(tmp) / "pages", args.copies, args.limit)
        size = sum(f.stat().st_size for f in files)
        print(f"{len(files)} pages, {size / 1e6:.2f} MB; {os.cpu_count()} CPUs; model {model.path}")
        results: list[tuple[str, str, float, bool]] = []

        t = time.perf_counter()
        baseline = in_process(files, model, Path(tmp) / "in-process.jsonl")
        base_s = time.perf_counter() - t
        results.append(("in-process", "1 process", base_s, True))

        try:
            t = time.perf_counter()
            with connected(args.address, max(workers)) as ray:
                ray.cluster_resources()
                start_s = time.perf_counter() - t
                cpus = int(ray.cluster_resources().get("CPU", 0))
                for w in workers:
                    out = Path(tmp) / f"ray-{w}.jsonl"
                    t = time.perf_counter()
                    clean_folder_with_ray(Path(tmp) / "pages", out, num_workers=w, model_path=model.path)
                    results.append(
                        (
                            "ray",
                            f"{w} worker{'s' if w > 1 else ''}",
                            time.perf_counter() - t,
                            same(baseline, read_rows(out)),
                        )
                    )
        except RayNotInstalled as exc:
            print(f"ray: {exc}", file=sys.stderr)
            return 1

    where = args.address or f"local cluster, {cpus} CPUs"
    print(f"Ray cluster start ({where}): {start_s:.1f} s (not counted below)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(f"{'engine':<11} {'workers':<10} {'seconds':>8} {'pages/s':>8} {'MB/s':>6} {'speed-up':>8}  same rows")
    for engine, label, secs, ok in results:
        print(
            f"{engine:<11} {label:<10} {secs:>8.1f} {len(files) / secs:>8.2f} {size / 1e6 / secs:>6.3f}"
            f" {base_s / secs:>7.2f}x  {'yes' if ok else 'NO'}"
        )
    ray_times = {label: secs for engine, label, secs, _ in results if engine == "ray"}
    if "1 worker" in ray_times and "2 workers" in ray_times:
        ratio = ray_times["1 worker"] / ray_times["2 workers"]
        verdict = "met" if ratio >= TARGET and all(ok for *_, ok in results) else "NOT met"
        print(f"\nIssue 17: 2 workers / 1 worker = {ratio:.2f}x, target >= {TARGET}x, rows identical: {verdict}")
    return 0 if all(ok for *_, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
