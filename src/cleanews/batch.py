"""Cleaning many pages: finding inputs, planning outputs, running in parallel, counting.

Inputs are streamed (folders are walked lazily, in sorted order) and at most a few
tasks per worker are in flight, so memory does not grow with the number of files.
One bad file never stops a batch: it becomes a failed :class:`Outcome` with a reason.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from .clean import CleanOptions, label_page
from .decode import NotTextError
from .store import Model, load_model
from .writers import EXTENSIONS, atomic_output, write_result

STDIN = "-"
IN_FLIGHT_PER_WORKER = 4
"""Tasks queued per worker: enough to keep workers busy, few enough to keep memory flat."""


class PlanError(ValueError):
    """The command line asks for something that cannot be done safely (nothing was written)."""


@dataclass(frozen=True)
class Job:
    """One page to clean: where it comes from and where its result goes (None: stdout)."""

    source: str  # a path, or "-" for standard input
    output: Path | None


@dataclass(frozen=True)
class Outcome:
    source: str
    ok: bool
    error: str | None = None
    lines: int = 0
    kept: int = 0


@dataclass
class Summary:
    files: int = 0
    lines: int = 0
    kept: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        self.files += 1
        self.lines += o.lines
        self.kept += o.kept
        if not o.ok:
            self.failed.append(o)

    def line(self) -> str:
        return f"{self.files} files, {self.lines} lines, {self.kept} kept, {len(self.failed)} failed"


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _walk(root: Path, pattern: str) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                yield Path(dirpath) / name


def _mirror(path: Path, arg: Path) -> Path:
    """The part of an input path mirrored under the output folder."""
    if not arg.is_absolute() and ".." not in arg.parts:
        return path
    base = arg.parent if arg.is_dir() else arg.parent
    try:
        return path.resolve().relative_to(base.resolve())
    except ValueError:
        return Path(path.name)


def plan(paths: Iterable[str], out: Path | None, fmt: str, pattern: str = "*.txt") -> Iterator[Job]:
    """Jobs for the given inputs. Raises :class:`PlanError` before any work when unsafe."""
    paths = list(paths)
    many = len(paths) > 1 or any(p != STDIN and Path(p).is_dir() for p in paths)
    if paths.count(STDIN) > 1:
        raise PlanError("standard input ('-') can be read only once")
    if many and out is None:
        raise PlanError("several inputs or a folder need an output folder: add -o DIR")
    if many and out is not None and out.exists() and not out.is_dir():
        raise PlanError(f"{out} is a file; with several inputs or a folder, -o must name a folder")
    for p in paths:
        if p != STDIN and Path(p).is_dir() and out is not None:
            root, o = Path(p).resolve(), out.resolve()
            if o == root or root in o.parents:
                raise PlanError(f"the output folder {out} lies inside the input folder {p}; choose one outside it")
    ext = EXTENSIONS[fmt]
    for p in paths:
        if p == STDIN:
            yield Job(STDIN, None if out is None or many else out)
            continue
        arg = Path(p)
        if arg.is_dir():
            for f in _walk(arg, pattern):
                yield Job(str(f), out / _mirror(f, arg).with_suffix(ext) if out else None)
        elif not many:
            target = out
            if out is not None and out.is_dir():
                target = out / arg.with_suffix(ext).name
            if target is not None and arg.exists() and target.resolve() == arg.resolve():
                raise PlanError(f"writing to {target} would overwrite the input; choose another output")
            yield Job(p, target)
        else:
            yield Job(p, out / _mirror(arg, arg).with_suffix(ext) if out else None)


def _read(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def run_job(job: Job, model: Model, options: CleanOptions, fmt: str) -> Outcome:
    """Clean one page and write its result; failures become an Outcome with a reason."""
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
        result = label_page(data, model, options)
    except NotTextError as exc:
        return Outcome(job.source, False, str(exc))
    try:
        if job.output is None:
            write_result(result, fmt, sys.stdout)
            sys.stdout.flush()
        else:
            if Path(job.source).exists() and job.output.resolve() == Path(job.source).resolve():
                return Outcome(job.source, False, "its output would overwrite it; skipped")
            with atomic_output(job.output) as fh:
                write_result(result, fmt, fh)
    except OSError as exc:
        return Outcome(job.source, False, f"cannot write {job.output} ({exc.strerror or exc})")
    kept = sum(1 for line in result.lines if line.kept)
    return Outcome(job.source, True, None, sum(1 for line in result.lines if not line.blank), kept)


_worker_model: Model | None = None


def _init_worker(model_path: str | None) -> None:
    global _worker_model
    _worker_model = load_model(model_path)


def _worker_run(job: Job, options: CleanOptions, fmt: str) -> Outcome:
    assert _worker_model is not None
    return run_job(job, _worker_model, options, fmt)


def run(
    jobs: Iterable[Job],
    model: Model,
    options: CleanOptions,
    fmt: str,
    workers: int = 1,
    on_done: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Run jobs in-process (workers=1) or in worker processes, each loading the model once."""
    summary = Summary()

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    if workers <= 1:
        for job in jobs:
            done(run_job(job, model, options, fmt))
        return summary
    path = str(model.path) if model.path else None
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(path,)) as pool:
        pending: set[Future[Outcome]] = set()
        for job in jobs:
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    done(f.result())
            pending.add(pool.submit(_worker_run, job, options, fmt))
        for f in pending:
            done(f.result())
    return summary
