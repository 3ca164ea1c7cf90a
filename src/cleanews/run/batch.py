"""Cleaning many pages: finding inputs, planning outputs, running in parallel, counting.

Inputs are streamed (folders are walked lazily, in sorted order) and at most a few
tasks per worker are in flight, so memory does not grow with the number of files.
One bad file never stops a batch: it becomes a failed :class:`Outcome` with a reason.
"""

from __future__ import annotations

import fnmatch
import heapq
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from threadpoolctl import threadpool_limits

from cleanews.api import CleanOptions, PageResult, label_html, label_page
from cleanews.model.store import Model
from cleanews.run.writers import EXTENSIONS, atomic_output, stdout_output, write_result
from cleanews.text.decode import NotTextError
from cleanews.text.html import HtmlNotInstalled, is_html_path

STDIN = "-"
IN_FLIGHT_PER_WORKER = 4
"""Tasks queued per worker: enough to keep workers busy, few enough to keep memory flat."""

THREADS_PER_WORKER = 1
"""Native threads (OpenMP, BLAS) per worker. The parallelism is across pages; threads inside
each worker would only fight for the same cores (and on a busy machine, a page that takes
0.05 s on one thread can take seconds on several)."""


class PlanError(ValueError):
    """The command line asks for something that cannot be done safely (nothing was written)."""


@dataclass(frozen=True)
class Job:
    """One page to clean: where it comes from and where its result goes (None: stdout).

    A job with an ``error`` was found unusable while planning (an unreadable folder, an
    output name already taken); it is reported as a failure without being run.
    """

    source: str  # a path, or "-" for standard input
    output: Path | None
    error: str | None = None
    kind: str = "page"  # "page" (text) or "html" (markup, rendered to lines first)


class Doubt(NamedTuple):
    """A line the model was least sure of (``--uncertain``): where to look first when correcting."""

    confidence: float
    label: str
    output: str  # the file the line was written to (or its page, for standard output)
    line: int
    text: str


@dataclass(frozen=True)
class Outcome:
    source: str
    ok: bool
    error: str | None = None
    lines: int = 0
    kept: int = 0
    doubts: tuple[Doubt, ...] = ()


@dataclass
class Summary:
    """Counts of a run; ``files`` counts what was cleaned, named by ``unit`` (files, or records of a stream)."""

    files: int = 0
    lines: int = 0
    kept: int = 0
    failed: list[Outcome] = field(default_factory=list)
    unit: str = "files"

    def add(self, o: Outcome) -> None:
        self.files += 1
        self.lines += o.lines
        self.kept += o.kept
        if not o.ok:
            self.failed.append(o)

    def line(self) -> str:
        return f"{self.files} {self.unit}, {self.lines} lines, {self.kept} kept, {len(self.failed)} failed"


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def is_batch(paths: Iterable[str]) -> bool:
    """Several inputs, or a folder: outputs go to a folder and the run gets a summary."""
    paths = list(paths)
    return len(paths) > 1 or any(p != STDIN and Path(p).is_dir() for p in paths)


def walk_pages(root: Path, pattern: str) -> Iterator[tuple[Path, str | None]]:
    """Files under ``root`` whose names match, in sorted order, lazily; and folders that
    cannot be read, with the reason (so that no page goes missing without a word)."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _walk_errors(errors)
        dirnames.sort()
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                yield Path(dirpath) / name, None
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[tuple[Path, str | None]]:
    while errors:
        exc = errors.pop(0)
        yield Path(exc.filename or "?"), f"cannot read this folder ({exc.strerror or exc}); its pages were skipped"


def _folder_root(arg: Path, out: Path, keep_dirs: bool) -> Path:
    """Where a folder's pages go: straight under the output folder (``crawl/a/x.txt`` ->
    ``OUT/a/x.txt``, as ``rsync crawl/ OUT`` and ``cp -r crawl/. OUT`` do), or under the
    folder's own name with ``keep_dirs`` (``OUT/crawl/a/x.txt``), however the folder is named
    (relative, absolute, ``.``)."""
    return out / Path(os.path.abspath(arg)).name if keep_dirs else out


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies under it (both resolved)."""
    return path == folder or folder in path.parents


def _targets(arg: Path, root: Path, ext: str, pattern: str) -> Iterator[tuple[Path, Path]]:
    """(page, output) pairs of one input argument, lazily."""
    if not arg.is_dir():
        yield arg, root / arg.with_suffix(ext).name
        return
    for f, error in walk_pages(arg, pattern):
        if error is None:
            yield f, root / f.relative_to(arg).with_suffix(ext)


