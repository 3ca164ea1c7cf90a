"""One page's decisions as a row: the columns every engine adds to a record.

The document streams of ``cleanews clean docs.jsonl`` (:mod:`cleanews.run.streams`) and
the Ray engine (:mod:`cleanews.run.ray`) write the same columns, with the same types,
from the same code: a :class:`PageRow` made by :func:`clean_one`. A record cleaned on a
laptop and on a cluster comes out the same.

==============  ==========================  ===============================================
``cleaned``     string                      the kept lines as text (``PageResult.text``)
``labels``      list<string>                one label per line of the page, null when blank
``confidences`` list<double>                one calibrated confidence per line, null when blank
``kept``        list<bool>                  whether each line was kept (labels and options)
``spans``       list<list<struct>>          per line, the spans found in it (``[]`` when none)
``encoding``    string                      how the page was decoded ("str" for text input)
``replaced``    bool                        whether undecodable bytes were replaced
``error``       string                      null, or why the page could not be cleaned
==============  ==========================  ===============================================

A failed page has nulls in all but ``error``. Only :func:`output_schema` and
:func:`add_columns` need pyarrow, imported when they run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from cleanews.api import CleanOptions, LabelledLine, PageResult, label_page
from cleanews.files import PageReadError, read_page
from cleanews.model.store import Model
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
"""The columns added to every record, in this order."""

SPAN_FIELDS = ("start", "end", "label", "confidence", "text")
"""A span: code-point offsets into its line's text (end exclusive), its label, confidence and text."""

ARROW_HINT = "pip install 'cleanews[parquet]'"


@dataclass(frozen=True)
class PageRow:
    """The decisions about one page, as they go into the added columns."""

    cleaned: str | None = None
    labels: list[str | None] | None = None
    confidences: list[float | None] | None = None
    kept: list[bool] | None = None
    spans: list[list[dict[str, Any]]] | None = None
    encoding: str | None = None
    replaced: bool | None = None
    error: str | None = None

    @classmethod
    def failed(cls, error: str) -> PageRow:
        return cls(error=error)

    @classmethod
    def of(cls, result: PageResult) -> PageRow:
        lines = result.lines
        return cls(
            cleaned=result.text,
            labels=[line.label for line in lines],
            confidences=[line.confidence for line in lines],
            kept=[line.kept for line in lines],
            spans=[line_spans(line) for line in lines],
            encoding=result.encoding,
            replaced=result.replaced,
        )

    def columns(self) -> dict[str, Any]:
        """The added columns as a dict, in :data:`OUTPUT_COLUMNS` order (for a JSON record)."""
        return asdict(self)


def line_spans(line: LabelledLine) -> list[dict[str, Any]]:
    """The spans of a line as plain dicts (none until the model finds spans)."""
    out = []
    for span in getattr(line, "spans", None) or ():
        if isinstance(span, dict):
            out.append({key: span.get(key) for key in SPAN_FIELDS})
        else:
            out.append({key: getattr(span, key, None) for key in SPAN_FIELDS})
    return out


class PageFailed(Exception):
    """A page that cannot be cleaned; the message says why, in words for the user."""


NOT_ON_THIS_WORKER = " (on this worker: the path must be visible on every node)"


def clean_one(page: Any, model: Model, options: CleanOptions, read_paths: bool = False) -> PageRow:
    """Label one page (str, bytes, or with ``read_paths`` a file path) into a :class:`PageRow`.

    Never raises for a bad page: the reason goes into ``error``.
    """
    try:
        if page is None:
            raise PageFailed("no page text (the value is null)")
        if read_paths:
            page = read_page(os.fsdecode(page), where=NOT_ON_THIS_WORKER)
        elif isinstance(page, bytearray | memoryview):
            page = bytes(page)
        elif not isinstance(page, str | bytes):
            raise PageFailed(f"a page must be text or bytes, not {type(page).__name__}")
        result = label_page(page, model, options)
    except (PageFailed, PageReadError, NotTextError) as exc:
        return PageRow.failed(str(exc))
    except Exception as exc:  # one bad page must not take the batch down with it
        logger.warning("cleaning a page failed: %s: %s", type(exc).__name__, exc, exc_info=True)
        return PageRow.failed(f"{type(exc).__name__}: {exc}")
    return PageRow.of(result)


def import_pyarrow(hint: str = ARROW_HINT) -> Any:
    """pyarrow, or an ImportError that says what to install."""
    try:
        import pyarrow
    except ImportError as exc:
        raise ImportError(f"this needs pyarrow ({exc.msg}); install it with: {hint}") from exc
    return pyarrow


def output_schema() -> pa.Schema:
    """The Arrow types of the added columns."""
    pa = import_pyarrow()
    span = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("label", pa.string()),
            ("confidence", pa.float64()),
            ("text", pa.string()),
        ]
    )
    return pa.schema(
        [
            (CLEANED, pa.large_string()),
            (LABELS, pa.list_(pa.string())),
            (CONFIDENCES, pa.list_(pa.float64())),
            (KEPT, pa.list_(pa.bool_())),
            (SPANS, pa.list_(pa.list_(span))),
            (ENCODING, pa.string()),
            (REPLACED, pa.bool_()),
            (ERROR, pa.string()),
        ]
    )


def add_columns(batch: pa.Table, rows: Sequence[PageRow], schema: pa.Schema | None = None) -> pa.Table:
    """``batch`` with the :data:`OUTPUT_COLUMNS` of ``rows`` set (replaced when there), one row each."""
    pa = import_pyarrow()
    schema = schema or output_schema()
    if len(rows) != batch.num_rows:  # pragma: no cover - a bug, never a bad page
        raise RuntimeError(f"{len(rows)} results for {batch.num_rows} pages")
    for name in OUTPUT_COLUMNS:
        field = schema.field(name)
        column = pa.array([getattr(row, name) for row in rows], type=field.type)
        index = batch.schema.get_field_index(name)
        batch = batch.set_column(index, field, column) if index >= 0 else batch.append_column(field, column)
    return batch
