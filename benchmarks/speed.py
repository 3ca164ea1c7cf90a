"""Speed of cleanews beside the tools a user would pick instead, on one core.

- throughput (MB/s, pages/s) over the dev pages, in-process: cleanews ``label_page`` on
  each page's bytes, and the peers of ``common.py`` on the same text (jusText and
  trafilatura on an HTML page with one <p> per line, built before timing); the ratio
  cleanews/peer is measured pair by pair, the two passes alternating, in one run;
- cold start: ``cleanews clean seeds/002_5aacf02890d5d153.txt`` as a new process, wall time;
- growth: time and peak memory (``ru_maxrss``) labelling one page of 1 KB .. 100 MB made
  by repeating the dev pages, each size in a fresh process;
- ``cleanews clean DIR -o OUT --jobs 1`` vs ``--jobs 2`` on a copy of the dev pages.

Everything runs pinned to one CPU with every thread pool at one thread, except the
``--jobs`` runs, which may use the CPUs this process was given.

    python benchmarks/speed.py [--max-mb 100] [--repeats 3] [--only throughput,cold,growth,jobs] [--profile]
"""

from __future__ import annotations

import os
import sys

# One thread in every native pool, set before numpy / scikit-learn are imported.
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)
for _var in THREAD_VARS:
    os.environ[_var] = "1"
ALL_CPUS: set[int] | None = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import common  # noqa: E402

import cleanews  # noqa: E402
from cleanews.text.lines import split_lines  # noqa: E402

SIZES = (("1 KB", 1_000), ("1 MB", 1_000_000), ("10 MB", 10_000_000), ("100 MB", 100_000_000))
SECTIONS = ("throughput", "cold", "growth", "jobs", "profile")


def pin_one_core(cpu: int | None) -> str:
    """Pin this process (and so its children) to one CPU; say which."""
    if ALL_CPUS is None:
        return "CPU affinity not available on this system: not pinned (thread pools at 1 thread)"
    chosen = cpu if cpu is not None else max(ALL_CPUS)
    os.sched_setaffinity(0, {chosen})
    return f"pinned to CPU {chosen} of {sorted(ALL_CPUS)}; {', '.join(THREAD_VARS[:3])}... = 1"


def cleanews_exe() -> str:
    exe = Path(sys.executable).parent / "cleanews"
    return str(exe) if exe.is_file() else (shutil.which("cleanews") or "cleanews")


def section(title: str) -> None:
    print()
    print(title)
    print("=" * len(title))


def mb(n: float) -> float:
    return n / 1e6


# -- measuring a child process -------------------------------------------------------
# On Linux a child's ru_maxrss starts from its parent's peak RSS at fork (the parent's
# high-water mark is folded in at exec), so a child of this large process would report
# our memory, not its own. A small launcher process in between resets it: the launcher
# runs the command and reports the wall time and the wait4() rusage of that command.
_LAUNCHER = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)  # stderr passes through
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
                  "stdout": out.decode("utf-8", "replace")}))