def _check_outputs(paths: list[str], out: Path, ext: str, pattern: str, keep_dirs: bool) -> None:
    """Refuse, before any work, a batch that would write over or among its inputs, or
    write pages of two different inputs to the same place.

    With several inputs, their outputs are listed first (memory grows with the number
    of pages in that case only); one folder's own clashes (``a.htm`` and ``a.txt``) are
    reported page by page instead, while it runs.
    """
    o = out.resolve()
    roots: list[tuple[str, Path, Path]] = []  # (argument, its output root, the input resolved)
    for p in paths:
        arg = Path(p)
        if arg.is_dir() and _inside(o, arg.resolve()):
            raise PlanError(f"the output folder {out} lies inside the input folder {p}; choose one outside it")
        roots.append((p, _folder_root(arg, out, keep_dirs) if arg.is_dir() else out, arg.resolve()))
    for p, root, _ in roots:
        for q, _, qsrc in roots:
            if Path(q).is_dir() and _inside(root.resolve(), qsrc):
                raise PlanError(f"the output of {p} would be written inside the input folder {q}; choose another -o")
    if len(paths) < 2:
        return
    inputs = {src for _, _, src in roots if not Path(str(src)).is_dir()}
    taken: dict[Path, tuple[str, Path]] = {}
    folders = sum(1 for p in paths if Path(p).is_dir())
    for p, root, _ in roots:
        for page, target in _targets(Path(p), root, ext, pattern):
            t, page_src = target.resolve(), page.resolve()
            if t in inputs:
                raise PlanError(f"the output of {page} would be written over the input {t}; choose another -o")
            first = taken.setdefault(t, (p, page_src))
            if first[0] != p and first[1] != page_src:
                hint = ""
                if folders > 1 and not keep_dirs:
                    hint = " or add --keep-dirs to mirror each folder under its name"
                raise PlanError(
                    f"{first[0]} and {p} would both be written to {target}; "
                    f"clean them into separate output folders{hint}"
                )


def page_kind(path: str, input_format: str) -> str:
    """``html`` or ``page`` (plain text): as forced, or by the file's extension."""
    if input_format in ("html", "page"):
        return input_format
    return "html" if is_html_path(path) else "page"


def plan(
    paths: Iterable[str],
    out: Path | None,
    fmt: str,
    pattern: str = "*.txt",
    keep_dirs: bool = False,
    input_format: str = "auto",
) -> Iterator[Job]:
    """Jobs for the given inputs, lazily. Raises :class:`PlanError` before the first job
    when the request is unsafe or impossible (then nothing has been written)."""
    paths = list(paths)
    many = is_batch(paths)
    ext = EXTENSIONS[fmt]
    if STDIN in paths:
        if len(paths) > 1:
            raise PlanError("standard input ('-') must be the only input; clean files and folders in another run")
        if out is not None and out.is_dir():
            raise PlanError(f"{out} is a folder, and standard input has no file name; give -o a file name")
        yield Job(STDIN, out, kind=page_kind(STDIN, input_format))
        return
    if many and out is None:
        raise PlanError("several inputs or a folder need an output folder: add -o DIR")
    if not many:
        arg = Path(paths[0])
        target = out
        if out is not None and out.is_dir():
            target = out / arg.with_suffix(ext).name
        if target is not None and arg.exists() and target.resolve() == arg.resolve():
            raise PlanError(f"writing to {target} would overwrite the input; choose another output")
        yield Job(paths[0], target, kind=page_kind(paths[0], input_format))
        return
    assert out is not None
    if out.exists() and not out.is_dir():
        raise PlanError(f"{out} is a file; with several inputs or a folder, -o must name a folder")
    _check_outputs(paths, out, ext, pattern, keep_dirs)
    for p in paths:
        arg = Path(p)
        if not arg.is_dir():
            yield Job(p, out / arg.with_suffix(ext).name, kind=page_kind(p, input_format))
            continue
        # Pages of one folder come together, so clashing names (a.htm and a.txt -> a.txt)
        # are caught by remembering one folder's output names at a time.
        folder: Path | None = None
        taken: dict[Path, str] = {}
        root = _folder_root(arg, out, keep_dirs)
        for f, error in walk_pages(arg, pattern):
            if error is not None:
                yield Job(str(f), None, error)
                continue
            target = root / f.relative_to(arg).with_suffix(ext)
            if target.parent != folder:
                folder, taken = target.parent, {}
            first = taken.setdefault(target, str(f))
            if first != str(f):
                yield Job(str(f), target, f"skipped: {first} is written to {target} already; rename one of them")
                continue
            yield Job(str(f), target, kind=page_kind(str(f), input_format))


