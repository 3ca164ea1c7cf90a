"""A datatrove pipeline step: clean each document's text down to its article.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleanews.integrations.datatrove import CleanewsStep

    LocalPipelineExecutor(
        pipeline=[JsonlReader("crawl/"), CleanewsStep(keep={"body", "title"}), JsonlWriter("cleaned/")],
        tasks=8,
    ).run()

Each document's ``text`` becomes the kept lines (:attr:`cleanews.PageResult.text`, the
same text ``cleanews.clean_page`` gives); its metadata gets ``cleanews``: the labels,
confidences, kept flags and spans of every line, with the encoding (the columns of
:mod:`cleanews.run.rows`). A document that cannot be cleaned keeps its text, gets
``cleanews_error``, and is counted in the step's stats; documents left with no text
are dropped (``drop_empty``), as datatrove filters drop theirs. Install with
``pip install 'cleanews[datatrove]'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleanews.api import CleanOptions
from cleanews.data.labels import DEFAULT_KEEP, parse_labels
from cleanews.model.store import load_model
from cleanews.run.rows import CLEANED, ERROR, clean_one

DATATROVE_HINT = "pip install 'cleanews[datatrove]'"

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(f"cleanews' datatrove step needs datatrove ({exc}); install it with: {DATATROVE_HINT}") from exc

DECISIONS_KEY = "cleanews"
ERROR_KEY = "cleanews_error"


class CleanewsStep(PipelineStep):  # type: ignore[misc]
    """Clean every document's text with cleanews; decisions go into its metadata.

    Args:
        keep: labels to keep (a set, or ``"body,title"``).
        min_confidence: drop kept lines below this confidence.
        model_path: a model file (None: the shipped model); loaded once per task.
        drop_empty: drop documents left with no text (counted as ``dropped_empty``).
        keep_decisions: store the per-line decisions under ``metadata["cleanews"]``.
    """

    name = "🧹 cleanews"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        keep: Iterable[str] | str = DEFAULT_KEEP,
        min_confidence: float = 0.0,
        model_path: str | Path | None = None,
        drop_empty: bool = True,
        keep_decisions: bool = True,
    ) -> None:
        super().__init__()
        labels = parse_labels(keep) if isinstance(keep, str) else frozenset(keep)
        self.options = CleanOptions(keep=labels, min_confidence=min_confidence)
        self.model_path = model_path
        self.drop_empty = drop_empty
        self.keep_decisions = keep_decisions

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        model = load_model(self.model_path)
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                row = clean_one(doc.text, model, self.options).columns()
            if row[ERROR] is not None:
                self.stat_update("failed")
                doc.metadata[ERROR_KEY] = row[ERROR]
                yield doc
                continue
            doc.text = row[CLEANED]
            if self.keep_decisions:
                doc.metadata[DECISIONS_KEY] = _decisions(row)
            if self.drop_empty and not doc.text.strip():
                self.stat_update("dropped_empty")
                continue
            self.stat_update("kept")
            self.update_doc_stats(doc)
            yield doc


def _decisions(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in (CLEANED, ERROR)}
