"""The actors: callable classes that Ray Data builds once per actor, each loading the model once.

:class:`PageCleaner` adds decision columns to tables of pages (for your own pipeline and
:func:`~cleanews.run.ray.clean_folder_with_ray`); :class:`JobRunner` runs the local
engine's jobs (:func:`cleanews.run.pool.run_job`) for ``cleanews clean --engine ray``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanews.api import CleanOptions
from cleanews.data.labels import DEFAULT_KEEP
from cleanews.model.store import load_model
from cleanews.run.plan import Job
from cleanews.run.pool import Outcome, run_job
from cleanews.run.ray.cluster import BATCH_SIZE, import_pyarrow, import_ray, pool_size
from cleanews.run.ray.rows import ERROR, PageRow, add_columns, clean_one, keep_set, output_schema

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import ray.data


class PageCleaner:
    """A callable class for ``ray.data.Dataset.map_batches(..., batch_format="pyarrow")``.

    Ray builds one per actor, so the model is loaded once per actor. Each call takes a
    ``pyarrow.Table`` with a column of pages (``text_column``: str or bytes in any
    encoding) and returns it with the columns of
    :data:`~cleanews.run.ray.OUTPUT_COLUMNS` added (replaced when already there), one
    row out per row in.

    Args:
        model_path: a model file visible on the workers; None: the model installed
            with cleanews on each worker (or ``$CLEANEWS_MODEL`` there).
        keep: labels to keep, a set or ``"body,title"`` (:class:`~cleanews.CleanOptions`).
        min_confidence: drop kept lines below this confidence.
        keep_spans: leave spam spans in the ``cleaned`` text (they are cut by default).
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
        keep_spans: bool = False,
    ) -> None:
        import_pyarrow()  # first: without pyarrow, say what to install (the ray extra)
        self.schema = output_schema()
        self.options = CleanOptions(keep=keep_set(keep), min_confidence=min_confidence, keep_spans=keep_spans)
        self.model = load_model(model_path)
        self.text_column = text_column
        self.read_paths = read_paths

    def __call__(self, batch: pa.Table) -> pa.Table:
        pa = import_pyarrow()
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


class JobRunner:
    """:func:`cleanews.run.pool.run_job` for rows of (source, path, output), as an actor.

    ``path`` and ``output`` are absolute; ``source`` is the input as the user named it.
    """

    def __init__(
        self,
        model_path: str | None = None,
        keep: Iterable[str] | str = DEFAULT_KEEP,
        min_confidence: float = 0.0,
        fmt: str = "text",
        keep_spans: bool = False,
    ) -> None:
        self.model = load_model(model_path)
        self.options = CleanOptions(keep=keep_set(keep), min_confidence=min_confidence, keep_spans=keep_spans)
        self.fmt = fmt

    def __call__(self, batch: pa.Table) -> pa.Table:
        pa = import_pyarrow()
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


def actor_kwargs(model_path: str | Path | None, options: CleanOptions) -> dict[str, Any]:
    """What every actor's constructor needs to load the model and apply the options."""
    return {
        "model_path": None if model_path is None else str(model_path),
        "keep": sorted(options.keep),
        "min_confidence": options.min_confidence,
        "keep_spans": options.keep_spans,
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
    ray = import_ray()
    options = options or CleanOptions()
    workers = pool_size(ray, num_workers)
    return ds.map_batches(
        PageCleaner,
        batch_format="pyarrow",
        batch_size=batch_size,
        fn_constructor_kwargs={
            **actor_kwargs(model_path, options),
            "text_column": text_column,
            "read_paths": read_paths,
        },
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )


def run_jobs(
    ds: ray.data.Dataset, model_path: str | Path | None, options: CleanOptions, fmt: str, workers: int
) -> ray.data.Dataset:
    """``ds`` of (source, path, output) rows run by a pool of ``workers`` :class:`JobRunner` actors."""
    ray = import_ray()
    return ds.map_batches(
        JobRunner,
        batch_format="pyarrow",
        batch_size=BATCH_SIZE,
        fn_constructor_kwargs={**actor_kwargs(model_path, options), "fmt": fmt},
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
