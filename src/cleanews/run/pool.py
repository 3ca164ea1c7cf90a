"""The local engine: cleaning planned jobs in this process or in a pool of worker processes.

At most a few tasks per worker are in flight, so memory does not grow with the number
of files. One bad file never stops a batch: it becomes a failed :class:`Outcome` with a reason.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from threadpoolctl import threadpool_limits

from cleanews.api import CleanOptions, PageResult, label_html, label_page
from cleanews.files import STDIN, PageReadError, atomic_text, read_page
from cleanews.model.store import Model, ModelError
from cleanews.run.lifetime import exit_with_parent, run_until_told_to_stop
from cleanews.run.plan import Job
from cleanews.run.writers import stdout_output, write_result
from cleanews.text.decode import NotTextError
from cleanews.text.html import HtmlNotInstalled

if TYPE_CHECKING:
    from concurrent.futures import Future

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

IN_FLIGHT_PER_WORKER = 4
"""Tasks queued per worker: enough to keep workers busy, few enough to keep memory flat."""

SECONDS_PER_WORKER = 1.5
"""A worker process is started for every this many seconds of estimated labelling only: each
one spends a few tenths of a second importing and loading the model before its first page."""

RATE_ESTIMATE = 3e6
"""Bytes labelled per second and core, for the estimate (measured 2.5-3.5 MB/s on dev pages)."""

FIXED_ESTIMATE = 1e-3
"""Seconds of fixed work per file, for the estimate (reading, writing, a page's set-up)."""

THREADS_PER_WORKER = 1
"""Native threads (OpenMP, BLAS) per worker. The parallelism is across pages; threads inside
each worker would only fight for the same cores (and on a busy machine, a page that takes
0.05 s on one thread can take seconds on several)."""


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
    replaced_bytes: int = 0
    """Undecodable bytes of the page that became U+FFFD (reported per file and in the summary)."""


@dataclass
class Summary:
    """Counts of a run; ``files`` counts what was cleaned, named by ``unit`` (files, or records of a stream)."""

    files: int = 0
    lines: int = 0
    kept: int = 0
    failed: list[Outcome] = field(default_factory=list)
    unit: str = "files"
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
        out = f"{self.files} {self.unit}, {self.lines} lines, {self.kept} kept, {len(self.failed)} failed"
        if self.replaced_files:
            out += f"; {self.replaced_files} {self.unit} had {self.replaced_bytes} undecodable bytes replaced"
        return out


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def choose_workers(jobs: Iterator[Job], cores: int) -> tuple[int, Iterator[Job]]:
    """How many processes a batch repays (``--jobs 0``), and the same jobs to run.

    The work is estimated from the files' count and sizes, reading the plan only as far as
    the answer needs (at most ``cores * SECONDS_PER_WORKER`` seconds of work ahead), so a
    folder of a million pages is not walked twice. One process when the batch is smaller
    than two workers' worth: then no worker would repay its start.
    """
    if cores <= 1:
        return 1, jobs
    ahead: list[Job] = []
    work = 0.0
    for job in jobs:
        ahead.append(job)
        work += FIXED_ESTIMATE + _size(job.source) / RATE_ESTIMATE
        if work >= cores * SECONDS_PER_WORKER:
            break
    workers = max(1, min(cores, int(work / SECONDS_PER_WORKER)))
    logger.debug("about %.1f s of labelling ahead in %d files", work, len(ahead))
    return workers, itertools.chain(ahead, jobs)


def _same_file(output: Path, source: str) -> bool:
    """Whether writing ``output`` would overwrite the page ``source`` (hard links included).

    Only an existing output can be the input: two stats, where resolving both paths took eight.
    """
    if source == STDIN or not output.exists():
        return False
    try:
        return os.path.samefile(output, source)
    except OSError:
        return False


def _size(source: str) -> int:
    try:
        return os.stat(source).st_size
    except OSError:  # standard input, or a file that went away: its job says why
        return 0


def run_job(job: Job, model: Model, options: CleanOptions, fmt: str, uncertain: int = 0) -> Outcome:
    """Clean one page and write its result; failures become an Outcome with a reason.

    With ``uncertain``, the outcome carries that many of the page's least sure lines.

    Only a broken pipe on standard output (the reader went away) is raised: there is
    nobody left to write to, so the caller should stop quietly.
    """
    if job.error is not None:
        return Outcome(job.source, False, job.error)
    try:
        data = read_page(job.source, stdin=True)
    except PageReadError as exc:
        return Outcome(job.source, False, str(exc))
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
        if _same_file(job.output, job.source):
            return Outcome(job.source, False, "its output would overwrite it; skipped")
        try:
            with atomic_text(job.output) as fh:
                write_result(result, fmt, fh)
        except OSError as exc:
            return Outcome(job.source, False, f"cannot write {job.output} ({exc.strerror or exc})")
    kept = sum(1 for line in result.lines if line.kept)
    doubts = _doubts(result, str(job.output or job.source), uncertain) if uncertain else ()
    lines = sum(1 for line in result.lines if not line.blank)
    return Outcome(job.source, True, None, lines, kept, doubts, result.replaced_bytes)


def _doubts(result: PageResult, where: str, n: int) -> tuple[Doubt, ...]:
    labelled = [line for line in result.lines if line.label is not None and line.confidence is not None]
    least = heapq.nsmallest(n, labelled, key=lambda line: line.confidence or 0.0)
    return tuple(Doubt(line.confidence or 0.0, line.label or "", where, line.number, line.text) for line in least)


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


def _worker_run(job: Job, options: CleanOptions, fmt: str, uncertain: int = 0) -> Outcome:
    model = _worker_model
    if model is None:
        return Outcome(job.source, False, _worker_error or "the worker has no model")
    return run_until_told_to_stop(lambda: run_job(job, model, options, fmt, uncertain))


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

    ``workers=0`` chooses from the batch (:func:`choose_workers`). Workers start once per
    run, not per file.

    ``uncertain``: each outcome carries that many of its page's least sure lines.

    At most ``IN_FLIGHT_PER_WORKER`` jobs per worker wait at a time, so a folder of a
    million pages costs no more memory than a folder of ten.
    """
    summary = Summary()

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    if workers == 0:
        workers, jobs = choose_workers(iter(jobs), default_jobs())
    logger.info("%s", f"{workers} worker processes" if workers > 1 else "1 worker process (this one)")
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

    # Workers are spawned, not forked: a child forked from a process that runs threads (numpy's
    # BLAS pool, a caller's own) can inherit a lock one of them holds and hang; spawn also
    # starts workers the same way on every platform.
    import multiprocessing  # only here: a fifth of start-up when a run stays in one process
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

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
                pending[pool.submit(_worker_run, job, options, fmt, uncertain)] = job.source
            except BrokenProcessPool as exc:
                done(Outcome(job.source, False, f"the worker processes stopped ({exc})"))
        for f in list(pending):
            collect(f, pending.pop(f))
    return summary
