"""From scores to honest probabilities: softmax, temperatures, and the numbers they rest on.

Both temperatures are fitted on out-of-fold predictions (see :mod:`cleanews.model.fit`).
The first minimises the log loss of pass two; the second, after the label chain has
sharpened the probabilities, minimises the calibration error of the decisions users
get. The decision rule and the calibration error are passed in by the caller: the
model layer does not decide labels and does not score them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

PROB_FLOOR = 1e-12
"""The smallest probability taken to a log: a label with no evidence keeps a finite score."""

ABSENT_LOGIT = -30.0
"""The score of a label a fitted pass never saw (e^-30: never chosen, never a NaN)."""

TEMPERATURE_BOUNDS = (0.3, 5.0)
"""Where the log-loss temperature is searched (a bounded scalar search)."""

SMOOTH_TEMPERATURE_GRID = np.round(np.arange(0.5, 4.0001, 0.05), 2)
"""The temperatures tried for the smoothed probabilities (the calibration error is a step
function of the temperature, so a grid, not a gradient)."""

DecideRows = Callable[[np.ndarray], np.ndarray]
"""Probabilities (rows x labels) to the label index of each row."""

CalibrationError = Callable[[Iterable[float], Iterable[bool]], float | None]
"""Confidences and whether each decision was right to one calibration error."""


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def log_probs(probs: np.ndarray) -> np.ndarray:
    """``log(probs)``, with probabilities kept within [:data:`PROB_FLOOR`, 1]."""
    return np.log(np.minimum(np.maximum(probs, PROB_FLOOR), 1.0))


def temper(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities with their log-odds divided by ``temperature`` (above 1: less sure)."""
    return softmax(log_probs(probs) / temperature)


def fit_temperature(probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the log loss of out-of-fold probabilities."""
    from scipy.optimize import minimize_scalar  # training only: keeps it out of start-up

    logp = log_probs(probs)

    def nll(t: float) -> float:
        p = softmax(logp / t)
        return float(-np.mean(log_probs(p[np.arange(len(y)), y])))

    return float(minimize_scalar(nll, bounds=TEMPERATURE_BOUNDS, method="bounded").x)


def fit_temperature_by_error(
    probs: np.ndarray, y: np.ndarray, decide: DecideRows, calibration_error: CalibrationError
) -> float:
    """The temperature (on :data:`SMOOTH_TEMPERATURE_GRID`) whose decisions have the
    smallest calibration error.

    Used after smoothing: a log-loss fit there is pulled up by a few confident mistakes
    in the training pages' labels and leaves new pages under-confident.
    """
    logp = log_probs(probs)
    errors = []
    for t in SMOOTH_TEMPERATURE_GRID:
        probs_t = softmax(logp / t)
        best = decide(probs_t)
        conf = probs_t[np.arange(len(best)), best]
        errors.append(calibration_error(conf.tolist(), (best == y).tolist()) or 0.0)
    return float(SMOOTH_TEMPERATURE_GRID[int(np.argmin(errors))])
