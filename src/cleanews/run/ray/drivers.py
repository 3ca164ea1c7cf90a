"""The two ways in that run a whole job from the driver: a folder to one file, and the CLI's batch.

:func:`clean_folder_with_ray` cleans pages or JSON Lines records into one JSONL or Parquet
file, one row per page, in input order; the driver writes it. :func:`run_clean_on_ray` is
``cleanews clean --engine ray``: the jobs and per-page files of the local engine, with
the pages cleaned (and the files written) by actors on the cluster.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanews.api import CleanOptions
from cleanews.files import STDIN
from cleanews.model.store import load_model
from cleanews.run.plan import Job, plan
from cleanews.run.pool import Outcome, Summary, run_job
from cleanews.run.ray.actors import clean_dataset, run_jobs
from cleanews.run.ray.cluster import (
    BATCH_SIZE,
    RayEngineError,
    connected,
    import_ray,
    pool_size,
    rows_per_block,
    run_settings,
)
from cleanews.run.ray.io import check_columns, check_format, read_jsonl, split_inputs
from cleanews.run.ray.rows import ERROR, KEPT, LABELS, PATH
from cleanews.run.streams import RecordWriter

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import ray.data

OnDone = Callable[[Outcome], None] | None


def clean_folder_with_ray(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    fmt: str = "jsonl",
    text_column: str = "text",
    address: str | None = None,
    num_workers: int | None = None,
    *,
    model_path: str | Path | None = None,
    options: CleanOptions | None = None,
    pattern: str = "*.txt",
    batch_size: int = BATCH_SIZE,
    on_done: OnDone = None,
) -> Summary:
    """Clean a folder of pages, or JSON Lines files of records, on Ray; write one row per page.

    Args:
        inputs: folders (searched recursively for ``pattern``) and page files; or
            JSON Lines files (``.jsonl``, ``.json``, optionally ``.gz``) whose records
            hold the page in ``text_column``. Not both kinds in one run.
        output: the file to write, JSON Lines (``fmt="jsonl"``) or Parquet
            (``fmt="parquet"``). It appears only when every row is written.
        address: a running cluster (``"auto"``, ``"ray://head:10001"``...); None
            starts a local cluster with ``num_workers`` CPUs (all cores when None).
        num_workers: the number of actors, each holding a model (default: every CPU).
        model_path, options: the model (None: the shipped one) and what to keep.
        on_done: called with each page's :class:`~cleanews.run.pool.Outcome`, in order.

    Rows: for pages, ``path`` and the :data:`~cleanews.run.ray.OUTPUT_COLUMNS`; for JSON
    Lines, each record's own fields and those columns. Rows come out in input order
    (files sorted within folders). A page that fails has its reason in ``error`` and is
    in :attr:`Summary.failed`, named by its path, or ``row N`` (1-based) for JSONL.

    Raises :class:`RayNotInstalled`, :class:`~cleanews.ModelError` (checked before any
    work), ``FileNotFoundError`` / ``ValueError`` for bad inputs or options, and
    :class:`RayEngineError` when the cluster cannot be reached or rows do not add up.
    """
    import_ray()
    options = options or CleanOptions()
    out = Path(output)
    pages, jsonl = _checked_inputs(inputs, out, fmt, pattern)
    load_model(model_path)  # a missing or stale model fails here, not in every actor
    summary = Summary()
    with RecordWriter(out, fmt) as writer, connected(address, num_workers) as ray, run_settings(ray):
        workers = pool_size(ray, num_workers)
        if pages or jsonl:
            ds, column = _pages_dataset(ray, pages, jsonl, text_column, workers)
            cleaned = clean_dataset(
                ds,
                text_column=column,
                model_path=model_path,
                options=options,
                num_workers=workers,
                batch_size=batch_size,
                read_paths=not jsonl,
            )
            tables: Iterable[Any] = cleaned.iter_batches(batch_format="pyarrow", batch_size=None)
            for table in tables:
                writer.write_table(table)
                _count_rows(summary, table, bool(jsonl), on_done)
        if not jsonl and writer.rows != len(pages):
            raise RayEngineError(f"{len(pages)} pages went in and {writer.rows} rows came out; nothing was written")
    return summary


def _checked_inputs(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], out: Path, fmt: str, pattern: str
) -> tuple[list[str], list[str]]:
    """(page files, JSONL files), refusing a bad format, a folder as output, or an output over an input."""
    check_format(fmt)
    if out.is_dir():
        raise ValueError(f"{out} is a folder; the output is one {fmt} file")
    pages, jsonl = split_inputs(inputs, pattern)
    if out.exists() and str(out.resolve()) in set(pages) | set(jsonl):
        raise ValueError(f"writing to {out} would overwrite an input; choose another output")
    return pages, jsonl


def _pages_dataset(
    ray: Any, pages: list[str], jsonl: list[str], text_column: str, workers: int
) -> tuple[ray.data.Dataset, str]:
    """The dataset to clean and the name of its column of pages (or of page paths)."""
    if jsonl:
        ds = read_jsonl(ray, jsonl, text_column, workers)
        check_columns(ds, text_column)
        return ds, text_column
    blocks = max(1, math.ceil(len(pages) / rows_per_block(len(pages), workers)))
    return ray.data.from_items([{PATH: p} for p in pages], override_num_blocks=blocks), PATH


def _count_rows(summary: Summary, table: pa.Table, jsonl: bool, on_done: OnDone) -> None:
    """Add a table of cleaned rows to ``summary``, an :class:`Outcome` per row."""
    paths = [None] * table.num_rows if jsonl else table.column(PATH).to_pylist()
    columns = (table.column(name).to_pylist() for name in (LABELS, KEPT, ERROR))
    for path, labels, kept, error in zip(paths, *columns):
        outcome = Outcome(
            path or f"row {summary.files + 1}",
            error is None,
            error,
            sum(1 for lab in labels or [] if lab is not None),
            sum(1 for k in kept or [] if k),
        )
        summary.add(outcome)
        if on_done:
            on_done(outcome)


def run_clean_on_ray(
    jobs_or_paths: Iterable[Job] | Iterable[str | os.PathLike[str]],
    output: Path | None,
    fmt: str,
    options: CleanOptions,
    model_path: str | Path | None = None,
    address: str | None = None,
    *,
    num_workers: int | None = None,
    pattern: str = "*.txt",
    on_done: OnDone = None,
) -> Summary:
    """What ``cleanews clean ... --engine ray [--address ADDR]`` runs: the local engine, on Ray.

    Args:
        jobs_or_paths: :class:`~cleanews.run.plan.Job` objects from
            :func:`cleanews.run.plan.plan`, or the paths of the command line (then
            planned here with ``output``, ``fmt`` and ``pattern``; a
            :class:`~cleanews.run.plan.PlanError` surfaces before any work).
        output: the ``-o`` of the command line (used only to plan paths).
        fmt: ``text``, ``jsonl`` or ``tsv``: the per-page output format of the CLI.
        options, model_path: what to keep, and the model file (None: the shipped one).
        address: a running cluster; None starts a local one.
        num_workers: actors (``--jobs``; None or 0: every CPU of the cluster).
        on_done: called with each page's :class:`~cleanews.run.pool.Outcome`.

    Each actor loads the model once and runs :func:`cleanews.run.pool.run_job`, so the
    files written and the failures reported are those of the local engine. Jobs that
    read standard input or write to standard output run here, in the driver.
    """
    import_ray()
    jobs = _as_jobs(jobs_or_paths, output, fmt, pattern)
    model = load_model(model_path)  # fails before any work, as the CLI's own load does
    summary = Summary()

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    remote = [j for j in jobs if j.source != STDIN and j.output is not None]
    for job in jobs:
        if job.source == STDIN or job.output is None:
            done(run_job(job, model, options, fmt))
    if not remote:
        return summary
    with connected(address, num_workers) as ray, run_settings(ray):
        workers = pool_size(ray, num_workers)
        ran = run_jobs(_jobs_dataset(ray, remote, workers), model_path, options, fmt, workers)
        count = 0
        results: Iterable[Any] = ran.iter_batches(batch_format="pyarrow", batch_size=None)
        for table in results:
            for row in table.to_pylist():
                count += 1
                done(Outcome(row["source"], row["ok"], row["error"], row["lines"], row["kept"]))
    if count != len(remote):
        raise RayEngineError(f"{len(remote)} pages went to the cluster and {count} results came back")
    return summary


def _jobs_dataset(ray: Any, jobs: list[Job], workers: int) -> ray.data.Dataset:
    """Jobs as rows of (source, path, output); paths absolute, as a worker's folder need not be this one."""
    rows = [
        {"source": j.source, "path": str(Path(j.source).resolve()), "output": str(j.output.resolve())}
        for j in jobs
        if j.output is not None
    ]
    blocks = max(1, math.ceil(len(jobs) / rows_per_block(len(jobs), workers)))
    return ray.data.from_items(rows, override_num_blocks=blocks)


def _as_jobs(
    items: Iterable[Job] | Iterable[str | os.PathLike[str]], output: Path | None, fmt: str, pattern: str
) -> list[Job]:
    given: list[object] = list(items)
    jobs = [i for i in given if isinstance(i, Job)]
    if len(jobs) == len(given):
        return jobs
    paths = [os.fspath(i) for i in given if isinstance(i, str | os.PathLike)]
    if len(paths) == len(given):
        return list(plan(paths, output, fmt, pattern))
    raise TypeError("give run_clean_on_ray either Job objects or paths, not a mix")
