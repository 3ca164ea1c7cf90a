"""Hugging Face ``datasets``: a function for ``Dataset.map(..., batched=True)``.

::

    from datasets import load_dataset
    from cleanews.integrations.hf import clean_batch

    ds = load_dataset("json", data_files="docs.jsonl", split="train")
    ds = ds.map(clean_batch, batched=True, batch_size=16, fn_kwargs={"text_column": "text"}, num_proc=4)
    ds = ds.filter(lambda row: row["error"] is None)

The columns added are those of :mod:`cleanews.run.rows` (``cleaned``, ``labels``,
``confidences``, ``kept``, ``spans``, ``encoding``, ``replaced``, ``error``), made by
the same code as the command line's and the Ray engine's, so every row holds exactly
what :func:`cleanews.label_page` gives for its text. The model is loaded once per
process (with ``num_proc``, once per worker). Nothing beyond cleanews is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleanews.api import CleanOptions
from cleanews.data.labels import DEFAULT_KEEP, parse_labels
from cleanews.model.store import Model, load_model
from cleanews.run.rows import OUTPUT_COLUMNS, clean_one


@functools.cache
def _model(path: str | None) -> Model:
    return load_model(path)


def clean_batch(
    batch: dict[str, list[Any]],
    text_column: str = "text",
    keep: Iterable[str] | str = DEFAULT_KEEP,
    min_confidence: float = 0.0,
    model_path: str | Path | None = None,
) -> dict[str, list[Any]]:
    """The added columns for a batch of rows (a dict of columns, as ``map(batched=True)`` passes)."""
    if text_column not in batch:
        raise KeyError(f"no column {text_column!r} (the batch has {', '.join(batch)}); name it with text_column=")
    labels = parse_labels(keep) if isinstance(keep, str) else frozenset(keep)
    options = CleanOptions(keep=labels, min_confidence=min_confidence)
    model = _model(None if model_path is None else str(model_path))
    rows = [clean_one(page, model, options).columns() for page in batch[text_column]]
    return {name: [row[name] for row in rows] for name in OUTPUT_COLUMNS}
