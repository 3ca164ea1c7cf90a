"""Cleaning many pages: finding inputs, planning outputs, running in parallel, counting.

Inputs are streamed (folders are walked lazily, in sorted order) and at most a few
tasks per worker are in flight, so memory does not grow with the number of files.
One bad file never stops a batch: it becomes a failed :class:`Outcome` with a reason.
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from cleanews.api import CleanOptions, label_page
from cleanews.model.store import Model, ModelError
from cleanews.run.lifetime import exit_with_parent, run_until_told_to_stop
from cleanews.run.writers import EXTENSIONS, atomic_output, stdout_output, write_result
from cleanews.text.decode import NotTextError

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


@dataclass(frozen=True)
class Outcome:
    source: str
    ok: bool
    error: str | None = None
    lines: int = 0
    kept: int = 0
    replaced_bytes: int = 0
    """Undecodable bytes of the page that became U+FFFD (reported per file and in the summary)."""


@dataclass
class Summary:
    files: int = 0
    lines: int = 0
    kept: int = 0
    failed: list[Outcome] = field(default_factory=list)
    replaced_files: int = 0
    replaced_bytes: int = 0

    def add(self, o: Outcome) -> None:
        self.files += 1
        self.lines += o.lines
        self.kept += o.kept
        if o.replaced_bytes:
            self.replaced_files += 1
            self.replaced_bytes += o.replaced_bytes
        if not o.ok:
            self.failed.append(o)

    def line(self) -> str:
        out = f"{self.files} files, {self.lines} lines, {self.kept} kept, {len(self.failed)} failed"
        if self.replaced_files:
            out += f"; {self.replaced_files} files had {self.replaced_bytes} undecodable bytes replaced"
        return out


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


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_a_page_file(path: str) -> str | None:
    """Why a matching name inside a folder is not read (reading a FIFO or a device there
    would hang the batch, or never end); None for a regular file or one that cannot be
    examined (reading it then names the problem)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, what in _NOT_REGULAR:
        if test(mode):
            return f"skipped: {what}, not a page file (name a FIFO on the command line to read it as a stream)"
    return None


def walk_pages(root: Path, pattern: str) -> Iterator[tuple[Path, str | None]]:
    """Files under ``root`` whose names match, in sorted order, lazily; and what was not
    read, with the reason (so that no page goes missing without a word): folders that
    cannot be read, FIFOs, sockets and devices, links back into folders already searched.

    Links to folders are followed, each real folder once: a link that leads back to a
    folder already searched (a loop, or a second way to the same pages) is skipped.
    """
    errors: list[OSError] = []
    seen = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
        yield from _walk_errors(errors)
        dirnames.sort()
        for name in list(dirnames):
            real = os.path.realpath(os.path.join(dirpath, name))
            if real in seen:
                dirnames.remove(name)
                yield Path(dirpath) / name, f"skipped: a link to {real}, a folder searched already (a loop)"
            seen.add(real)
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                path = os.path.join(dirpath, name)
                yield Path(path), _not_a_page_file(path)
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[tuple[Path, str | None]]:
    while errors:
        exc = errors.pop(0)
        yield Path(exc.filename or "?"), f"cannot read this folder ({exc.strerror or exc}); its pages were skipped"


