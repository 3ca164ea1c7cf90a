"""Speed of cleanews beside jusText and trafilatura, every figure of issue 17 beside its target.

- throughput: marginal rate per core, in-process, over the dev pages: cleanews
  ``label_page`` on each page's bytes against jusText and trafilatura on the same text
  (an HTML page with one <p> per line, built before timing), in CPU time, several
  rounds of pairs alternating which runs first; min/median/max of each ratio;
- start-up: ``cleanews clean SEED`` as a new process (wall and CPU), split into the
  interpreter, the imports the command makes and the model load;
- per-file fixed cost: a batch of tiny pages cleaned in-process (read, label, write);
- workers: ``cleanews clean DIR --jobs 1 / 2 / 0`` on a 1,000-page batch (both CPUs);
- growth (``--max-mb``): one page of 1 KB .. 100 MB, each in a fresh process.

Everything but the ``--jobs`` runs is pinned to one CPU, with every thread pool at one thread.

    python benchmarks/speed.py                      # ~3-4 minutes on an idle 2-core machine
    python benchmarks/speed.py --only throughput --rounds 3
"""

from __future__ import annotations

import timing

ALL_CPUS = timing.one_thread_pools()  # before numpy is imported

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import common  # noqa: E402
import growth  # noqa: E402
from timing import Spread, Target, cpu_seconds, launch, load_note  # noqa: E402

import cleanews  # noqa: E402
from cleanews.text.lines import split_lines  # noqa: E402

SECTIONS = ("throughput", "startup", "fixed", "jobs", "growth", "profile")
DEFAULT_SECTIONS = ("throughput", "startup", "fixed", "jobs", "growth")

PER_CORE_TARGET = 1.5  # cleanews / jusText, marginal rate on one core
STARTUP_TARGET_S = 0.3  # cleanews clean SEED, wall on an idle core
JOBS_TARGET = 1.7  # --jobs 2 over --jobs 1 on a 1,000-page batch, 2 cores
FIXED_BEFORE_MS = 1.9  # per-file fixed cost in-process when issue 17 was filed
BATCH_PAGES = 1000

section = growth.section
mb = growth.mb


def cleanews_exe() -> str:
    exe = Path(sys.executable).parent / "cleanews"
    return str(exe) if exe.is_file() else (shutil.which("cleanews") or "cleanews")


def cpu_pass(fn: Callable[[], object]) -> float:
    """CPU seconds of one pass, after clearing every cache (no pass profits from the one before)."""
    common.clear_caches()
    gc.collect()
    t0 = cpu_seconds()
    fn()
    return cpu_seconds() - t0


