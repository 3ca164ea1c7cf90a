"""The chain of passes from a page's features to its label probabilities, shared by fit and predict.

    page features -> pass one -> pass-two inputs -> pass two -> temperature
                  -> label chain -> second temperature

:class:`~cleanews.model.classifier.LineClassifier` runs these steps on one page to label
it; :mod:`cleanews.model.fit` runs the same steps on out-of-fold predictions to fit the
next step, so a step is never fitted on inputs made differently from those it will see.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from cleanews.data.labels import LABELS
from cleanews.features.context import context_features
from cleanews.features.page import PageData
from cleanews.model.calibration import ABSENT_LOGIT, log_softmax, softmax, temper
from cleanews.model.chain import LabelChain
from cleanews.model.linear import OneVsRestLinear
from cleanews.model.trees import TreeEnsemble


def pass_one(first: OneVsRestLinear, data: PageData) -> np.ndarray:
    """Pass one's probabilities for every non-blank line (computed once per distinct line)."""
    return np.take(first.predict_proba(data.distinct.grams, data.distinct.dense), data.order, axis=0)


def second_inputs(data: PageData, p1: np.ndarray) -> np.ndarray:
    """Pass two's inputs for one page: its line measures, pass one's probabilities, its context."""
    return context_features(data.dense, p1.astype(np.float32), data.norms, data.blank_before, data.blank_after)


def pass_two(second: TreeEnsemble, classes: np.ndarray, x2: np.ndarray, temperature: float) -> np.ndarray:
    """Pass two's calibrated probabilities; a label the trees never saw gets :data:`ABSENT_LOGIT`."""
    logits = np.full((len(x2), len(LABELS)), ABSENT_LOGIT)
    logits[:, classes] = second.raw_predict(x2)
    return softmax(log_softmax(logits) / temperature)


def smooth(chain: LabelChain | None, probs: np.ndarray) -> np.ndarray:
    """One page's probabilities through the label chain (unchanged without one)."""
    return probs if chain is None else chain.smooth(probs)


def finish(smoothed: np.ndarray, temperature: float) -> np.ndarray:
    """The second temperature, over the chain's probabilities: what users get."""
    return temper(smoothed, temperature)


def page_slices(sizes: Sequence[int]) -> Iterator[slice]:
    """The rows of each page in a stack of pages' lines."""
    at = 0
    for n in sizes:
        yield slice(at, at + n)
        at += n