def _read(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def run_job(job: Job, model: Model, options: CleanOptions, fmt: str, uncertain: int = 0) -> Outcome:
    """Clean one page and write its result; failures become an Outcome with a reason.

    With ``uncertain``, the outcome carries that many of the page's least sure lines.

    Only a broken pipe on standard output (the reader went away) is raised: there is
    nobody left to write to, so the caller should stop quietly.
    """
    if job.error is not None:
        return Outcome(job.source, False, job.error)
    try:
        data = _read(job.source)
    except IsADirectoryError:
        return Outcome(job.source, False, "is a folder, not a file")
    except FileNotFoundError:
        return Outcome(job.source, False, "no such file")
    except PermissionError:
        return Outcome(job.source, False, "permission denied (cannot read it)")
    except OSError as exc:
        return Outcome(job.source, False, f"cannot read it ({exc.strerror or exc})")
    try:
        result = label_html(data, model, options) if job.kind == "html" else label_page(data, model, options)
    except (NotTextError, HtmlNotInstalled) as exc:
        return Outcome(job.source, False, str(exc))
    except Exception as exc:  # one page must not stop the batch, whatever went wrong with it
        return Outcome(job.source, False, f"cannot be labelled ({type(exc).__name__}: {exc})")
    del data
    if job.output is None:
        try:
            with stdout_output() as fh:
                write_result(result, fmt, fh)
        except BrokenPipeError:
            raise
        except OSError as exc:
            return Outcome(job.source, False, f"cannot write to standard output ({exc.strerror or exc})")
    else:
        if Path(job.source).exists() and job.output.resolve() == Path(job.source).resolve():
            return Outcome(job.source, False, "its output would overwrite it; skipped")
        try:
            with atomic_output(job.output) as fh:
                write_result(result, fmt, fh)
        except OSError as exc:
            return Outcome(job.source, False, f"cannot write {job.output} ({exc.strerror or exc})")
    kept = sum(1 for line in result.lines if line.kept)
    doubts = _doubts(result, str(job.output or job.source), uncertain) if uncertain else ()
    return Outcome(job.source, True, None, sum(1 for line in result.lines if not line.blank), kept, doubts)


def _doubts(result: PageResult, where: str, n: int) -> tuple[Doubt, ...]:
    labelled = [line for line in result.lines if line.label is not None and line.confidence is not None]
    least = heapq.nsmallest(n, labelled, key=lambda line: line.confidence or 0.0)
    return tuple(Doubt(line.confidence or 0.0, line.label or "", where, line.number, line.text) for line in least)


_worker_model: Model | None = None


def _init_worker(model: Model) -> None:
    # A model loaded from a file arrives as its path (see Model.__reduce__): loaded once here.
    global _worker_model
    threadpool_limits(THREADS_PER_WORKER)
    _worker_model = model


def _worker_run(job: Job, options: CleanOptions, fmt: str, uncertain: int = 0) -> Outcome:
    assert _worker_model is not None
    return run_job(job, _worker_model, options, fmt, uncertain)


def run(
    jobs: Iterable[Job],
    model: Model,
    options: CleanOptions,
    fmt: str,
    workers: int = 1,
    on_done: Callable[[Outcome], None] | None = None,
    uncertain: int = 0,
) -> Summary:
    """Run jobs in-process (workers=1) or in worker processes, each loading the model once.

    ``uncertain``: each outcome carries that many of its page's least sure lines.

    At most ``IN_FLIGHT_PER_WORKER`` jobs per worker wait at a time, so a folder of a
    million pages costs no more memory than a folder of ten.
    """
    summary = Summary()

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    if workers <= 1:
        with threadpool_limits(THREADS_PER_WORKER):
            for job in jobs:
                done(run_job(job, model, options, fmt, uncertain))
        return summary

    def collect(f: Future[Outcome], source: str) -> None:
        try:
            done(f.result())
        except Exception as exc:  # a worker died (killed, out of memory): name the page, go on
            done(Outcome(source, False, f"its worker process failed ({type(exc).__name__}: {exc})"))

    # Workers are spawned, not forked: a fork of a process that has already run the model's
    # OpenMP code (scikit-learn's trees) can hang forever in the child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(model,)) as pool:
        pending: dict[Future[Outcome], str] = {}
        for job in jobs:
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    collect(f, pending.pop(f))
            try:
                pending[pool.submit(_worker_run, job, options, fmt, uncertain)] = job.source
            except BrokenProcessPool as exc:
                done(Outcome(job.source, False, f"the worker processes stopped ({exc})"))
        for f in list(pending):
            collect(f, pending.pop(f))
    return summary
