"""The line classifier: a first pass on each line alone, a second pass with context.

Pass one is a logistic regression on hashed character n-grams and the line's own
measures. Pass two is gradient-boosted trees over the line's measures, its own and its
neighbours' pass-one probabilities, window means and page position. A temperature makes
pass two's confidences honest; a label chain over the page, and a second temperature,
mend odd labels inside long runs (:mod:`cleanews.model.passes` is the chain of steps,
:mod:`cleanews.model.fit` how each is fitted).

scikit-learn fits both passes; the fitted passes are then copied into plain arrays
(:mod:`cleanews.model.linear`, :mod:`cleanews.model.trees`), so labelling needs numpy alone and
starts without importing scikit-learn.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cleanews.data.labels import LABEL_INDEX, LABELS
from cleanews.features.page import prepare
from cleanews.features.schema import check_input, current_schema
from cleanews.model import passes
from cleanews.model.calibration import (
    CalibrationError,
    DecideRows,
    fit_temperature,
    fit_temperature_by_error,
    temper,
)
from cleanews.model.chain import LabelChain
from cleanews.model.fit import (
    OutOfFold,
    Progress,
    TrainingSet,
    cross_fit,
    first_matrix,
    new_first,
    new_second,
    no_progress,
)
from cleanews.model.linear import OneVsRestLinear
from cleanews.model.options import TrainOptions
from cleanews.model.trees import TreeEnsemble
from cleanews.text.lines import Line

if TYPE_CHECKING:
    from cleanews.data.labelled import LabelledPage

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

CHUNK_LINES = 20000
"""Pages longer than this many lines are labelled chunk by chunk."""

CHUNK_MARGIN = 200
"""Lines of context on each side of a chunk (wider than any context window)."""


class LineClassifier:
    """Labels the lines of a page. Follows scikit-learn's estimator conventions.

    The one parameter, ``options`` (:class:`~cleanews.model.options.TrainOptions`), is
    stored as given; everything learned ends in ``_``. Fitting uses scikit-learn; the
    fitted passes are kept as plain arrays, so labelling needs numpy only.
    """

    def __init__(self, options: TrainOptions | None = None) -> None:
        self.options = options

    # -- fitting ----------------------------------------------------------------
    def fit(
        self,
        pages: Sequence[LabelledPage],
        groups: Sequence[str] | None = None,
        *,
        decide: DecideRows,
        calibration_error: CalibrationError,
        progress: Progress | None = None,
    ) -> LineClassifier:
        """Fit both passes, the chain and the temperatures on labelled pages; see :meth:`fit_oof`."""
        self.fit_oof(pages, groups, decide=decide, calibration_error=calibration_error, progress=progress)
        return self

    def fit_oof(
        self,
        pages: Sequence[LabelledPage],
        groups: Sequence[str] | None = None,
        *,
        decide: DecideRows,
        calibration_error: CalibrationError,
        progress: Progress | None = None,
    ) -> OutOfFold:
        """Fit as :meth:`fit` does and return the out-of-fold predictions made on the way.

        ``groups`` names each page's fold group (None: every page is its own). The second
        temperature is the one whose decisions (``decide``: probabilities to labels) have
        the smallest ``calibration_error``: the model fits it, the caller says what a
        decision and its error are. ``progress(stage, done, total)`` hears of every fold.
        """
        options = self.options or TrainOptions()
        step = progress or no_progress
        data = TrainingSet.of(pages, groups, options)
        oof1 = self._fit_first(data, options, step)
        x2 = np.vstack([passes.second_inputs(d, oof1[s]) for d, s in zip(data.pages, passes.page_slices(data.sizes))])
        folds = min(options.second_folds, options.folds)
        oof2, second = cross_fit(new_second, options, x2, data, folds, "pass two", step)
        self.second_ = TreeEnsemble.from_sklearn(second, depth=options.max_depth)
        self.second_classes_ = np.asarray(second.classes_, dtype=int)
        final = self._fit_calibration(oof2, data, options, decide, calibration_error)
        self.schema_ = current_schema().record()
        return OutOfFold(final, data.y, [d.rows for d in data.pages])

    def _fit_first(self, data: TrainingSet, options: TrainOptions, progress: Progress) -> np.ndarray:
        x1, mean, scale = first_matrix(data.pages)
        oof, first = cross_fit(new_first, options, x1, data, options.folds, "pass one", progress)
        self.first_ = OneVsRestLinear.from_sgd(first, len(LABELS), mean, scale)
        return oof

    def _fit_calibration(
        self,
        oof2: np.ndarray,
        data: TrainingSet,
        options: TrainOptions,
        decide: DecideRows,
        calibration_error: CalibrationError,
    ) -> np.ndarray:
        """Fit the temperature, the chain and the second temperature; the final out-of-fold probabilities."""
        calib = data.calibration_rows(options)
        y = data.y
        self.temperature_ = fit_temperature(oof2[calib], y[calib]) if options.calibrate else 1.0
        calibrated = temper(oof2, self.temperature_)
        self.chain_ = LabelChain.fit(data.ys, len(LABELS), keep=LABEL_INDEX["spam"]) if options.smooth else None
        smoothed = np.empty_like(calibrated)
        for s in passes.page_slices(data.sizes):
            smoothed[s] = passes.smooth(self.chain_, calibrated[s])
        by_error = options.calibrate and options.smooth
        t2 = fit_temperature_by_error(smoothed[calib], y[calib], decide, calibration_error) if by_error else 1.0
        self.smooth_temperature_ = t2
        return passes.finish(smoothed, t2)

    # -- prediction -------------------------------------------------------------
    @property
    def input_widths(self) -> dict[str, int]:
        """Columns the fitted passes read (compared with the code's on loading)."""
        return {"pass_one": self.first_.n_inputs, "pass_two": self.second_.n_features}

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
        x2 = passes.second_inputs(data, passes.pass_one(self.first_, data))
        check_input(x2.shape[1], self.second_.n_features, "pass_two")
        probs = passes.pass_two(self.second_, self.second_classes_, x2, self.temperature_)
        return data.rows, passes.finish(passes.smooth(self.chain_, probs), self.smooth_temperature_)
