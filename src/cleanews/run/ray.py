"""Run cleanews on a Ray cluster: a callable class for Ray Data, and two helpers on top.

Install the extra first: ``pip install 'cleanews[ray]'`` (Ray Data, pandas, pyarrow).
This module imports without Ray; Ray is imported only when one of its functions runs,
and a missing Ray raises :class:`RayNotInstalled` saying what to install.

Three ways in, from the most control to the least:

* :class:`PageCleaner`, for your own pipeline. Batches are **pyarrow tables**
  (``batch_format="pyarrow"``): the output columns get explicit Arrow types, so every
  block has the same schema whatever its pages are (a batch of failed pages still
  yields ``list<string>`` labels, not a column of unknown type)::

      ds = ray.data.read_parquet("s3://crawl/pages/")          # a "text" column: str or bytes
      ds = ds.map_batches(PageCleaner, batch_format="pyarrow", batch_size=32,
                          fn_constructor_kwargs={"text_column": "text"},
                          compute=ray.data.ActorPoolStrategy(size=8))
      ds.write_parquet("s3://crawl/cleaned/")

  :func:`clean_dataset` does that ``map_batches`` call with the right arguments.
* :func:`clean_folder_with_ray`: a folder of pages (``*.txt``) or JSON Lines files with a
  text column in, one JSONL or Parquet file out, one row per page, in input order.
* :func:`run_clean_on_ray`: what ``cleanews clean --engine ray`` runs. The same jobs and
  the same output files as the in-process batch (:func:`cleanews.run.batch.run`), with the
  pages cleaned by actors on the cluster.

Every actor loads the model once, in its constructor. A page that cannot be cleaned
(binary data, no text, unreadable file) becomes a row with a message in ``error``,
never a crashed job: rows in equals rows out.

Columns added by :class:`PageCleaner`: :data:`~cleanews.run.rows.OUTPUT_COLUMNS`, the same
columns as ``cleanews clean docs.jsonl`` adds (see :mod:`cleanews.run.rows`; a failed page
has nulls in all but ``error``).

On a cluster of several machines, the paths given to the helpers are opened by the
workers: they must name the same files on every node (a shared file system). The
output of :func:`clean_folder_with_ray` is written by the driver; the outputs of
:func:`run_clean_on_ray` are written by the workers. See ``benchmarks/RAY.md``.
"""

from __future__ import annotations

import inspect
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanews.api import CleanOptions
from cleanews.data.labels import DEFAULT_KEEP, parse_labels
from cleanews.model.store import load_model
from cleanews.run.batch import STDIN, Job, Outcome, Summary, plan, run_job, walk_pages
from cleanews.run.rows import (  # the columns are shared with the document streams of the CLI
    ERROR,
    KEPT,
    LABELS,
    OUTPUT_COLUMNS,
    PageRow,
    add_columns,
    clean_one,
    output_schema,
)
from cleanews.run.streams import RecordWriter

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import ray.data

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'cleanews[ray]'"

PATH = "path"
"""The column naming each page's file when :func:`clean_folder_with_ray` reads a folder."""

BATCH_SIZE = 16
"""Pages per call of an actor: small, so that a few long pages don't hold up a whole block."""

JSONL_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz")
OUTPUT_FORMATS = ("jsonl", "parquet")


class RayNotInstalled(ImportError):
    """Ray (or pyarrow) is not installed: the message says how to install the extra."""


class RayEngineError(RuntimeError):
    """The job cannot run on Ray (no cluster at the address, a lost row...); the message says why."""


def _import_ray() -> Any:
    """Import Ray, Ray Data and pyarrow, or raise :class:`RayNotInstalled` with the fix."""
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RayNotInstalled(
            f"running cleanews on Ray needs the ray extra ({exc.msg}); install it with: {INSTALL_HINT}"
        ) from exc
    return ray


def _import_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:
        raise RayNotInstalled(
            f"cleanews' Ray engine needs pyarrow ({exc.msg}); install it with: {INSTALL_HINT}"
        ) from exc
    return pyarrow


def _keep_set(keep: Iterable[str] | str) -> frozenset[str]:
    return parse_labels(keep) if isinstance(keep, str) else frozenset(keep)


