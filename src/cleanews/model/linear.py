"""Pass one as plain arrays: one-vs-rest logistic scores over n-grams and line measures.

scikit-learn's SGDClassifier fits it; prediction needs only the weights, so labelling
pages does not import scikit-learn (see :mod:`cleanews.model.trees` for why that matters).
Probabilities follow scikit-learn's one-vs-rest rule exactly: each label's sigmoid,
then normalised to sum to one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cleanews.features.ngrams import NGRAM_FEATURES, Grams, grams_dot
from cleanews.features.schema import check_input
from cleanews.model.calibration import ABSENT_LOGIT


class OneVsRestLinear:
    """Weights for n-gram buckets and for the scaled line measures, and an intercept per label."""

    def __init__(
        self,
        gram_weights: np.ndarray,
        dense_weights: np.ndarray,
        intercept: np.ndarray,
        mean: np.ndarray,
        scale: np.ndarray,
    ) -> None:
        self.gram_weights = gram_weights  # (NGRAM_FEATURES, labels) float32
        self.dense_weights = dense_weights  # (dense, labels) float64
        self.intercept = intercept  # (labels,)
        self.mean = mean  # (dense,) to centre the line measures
        self.scale = scale  # (dense,) to scale them

    @property
    def n_inputs(self) -> int:
        """Columns read: the n-gram buckets and the line measures."""
        return int(self.gram_weights.shape[0] + self.dense_weights.shape[0])

    def scaled(self, dense: np.ndarray) -> np.ndarray:
        return (dense - self.mean) / self.scale

    def decision(self, grams: Grams, dense: np.ndarray) -> np.ndarray:
        check_input(self.gram_weights.shape[0] + dense.shape[1], self.n_inputs, "pass_one")
        return grams_dot(grams, self.gram_weights) + self.scaled(dense) @ self.dense_weights + self.intercept

    def predict_proba(self, grams: Grams, dense: np.ndarray) -> np.ndarray:
        scores = self.decision(grams, dense)
        prob = 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(scores, -500), 500)))
        total = prob.sum(axis=1, keepdims=True)
        return np.divide(prob, total, out=np.full_like(prob, 1.0 / prob.shape[1]), where=total > 0)

    @classmethod
    def from_sgd(cls, model: Any, n_labels: int, mean: np.ndarray, scale: np.ndarray) -> OneVsRestLinear:
        """Copy a fitted SGDClassifier whose inputs were [n-grams | scaled measures].

        A label missing from the training rows gets weights that never choose it.
        """
        coef = np.asarray(model.coef_, dtype=np.float64)
        intercept = np.asarray(model.intercept_, dtype=np.float64)
        classes = np.asarray(model.classes_, dtype=int)
        width = coef.shape[1]
        full = np.zeros((n_labels, width))
        bias = np.full(n_labels, ABSENT_LOGIT)
        if len(classes) == 2 and coef.shape[0] == 1:  # binary: one score, for the second class
            full[classes[1]], bias[classes[1]] = coef[0], intercept[0]
            full[classes[0]], bias[classes[0]] = -coef[0], -intercept[0]
        else:
            full[classes] = coef
            bias[classes] = intercept
        return cls(
            np.ascontiguousarray(full[:, :NGRAM_FEATURES].T, dtype=np.float32),
            np.ascontiguousarray(full[:, NGRAM_FEATURES:].T),
            bias,
            np.asarray(mean, dtype=np.float64),
            np.asarray(scale, dtype=np.float64),
        )