def _mirror(arg: Path) -> Path:
    """Where an input argument goes under the output folder.

    A relative input is mirrored as given (``crawl`` -> ``OUT/crawl``, ``a/b.txt`` ->
    ``OUT/a/b.txt``); an absolute one, or one that climbs with ``..``, by its last part
    (``/data/crawl`` -> ``OUT/crawl``). The pages of a folder keep their path inside it.
    """
    if not arg.is_absolute() and ".." not in arg.parts:
        return arg
    return Path(Path(os.path.abspath(arg)).name)


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies under it (both resolved)."""
    return path == folder or folder in path.parents


def _check_outputs(paths: list[str], out: Path, ext: str) -> None:
    """Refuse, before any work, a batch that would write over or among its inputs, or
    write two different inputs to the same place."""
    o = out.resolve()
    entries: list[tuple[str, bool, Path, Path]] = []  # (argument, is a folder, input, output root), resolved
    for p in paths:
        arg = Path(p)
        is_dir = arg.is_dir()
        if is_dir and _inside(o, arg.resolve()):
            raise PlanError(f"the output folder {out} lies inside the input folder {p}; choose one outside it")
        root = out / (_mirror(arg) if is_dir else _mirror(arg).with_suffix(ext))
        entries.append((p, is_dir, arg.resolve(), root.resolve()))
    for p, p_dir, psrc, proot in entries:
        for q, q_dir, qsrc, qroot in entries:
            if (p_dir and _inside(qroot, psrc)) or (not p_dir and qroot == psrc):
                where = "inside the input folder" if p_dir else "over the input"
                raise PlanError(f"the output of {q} would be written {where} {p}; choose another output folder")
            if p == q or not _inside(qroot, proot):
                continue
            if p_dir and _inside(qsrc, psrc):  # q is given twice (as itself and inside p): same pages, same place
                rel = qsrc.relative_to(psrc)
                if proot / (rel if q_dir else rel.with_suffix(ext)) == qroot:
                    continue
            raise PlanError(f"{p} and {q} would both be written to {qroot}; clean them into separate output folders")


def plan(paths: Iterable[str], out: Path | None, fmt: str, pattern: str = "*.txt") -> Iterator[Job]:
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
        yield Job(STDIN, out)
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
        yield Job(paths[0], target)
        return
    assert out is not None
    if out.exists() and not out.is_dir():
        raise PlanError(f"{out} is a file; with several inputs or a folder, -o must name a folder")
    _check_outputs(paths, out, ext)
    for p in paths:
        arg = Path(p)
        if not arg.is_dir():
            yield Job(p, out / _mirror(arg).with_suffix(ext))
            continue
        # Pages of one folder come together, so clashing names (a.htm and a.txt -> a.txt)
        # are caught by remembering one folder's output names at a time.
        folder: Path | None = None
        taken: dict[Path, str] = {}
        root = out / _mirror(arg)
        found = False
        for f, error in walk_pages(arg, pattern):
            found = True
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
            yield Job(str(f), target)
        if not found:
            yield Job(p, None, f"no file in this folder matches --glob {pattern!r}; give the pages' pattern")


def _read(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def run_job(job: Job, model: Model, options: CleanOptions, fmt: str) -> Outcome:
    """Clean one page and write its result; failures become an Outcome with a reason.

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
        result = label_page(data, model, options)
    except NotTextError as exc:
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
    lines = sum(1 for line in result.lines if not line.blank)
    return Outcome(job.source, True, None, lines, kept, result.replaced_bytes)


_worker_model: Model | None = None
_worker_error: str | None = None


def _init_worker(parent: int, pickled_model: bytes) -> None:
    # A model loaded from a file arrives as its path and hash (see Model.__reduce__) and
    # is loaded once here; a file replaced since the parent loaded it is refused, and
    # every page of this worker then fails with that reason instead of a dead pool.
    global _worker_model, _worker_error
    exit_with_parent(parent)
    threadpool_limits(THREADS_PER_WORKER)
    try:
        _worker_model = pickle.loads(pickled_model)
    except ModelError as exc:
        _worker_error = f"not cleaned: {exc}"


def _worker_run(job: Job, options: CleanOptions, fmt: str) -> Outcome:
    model = _worker_model
    if model is None:
        return Outcome(job.source, False, _worker_error or "the worker has no model")
    return run_until_told_to_stop(lambda: run_job(job, model, options, fmt))


def run(
    jobs: Iterable[Job],
    model: Model,
    options: CleanOptions,
    fmt: str,
    workers: int = 1,
    on_done: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Run jobs in-process (workers=1) or in worker processes, each loading the model once.

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
                done(run_job(job, model, options, fmt))
        return summary

    def collect(f: Future[Outcome], source: str) -> None:
        try:
            done(f.result())
        except Exception as exc:  # a worker died (killed, out of memory): name the page, go on
            done(Outcome(source, False, f"its worker process failed ({type(exc).__name__}: {exc})"))

    # Workers are spawned, not forked: a fork of a process that has already run the model's
    # OpenMP code (scikit-learn's trees) can hang forever in the child.
    context = multiprocessing.get_context("spawn")
    initargs = (os.getpid(), pickle.dumps(model))
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=initargs) as pool:
        pending: dict[Future[Outcome], str] = {}
        for job in jobs:
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    collect(f, pending.pop(f))
            try:
                pending[pool.submit(_worker_run, job, options, fmt)] = job.source
            except BrokenProcessPool as exc:
                done(Outcome(job.source, False, f"the worker processes stopped ({exc})"))
        for f in list(pending):
            collect(f, pending.pop(f))
    return summary
