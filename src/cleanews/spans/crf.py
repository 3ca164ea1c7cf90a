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
        get = self.index.get
        rows: list[int] = []
        counts: list[int] = []
        for fs in features:
            found = [r for r in map(get, fs) if r is not None]
            rows += found
            counts.append(len(found))
        out = np.zeros((len(features), len(TAGS)))
        if rows:
            owner = np.repeat(np.arange(len(features)), counts)
            np.add.at(out, owner, self.state[np.asarray(rows, dtype=np.intp)])
        return out

    def viterbi(self, emissions: np.ndarray) -> np.ndarray:
        """The likeliest tag sequence (two tags: plain floats beat numpy on short windows)."""
        n = len(emissions)
        if n == 0:
            return np.zeros(0, dtype=np.intp)
        (t00, t01), (t10, t11) = self.transitions.tolist()
        em = emissions.tolist()
        d0, d1 = em[0]
        back: list[tuple[int, int]] = []
        for e0, e1 in em[1:]:
            a0, b0 = d0 + t00, d1 + t10
            a1, b1 = d0 + t01, d1 + t11
            back.append((0 if a0 >= b0 else 1, 0 if a1 >= b1 else 1))
            d0, d1 = max(a0, b0) + e0, max(a1, b1) + e1
        path = [0 if d0 >= d1 else 1]
        for b in reversed(back):
            path.append(b[path[-1]])
        return np.asarray(path[::-1], dtype=np.intp)

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
