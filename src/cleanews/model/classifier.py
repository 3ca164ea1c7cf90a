"""The line classifier: a first pass on each line alone, a second pass with context.

Pass one is a logistic regression on hashed character n-grams and the line's own
measures. Pass two is gradient-boosted trees over the line's measures, its own and its
neighbours' pass-one probabilities, window means and page position. Pass two is
trained on *out-of-fold* pass-one probabilities (folds grouped by page), so it learns
from probabilities as noisy as those it will see on new pages. A single temperature,
fitted on out-of-fold pass-two predictions, makes the confidences honest.

scikit-learn fits both passes; the fitted passes are then copied into plain arrays
(:mod:`cleanews.model.linear`, :mod:`cleanews.model.trees`), so labelling needs numpy alone and
starts without importing scikit-learn."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any

import numpy as np

from cleanews.data.labels import LABEL_INDEX, LABELS
from cleanews.decide import decide
from cleanews.features.context import context_features
from cleanews.features.measures import LineFeatures, line_features
from cleanews.features.ngrams import NGRAM_FEATURES, grams_matrix
from cleanews.model.chain import LabelChain
from cleanews.model.linear import OneVsRestLinear
from cleanews.model.trees import MAX_DEPTH, TreeEnsemble
from cleanews.text.lines import Line, is_blank, normalise_many

if TYPE_CHECKING:
    from cleanews.data.labelled import LabelledPage

logger = logging.getLogger(__name__)

CHUNK_LINES = 20000
"""Pages longer than this many lines are labelled chunk by chunk."""

CHUNK_MARGIN = 200
"""Lines of context on each side of a chunk (wider than any context window)."""

MIN_CALIBRATION_LINES = 500
"""Fewer hand-labelled lines than this and the temperature is fitted on all pages."""


@dataclass
class PageData:
    """The non-blank lines of one page, with their features.

    Features are computed once per *distinct* line (menus and feeds repeat lines);
    ``order`` maps each non-blank line to its distinct line.
    """

    rows: np.ndarray  # indices of the non-blank lines in the page
    norms: list[str]
    order: np.ndarray  # for each non-blank line, the index of its distinct line
    distinct: LineFeatures
    blank_before: np.ndarray
    blank_after: np.ndarray

    @property
    def dense(self) -> np.ndarray:
        return np.take(self.distinct.dense, self.order, axis=0)


def prepare(lines: Sequence[Line]) -> PageData:
    """Features of one page's non-blank lines (the shared first step of fit and predict)."""
    blank = np.fromiter((is_blank(line.text) for line in lines), dtype=bool, count=len(lines))
    rows = np.flatnonzero(~blank)
    raws = [lines[i].text for i in rows.tolist()]
    norms = normalise_many(raws)
    index: dict[str, int] = {}
    uniq_raw: list[str] = []
    uniq_norm: list[str] = []
    order = np.empty(len(raws), dtype=np.intp)
    for k, (raw, norm) in enumerate(zip(raws, norms)):
        at = index.get(raw)
        if at is None:
            at = index[raw] = len(uniq_raw)
            uniq_raw.append(raw)
            uniq_norm.append(norm)
        order[k] = at
    distinct = line_features(uniq_raw, uniq_norm)
    prev_blank = np.ones(len(rows), dtype=bool)
    next_blank = np.ones(len(rows), dtype=bool)
    if len(rows):
        prev_blank[1:] = blank[rows[1:] - 1]
        prev_blank[0] = rows[0] == 0 or blank[rows[0] - 1]
        next_blank[:-1] = blank[rows[:-1] + 1]
        next_blank[-1] = rows[-1] == len(lines) - 1 or blank[rows[-1] + 1]
    return PageData(rows, norms, order, distinct, prev_blank, next_blank)


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


