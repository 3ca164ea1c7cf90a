"""Training the span model beside the line model, and scoring spans as the scorer does.

The span model reads the line model's decisions (a line's label and spam probability
are features, and lines labelled spam are not read), so it is trained on what the line
model says about the training pages: out of fold for the pages the line model learned
from, the fitted line model for pages only the span model learns from.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleanews.data.labelled import LabelledPage, span_offsets
from cleanews.data.labels import DEFAULT_KEEP, LABEL_INDEX, LABELS
from cleanews.decide import decide_page
from cleanews.spans.model import PageView, SpanModel
from cleanews.spans.span import Span
from cleanews.text.lines import is_blank

logger = logging.getLogger(__name__)

SPAM = LABEL_INDEX["spam"]


def view_of(page: LabelledPage, rows: np.ndarray, probs: np.ndarray) -> PageView:
    """The span model's view of a training page, from line probabilities of its non-blank
    ``rows``. A line labelled spam by its gold label or by the line model is not read: the
    whole line is spam, and its words are no example of what is not."""
    texts = [line.text for line in page.lines]
    labels: list[str | None] = [None] * len(texts)
    spam = [0.0] * len(texts)
    if len(rows):
        best, _ = decide_page(probs, [texts[r] for r in rows.tolist()])
        for r, k, ps in zip(rows.tolist(), best.tolist(), probs[:, SPAM].tolist()):
            labels[r] = "spam" if page.labels[r] == "spam" else LABELS[k]
            spam[r] = ps
    gold = [page.span_texts(i) for i in range(len(texts))]
    return PageView(texts, labels, spam, gold)


def oof_views(pages: Sequence[LabelledPage], oof: np.ndarray) -> list[PageView]:
    """Views of the pages the line model was fitted on, from its out-of-fold probabilities
    (rows in page order, non-blank lines only)."""
    out, at = [], 0
    for p in pages:
        rows = np.flatnonzero([not is_blank(line.text) for line in p.lines])
        out.append(view_of(p, rows, oof[at : at + len(rows)]))
        at += len(rows)
    return out


def fit_spans(views: Sequence[PageView]) -> tuple[SpanModel | None, dict[str, Any]]:
    """The span model and its card entry; no model when no training page marks a span."""
    if not any(any(g) for v in views for g in v.gold):
        return None, {"note": "no +spam: marks in the training pages: no span model"}
    model = SpanModel().fit(views)
    return model, {
        "note": "out-of-fold span characters inside the gate's windows, folds grouped by page",
        "cross_validated": model.oof_,
        "gate_words_learned": len(model.learned_),
        "params": {
            k: getattr(model, k) for k in ("c1", "c2", "max_iterations", "folds", "min_confidence", "prefilter_recall")
        },
        "prefilter_threshold": model.prefilter_.threshold,
    }


@dataclass
class SpanScores:
    """Span characters (P/R/F1 against gold ``+spam:`` marks, on every non-blank line) and
    the share of the characters of clean kept lines (gold body/title without a span) that
    were cut: how ``shared/bench/score.py`` counts them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    clean_chars: int = 0
    clean_cut: int = 0
    by_label: Counter[str] = field(default_factory=Counter)

    def add_line(self, gold_label: str | None, text: str, gold: Iterable[str], spans: Iterable[Span]) -> None:
        if gold_label is None:
            return
        g: set[int] = set()
        for s, e in span_offsets(text, gold):
            g.update(range(s, e))
        p: set[int] = set()
        for sp in spans:
            p.update(range(max(0, sp.start), min(len(text), sp.end)))
        self.tp += len(g & p)
        self.fp += len(p - g)
        self.fn += len(g - p)
        if gold_label in DEFAULT_KEEP and not g:
            self.clean_chars += len(text.strip())
            self.clean_cut += len(p)

    def as_dict(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {
            "p": p,
            "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold_chars": self.tp + self.fn,
            "clean_cut_frac": self.clean_cut / self.clean_chars if self.clean_chars else 0.0,
        }