# -- throughput ----------------------------------------------------------------------
def throughput(pages: Sequence[common.DevPage], model: cleanews.Model, rounds: int) -> list[Target]:
    texts = [cleanews.decode_bytes(p.data).text for p in pages]
    lines = [[line.text for line in split_lines(t)] for t in texts]
    htmls = [common.html_page(ls)[0] for ls in lines]
    size = sum(len(p.data) for p in pages)

    def run_cleanews() -> None:
        for p in pages:
            cleanews.label_page(p.data, model)

    peers: dict[str, Callable[[], None]] = {}
    if common.have("justext"):
        peers["jusText"] = lambda: [common.justext_run(h) for h in htmls] and None
    if common.have("trafilatura"):
        peers["trafilatura"] = lambda: [common.trafilatura_run(h) for h in htmls] and None
    section(f"Per core: marginal rate in-process, one core, CPU time: {len(pages)} dev pages, {mb(size):.2f} MB")
    for p in common.peers():
        if not p.available and p.name in ("jusText", "trafilatura"):
            print(f"note: {p.name} skipped ({p.note})")
    for fn in (run_cleanews, *peers.values()):  # warm-up: imports, lazy tables, first calls
        fn()
    own: list[float] = []
    rows: list[list[object]] = []
    ratios: dict[str, Spread] = {}
    for name, fn in peers.items():
        tc, tp = [], []
        for r in range(rounds):
            if r % 2 == 0:
                tc.append(cpu_pass(run_cleanews))
                tp.append(cpu_pass(fn))
            else:
                tp.append(cpu_pass(fn))
                tc.append(cpu_pass(run_cleanews))
        own += tc
        ratios[name] = Spread.of([p / c for p, c in zip(tp, tc)])
        rows.append([name, *Spread.of([mb(size) / t for t in tp]).cells(), *ratios[name].cells()])
    if not own:
        own = [cpu_pass(run_cleanews) for _ in range(rounds)]
    rows.insert(0, ["cleanews", *Spread.of([mb(size) / t for t in own]).cells(), None, None, None])
    heads = ["system", "MB/s min", "MB/s median", "MB/s max", "cleanews/peer min", "median", "max"]
    print(common.table(heads, rows, floatfmt=".2f"))
    print(
        f"{rounds} rounds per peer, each a pair of passes alternating which runs first; MB/s from the CPU time of a\n"
        "pass. cleanews/peer = peer time / cleanews time of the same pair (above 1:\n"
        "cleanews is faster). cleanews gets bytes (decoding included); the peers get prebuilt HTML (building it and\n"
        "mapping their output back to lines is not timed). Caches are cleared before every pass."
    )
    out = []
    for name, target in (("jusText", PER_CORE_TARGET), ("trafilatura", None)):
        if name in ratios and target is not None:
            out.append(Target(f"per core: cleanews / {name}", ratios[name].median, target, True, "x", "median ratio"))
        elif name in ratios:
            print(f"cleanews / {name}: {ratios[name].median:.2f}x (median; no target)")
    return out


# -- start-up ------------------------------------------------------------------------
def startup(runs: int) -> list[Target]:
    seed = common.SEED_PAGE.relative_to(common.ROOT)
    py = sys.executable
    cases = [
        ("python -c pass", [py, "-c", "pass"]),
        ("... + the imports of `cleanews clean`", [py, "-c", "import cleanews.cli"]),
        ("... + load_model()", [py, "-c", "import cleanews.cli; cleanews.cli.load_model()"]),
        (f"cleanews clean {seed}", [cleanews_exe(), "clean", str(seed)]),
    ]
    section(f"Start-up: a new process, one core ({runs} runs after one untimed run)")
    rows, last = [], None
    for label, cmd in cases:
        launch(cmd)
        got = [launch(cmd) for _ in range(runs)]
        walls, cpus = Spread.of([g["wall"] for g in got]), Spread.of([g["cpu"] for g in got])
        rows.append([label, *walls.cells(), *cpus.cells()])
        last = walls, cpus
    heads = ["command", "wall min s", "median", "max", "CPU min s", "median", "max"]
    print(common.table(heads, rows))
    print("The last row is the start-up; the rows above split it (interpreter, imports, model load).")
    note = load_note()
    if note:
        print(note)
    assert last is not None
    walls, cpus = last
    return [
        Target("start-up: wall", walls.median, STARTUP_TARGET_S, False, " s", "median, wall"),
        Target("start-up: CPU (idle-core wall)", cpus.median, STARTUP_TARGET_S, False, " s", "median, user+sys"),
    ]


# -- per-file fixed cost -------------------------------------------------------------
def tiny_pages(pages: Sequence[common.DevPage], n: int, root: Path) -> int:
    """``n`` tiny pages (the first three lines of dev pages) under ``root``; their total size."""
    root.mkdir(parents=True)
    total = 0
    for k in range(n):
        data = b"".join(pages[k % len(pages)].data.splitlines(keepends=True)[:3])
        (root / f"tiny{k:04d}.txt").write_bytes(data)
        total += len(data)
    return total


