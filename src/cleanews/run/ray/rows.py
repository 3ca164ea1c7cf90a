"""One page in, one row of decisions out: the columns the Ray engine adds and their Arrow types.

A page that cannot be cleaned (binary data, no text, an unreadable file) becomes a row
with a message in ``error``, never a crashed job: rows in equals rows out.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleanews.api import CleanOptions, label_page
from cleanews.data.labels import parse_labels
from cleanews.files import PageReadError, read_page
from cleanews.model.store import Model
from cleanews.run.ray.cluster import RayEngineError, import_pyarrow
from cleanews.text.decode import NotTextError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

CLEANED = "cleaned"
LABELS = "labels"
CONFIDENCES = "confidences"
KEPT = "kept"
SPANS = "spans"
ENCODING = "encoding"
REPLACED = "replaced"
ERROR = "error"
OUTPUT_COLUMNS: tuple[str, ...] = (CLEANED, LABELS, CONFIDENCES, KEPT, SPANS, ENCODING, REPLACED, ERROR)
"""The columns :class:`~cleanews.run.ray.PageCleaner` adds, in this order."""

PATH = "path"
"""The column naming each page's file when :func:`~cleanews.run.ray.clean_folder_with_ray` reads a folder."""

NOT_ON_THIS_WORKER = " (on this worker: the path must be visible on every node)"


def keep_set(keep: Iterable[str] | str) -> frozenset[str]:
    return parse_labels(keep) if isinstance(keep, str) else frozenset(keep)


@dataclass(frozen=True)
class PageRow:
    """The decisions about one page, as they go into the added columns."""

    cleaned: str | None = None
    labels: list[str | None] | None = None
    confidences: list[float | None] | None = None
    kept: list[bool] | None = None
    spans: list[list[dict[str, Any]]] | None = None  # per line, its spam spans (Span.as_dict)
    encoding: str | None = None
    replaced: bool | None = None
    error: str | None = None

    @classmethod
    def failed(cls, error: str) -> PageRow:
        return cls(error=error)


class _PageFailed(Exception):
    pass


def clean_one(page: Any, model: Model, options: CleanOptions, read_paths: bool = False) -> PageRow:
    """Label one page (str, bytes, or with ``read_paths`` a file path) into a :class:`PageRow`.

    Never raises for a bad page: the reason goes into ``error``.
    """
    try:
        if page is None:
            raise _PageFailed("no page text (the value is null)")
        if read_paths:
            page = read_page(os.fsdecode(page), where=NOT_ON_THIS_WORKER)
        elif isinstance(page, bytearray | memoryview):
            page = bytes(page)
        elif not isinstance(page, str | bytes):
            raise _PageFailed(f"a page must be text or bytes, not {type(page).__name__}")
        result = label_page(page, model, options)
    except (_PageFailed, PageReadError, NotTextError) as exc:
        return PageRow.failed(str(exc))
    except Exception as exc:  # one bad page must not take the batch down with it
        logger.warning("cleaning a page failed: %s: %s", type(exc).__name__, exc, exc_info=True)
        return PageRow.failed(f"{type(exc).__name__}: {exc}")
    lines = result.lines
    return PageRow(
        cleaned=result.text,
        labels=[line.label for line in lines],
        confidences=[line.confidence for line in lines],
        kept=[line.kept for line in lines],
        spans=[[span.as_dict() for span in line.spans] for line in lines],
        encoding=result.encoding,
        replaced=result.replaced,
    )


def output_schema() -> pa.Schema:
    """The Arrow types of the columns :class:`~cleanews.run.ray.PageCleaner` adds."""
    pa = import_pyarrow()
    return pa.schema(
        [
            (CLEANED, pa.large_string()),
            (LABELS, pa.list_(pa.string())),
            (CONFIDENCES, pa.list_(pa.float64())),
            (KEPT, pa.list_(pa.bool_())),
            (SPANS, pa.list_(pa.list_(span_type(pa)))),
            (ENCODING, pa.string()),
            (REPLACED, pa.bool_()),
            (ERROR, pa.string()),
        ]
    )


def span_type(pa: Any) -> pa.DataType:
    """The Arrow type of one spam span (:class:`cleanews.spans.span.Span`)."""
    return pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("label", pa.string()),
            ("confidence", pa.float64()),
            ("text", pa.string()),
        ]
    )


def add_columns(batch: pa.Table, rows: Sequence[PageRow], schema: pa.Schema | None = None) -> pa.Table:
    """``batch`` with the :data:`OUTPUT_COLUMNS` of ``rows`` set, one row each."""
    pa = import_pyarrow()
    schema = schema or output_schema()
    if len(rows) != batch.num_rows:  # pragma: no cover - a bug, never a bad page
        raise RayEngineError(f"{len(rows)} results for {batch.num_rows} pages")
    for name in OUTPUT_COLUMNS:
        field = schema.field(name)
        column = pa.array([getattr(row, name) for row in rows], type=field.type)
        index = batch.schema.get_field_index(name)
        batch = batch.set_column(index, field, column) if index >= 0 else batch.append_column(field, column)
    return batch
