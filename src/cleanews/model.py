"""The line classifier: a first pass on each line alone, a second pass with context.

Pass one is a logistic regression on hashed character n-grams and the line's own
measures. Pass two is gradient-boosted trees over the line's measures, its own and its
neighbours' pass-one probabilities, window means and page position. Pass two is
trained on *out-of-fold* pass-one probabilities (folds grouped by page), so it learns
from probabilities as noisy as those it will see on new pages. A single temperature,
fitted on out-of-fold pass-two predictions, makes the confidences honest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

import numpy as np
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from threadpoolctl import ThreadpoolController

from .context import context_features
from .features import line_features, make_hasher
from .labelled import LabelledPage
from .labels import LABELS
from .page import Line, is_blank, normalise

logger = logging.getLogger(__name__)

CHUNK_LINES = 20000
"""Pages longer than this many lines are labelled chunk by chunk."""

PREDICT_BLOCK = 1000
"""Rows the trees walk at a time: small enough for the feature block to stay in cache
(measured: 384 us/line in blocks of 1,000 against 1,240 us in one block of 21,658)."""

CHUNK_MARGIN = 200
"""Lines of context on each side of a chunk (wider than any context window)."""

SPAM_DECISION_WEIGHT = 3.0
"""How much more a kept spam line costs than a dropped article line. A line is labelled
by the largest weighted probability, so a line torn between body and spam goes to spam.
The weight trades 0.5 point of macro-F1 for half the spam kept on the dev pages (13 to
7 of 417 lines) and no loss of body F1; its confidence is still the probability of the
label given."""

MIN_CALIBRATION_LINES = 500
"""Fewer hand-labelled lines than this and the temperature is fitted on all pages."""

_SINGLE_THREAD = ThreadpoolController()
"""Trees predict one page (a few hundred rows) at a time: OpenMP threads cost more to wake
than they save there, and fight over the cores when pages are cleaned in parallel. Measured
on the dev pages: four times the throughput with one thread."""

_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}


@dataclass
class PageData:
    """The non-blank lines of one page, with their features."""

    rows: np.ndarray  # indices of the non-blank lines in the page
    norms: list[str]
    dense: np.ndarray
    grams: sparse.csr_matrix
    blank_before: np.ndarray
    blank_after: np.ndarray


def prepare(lines: Sequence[Line]) -> PageData:
    """Features of one page's non-blank lines (the shared first step of fit and predict)."""
    hasher = make_hasher()
    blank = np.array([is_blank(line.text) for line in lines], dtype=bool)
    rows = np.flatnonzero(~blank)
    raws = [lines[int(i)].text for i in rows]
    norms = [normalise(t) for t in raws]
    dense, grams = line_features(raws, norms, hasher)
    prev_blank = np.array([i == 0 or blank[i - 1] for i in rows], dtype=bool)
    next_blank = np.array([i == len(lines) - 1 or blank[i + 1] for i in rows], dtype=bool)
    return PageData(rows, norms, dense, grams, prev_blank, next_blank)