def fixed_cost(pages: Sequence[common.DevPage], model: cleanews.Model, rounds: int) -> list[Target]:
    from cleanews.run.plan import plan
    from cleanews.run.pool import run

    n = 300
    section(f"Per-file fixed cost: {n} tiny pages cleaned in-process (read, label, write JSON Lines), one core")
    options = cleanews.CleanOptions()
    size = sum(len(p.data) for p in pages)

    def label_all() -> None:
        for p in pages:
            cleanews.label_page(p.data, model)

    label_all()
    rate = size / min(cpu_pass(label_all) for _ in range(2))  # bytes per CPU second, marginal
    costs = []
    with tempfile.TemporaryDirectory(prefix="cleanews-fixed-") as tmp:
        src = Path(tmp) / "tiny"
        tiny = tiny_pages(pages, n, src)
        for r in range(rounds + 1):
            out = Path(tmp) / f"out{r}"
            t = cpu_pass(lambda out=out: run(plan([str(src)], out, "jsonl"), model, options, "jsonl", workers=1))
            if r:
                costs.append((t - tiny / rate) / n * 1e3)
            shutil.rmtree(out)
    spread = Spread.of(costs)
    print(common.table(["", "min ms", "median ms", "max ms"], [["fixed cost per file", *spread.cells()]]))
    print(
        f"CPU time per file less the marginal cost of its bytes ({tiny / n:.0f} bytes a page at {mb(rate):.2f} MB/s);"
        f" {rounds} rounds\nafter an untimed one. Target: half the cost before issue 17 ({FIXED_BEFORE_MS} ms)."
    )
    return [Target("per-file fixed cost", spread.median, FIXED_BEFORE_MS / 2, False, " ms", "median, CPU")]


# -- workers -------------------------------------------------------------------------
def make_batch(pages: Sequence[common.DevPage], n: int, root: Path) -> int:
    """``n`` pages (the dev pages, cycled) in folders of 100 under ``root``; their total size."""
    total = 0
    for k in range(n):
        folder = root / f"part{k // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        p = pages[k % len(pages)]
        (folder / f"{k:04d}_{p.name}.txt").write_bytes(p.data)
        total += len(p.data)
    return total


def jobs(pages: Sequence[common.DevPage], runs: int) -> list[Target]:
    cpus = len(ALL_CPUS) if ALL_CPUS else os.cpu_count() or 1
    big = f"{BATCH_PAGES:,}-page batch"
    rows, wall, est, picked = [], {}, {}, {}
    section(f"Workers: cleanews clean DIR -o OUT --format jsonl --jobs N, whole processes, {cpus} CPUs")
    # The part of a run no worker can share: the parent's imports and model load.
    serial = min(
        launch([sys.executable, "-c", "import cleanews.cli; cleanews.cli.load_model()"])["cpu"] for _ in range(3)
    )
    with tempfile.TemporaryDirectory(prefix="cleanews-jobs-") as tmp:
        for name, n_pages in (("dev pages", len(pages)), (big, BATCH_PAGES)):
            src = Path(tmp) / name.replace(" ", "-")
            size = make_batch(pages, n_pages, src)
            cpu1 = None
            for n in (1, 2, 0):
                got = [_clean_folder(src, Path(tmp) / f"out-{n}-{r}", n) for r in range(runs)]
                walls, cpu = Spread.of([g["wall"] for g in got]), Spread.of([g["cpu"] for g in got]).median
                workers = picked[(name, n)] = _workers_logged(got[-1]["stderr"])
                cpu1 = cpu1 or cpu
                wall[(name, n)] = walls.median
                # On an idle machine: the serial part, then the rest shared by the workers.
                est[(name, n)] = cpu1 / (serial + (cpu - serial) / max(1, min(workers, cpus)))
                speedup = wall[(name, 1)] / walls.median
                label = f"{workers} (this one)" if workers == 1 else str(workers)
                rows.append(
                    [
                        name,
                        n_pages,
                        f"--jobs {n}",
                        label,
                        *walls.cells(),
                        cpu,
                        mb(size) / walls.median,
                        speedup,
                        est[(name, n)],
                        mb(got[-1]["maxrss"]),
                    ]
                )
    heads = [
        "folder",
        "files",
        "command",
        "workers",
        "wall min s",
        "median",
        "max",
        "CPU s",
        "MB/s",
        "speed-up",
        "idle est.",
        "peak RSS MB",
    ]
    print(common.table(heads, rows, floatfmt=".2f"))
    print(
        f"{runs} runs each; speed-up: wall of --jobs 1 / wall (medians). CPU s: the run's processes together.\n"
        f"idle est.: the speed-up an idle machine would give, from CPU times: CPU of --jobs 1 / (serial + (CPU -\n"
        f"serial) / workers), serial = the parent's imports and model load ({serial:.2f} s CPU)."
    )
    note = load_note()
    if note:
        print(note.split(";")[0] + ": wall times of parallel runs cannot be trusted now; read idle est.")
    if cpus < 2:
        print("note: only one CPU is available, so --jobs 2 cannot be faster here.")
    how = f"{BATCH_PAGES:,} pages, medians"
    return [
        Target("workers: --jobs 2 over --jobs 1, wall", wall[(big, 1)] / wall[(big, 2)], JOBS_TARGET, True, "x", how),
        Target("workers: --jobs 2 over --jobs 1, idle est.", est[(big, 2)], JOBS_TARGET, True, "x", how),
        Target("workers: --jobs 0 on the dev pages", picked[("dev pages", 0)], 1, False, " process", "as logged"),
        Target("workers: --jobs 0 on the batch", picked[(big, 0)], min(2, cpus), True, " processes", "as logged"),
    ]


