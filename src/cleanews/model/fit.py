"""Fitting the chain of passes on labelled pages, each step on out-of-fold predictions.

Pass two is trained on *out-of-fold* pass-one probabilities (folds grouped by page),
so it learns from probabilities as noisy as those it will see on new pages; the
temperatures are fitted on out-of-fold pass-two predictions for the same reason.
scikit-learn fits both passes (imported here only: labelling never imports it).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any

import numpy as np

from cleanews.data.labels import LABEL_INDEX, LABELS
from cleanews.features.ngrams import NGRAM_FEATURES, grams_matrix
from cleanews.features.page import PageData, prepare
from cleanews.model.options import TrainOptions

if TYPE_CHECKING:
    from cleanews.data.labelled import LabelledPage

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

SCALE_FLOOR = 1e-6
"""Added to each line measure's spread, so a measure constant over the training lines scales to 0, not NaN."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while fitting (stages: "pass one", "pass two")."""


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback that reports nothing."""


@dataclass(frozen=True)
class OutOfFold:
    """What a fitted model says of lines it was not fitted on, page by page.

    ``probs`` are the final probabilities (after both temperatures and the chain), one
    row per non-blank line of every page in order; ``y`` the true label indices;
    ``rows[k]`` the line numbers of page ``k``'s rows.
    """

    probs: np.ndarray
    y: np.ndarray
    rows: list[np.ndarray]

    @property
    def sizes(self) -> list[int]:
        return [len(r) for r in self.rows]


@dataclass
class TrainingSet:
    """Labelled pages as the fitting steps need them: features, targets, groups and weights."""

    pages: list[PageData]
    ys: list[np.ndarray]
    y: np.ndarray
    groups: np.ndarray  # the fold group of each line
    weight: np.ndarray  # the sample weight of each line
    real: np.ndarray  # whether each line is from a hand-labelled (not composed) page

    @classmethod
    def of(cls, pages: Sequence[LabelledPage], groups: Sequence[str] | None, options: TrainOptions) -> TrainingSet:
        """``groups`` names each page's fold group; None: every page is its own group."""
        datas = [prepare(p.lines) for p in pages]
        ys = [np.array([LABEL_INDEX[p.labels[i]] for i in d.rows], dtype=int) for p, d in zip(pages, datas)]
        names = list(groups) if groups is not None else [p.name for p in pages]
        ids = {name: k for k, name in enumerate(dict.fromkeys(names))}
        line_groups = np.concatenate([np.full(len(yk), ids[g]) for g, yk in zip(names, ys)])
        # Composed pages repeat their components, so the hand-labelled ones count for more.
        real = np.concatenate(
            [np.full(len(yk), not fnmatch(p.name, options.calibration_exclude)) for p, yk in zip(pages, ys)]
        )
        weight = np.where(real, options.real_weight, 1.0)
        weight *= np.concatenate([np.full(len(yk), p.weight) for p, yk in zip(pages, ys)])  # e.g. train --weight
        return cls(datas, ys, np.concatenate(ys), line_groups, weight, real)

    @property
    def sizes(self) -> list[int]:
        return [len(yk) for yk in self.ys]

    def calibration_rows(self, options: TrainOptions) -> np.ndarray:
        """Lines the temperatures are fitted on: composed pages share components across
        folds, so their out-of-fold errors are optimistic; the hand-labelled pages, if enough."""
        return self.real if self.real.sum() >= options.min_calibration_lines else np.ones_like(self.real)


def new_first(options: TrainOptions, y: np.ndarray) -> Any:
    """Pass one: logistic loss by averaged SGD (far faster than lbfgs on hashed n-grams, at
    the same pass-two score; pass two and the temperatures calibrate it)."""
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(
        loss="log_loss",
        alpha=options.alpha,
        max_iter=options.sgd_epochs,
        tol=None,
        average=True,
        random_state=options.random_state,
    )


def new_second(options: TrainOptions, y: np.ndarray) -> Any:
    """Pass two: gradient-boosted trees no deeper than the padded trees of :mod:`cleanews.model.trees`.

    Boosting stops early on lines set aside from ``y``, drawn from every label, when
    there are lines enough for that (on a few tiny pages there are not: all rounds run).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    set_aside = math.ceil(options.validation_fraction * len(y))
    return HistGradientBoostingClassifier(
        max_iter=options.max_iter,
        learning_rate=options.learning_rate,
        max_leaf_nodes=options.max_leaf_nodes,
        max_depth=options.max_depth,
        l2_regularization=options.l2_regularization,
        early_stopping=set_aside >= len(np.unique(y)),
        validation_fraction=options.validation_fraction,
        n_iter_no_change=options.n_iter_no_change,
        random_state=options.random_state,
    )


def first_matrix(datas: Sequence[PageData]) -> tuple[Any, np.ndarray, np.ndarray]:
    """Pass-one inputs of every non-blank line, [n-gram vector | scaled measures], and the
    mean and scale of the measures."""
    from scipy import sparse

    dense = np.vstack([d.dense for d in datas]).astype(np.float64)
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0) + SCALE_FLOOR
    blocks = []
    for d in datas:
        r, c, v = grams_matrix(d.distinct.grams)
        grams = sparse.csr_matrix((v, (r, c)), shape=(d.distinct.grams.n_lines, NGRAM_FEATURES))
        scaled = sparse.csr_matrix((d.distinct.dense - mean) / scale)
        blocks.append(sparse.hstack([grams, scaled], format="csr")[d.order])
    return sparse.vstack(blocks, format="csr"), mean, scale


def full_probs(model: Any, x: object) -> np.ndarray:
    """Probabilities for all eight labels from a scikit-learn model, even if a fold lacked a label."""
    p = model.predict_proba(x)
    out = np.zeros((p.shape[0], len(LABELS)), dtype=np.float64)
    out[:, np.asarray(model.classes_, dtype=int)] = p
    return out


def cross_fit(
    make: Callable[[TrainOptions, np.ndarray], Any],
    options: TrainOptions,
    x: Any,
    data: TrainingSet,
    folds: int,
    stage: str,
    progress: Progress,
) -> tuple[np.ndarray, Any]:
    """Out-of-fold probabilities of ``folds`` models grouped by page, and the model fitted on all lines.

    ``make(options, y)`` makes an unfitted model for the targets ``y``; ``progress``
    hears of every fold and of the final fit (``folds + 1`` steps).
    """
    from sklearn.model_selection import GroupKFold

    y, w = data.y, data.weight
    oof = np.zeros((len(y), len(LABELS)))
    progress(stage, 0, folds + 1)
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(x, y, data.groups)):
        logger.info("%s, fold %d/%d", stage, k + 1, folds)
        oof[te] = full_probs(make(options, y[tr]).fit(x[tr], y[tr], sample_weight=w[tr]), x[te])
        progress(stage, k + 1, folds + 1)
    logger.info("%s, all pages", stage)
    model = make(options, y).fit(x, y, sample_weight=w)
    progress(stage, folds + 1, folds + 1)
    return oof, model
