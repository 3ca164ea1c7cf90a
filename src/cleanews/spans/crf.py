"""A linear-chain CRF over two tags (outside, spam) as plain arrays, decoded with numpy.

sklearn-crfsuite fits it at training time; its weights are copied into a dict of
feature strings and two arrays, so a saved model holds builtins and numpy arrays only
and labelling never imports crfsuite. Decoding is Viterbi; the marginals (forward-
backward) give each character's probability of being spam.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

TAGS = ("O", "S")
"""The tags: outside a span, inside a spam span."""


class ChainWeights:
    """State weights (one row per feature string, one column per tag) and tag transitions."""

    def __init__(self, index: dict[str, int], state: np.ndarray, transitions: np.ndarray) -> None:
        self.index = index
        self.state = state
        self.transitions = transitions

    @classmethod
    def from_crfsuite(cls, crf: Any) -> ChainWeights:
        """Copy the weights of a fitted ``sklearn_crfsuite.CRF``."""
        tag = {t: k for k, t in enumerate(TAGS)}
        index: dict[str, int] = {}
        rows: list[list[float]] = []
        for (attr, label), w in sorted(crf.state_features_.items()):
            at = index.get(attr)
            if at is None:
                at = index[attr] = len(rows)
                rows.append([0.0] * len(TAGS))
            rows[at][tag[label]] = w
        transitions = np.zeros((len(TAGS), len(TAGS)))
        for (a, b), w in crf.transition_features_.items():
            transitions[tag[a], tag[b]] = w
        state = np.asarray(rows, dtype=np.float64).reshape(-1, len(TAGS))
        return cls(index, state, transitions)

    def emissions(self, features: Sequence[Sequence[str]]) -> np.ndarray:
        """Per character, the summed state weights of its features for each tag."""
        out = np.zeros((len(features), len(TAGS)))
        get = self.index.get
        for k, fs in enumerate(features):
            rows = [r for r in map(get, fs) if r is not None]
            if rows:
                out[k] = self.state[rows].sum(axis=0)
        return out

    def viterbi(self, emissions: np.ndarray) -> np.ndarray:
        """The likeliest tag sequence."""
        n = len(emissions)
        if n == 0:
            return np.zeros(0, dtype=np.intp)
        back = np.zeros((n, len(TAGS)), dtype=np.intp)
        delta = emissions[0].copy()
        for t in range(1, n):
            scores = delta[:, None] + self.transitions
            back[t] = scores.argmax(axis=0)
            delta = scores.max(axis=0) + emissions[t]
        path = np.empty(n, dtype=np.intp)
        path[-1] = int(delta.argmax())
        for t in range(n - 1, 0, -1):
            path[t - 1] = back[t, path[t]]
        return path

    def marginals(self, emissions: np.ndarray) -> np.ndarray:
        """Each character's probability of each tag (forward-backward in log space)."""
        n = len(emissions)
        alpha = np.zeros_like(emissions)
        beta = np.zeros_like(emissions)
        if n == 0:
            return alpha
        tr = self.transitions
        alpha[0] = emissions[0]
        for t in range(1, n):
            alpha[t] = np.logaddexp(alpha[t - 1, 0] + tr[0], alpha[t - 1, 1] + tr[1]) + emissions[t]
        for t in range(n - 2, -1, -1):
            nxt = beta[t + 1] + emissions[t + 1]
            beta[t] = np.logaddexp(tr[:, 0] + nxt[0], tr[:, 1] + nxt[1])
        log_z = np.logaddexp(alpha[-1, 0], alpha[-1, 1])
        return np.exp(alpha + beta - log_z)