def _clean_folder(src: Path, out: Path, n: int) -> dict:
    cmd = [cleanews_exe(), "-v", "clean", str(src), "-o", str(out), "--format", "jsonl", "--jobs", str(n)]
    try:
        return launch(cmd, all_cpus=ALL_CPUS)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _workers_logged(stderr: str) -> int:
    """How many processes a run says it labelled with (its --verbose log); 0 when it did not say."""
    for line in stderr.splitlines():
        if "worker process" in line:
            return int(line.split(":", 1)[-1].split()[0])
    return 0


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
    ap.add_argument("--rounds", type=int, default=5, help="rounds of throughput pairs and fixed-cost runs (default 5)")
    ap.add_argument("--startup-runs", type=int, default=7, help="timed runs of each start-up command (default 7)")
    ap.add_argument("--jobs-runs", type=int, default=3, help="runs of each --jobs setting (default 3)")
    ap.add_argument("--max-mb", type=float, default=10, help="largest growth page in MB (default 10; up to 100)")
    ap.add_argument("--growth-timeout", type=float, default=3600, help="seconds allowed per growth page")
    ap.add_argument("--cpu", type=int, help="the CPU to pin to (default: the highest this process may use)")
    ap.add_argument("--only", default=",".join(DEFAULT_SECTIONS), help=f"sections, of {','.join(SECTIONS)}")
    ap.add_argument("--growth-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.growth_child:
        growth.growth_child(args.growth_child)
        return 0
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    for noisy in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)

    common.print_header("cleanews speed benchmark")
    print(timing.pin_one_core(ALL_CPUS, args.cpu))
    if args.model:  # every child process (start-up, growth, --jobs) uses it too
        os.environ["CLEANEWS_MODEL"] = str(Path(args.model).resolve())
    try:
        model = cleanews.load_model(args.model)
    except cleanews.ModelError as exc:
        print(f"cannot run: {exc}")
        return 3
    data = model.card.get("training_data", {})
    print(f"model: {model.path} ({data.get('pages', '?')} training pages, data sha256 {data.get('sha256', '?')[:12]})")
    pages = common.dev_pages()
    if pages is None:
        print(f"note: {common.DEV} is absent: only the start-up is measured (the rest uses its pages)")
    t0 = time.perf_counter()
    targets: list[Target] = []
    if "throughput" in only and pages:
        targets += throughput(pages, model, args.rounds)
    if "startup" in only:
        targets += startup(args.startup_runs)
    if "fixed" in only and pages:
        targets += fixed_cost(pages, model, args.rounds)
    if "jobs" in only and pages:
        targets += jobs(pages, args.jobs_runs)
    if "growth" in only and pages:
        growth.growth(pages, args.max_mb, args.growth_timeout)
    if "profile" in only and pages:
        profile(pages, model)
    if targets:
        section("Issue 17: the figures beside their targets")
        print(timing.targets_table(targets))
        print("Ray workers are measured by benchmarks/ray_bench.py (2 workers >= 1.7x one, rows identical).")
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