# --------------------------------------------------------------------------- the actor


class PageCleaner:
    """A callable class for ``ray.data.Dataset.map_batches(..., batch_format="pyarrow")``.

    Ray builds one per actor, so the model is loaded once per actor. Each call takes a
    ``pyarrow.Table`` with a column of pages (``text_column``: str or bytes in any
    encoding) and returns it with the columns of :data:`OUTPUT_COLUMNS` added (replaced
    when already there), one row out per row in.

    Args:
        model_path: a model file visible on the workers; None: the model installed
            with cleanews on each worker (or ``$CLEANEWS_MODEL`` there).
        keep: labels to keep, a set or ``"body,title"`` (:class:`~cleanews.CleanOptions`).
        min_confidence: drop kept lines below this confidence.
        text_column: the column holding the pages.
        read_paths: the column holds file paths instead; each worker reads the files
            (an unreadable file becomes an error row).

    A row that arrives with a non-null ``error`` (a stage before failed on it) keeps
    its error and is not cleaned.
    """

    batch_format = "pyarrow"

    def __init__(
        self,
        model_path: str | Path | None = None,
        keep: Iterable[str] | str = DEFAULT_KEEP,
        min_confidence: float = 0.0,
        text_column: str = "text",
        read_paths: bool = False,
    ) -> None:
        _import_pyarrow()  # first: without pyarrow, say what to install
        self.schema = output_schema()
        self.options = CleanOptions(keep=_keep_set(keep), min_confidence=min_confidence)
        self.model = load_model(model_path)
        self.text_column = text_column
        self.read_paths = read_paths

    def __call__(self, batch: pa.Table) -> pa.Table:
        pa = _import_pyarrow()
        if not isinstance(batch, pa.Table):
            raise TypeError(
                f"PageCleaner takes pyarrow tables, not {type(batch).__name__}: "
                'call map_batches(PageCleaner, batch_format="pyarrow", ...)'
            )
        if self.text_column not in batch.column_names:
            raise KeyError(
                f"no column {self.text_column!r} in the dataset (it has {', '.join(batch.column_names)}); "
                "name the column of pages with text_column="
            )
        pages = batch.column(self.text_column).to_pylist()
        earlier = batch.column(ERROR).to_pylist() if ERROR in batch.column_names else [None] * len(pages)
        rows = [
            PageRow.failed(err) if err is not None else clean_one(page, self.model, self.options, self.read_paths)
            for page, err in zip(pages, earlier)
        ]
        return add_columns(batch, rows, self.schema)


def _actor_kwargs(model_path: str | Path | None, options: CleanOptions) -> dict[str, Any]:
    """What every actor's constructor needs to load the model and apply the options."""
    return {
        "model_path": None if model_path is None else str(model_path),
        "keep": sorted(options.keep),
        "min_confidence": options.min_confidence,
    }


def clean_dataset(
    ds: ray.data.Dataset,
    *,
    text_column: str = "text",
    model_path: str | Path | None = None,
    options: CleanOptions | None = None,
    num_workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    read_paths: bool = False,
) -> ray.data.Dataset:
    """``ds`` cleaned by a pool of ``num_workers`` :class:`PageCleaner` actors (lazy, like all of Ray Data).

    ``num_workers`` None: one actor per CPU of the cluster. Each actor takes one CPU.
    """
    ray = _import_ray()
    options = options or CleanOptions()
    workers = _pool_size(ray, num_workers)
    return ds.map_batches(
        PageCleaner,
        batch_format="pyarrow",
        batch_size=batch_size,
        fn_constructor_kwargs={
            **_actor_kwargs(model_path, options),
            "text_column": text_column,
            "read_paths": read_paths,
        },
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )


# --------------------------------------------------------------------------- the cluster


def _cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _pool_size(ray: Any, num_workers: int | None) -> int:
    """Actors to start: as asked, or one per CPU; warn when the cluster has fewer CPUs now."""
    cpus = _cluster_cpus(ray)
    if num_workers and num_workers > cpus:
        logger.warning(
            "%d workers asked for and the cluster has %d CPUs now: the pool starts when it grows (autoscaling)",
            num_workers,
            cpus,
        )
    return num_workers or cpus