def decide(probs: np.ndarray) -> np.ndarray:
    """The label index of each row of probabilities, with the cost of keeping spam applied."""
    weighted = probs.copy()
    weighted[:, _LABEL_INDEX["spam"]] *= SPAM_DECISION_WEIGHT
    return weighted.argmax(axis=1)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the log loss of out-of-fold probabilities."""
    from scipy.optimize import minimize_scalar  # training only: keeps it out of start-up

    logp = np.log(np.clip(probs, 1e-12, 1.0))

    def nll(t: float) -> float:
        p = _softmax(logp / t)
        return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0))))

    return float(minimize_scalar(nll, bounds=(0.3, 5.0), method="bounded").x)


def _compact(model: SGDClassifier) -> SGDClassifier:
    """Drop what only further partial_fit needs and store weights as float32 (4x smaller file)."""
    for attr in ("_average_coef", "_average_intercept", "_standard_coef", "_standard_intercept"):
        if hasattr(model, attr):
            delattr(model, attr)
    model.coef_ = model.coef_.astype(np.float32)
    model.intercept_ = model.intercept_.astype(np.float32)
    return model


class LineClassifier:
    """Labels the lines of a page. Follows scikit-learn's estimator conventions.

    Parameters are stored as given; everything learned ends in ``_``.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        folds: int = 5,
        max_iter: int = 400,
        learning_rate: float = 0.08,
        max_leaf_nodes: int = 31,
        l2_regularization: float = 1.0,
        calibrate: bool = True,
        calibration_exclude: str = "gen_*",
        random_state: int = 0,
    ) -> None:
        self.alpha = alpha
        self.folds = folds
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.calibrate = calibrate
        self.calibration_exclude = calibration_exclude
        self.random_state = random_state

    # -- pass one -------------------------------------------------------------
    def _first_input(self, data: PageData) -> sparse.csr_matrix:
        dense = (data.dense - self.dense_mean_) / self.dense_scale_
        return sparse.hstack([data.grams, sparse.csr_matrix(dense)], format="csr")

    def _new_first(self) -> SGDClassifier:
        # Logistic loss by stochastic gradient: twenty times faster than lbfgs on hashed
        # n-grams at the same pass-two score; pass two and the temperature calibrate it.
        return SGDClassifier(
            loss="log_loss", alpha=self.alpha, max_iter=30, tol=None, average=True, random_state=self.random_state
        )

    def _new_second(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            early_stopping=True,
            validation_fraction=0.1,
            n_iter_no_change=20,
            random_state=self.random_state,
        )

    @staticmethod
    def _full_probs(model: SGDClassifier | HistGradientBoostingClassifier, x: object) -> np.ndarray:
        """Probabilities for all eight labels, even if a label was missing from a fold."""
        p = model.predict_proba(x)
        out = np.zeros((p.shape[0], len(LABELS)), dtype=np.float64)
        out[:, np.asarray(model.classes_, dtype=int)] = p
        return out

    def fit(self, pages: Sequence[LabelledPage]) -> LineClassifier:
        """Fit both passes and the temperature on labelled pages."""
        datas = [prepare(p.lines) for p in pages]
        ys = [np.array([_LABEL_INDEX[p.labels[i]] for i in d.rows], dtype=int) for p, d in zip(pages, datas)]
        groups = np.concatenate([np.full(len(y), k) for k, y in enumerate(ys)])
        y = np.concatenate(ys)
        dense = np.vstack([d.dense for d in datas])
        self.dense_mean_ = dense.mean(axis=0)
        self.dense_scale_ = dense.std(axis=0) + 1e-6
        x1 = sparse.vstack([self._first_input(d) for d in datas], format="csr")

        # Out-of-fold pass-one probabilities, folds grouped by page.
        oof = np.zeros((len(y), len(LABELS)))
        for k, (tr, te) in enumerate(GroupKFold(n_splits=self.folds).split(x1, y, groups)):
            logger.info("pass one, fold %d/%d", k + 1, self.folds)
            oof[te] = self._full_probs(self._new_first().fit(x1[tr], y[tr]), x1[te])
        self.first_ = _compact(self._new_first().fit(x1, y))

        x2 = self._second_inputs(datas, oof)
        # Out-of-fold pass-two probabilities for the temperature and the model card.
        oof2 = np.zeros_like(oof)
        for k, (tr, te) in enumerate(GroupKFold(n_splits=min(3, self.folds)).split(x2, y, groups)):
            logger.info("pass two, fold %d/3", k + 1)
            oof2[te] = self._full_probs(self._new_second().fit(x2[tr], y[tr]), x2[te])
        self.second_ = self._new_second().fit(x2, y)
        # Composed pages share components across folds, so their out-of-fold errors are
        # optimistic; the temperature is fitted on the other (hand-labelled) pages if any.
        real = np.concatenate(
            [np.full(len(yk), not fnmatch(p.name, self.calibration_exclude)) for p, yk in zip(pages, ys)]
        )
        calib = real if real.sum() >= MIN_CALIBRATION_LINES else np.ones_like(real)
        self.temperature_ = _fit_temperature(oof2[calib], y[calib]) if self.calibrate else 1.0
        self.oof_probs_ = _softmax(np.log(np.clip(oof2, 1e-12, 1.0)) / self.temperature_)
        self.oof_true_ = y
        return self

    def _second_inputs(self, datas: Sequence[PageData], probs: np.ndarray) -> np.ndarray:
        out, at = [], 0
        for d in datas:
            n = len(d.rows)
            out.append(
                context_features(d.dense, probs[at : at + n].astype(np.float32), d.norms, d.blank_before, d.blank_after)
            )
            at += n
        return np.vstack(out) if out else np.zeros((0, 0), dtype=np.float32)

    # -- prediction -----------------------------------------------------------
    def predict_proba_page(self, lines: Sequence[Line]) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of the non-blank lines and their calibrated label probabilities.

        Very long pages are labelled in overlapping chunks of lines, so memory stays
        bounded by the chunk, not the page; each chunk sees its neighbours' context.
        """
        if len(lines) <= CHUNK_LINES + 2 * CHUNK_MARGIN:
            return self._predict_chunk(lines)
        rows_out, probs_out = [], []
        for start in range(0, len(lines), CHUNK_LINES):
            lo = max(0, start - CHUNK_MARGIN)
            hi = min(len(lines), start + CHUNK_LINES + CHUNK_MARGIN)
            rows, probs = self._predict_chunk(lines[lo:hi])
            rows = rows + lo
            keep = (rows >= start) & (rows < start + CHUNK_LINES)
            rows_out.append(rows[keep])
            probs_out.append(probs[keep])
        return np.concatenate(rows_out), np.vstack(probs_out)

    def _predict_chunk(self, lines: Sequence[Line]) -> tuple[np.ndarray, np.ndarray]:
        data = prepare(lines)
        if len(data.rows) == 0:
            return data.rows, np.zeros((0, len(LABELS)))
        p1 = self._full_probs(self.first_, self._first_input(data))
        x2 = context_features(data.dense, p1.astype(np.float32), data.norms, data.blank_before, data.blank_after)
        with _SINGLE_THREAD.limit(limits=1, user_api="openmp"):
            p2 = np.vstack(
                [self._full_probs(self.second_, x2[i : i + PREDICT_BLOCK]) for i in range(0, len(x2), PREDICT_BLOCK)]
            )
        return data.rows, _softmax(np.log(np.clip(p2, 1e-12, 1.0)) / self.temperature_)
