"""Training and evaluating on labelled pages, as the ``train`` and ``evaluate`` commands do."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from cleanews.api import predict_lines, predict_lines_and_spans
from cleanews.data.labelled import LabelledPage, find_labelled, label_column, read_labelled
from cleanews.data.labels import LABELS
from cleanews.decide import decide
from cleanews.model.classifier import LineClassifier
from cleanews.model.store import Model
from cleanews.training.evaluate import Scores, score_lines
from cleanews.training.spans import SpanScores, fit_spans, oof_views, view_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainOptions:
    """Settings of a training run; the defaults are the shipped model's."""

    alpha: float = 1e-5
    folds: int = 5
    max_iter: int = 60
    learning_rate: float = 0.25
    real_weight: float = 3.0
    smooth: bool = True
    random_state: int = 0
    span_only: tuple[str, ...] = ("inj_*", "hand_hijack_*")
    """Pages (name patterns) that only the span model learns from: made to carry injected
    spam, mostly copies of other training pages, they would shift the line model's
    decisions on pages that have no spam inside lines."""


def line_model_pages(pages: Sequence[LabelledPage], options: TrainOptions | None = None) -> list[LabelledPage]:
    """The pages the line model learns from: all but those of ``options.span_only``."""
    patterns = (options or TrainOptions()).span_only
    return [p for p in pages if not any(fnmatch(p.name, pat) for pat in patterns)]


def load_pages(paths: Iterable[str | Path], weight: float = 1.0) -> list[LabelledPage]:
    """Every labelled page under the given files and folders (``*.tsv``), in a stable order,
    each weighing ``weight`` in training."""
    files = find_labelled(paths)
    if not files:
        raise FileNotFoundError("no labelled pages (*.tsv) found; see docs/labels.md for the format")
    pages = [read_labelled(f) for f in files]
    return pages if weight == 1.0 else [replace(p, weight=weight) for p in pages]


def shipped_training_data() -> Path:
    """The labelled pages the shipped model was trained on: inside the installed package,
    or ``training_data/`` of a checkout."""
    packaged = resources.files("cleanews").joinpath("_training_data")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "training_data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the shipped training pages are not installed; reinstall cleanews from its wheel")


def data_hash(pages: Sequence[LabelledPage], spans: bool = False) -> str:
    """SHA-256 over page names, labels (with their ``+spam:`` marks if ``spans``) and texts:
    the identity of a training set."""
    h = hashlib.sha256()
    for p in sorted(pages, key=lambda p: p.name):
        h.update(p.name.encode())
        for i, (label, line) in enumerate(zip(p.labels, p.lines)):
            column = label_column(label, p.span_texts(i)) if spans else label
            h.update(f"{column}\t{line.text}{line.end}".encode())
    return h.hexdigest()


def held_out_split(
    pages: Sequence[LabelledPage], fraction: float = 0.2
) -> tuple[list[LabelledPage], list[LabelledPage]]:
    """Split pages into (train, test) by a hash of each page's name, in their given order.

    A page is held out when ``int(sha1(name)) % 10000 < fraction * 10000``: the split
    depends on the name alone, so it is the same on every machine and run, and a page
    stays on its side when others are added. ``benchmarks/quality.py`` and the quality
    gate test use it so that both score a model that never saw the test pages.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be between 0 and 1, not {fraction}")
    cut = round(fraction * 10000)
    train: list[LabelledPage] = []
    test: list[LabelledPage] = []
    for p in pages:
        bucket = int(hashlib.sha1(p.name.encode("utf-8")).hexdigest(), 16) % 10000
        (test if bucket < cut else train).append(p)
    return train, test


def train_model(
    paths: Iterable[str | Path],
    options: TrainOptions | None = None,
    *,
    with_shipped: bool = False,
    weight: float = 1.0,
) -> Model:
    """Fit a classifier on labelled pages; its card carries cross-validated scores.

    ``with_shipped`` adds the shipped training pages (:func:`shipped_training_data`) to
    ``paths``, whose pages then weigh ``weight`` times what a shipped page of their kind
    does: retraining on top of the shipped data with a few corrected pages of your own.
    """
    options = options or TrainOptions()
    if weight <= 0:
        raise ValueError(f"--weight must be above 0, not {weight}")
    every = load_pages(paths, weight)
    if with_shipped:
        every = load_pages([shipped_training_data()]) + every
    pages = line_model_pages(every, options)
    names = {p.name for p in pages}
    span_only = [p for p in every if p.name not in names]
    counts = Counter(label for p in pages for label in p.labels if label is not None)
    missing = [label for label in LABELS if counts[label] == 0]
    if missing:
        raise ValueError(f"the training pages have no line labelled {', '.join(missing)}; every label needs examples")
    folds = min(options.folds, len(pages))
    if folds < 2:
        raise ValueError("training needs at least two labelled pages (folds are grouped by page)")
    clf = LineClassifier(
        alpha=options.alpha,
        folds=folds,
        max_iter=options.max_iter,
        learning_rate=options.learning_rate,
        real_weight=options.real_weight,
        smooth=options.smooth,
        random_state=options.random_state,
    ).fit(pages)
    oof = clf.oof_probs_
    pred = decide(oof, whole_page=False)
    y = clf.oof_true_
    cv = score_lines(
        [([LABELS[i] for i in y], [LABELS[i] for i in pred], oof[np.arange(len(y)), pred].tolist(), ["x"] * len(y))]
    )
    views = oof_views(pages, oof)
    views += [view_of(p, *clf.predict_proba_page(p.lines)) for p in span_only]
    del clf.oof_probs_, clf.oof_true_
    span_model, span_card = fit_spans(views)
    card: dict[str, Any] = {
        "training_data": {
            "pages": len(pages),
            "lines": int(sum(counts.values())),
            "label_counts": {label: counts[label] for label in LABELS},
            "sha256": data_hash(pages),
            "line_model_pages": len(pages),
            "span_only_pages": len(span_only),
            "span_marked_lines": sum(1 for p in every for t in p.spans if t),
            "sha256_with_spans": data_hash(every, spans=True),
            "with_shipped": with_shipped,
            "weight_of_own_pages": weight,
        },
        "options": options.__dict__,
        "temperature": clf.temperature_,
        "cross_validated": {
            "note": "out-of-fold second-pass predictions, folds grouped by page",
            "macro_f1": cv.macro_f1,
            "accuracy": cv.accuracy,
            "ece": cv.ece,
            "per_label": cv.per_label,
        },
        "spans": span_card,
    }
    return Model(clf, card, spans=span_model)


def predict_pages(model: Model, pages: Sequence[LabelledPage]) -> list[tuple[list[str | None], list[float | None]]]:
    """Labels and confidences for every line of labelled pages (None on blank lines)."""
    return [predict_lines(model, p.lines) for p in pages]


def evaluate_model(model: Model, paths: Iterable[str | Path]) -> Scores:
    """Score a model on labelled pages: the lines, and the spam spans inside them."""
    pages = load_pages(paths)
    preds = [predict_lines_and_spans(model, p.lines) for p in pages]
    scores = score_lines(
        (list(p.labels), labels, confs, [line.text for line in p.lines]) for p, (labels, confs, _) in zip(pages, preds)
    )
    span_scores = SpanScores()
    for p, (_, _, spans) in zip(pages, preds):
        for i, (label, line, found) in enumerate(zip(p.labels, p.lines, spans)):
            span_scores.add_line(label, line.text, p.span_texts(i), found)
    scores.spans = span_scores.as_dict()
    return scores
