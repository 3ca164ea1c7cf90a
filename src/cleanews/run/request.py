"""What ``cleanews clean`` was asked to do, planned: pages or record streams, and how to run them.

The command line names inputs of three kinds: pages (text or HTML files, folders of
them, standard input), and record streams (JSON Lines or Parquet files). A run takes one
kind: :meth:`CleanRequest.plan` tells them apart (by extension, or ``--input-format``),
refuses a mix or an unsafe output before any work, and gives a :class:`Planned` run
that counts its inputs for the progress bar and runs them.
"""

from __future__ import annotations

import heapq
import itertools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleanews.api import CleanOptions
from cleanews.files import STDIN, atomic_text
from cleanews.model.store import Model
from cleanews.run.plan import Job, PlanError, is_batch, plan, walk_pages
from cleanews.run.pool import Doubt, Outcome, Summary, default_jobs, run
from cleanews.run.stream_jobs import StreamJob, plan_streams, run_streams, total_records
from cleanews.run.streams import StreamOptions, stream_format_of

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

UNCERTAIN_NAME = "UNCERTAIN.tsv"
"""The side file of ``--uncertain N`` in an output folder (beside an output file: ``FILE.uncertain.tsv``)."""


@dataclass(frozen=True)
class CleanRequest:
    """The choices of ``cleanews clean``, before anything is read."""

    paths: list[str]
    output: Path | None
    fmt: str | None = None  # None: text for pages, the input's own format for streams
    glob: str | None = None
    input_format: str = "auto"
    keep_dirs: bool = False
    uncertain: int = 0
    fields: StreamOptions = field(default_factory=StreamOptions)

    def stream_format(self, path: str) -> str | None:
        if self.input_format in ("jsonl", "parquet"):
            return self.input_format
        if self.input_format != "auto" or path == STDIN or Path(path).is_dir():
            return None
        return stream_format_of(path)

    def plan(self) -> Planned:
        """The run, or :class:`PlanError` (nothing has been written)."""
        kinds = [self.stream_format(p) for p in self.paths]
        if any(kinds):
            if not all(kinds):
                raise PlanError("give either record streams (.jsonl, .parquet) or pages in one run, not both")
            if STDIN in self.paths:
                raise PlanError("record streams are read from files; give the file's name instead of -")
            if self.uncertain:
                raise PlanError("--uncertain goes with pages cleaned to --format tsv, not with record streams")
            sources = [(Path(p), k) for p, k in zip(self.paths, kinds) if k]
            return Planned(self, streams=plan_streams(sources, self.output, self.fmt))
        fmt = self.fmt or "text"
        if fmt == "parquet":
            raise PlanError("Parquet output is for record streams (.jsonl, .parquet inputs); choose text, jsonl or tsv")
        if self.uncertain and fmt != "tsv":
            raise PlanError("--uncertain writes lines to correct: use it with --format tsv")
        if self.uncertain and self.output is None:
            raise PlanError("--uncertain writes a side file: give -o FILE or -o DIR")
        jobs = plan(self.paths, self.output, fmt, self.pattern, self.keep_dirs, self.input_format)
        first = next(jobs, None)  # planning errors surface here
        return Planned(self, pages=itertools.chain([first] if first else [], jobs), fmt=fmt)

    @property
    def pattern(self) -> str:
        return self.glob or ("*.htm*" if self.input_format == "html" else "*.txt")


@dataclass
class Planned:
    """A planned run: pages (jobs, lazily) or streams (a list)."""

    request: CleanRequest
    pages: Iterator[Job] | None = None
    streams: list[StreamJob] | None = None
    fmt: str = "jsonl"

    @property
    def batch(self) -> bool:
        """Many inputs (a folder, several files) or records: a progress bar and a summary."""
        return self.streams is not None or is_batch(self.request.paths)

    @property
    def unit(self) -> str:
        return "records" if self.streams is not None else "files"

    @property
    def jobs(self) -> Iterator[Job]:
        assert self.pages is not None, "streams run here, not on Ray"
        return self.pages

    def total(self) -> int | None:
        """How many files or records there are (a second, cheap pass), or None when unknown."""
        if self.streams is not None:
            return total_records(self.streams)
        count = 0
        for p in self.request.paths:
            path = Path(p)
            count += sum(1 for _ in walk_pages(path, self.request.pattern)) if path.is_dir() else 1
        return count

    def run(
        self, model: Model, options: CleanOptions, workers: int, on_done: Callable[[Outcome], None] | None
    ) -> Summary:
        if self.streams is not None:
            return run_streams(self.streams, model, options, self.request.fields, workers or default_jobs(), on_done)
        n = self.request.uncertain
        if not n:
            return run(self.jobs, model, options, self.fmt, workers, on_done)
        doubts: list[tuple[float, int, Doubt]] = []
        order = itertools.count()

        def keep_doubts(o: Outcome) -> None:
            for d in o.doubts:  # the n least sure lines overall: a bounded heap (largest confidence on top)
                item = (-d.confidence, next(order), d)
                (heapq.heappush if len(doubts) < n else heapq.heappushpop)(doubts, item)
            if on_done:
                on_done(o)

        summary = run(self.jobs, model, options, self.fmt, workers, keep_doubts, uncertain=n)
        self._write_doubts(sorted((d for _, _, d in doubts), key=lambda d: d.confidence))
        return summary

    def _write_doubts(self, doubts: list[Doubt]) -> None:
        out = self.request.output
        assert out is not None
        side = out / UNCERTAIN_NAME if is_batch(self.request.paths) or out.is_dir() else _beside(out)
        with atomic_text(side) as fh:
            fh.write("confidence\tlabel\tpage\tline\ttext\n")
            for d in doubts:
                fh.write(f"{d.confidence:.4f}\t{d.label}\t{d.output}\t{d.line}\t{_one_line(d.text)}\n")
        logger.info("the %d least sure lines are in %s", len(doubts), side)


def _beside(path: Path) -> Path:
    return path.with_name(path.name + ".uncertain.tsv")


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
