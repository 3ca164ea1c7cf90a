"""Training and evaluating on labelled pages, as the ``train`` and ``evaluate`` commands do."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from cleanews.api import predict_lines, predict_lines_and_spans
from cleanews.data.labelled import LabelledPage, find_labelled, label_column, read_labelled
from cleanews.data.labels import LABELS
from cleanews.decide import decide, decide_page
from cleanews.model.classifier import LineClassifier
from cleanews.model.fit import OutOfFold, Progress
from cleanews.model.options import TrainOptions
from cleanews.model.store import Model
from cleanews.training.evaluate import Scores, calibration_error, score_lines
from cleanews.training.spans import SpanScores, fit_spans, oof_views, view_of

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "TrainOptions",
    "data_hash",
    "evaluate_model",
    "held_out_split",
    "line_model_pages",
    "load_pages",
    "train_model",
]


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
    progress: Progress | None = None,
    *,
    with_shipped: bool = False,
    weight: float = 1.0,
) -> Model:
    """Fit a classifier on labelled pages; its card carries cross-validated scores.

    With few pages, fewer folds are used than ``options.folds`` asks (see
    :func:`fold_count`); the card records the options used. ``progress(stage, done,
    total)`` hears of every fold (the CLI draws a progress bar with it).

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
    check_label_counts(counts)
    options = replace(options, folds=fold_count(pages, options.folds))
    clf = LineClassifier(options)
    oof = clf.fit_oof(pages, decide=_decide_rows, calibration_error=calibration_error, progress=progress)
    cv = _cross_validated_scores(pages, oof)
    # The span model reads the line model's out-of-fold decisions on its own pages, and
    # the fitted line model's on the pages only the span model learns from.
    views = oof_views(pages, oof.probs)
    views += [view_of(p, *clf.predict_proba_page(p.lines)) for p in span_only]
    span_model, span_card = fit_spans(views)
    data = _training_data_card(pages, span_only, every, counts)
    card: dict[str, Any] = {
        "training_data": dict(data, with_shipped=with_shipped, weight_of_own_pages=weight),
        "options": options.as_dict(),
        "temperature": clf.temperature_,
        "cross_validated": {
            "note": "out-of-fold predictions, folds grouped by page, decided page by page as cleanews clean does",
            "macro_f1": cv.macro_f1,
            "accuracy": cv.accuracy,
            "ece": cv.ece,
            "body_char_f1": cv.body_char["f1"],
            "per_label": cv.per_label,
        },
        "spans": span_card,
    }
    return Model(clf, card, spans=span_model)


def _training_data_card(
    pages: Sequence[LabelledPage],
    span_only: Sequence[LabelledPage],
    every: Sequence[LabelledPage],
    counts: Counter[str],
) -> dict[str, Any]:
    """The card's record of the training pages: the line model's (``pages``), the span model's
    only (``span_only``) and all (``every``)."""
    return {
        "pages": len(pages),
        "lines": int(sum(counts.values())),
        "label_counts": {label: counts[label] for label in LABELS},
        "sha256": data_hash(pages),
        "line_model_pages": len(pages),
        "span_only_pages": len(span_only),
        "span_marked_lines": sum(1 for p in every for t in p.spans if t),
        "sha256_with_spans": data_hash(every, spans=True),
    }


def _decide_rows(probs: np.ndarray) -> np.ndarray:
    """The decision of each line on its own (the second temperature is fitted on lines of many pages)."""
    return decide(probs, whole_page=False)


def _cross_validated_scores(pages: Sequence[LabelledPage], oof: OutOfFold) -> Scores:
    """Scores of the out-of-fold predictions, each page decided as :func:`~cleanews.decide.decide_page` does."""
    scored = []
    at = 0
    for page, rows in zip(pages, oof.rows):
        probs = oof.probs[at : at + len(rows)]
        gold = oof.y[at : at + len(rows)]
        at += len(rows)
        texts = [page.lines[r].text for r in rows.tolist()]
        best, confidence = decide_page(probs, texts)
        scored.append(([LABELS[i] for i in gold], [LABELS[i] for i in best], confidence.tolist(), texts))
    return score_lines(scored)


MIN_LINES_PER_LABEL = 2
"""Lines a label needs in the training pages: pass two sets some lines aside to stop
early, drawn from every label, so a label with one line cannot be fitted."""


def check_label_counts(counts: Counter[str]) -> None:
    """Refuse training pages in which a label has too few lines, naming it and what to add."""
    few = [label for label in LABELS if counts[label] < MIN_LINES_PER_LABEL]
    if not few:
        return
    have = ", ".join(f"{label}: {counts[label]}" for label in few)
    raise ValueError(
        f"too few lines labelled {', '.join(few)} ({have}); every label needs at least "
        f"{MIN_LINES_PER_LABEL} lines: add labelled pages with such lines (LABELS.md says what each label is), "
        "or label the lines of that kind in the pages you have"
    )


def fold_count(pages: Sequence[LabelledPage], wanted: int) -> int:
    """Folds for cross-validation: as many as asked, but no more than there are pages (folds are
    grouped by page), and fewer while a fold would leave a label with a single training line."""
    if len(pages) < 2:
        raise ValueError("training needs at least two labelled pages (folds are grouped by page)")
    from sklearn.model_selection import GroupKFold

    per_page = [Counter(label for label in p.labels if label is not None) for p in pages]
    total = sum(per_page, Counter[str]())
    # The folds of the fit itself: GroupKFold over lines, grouped by page.
    lines = np.repeat(np.arange(len(pages)), [sum(c.values()) for c in per_page])
    for folds in range(min(wanted, len(pages)), 1, -1):
        splits = GroupKFold(n_splits=folds).split(lines, groups=lines)
        if all(_trainable(total, per_page, np.unique(lines[held])) for _, held in splits):
            return folds
    return 2


def _trainable(total: Counter[str], per_page: Sequence[Counter[str]], held: np.ndarray) -> bool:
    """Whether the pages left for training (all but ``held``) give no label exactly one line."""
    left = total - sum((per_page[i] for i in held.tolist()), Counter[str]())
    return all(left[label] != 1 for label in LABELS)


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
