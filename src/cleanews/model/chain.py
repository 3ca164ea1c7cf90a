"""A third look at each line: the label sequence of the page, by forward-backward.

Pass two sees its neighbours' *first-pass* guesses; it still leaves isolated odd labels
inside long runs (a short article paragraph called chrome between two body lines, one
menu item called links inside a menu). Labels on a page come in runs, and how often one
label follows another is learned from the training pages. Treating pass two's
probabilities as the evidence of a hidden-Markov chain and taking each line's posterior
(forward-backward, not Viterbi, so every line keeps a probability) lets a line's label
borrow strength from the whole run around it.

Two exponents temper the chain: pass two's probabilities already include context, so
they are divided by the label prior only partly (:data:`PRIOR_POWER`), and transitions
count fully or partly (:data:`TRANSITION_POWER`); both were chosen on the dev pages. Spam is
left as pass two said: injected spam sits inside article runs, and smoothing would pull
it into the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from cleanews.model.calibration import PROB_FLOOR

PRIOR_POWER = 0.25
TRANSITION_POWER = 1.0
"""Chosen on the dev pages: the chain with these powers scored best of those tried
(benchmarks/README.md, "Why the constants are what they are")."""

SMOOTHING = 1.0
"""Added to every transition count, so no label sequence is impossible."""


class LabelChain:
    """Label prior and transition probabilities, learned from labelled line sequences."""

    def __init__(self, prior: np.ndarray, transitions: np.ndarray, keep: int | None = None) -> None:
        self.prior = prior  # (labels,)
        self.transitions = transitions  # (labels, labels): row = previous label
        self.keep = keep  # a label whose probability is not smoothed (spam)

    @classmethod
    def fit(cls, sequences: Iterable[Sequence[int] | np.ndarray], n_labels: int, keep: int | None = None) -> LabelChain:
        counts = np.full((n_labels, n_labels), SMOOTHING)
        prior = np.full(n_labels, SMOOTHING)
        for seq in sequences:
            arr = np.asarray(seq, dtype=np.intp)
            if len(arr) == 0:
                continue
            np.add.at(prior, arr, 1.0)
            np.add.at(counts, (arr[:-1], arr[1:]), 1.0)
        return cls(prior / prior.sum(), counts / counts.sum(axis=1, keepdims=True), keep)

    def smooth(self, probs: np.ndarray) -> np.ndarray:
        """Posterior label probabilities of one page's lines, in page order."""
        n = len(probs)
        if n < 2:
            return probs
        evidence = np.maximum(probs, PROB_FLOOR) / self.prior**PRIOR_POWER
        step = self.transitions**TRANSITION_POWER
        step /= step.sum(axis=1, keepdims=True)
        # Line i's forward vector is start @ M_1 @ ... @ M_i and its backward vector
        # M_{i+1} @ ... @ M_n @ 1, with M_i = step scaled column-wise by line i's evidence.
        # Both products come from scans over the stacked matrices (log n batched matmuls
        # instead of a Python loop over the lines).
        steps = step[None, :, :] * evidence[1:, None, :]
        start = evidence[0] * self.prior
        forward = np.vstack([start, np.einsum("k,nkj->nj", start, _scan(steps))])
        backward = np.vstack([_scan(steps[::-1], reverse=True)[::-1].sum(axis=2), np.ones(probs.shape[1])])
        post = forward * backward
        post /= post.sum(axis=1, keepdims=True)
        if self.keep is not None:
            others = post.copy()
            others[:, self.keep] = 0.0
            others *= ((1.0 - probs[:, self.keep]) / np.maximum(others.sum(axis=1), PROB_FLOOR))[:, None]
            others[:, self.keep] = probs[:, self.keep]
            post = others
        return post


def _scan(mats: np.ndarray, reverse: bool = False) -> np.ndarray:
    """Inclusive running products of a stack of square matrices, each renormalised.

    ``out[i] = mats[0] @ ... @ mats[i]`` (or ``mats[i] @ ... @ mats[0]`` when ``reverse``),
    up to a positive factor per matrix, which the caller normalises away.
    """
    out = mats / mats.sum(axis=(1, 2), keepdims=True)
    shift, level = 1, 0
    while shift < len(out):
        joined = out[shift:] @ out[:-shift] if reverse else out[:-shift] @ out[shift:]
        if level % 2:  # every other level is enough to stay far from underflow
            joined /= joined.sum(axis=(1, 2), keepdims=True)
        out[shift:] = joined
        shift *= 2
        level += 1
    return out