"""
MAXRSS_SCALE = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


def launch(cmd: Sequence[str], timeout: float | None = None, all_cpus: bool = False) -> dict:
    """Run cmd via the launcher: wall seconds, exit code, its peak RSS in bytes (its largest process), stdout."""

    def widen() -> None:
        if ALL_CPUS is not None:
            os.sched_setaffinity(0, ALL_CPUS)

    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=common.ROOT,
        preexec_fn=widen if all_cpus else None,
        start_new_session=True,  # its own process group, so a timeout can stop the command too
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out, err)
    r = json.loads(out.strip().splitlines()[-1])
    if r["code"]:
        raise subprocess.CalledProcessError(r["code"], cmd, r["stdout"], err)
    r["maxrss"] *= MAXRSS_SCALE
    return r


# -- throughput ----------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> float:
    common.clear_caches()  # no pass profits from the caches the previous pass filled
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def throughput(pages: Sequence[common.DevPage], model: cleanews.Model, repeats: int) -> None:
    texts = [cleanews.decode_bytes(p.data).text for p in pages]
    lines = [[line.text for line in split_lines(t)] for t in texts]
    htmls = [common.html_page(ls)[0] for ls in lines]
    size = sum(len(p.data) for p in pages)

    def run_cleanews() -> None:
        for p in pages:
            cleanews.label_page(p.data, model)

    runners: dict[str, Callable[[], None]] = {"cleanews": run_cleanews}
    if common.have("justext"):
        runners["jusText"] = lambda: _each(common.justext_run, htmls)
    if common.have("trafilatura"):
        runners["trafilatura"] = lambda: _each(common.trafilatura_run, htmls)
    runners["line rule"] = lambda: _each(common.rule_keep, lines)

    section(f"Throughput, in-process, one core: {len(pages)} dev pages, {mb(size):.2f} MB of UTF-8 text")
    for p in common.peers():
        if not p.available:
            print(f"note: {p.name} skipped ({p.note})")
    # Warm-up (imports, lazy tables, first-call set-up), untimed.
    for fn in runners.values():
        fn()

    clean_times: list[float] = []
    rows = []
    for name, fn in runners.items():
        if name == "cleanews":
            continue
        tc, tp, ratios = [], [], []
        for r in range(repeats):
            if r % 2 == 0:
                a, b = timed(run_cleanews), timed(fn)
            else:
                b, a = timed(fn), timed(run_cleanews)
            tc.append(a)
            tp.append(b)
            ratios.append(b / a)
        clean_times += tc
        t_peer = statistics.median(tp)
        rows.append(
            [
                name,
                t_peer,
                mb(size) / t_peer,
                len(pages) / t_peer,
                statistics.median(tc),
                statistics.median(ratios),
                f"{min(ratios):.2f}-{max(ratios):.2f}",
            ]
        )
    t_clean = statistics.median(clean_times) if clean_times else timed(run_cleanews)
    rows.insert(0, ["cleanews", t_clean, mb(size) / t_clean, len(pages) / t_clean, None, None, ""])
    print(
        common.table(
            ["system", "s/pass", "MB/s", "pages/s", "cleanews s (pairs)", "cleanews/peer", "range"],
            rows,
            floatfmt=".2f",
        )
    )
    print(
        f"{repeats} passes per pair, alternating which runs first; medians. cleanews/peer = peer time / cleanews "
        "time\nof the same pair (above 1.0: cleanews is faster). cleanews gets bytes (decoding included);"
        " the peers get\nprebuilt HTML (building it and mapping their output back to lines is not timed)."
        " Caches are cleared before\nevery pass. Target: cleanews/jusText >= 1.0."
    )


# -- cold start ----------------------------------------------------------------------
def _each(run: Callable[[Any], object], items: Iterable[Any]) -> None:
    for item in items:
        run(item)


def wall(cmd: Sequence[str], **kw: Any) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=common.ROOT, **kw)
    return time.perf_counter() - t0


def cold_start(runs: int) -> None:
    seed = common.SEED_PAGE.relative_to(common.ROOT)
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import cleanews'", [sys.executable, "-c", "import cleanews"]),
        ("... + cleanews.load_model()", [sys.executable, "-c", "import cleanews; cleanews.load_model()"]),
        (f"cleanews clean {seed}", [cleanews_exe(), "clean", str(seed)]),
    ]
    section(f"Cold start: a new process, wall time, one core ({runs} runs after one untimed run)")
    rows = []
    for label, cmd in cases:
        wall(cmd)
        times = [wall(cmd) for _ in range(runs)]
        rows.append([label, statistics.median(times), min(times), max(times)])
    print(common.table(["command", "median s", "min s", "max s"], rows))
    print("The last row is the cold start; the rows above it split it (interpreter, imports, model load).")
    print("Target: <= 1.5 s.")


# -- growth --------------------------------------------------------------------------
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
            cmd = [sys.executable, __file__, "--growth-child", str(path)]
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


# -- jobs ----------------------------------------------------------------------------
def jobs(pages: Sequence[common.DevPage], runs: int) -> None:
    n_cpus = len(ALL_CPUS) if ALL_CPUS else os.cpu_count() or 1
    size = sum(len(p.data) for p in pages)
    section(f"--jobs 1 vs --jobs 2: cleanews clean on a folder of {len(pages)} dev pages ({mb(size):.2f} MB)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="cleanews-jobs-") as tmp:
        src = Path(tmp) / "pages"
        src.mkdir()
        for p in pages:
            (src / f"{p.name}.txt").write_bytes(p.data)
        base = None
        for n in (1, 2):
            times, peaks = [], []
            for r in range(runs + 1):
                out = Path(tmp) / f"out-{n}-{r}"
                run = launch([cleanews_exe(), "clean", str(src), "-o", str(out), "--jobs", str(n)], all_cpus=True)
                t, peak = run["wall"], run["maxrss"]
                shutil.rmtree(out, ignore_errors=True)
                if r:  # the first run is untimed (file cache)
                    times.append(t)
                    peaks.append(peak)
            med = statistics.median(times)
            base = base or med
            rows.append(
                [
                    f"--jobs {n}",
                    med,
                    min(times),
                    max(times),
                    mb(size) / med,
                    len(pages) / med,
                    base / med,
                    mb(max(peaks)),
                ]
            )
    print(
        common.table(
            ["command", "median s", "min s", "max s", "MB/s", "pages/s", "speed-up", "peak RSS MB"],
            rows,
            floatfmt=".2f",
        )
    )
    print(f"Whole processes (start-up and model load included), {runs} runs after one untimed run, free to use")
    print(f"{n_cpus} CPU(s) (thread pools still at 1 thread); peak RSS: the largest process of the run.")
    if n_cpus < 2:
        print("note: only one CPU is available, so --jobs 2 cannot be faster here.")


# -- profile -------------------------------------------------------------------------
def profile(pages: Sequence[common.DevPage], model: cleanews.Model) -> None:
    section("Profile: cleanews.label_page over the dev pages (pyinstrument)")
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("skipped: pyinstrument is not installed (pip install pyinstrument)")
        return
    for p in pages[:5]:  # warm-up
        cleanews.label_page(p.data, model)
    common.clear_caches()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for p in pages:
        cleanews.label_page(p.data, model)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, short_mode=False, show_all=False))


# -- main ----------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model file (default: the shipped model)")
    ap.add_argument("--max-mb", type=float, default=100, help="largest growth page in MB (default 100)")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per throughput pair (default 3)")
    ap.add_argument("--cold-runs", type=int, default=5, help="cold-start runs (default 5)")
    ap.add_argument("--jobs-runs", type=int, default=3, help="runs of each --jobs setting (default 3)")
    ap.add_argument("--growth-timeout", type=float, default=3600, help="seconds allowed per growth page")
    ap.add_argument("--cpu", type=int, help="the CPU to pin to (default: the highest this process may use)")
    ap.add_argument(
        "--only",
        default=",".join(SECTIONS[:4]),
        help=f"sections to run, of {','.join(SECTIONS)} (default: all but profile)",
    )
    ap.add_argument("--profile", action="store_true", help="also profile label_page on the dev pages (pyinstrument)")
    ap.add_argument("--growth-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.growth_child:
        growth_child(args.growth_child)
        return 0
    only = {s.strip() for s in args.only.split(",") if s.strip()} | ({"profile"} if args.profile else set())
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    for noisy in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)

    common.print_header("cleanews speed benchmark")
    print(pin_one_core(args.cpu))
    if args.model:  # every child process (cold start, growth, --jobs) uses it too
        os.environ["CLEANEWS_MODEL"] = str(Path(args.model).resolve())
    try:
        model = cleanews.load_model(args.model)
    except cleanews.ModelError as exc:
        print(f"cannot run: {exc}")
        return 3
    print(f"model: {model.path}")
    pages = common.dev_pages()
    if pages is None:
        print(f"note: {common.DEV} is absent: throughput, growth, jobs and profile are skipped (they use its pages)")

    if "throughput" in only and pages:
        throughput(pages, model, args.repeats)
    if "cold" in only:
        cold_start(args.cold_runs)
    if "growth" in only and pages:
        growth(pages, args.max_mb, args.growth_timeout)
    if "jobs" in only and pages:
        jobs(pages, args.jobs_runs)
    if "profile" in only and pages:
        profile(pages, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