@contextmanager
def connected(address: str | None = None, num_cpus: int | None = None) -> Iterator[Any]:
    """Ray, connected: to the cluster at ``address``, or a new local one when None.

    When Ray is already initialised in this process (you called ``ray.init`` yourself,
    say with a ``runtime_env``), that connection is used and left open; otherwise it is
    shut down on leaving. ``num_cpus`` sizes a new local cluster (default: all cores).
    """
    ray = _import_ray()
    if ray.is_initialized():
        yield ray
        return
    kwargs: dict[str, Any] = {"include_dashboard": False}
    if address is None:
        # Logical CPUs: at least one per actor asked for, or the pool would wait forever.
        kwargs["num_cpus"] = max(os.cpu_count() or 1, num_cpus or 0)
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
        raise RayEngineError(f"cannot start or reach {where}: {exc}") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


@contextmanager
def _run_settings(ray: Any) -> Iterator[None]:
    """Rows in input order (Ray Data may reorder them otherwise); Ray Data's log of its
    progress only when cleanews logs at INFO (``cleanews -v``), its warnings always."""
    ctx = ray.data.DataContext.get_current()
    before = ctx.execution_options.preserve_order
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    ctx.execution_options.preserve_order = True
    if not logger.isEnabledFor(logging.INFO):
        data_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        ctx.execution_options.preserve_order = before
        data_logger.setLevel(level)


def _rows_per_block(n: int, workers: int) -> int:
    """Enough blocks that every actor gets several, few enough that blocks stay cheap."""
    return max(1, min(BATCH_SIZE * 4, math.ceil(n / (workers * 4))))


# --------------------------------------------------------------------------- inputs


def _is_jsonl(path: str | Path) -> bool:
    return str(path).lower().endswith(JSONL_SUFFIXES)


def _split_inputs(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], pattern: str
) -> tuple[list[str], list[str]]:
    """(page files, JSONL files) named by the inputs; folders are walked for ``pattern``, sorted."""
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    pages: list[str] = []
    jsonl: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in (f for f, error in walk_pages(p, pattern) if error is None):
                pages.append(str(f.resolve()))
        elif _is_jsonl(p):
            if not p.is_file():
                raise FileNotFoundError(f"no such file: {p}")
            jsonl.append(str(p.resolve()))
        elif p.is_file():
            pages.append(str(p.resolve()))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    if pages and jsonl:
        raise ValueError("give either pages (files or folders) or JSON Lines files, not both in one run")
    return pages, jsonl


def _read_jsonl(ray: Any, files: list[str], text_column: str, workers: int) -> ray.data.Dataset:
    """JSON Lines files as a dataset, split into enough blocks for every actor to get some."""
    import pyarrow as pa
    import pyarrow.json as pajson

    # The page column is read as text whatever it looks like (pyarrow would make dates of
    # date-like strings); the other fields keep the types pyarrow infers.
    parse = pajson.ParseOptions(
        explicit_schema=pa.schema([(text_column, pa.large_string())]), unexpected_field_behavior="infer"
    )
    # Read tasks ask for no CPU: the actors may hold every CPU of the cluster, and a read
    # waiting for one of them would wait forever (seen with 2 actors on 2 CPUs). For the
    # same reason the blocks are split by the read itself (more blocks than files), not by
    # a repartition step, whose tasks would wait for a CPU too.
    # Ray 2.40 takes remote arguments as ray_remote_args only; later ones name them and
    # deprecate ray_remote_args.
    named = "num_cpus" in inspect.signature(ray.data.read_json).parameters
    zero_cpu: dict[str, Any] = {"num_cpus": 0} if named else {"ray_remote_args": {"num_cpus": 0}}
    return ray.data.read_json(files, parse_options=parse, override_num_blocks=max(len(files), workers * 4), **zero_cpu)


# --------------------------------------------------------------------------- outputs


def _count(
    summary: Summary, source: str, labels: list[str | None] | None, kept: list[bool] | None, error: str | None
) -> Outcome:
    outcome = Outcome(
        source,
        error is None,
        error,
        sum(1 for lab in labels or [] if lab is not None),
        sum(1 for k in kept or [] if k),
    )
    summary.add(outcome)
    return outcome


