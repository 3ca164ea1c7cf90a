"""The rows the Ray engine makes: the shared columns of :mod:`cleanews.run.rows`, plus the Ray-only names.

The columns, their Arrow types and the code that fills them live in
:mod:`cleanews.run.rows`, so ``cleanews clean docs.jsonl`` and the Ray engine write the
same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from cleanews.data.labels import parse_labels
from cleanews.run.rows import (
    CLEANED,
    CONFIDENCES,
    ENCODING,
    ERROR,
    KEPT,
    LABELS,
    OUTPUT_COLUMNS,
    REPLACED,
    SPANS,
    PageRow,
    add_columns,
    clean_one,
    output_schema,
)

__all__ = [
    "CLEANED",
    "CONFIDENCES",
    "ENCODING",
    "ERROR",
    "KEPT",
    "LABELS",
    "OUTPUT_COLUMNS",
    "PATH",
    "REPLACED",
    "SPANS",
    "PageRow",
    "add_columns",
    "clean_one",
    "keep_set",
    "output_schema",
]

PATH = "path"
"""The column naming each page's file when :func:`~cleanews.run.ray.clean_folder_with_ray` reads a folder."""


def keep_set(keep: Iterable[str] | str) -> frozenset[str]:
    return parse_labels(keep) if isinstance(keep, str) else frozenset(keep)