def _fit_temperature_ece(probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature (on a grid) with the smallest calibration error.

    Used after smoothing: the log-loss fit there is pulled up by a few confident mistakes
    in the training pages' labels and left the dev pages under-confident (ECE 0.054).
    """
    from cleanews.training.evaluate import calibration_error  # training only

    logp = np.log(np.clip(probs, 1e-12, 1.0))
    grid = np.round(np.arange(0.5, 4.0001, 0.05), 2)
    errors = []
    for t in grid:
        probs_t = _softmax(logp / t)
        best = decide(probs_t, whole_page=False)
        conf = probs_t[np.arange(len(best)), best]
        errors.append(calibration_error(conf.tolist(), (best == y).tolist()) or 0.0)
    return float(grid[int(np.argmin(errors))])


def _full_probs(model: Any, x: object) -> np.ndarray:
    """Probabilities for all eight labels from a scikit-learn model, even if a fold lacked a label."""
    p = model.predict_proba(x)
    out = np.zeros((p.shape[0], len(LABELS)), dtype=np.float64)
    out[:, np.asarray(model.classes_, dtype=int)] = p
    return out


class LineClassifier:
    """Labels the lines of a page. Follows scikit-learn's estimator conventions.

    Parameters are stored as given; everything learned ends in ``_``. Fitting uses
    scikit-learn; the fitted passes are kept as plain arrays (:class:`OneVsRestLinear`,
    :class:`TreeEnsemble`), so labelling needs numpy only.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        folds: int = 5,
        max_iter: int = 60,
        learning_rate: float = 0.25,
        max_leaf_nodes: int = 31,
        max_depth: int = MAX_DEPTH,
        l2_regularization: float = 1.0,
        calibrate: bool = True,
        calibration_exclude: str = "gen_*",
        real_weight: float = 3.0,
        smooth: bool = True,
        random_state: int = 0,
    ) -> None:
        self.alpha = alpha
        self.folds = folds
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.l2_regularization = l2_regularization
        self.calibrate = calibrate
        self.calibration_exclude = calibration_exclude
        self.real_weight = real_weight
        self.smooth = smooth
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------
    def _new_first(self) -> Any:
        from sklearn.linear_model import SGDClassifier

        # Logistic loss by stochastic gradient: twenty times faster than lbfgs on hashed
        # n-grams at the same pass-two score; pass two and the temperature calibrate it.
        return SGDClassifier(
            loss="log_loss", alpha=self.alpha, max_iter=30, tol=None, average=True, random_state=self.random_state
        )

    def _new_second(self) -> Any:
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            max_depth=self.max_depth,
            l2_regularization=self.l2_regularization,
            early_stopping=True,
            validation_fraction=0.1,
            n_iter_no_change=20,
            random_state=self.random_state,
        )

    @staticmethod
    def _first_matrix(datas: Sequence[PageData], mean: np.ndarray, scale: np.ndarray) -> Any:
        """Pass-one inputs of every non-blank line: [n-gram vector | scaled measures]."""
        from scipy import sparse

        blocks = []
        for d in datas:
            r, c, v = grams_matrix(d.distinct.grams)
            grams = sparse.csr_matrix((v, (r, c)), shape=(d.distinct.grams.n_lines, NGRAM_FEATURES))
            dense = sparse.csr_matrix((d.distinct.dense - mean) / scale)
            blocks.append(sparse.hstack([grams, dense], format="csr")[d.order])
        return sparse.vstack(blocks, format="csr")

    def fit(self, pages: Sequence[LabelledPage]) -> LineClassifier:
        """Fit both passes and the temperature on labelled pages."""
        from sklearn.model_selection import GroupKFold

        datas = [prepare(p.lines) for p in pages]
        ys = [np.array([LABEL_INDEX[p.labels[i]] for i in d.rows], dtype=int) for p, d in zip(pages, datas)]
        groups = np.concatenate([np.full(len(y), k) for k, y in enumerate(ys)])
        y = np.concatenate(ys)
        dense = np.vstack([d.dense for d in datas]).astype(np.float64)
        mean = dense.mean(axis=0)
        scale = dense.std(axis=0) + 1e-6
        x1 = self._first_matrix(datas, mean, scale)
        # Pages not matching calibration_exclude are hand-labelled whole pages; composed
        # pages repeat their components, so the real ones count for more. Measured on
        # the dev pages: weight 3 took macro-F1 from 0.767 to 0.776 (argmax); training on
        # the hand pages alone fell to 0.743 and kept 53 spam lines.
        real = np.concatenate(
            [np.full(len(yk), not fnmatch(p.name, self.calibration_exclude)) for p, yk in zip(pages, ys)]
        )
        w = np.where(real, self.real_weight, 1.0)
        w *= np.concatenate([np.full(len(yk), p.weight) for p, yk in zip(pages, ys)])  # e.g. train --weight

        # Out-of-fold pass-one probabilities, folds grouped by page.
        oof = np.zeros((len(y), len(LABELS)))
        for k, (tr, te) in enumerate(GroupKFold(n_splits=self.folds).split(x1, y, groups)):
            logger.info("pass one, fold %d/%d", k + 1, self.folds)
            oof[te] = _full_probs(self._new_first().fit(x1[tr], y[tr], sample_weight=w[tr]), x1[te])
        self.first_ = OneVsRestLinear.from_sgd(self._new_first().fit(x1, y, sample_weight=w), len(LABELS), mean, scale)

        x2 = self._second_inputs(datas, oof)
        # Out-of-fold pass-two probabilities for the temperature and the model card.
        oof2 = np.zeros_like(oof)
        for k, (tr, te) in enumerate(GroupKFold(n_splits=min(3, self.folds)).split(x2, y, groups)):
            logger.info("pass two, fold %d/3", k + 1)
            oof2[te] = _full_probs(self._new_second().fit(x2[tr], y[tr], sample_weight=w[tr]), x2[te])
        second = self._new_second().fit(x2, y, sample_weight=w)
        self.second_ = TreeEnsemble.from_sklearn(second, depth=self.max_depth)
        self.second_classes_ = np.asarray(second.classes_, dtype=int)
        # Composed pages share components across folds, so their out-of-fold errors are
        # optimistic; the temperature is fitted on the other (hand-labelled) pages if any.
        calib = real if real.sum() >= MIN_CALIBRATION_LINES else np.ones_like(real)
        self.temperature_ = _fit_temperature(oof2[calib], y[calib]) if self.calibrate else 1.0
        calibrated = _softmax(np.log(np.clip(oof2, 1e-12, 1.0)) / self.temperature_)
        # The label chain, and a second temperature for the smoothed probabilities
        # (smoothing sharpens them), fitted on the same out-of-fold predictions.
        self.chain_ = LabelChain.fit(ys, len(LABELS), keep=LABEL_INDEX["spam"]) if self.smooth else None
        smoothed = self._smooth_pages(calibrated, [len(yk) for yk in ys])
        fit_t2 = self.calibrate and self.smooth
        self.smooth_temperature_ = _fit_temperature_ece(smoothed[calib], y[calib]) if fit_t2 else 1.0
        self.oof_probs_ = _softmax(np.log(np.clip(smoothed, 1e-12, 1.0)) / self.smooth_temperature_)
        self.oof_true_ = y
        return self

    def _smooth_pages(self, probs: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
        if self.chain_ is None:
            return probs
        out, at = np.empty_like(probs), 0
        for n in sizes:
            out[at : at + n] = self.chain_.smooth(probs[at : at + n])
            at += n
        return out

    def _second_inputs(self, datas: Sequence[PageData], probs: np.ndarray) -> np.ndarray:
        out, at = [], 0
        for d in datas:
            n = len(d.rows)
            out.append(
                context_features(d.dense, probs[at : at + n].astype(np.float32), d.norms, d.blank_before, d.blank_after)
            )
            at += n
        return np.vstack(out) if out else np.zeros((0, 0), dtype=np.float32)

    # -- prediction -------------------------------------------------------------
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
        p1 = np.take(self.first_.predict_proba(data.distinct.grams, data.distinct.dense), data.order, axis=0)
        x2 = context_features(data.dense, p1.astype(np.float32), data.norms, data.blank_before, data.blank_after)
        logits = np.full((len(x2), len(LABELS)), -30.0)
        logits[:, self.second_classes_] = self.second_.raw_predict(x2)
        probs = _softmax(_log_softmax(logits) / self.temperature_)
        if self.chain_ is None:
            return data.rows, probs
        smoothed = self.chain_.smooth(probs)
        return data.rows, _softmax(np.log(np.minimum(np.maximum(smoothed, 1e-12), 1.0)) / self.smooth_temperature_)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