# --------------------------------------------------------------------------- helpers


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
    on_done: Callable[[Outcome], None] | None = None,
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
        num_workers: the number of actors, each holding a model (default: every CPU
            of the cluster).
        model_path, options: the model (None: the shipped one) and what to keep.
        on_done: called with each page's :class:`~cleanews.run.batch.Outcome`, in order.

    Rows: for pages, ``path`` and the :data:`OUTPUT_COLUMNS`; for JSON Lines, each
    record's own fields and the :data:`OUTPUT_COLUMNS`. Rows come out in input order
    (files sorted within folders). A page that fails has its reason in ``error`` and
    is in :attr:`Summary.failed`, named by its path, or ``row N`` (1-based) for JSONL.

    Raises :class:`RayNotInstalled`, :class:`~cleanews.ModelError` (checked before
    any work), ``FileNotFoundError`` / ``ValueError`` for bad inputs or options, and
    :class:`RayEngineError` when the cluster cannot be reached or rows do not add up.
    """
    _import_ray()
    options = options or CleanOptions()
    out = Path(output)
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")
    if out.is_dir():
        raise ValueError(f"{out} is a folder; the output is one {fmt} file")
    pages, jsonl = _split_inputs(inputs, pattern)
    if out.exists() and str(out.resolve()) in set(pages) | set(jsonl):
        raise ValueError(f"writing to {out} would overwrite an input; choose another output")
    load_model(model_path)  # a missing or stale model fails here, not in every actor
    summary = Summary()
    with RecordWriter(out, fmt) as writer:  # the file appears only when every row is written
        with connected(address, num_workers) as ray, _run_settings(ray):
            workers = _pool_size(ray, num_workers)
            if jsonl:
                ds = _read_jsonl(ray, jsonl, text_column, workers)
                source_column = text_column
            else:
                per_block = _rows_per_block(len(pages), workers)
                ds = ray.data.from_items(
                    [{PATH: p} for p in pages], override_num_blocks=max(1, math.ceil(len(pages) / per_block))
                )
                source_column = PATH
            if pages or jsonl:
                _check_columns(ds, text_column if jsonl else None)
                cleaned = clean_dataset(
                    ds,
                    text_column=source_column,
                    model_path=model_path,
                    options=options,
                    num_workers=workers,
                    batch_size=batch_size,
                    read_paths=not jsonl,
                )
                batches: Iterable[Any] = cleaned.iter_batches(batch_format="pyarrow", batch_size=None)
                for table in batches:
                    writer.write_table(table)
                    paths = table.column(PATH).to_pylist() if not jsonl else [None] * table.num_rows
                    for path, lab, kept, err in zip(
                        paths,
                        table.column(LABELS).to_pylist(),
                        table.column(KEPT).to_pylist(),
                        table.column(ERROR).to_pylist(),
                    ):
                        outcome = _count(summary, path or f"row {summary.files + 1}", lab, kept, err)
                        if on_done:
                            on_done(outcome)
        if not jsonl and writer.rows != len(pages):
            raise RayEngineError(f"{len(pages)} pages went in and {writer.rows} rows came out; nothing was written")
    return summary


def _check_columns(ds: ray.data.Dataset, text_column: str | None) -> None:
    """Refuse JSONL records that already carry a column the cleaner would overwrite."""
    if text_column is None:
        return
    schema = ds.schema()
    names = set(schema.names) if schema is not None else set()
    clash = sorted(names & set(OUTPUT_COLUMNS) - {text_column})
    if clash:
        raise ValueError(
            f"the records already have field(s) {', '.join(clash)}, which cleanews writes; rename them first"
        )


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
    on_done: Callable[[Outcome], None] | None = None,
) -> Summary:
    """What ``cleanews clean ... --engine ray [--address ADDR]`` runs: the in-process batch, on Ray.

    Args:
        jobs_or_paths: :class:`~cleanews.run.batch.Job` objects from
            :func:`cleanews.run.batch.plan`, or the paths of the command line (then
            planned here with ``output``, ``fmt`` and ``pattern``; a
            :class:`~cleanews.run.batch.PlanError` surfaces before any work).
        output: the ``-o`` of the command line (used only to plan paths).
        fmt: ``text``, ``jsonl`` or ``tsv``: the per-page output format of the CLI.
        options, model_path: what to keep, and the model file (None: the shipped one).
        address: a running cluster; None starts a local one.
        num_workers: actors (``--jobs``; None or 0: every CPU of the cluster).
        on_done: called with each page's :class:`~cleanews.run.batch.Outcome` (the
            CLI's progress counter).

    Each actor loads the model once and runs :func:`cleanews.run.batch.run_job`, so the
    files written and the failures reported are those of the in-process batch. Jobs
    that read standard input or write to standard output run here, in the driver.
    Returns the :class:`~cleanews.run.batch.Summary` (``failed`` names each failed input).
    """
    _import_ray()
    jobs = _as_jobs(jobs_or_paths, output, fmt, pattern)
    model = load_model(model_path)  # fails before any work, as the CLI's own load does
    summary = Summary()

    def done(o: Outcome) -> None:
        summary.add(o)
        if on_done:
            on_done(o)

    local = [j for j in jobs if j.source == STDIN or j.output is None]
    remote = [j for j in jobs if not (j.source == STDIN or j.output is None)]
    for job in local:
        done(run_job(job, model, options, fmt))
    if not remote:
        return summary
    with connected(address, num_workers) as ray, _run_settings(ray):
        workers = _pool_size(ray, num_workers)
        per_block = _rows_per_block(len(remote), workers)
        ds = ray.data.from_items(
            # Absolute paths: a worker's current folder need not be this one.
            [
                {"source": j.source, "path": str(Path(j.source).resolve()), "output": str(j.output.resolve())}
                for j in remote
                if j.output is not None
            ],
            override_num_blocks=max(1, math.ceil(len(remote) / per_block)),
        )
        ran = ds.map_batches(
            JobRunner,
            batch_format="pyarrow",
            batch_size=BATCH_SIZE,
            fn_constructor_kwargs={
                **_actor_kwargs(model_path, options),
                "fmt": fmt,
            },
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        count = 0
        results: Iterable[Any] = ran.iter_batches(batch_format="pyarrow", batch_size=None)
        for table in results:
            for row in table.to_pylist():
                count += 1
                done(Outcome(row["source"], row["ok"], row["error"], row["lines"], row["kept"]))
    if count != len(remote):
        raise RayEngineError(f"{len(remote)} pages went to the cluster and {count} results came back")
    return summary


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


class JobRunner:
    """Actor for :func:`run_clean_on_ray`: :func:`cleanews.run.batch.run_job` for rows of (source, path, output).

    ``path`` and ``output`` are absolute; ``source`` is the input as the user named it.
    """

    def __init__(
        self,
        model_path: str | None = None,
        keep: Iterable[str] | str = DEFAULT_KEEP,
        min_confidence: float = 0.0,
        fmt: str = "text",
    ) -> None:
        self.model = load_model(model_path)
        self.options = CleanOptions(keep=_keep_set(keep), min_confidence=min_confidence)
        self.fmt = fmt

    def __call__(self, batch: pa.Table) -> pa.Table:
        pa = _import_pyarrow()
        outcomes = []
        columns = (batch.column(name).to_pylist() for name in ("source", "path", "output"))
        for source, path, output in zip(*columns):
            try:
                o = run_job(Job(path, Path(output)), self.model, self.options, self.fmt)
            except Exception as exc:  # run_job reports bad pages itself; this is for the unforeseen
                o = Outcome(path, False, f"{type(exc).__name__}: {exc}")
            outcomes.append(Outcome(source, o.ok, o.error, o.lines, o.kept))  # named as the user named it
        return pa.table(
            {
                "source": pa.array([o.source for o in outcomes], type=pa.string()),
                "ok": pa.array([o.ok for o in outcomes], type=pa.bool_()),
                "error": pa.array([o.error for o in outcomes], type=pa.string()),
                "lines": pa.array([o.lines for o in outcomes], type=pa.int64()),
                "kept": pa.array([o.kept for o in outcomes], type=pa.int64()),
            }
        )
