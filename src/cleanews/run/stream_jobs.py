"""Planning and running document streams: which file goes where, and the records' outcomes.

``cleanews clean docs.jsonl`` (no ``-o``) writes JSON Lines to standard output;
``-o cleaned.parquet`` names the file (its extension chooses the format); ``-o DIR``, or
several streams, writes each stream under ``DIR`` by its own name. A stream is never
written over itself, and each record's outcome feeds the same summary and progress bar
as a folder of pages.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanews.api import CleanOptions
from cleanews.model.store import Model
from cleanews.run.plan import PlanError
from cleanews.run.pool import Outcome, Summary
from cleanews.run.rows import ERROR, KEPT, LABELS, import_pyarrow
from cleanews.run.streams import (
    COMPRESSIONS,
    STREAM_FORMATS,
    RecordWriter,
    StreamError,
    StreamOptions,
    clean_records,
    compression_of,
    count_records,
    read_records,
    record_name,
    stream_format_of,
)

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

STREAM_EXTENSIONS = {"jsonl": ".jsonl", "parquet": ".parquet"}


@dataclass(frozen=True)
class StreamJob:
    """One stream to clean: its file and format, and where the records go (None: stdout, JSON Lines)."""

    source: Path
    fmt: str
    output: Path | None
    out_fmt: str


def _output_name(source: Path, out_fmt: str) -> str:
    """``docs.jsonl.gz`` -> ``docs.jsonl.gz`` (JSON Lines keeps the compression), ``docs.parquet``..."""
    name = source.name
    kind = compression_of(source)
    suffix = next((s for s, k in COMPRESSIONS.items() if k == kind), "")
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = Path(stem).stem if stream_format_of(stem) else stem
    return stem + STREAM_EXTENSIONS[out_fmt] + (suffix if out_fmt == "jsonl" else "")


def plan_streams(sources: Sequence[tuple[Path, str]], output: Path | None, out_fmt: str | None) -> list[StreamJob]:
    """Jobs for (path, format) streams; :class:`PlanError` for a request that cannot be done safely."""
    if out_fmt is not None and out_fmt not in STREAM_FORMATS:
        raise PlanError(
            f"records come out as {' or '.join(STREAM_FORMATS)}, not {out_fmt}: use --format jsonl or parquet"
        )
    for path, _ in sources:
        if not path.is_file():
            raise PlanError(f"{path}: no such file")
    # -o names a folder when it is one, when there are several streams, or when its name is
    # not that of a stream file (``-o cleaned`` is a folder, ``-o cleaned.parquet`` a file).
    to_folder = output is not None and (output.is_dir() or len(sources) > 1 or stream_format_of(output) is None)
    if len(sources) > 1 and output is None:
        raise PlanError("several streams need an output folder: add -o DIR")
    if to_folder and output is not None and output.exists() and not output.is_dir():
        raise PlanError(f"{output} is a file; with several streams, -o must name a folder")
    jobs: list[StreamJob] = []
    seen: dict[Path, Path] = {}
    for path, fmt in sources:
        if output is None:
            fmt_out = out_fmt or "jsonl"
            if fmt_out == "parquet":
                raise PlanError("Parquet cannot go to standard output; give -o FILE.parquet")
            jobs.append(StreamJob(path, fmt, None, fmt_out))
            continue
        if to_folder:
            fmt_out = out_fmt or fmt
            target = output / _output_name(path, fmt_out)
        else:
            fmt_out = out_fmt or stream_format_of(output) or fmt
            target = output
        if target.resolve() == path.resolve():
            raise PlanError(f"writing to {target} would overwrite the input; choose another output")
        if target.resolve() in seen:
            raise PlanError(f"{seen[target.resolve()]} and {path} would both be written to {target}; rename one")
        seen[target.resolve()] = path
        jobs.append(StreamJob(path, fmt, target, fmt_out))
    if any(job.fmt == "parquet" or job.out_fmt == "parquet" for job in jobs):
        try:
            import_pyarrow()
        except ImportError as exc:  # say so before any record is read
            raise PlanError(str(exc)) from None
    inputs = {path.resolve() for path, _ in sources}
    for job in jobs:
        if job.output is not None and job.output.resolve() in inputs:
            raise PlanError(f"writing to {job.output} would overwrite an input; choose another output")
    return jobs


def total_records(jobs: Iterable[StreamJob]) -> int | None:
    """The number of records of all jobs, or None when one of them cannot be counted cheaply."""
    total = 0
    for job in jobs:
        n = count_records(job.source, job.fmt)
        if n is None:
            return None
        total += n
    return total


def _outcome(source: str, record: dict[str, Any]) -> Outcome:
    error = record.get(ERROR)
    labels = record.get(LABELS) or []
    kept = record.get(KEPT) or []
    return Outcome(source, error is None, error, sum(1 for lab in labels if lab is not None), sum(map(bool, kept)))


def run_streams(
    jobs: Iterable[StreamJob],
    model: Model,
    options: CleanOptions,
    fields: StreamOptions,
    workers: int = 1,
    on_done: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Clean every record of every stream; one :class:`Outcome` per record (a stream that
    cannot be read or written at all counts as one failure, and its output is not written).

    A broken pipe on standard output is raised: nobody is left to write to.
    """
    summary = Summary(unit="records")

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    for job in jobs:
        try:
            stream = sys.stdout.buffer if job.output is None else None
            with RecordWriter(job.output, job.out_fmt, stream) as writer:
                cleaned = clean_records(read_records(job.source, job.fmt), model, options, fields, workers)
                for number, record in enumerate(cleaned, 1):
                    writer.write(record)
                    done(_outcome(f"{job.source}: {record_name(record, number, fields)}", record))
                if job.output is None:
                    sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except (StreamError, ImportError) as exc:
            done(Outcome(str(job.source), False, f"{exc}; nothing was written"))
        except OSError as exc:
            why = exc.strerror or exc
            done(Outcome(str(job.source), False, f"cannot read or write it ({why}); nothing was written"))
        except Exception as exc:  # a corrupt archive (EOFError, ZstdError...): that stream fails, the rest go on
            done(Outcome(str(job.source), False, f"cannot be read ({type(exc).__name__}: {exc}); nothing was written"))
    return summary
