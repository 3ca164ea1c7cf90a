"""A first, cheap look at every window: a linear model over hashed character features.

The CRF reads dozens of string features per character, which costs far more than
labelling the line did; most windows the gate opens on an ordinary page (``记者``,
``娱乐``, a phone number in a footer) hold no spam. This pass scores every character of
every window of a page at once with numpy (the character, the pairs and triple around
it, the classes of its neighbours, the line's label), and only windows where some
character could be spam go on to the CRF. Its threshold is set at fitting time so that
the windows holding the training spans pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleanews.data.labels import LABELS

BUCKETS = 1 << 18
"""Size of the hashed feature space."""

_MULT = np.int64(0x9E3779B1)
_LABEL_ID = {label: k + 1 for k, label in enumerate(LABELS)}


def _classes(cps: np.ndarray) -> np.ndarray:
    """0 boundary, 1 Han, 2 letter, 3 digit, 4 space, 5 other."""
    out = np.full(len(cps), 5, dtype=np.int64)
    out[(cps >= 0x3400) & (cps <= 0x9FFF)] = 1
    out[((cps | 32) >= 97) & ((cps | 32) <= 122)] = 2
    out[(cps >= 48) & (cps <= 57)] = 3
    out[(cps == 32) | (cps == 0x3000) | (cps == 9)] = 4
    out[cps == 0] = 0
    return out


def _fold(cps: np.ndarray) -> np.ndarray:
    """Full-width ASCII to ASCII, ASCII letters to lower case."""
    cps = cps.astype(np.int64)
    wide = (cps >= 0xFF01) & (cps <= 0xFF5E)
    cps[wide] -= 0xFEE0
    upper = (cps >= 65) & (cps <= 90)
    cps[upper] += 32
    return cps


def _mix(*parts: np.ndarray) -> np.ndarray:
    h = np.zeros_like(parts[0])
    for p in parts:
        h = (h * _MULT + p + 1) & np.int64(0x7FFFFFFFFFFF)
    return h % BUCKETS


def hashed_features(texts: Sequence[str], labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Bucket ids (characters x features) for the characters of the given window texts,
    and where each window starts in the rows."""
    joined = "\0" + "\0".join(texts) + "\0"
    cps = _fold(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    cls = _classes(cps)
    lab = np.zeros(len(cps), dtype=np.int64)
    starts = np.zeros(len(texts), dtype=np.int64)
    at = 1
    for k, (t, label) in enumerate(zip(texts, labels)):
        starts[k] = at
        lab[at : at + len(t)] = _LABEL_ID.get(label, 0)
        at += len(t) + 1
    i = np.flatnonzero(cps != 0)
    prev, nxt = cps[i - 1], cps[i + 1]
    prev2 = np.where(cps[i - 1] == 0, 0, cps[np.maximum(i - 2, 0)])
    feats = np.stack(
        [
            _mix(np.full(len(i), 1), cps[i]),
            _mix(np.full(len(i), 2), prev, cps[i]),
            _mix(np.full(len(i), 3), cps[i], nxt),
            _mix(np.full(len(i), 4), prev2, prev, cps[i]),
            _mix(np.full(len(i), 5), cls[i - 1], cls[i], cls[i + 1]),
            _mix(np.full(len(i), 6), lab[i], cls[i]),
        ],
        axis=1,
    )
    row_of = np.cumsum(cps != 0) - 1
    return feats, row_of[starts]


class Prefilter:
    """Per-character logistic weights over hashed features, and the pass threshold."""

    def __init__(self, weights: np.ndarray, bias: float, threshold: float) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], tags: Sequence[np.ndarray], recall: float) -> Prefilter:
        """Fit on windows (texts, their line labels, their per-character spam tags); the
        threshold lets through ``recall`` of the windows that hold spam."""
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        feats, starts = hashed_features(texts, labels)
        n, k = feats.shape
        x = sparse.csr_matrix((np.ones(n * k), feats.ravel(), np.arange(0, n * k + 1, k)), shape=(n, BUCKETS))
        y = np.concatenate([np.asarray(t, dtype=int) for t in tags])
        lr = LogisticRegression(C=1.0, max_iter=500).fit(x, y)
        model = cls(np.asarray(lr.coef_[0], dtype=np.float32), float(lr.intercept_[0]), 0.0)
        best = model.window_scores(texts, labels)
        holding = np.array([t.any() for t in tags])
        if holding.any():
            model.threshold = float(min(0.5, np.quantile(best[holding], 1.0 - recall)))
        return model

    def window_scores(self, texts: Sequence[str], labels: Sequence[str]) -> np.ndarray:
        """The highest spam probability of any character in each window."""
        if not texts:
            return np.zeros(0)
        feats, starts = hashed_features(texts, labels)
        logit = self.weights[feats].sum(axis=1) + self.bias
        best = np.maximum.reduceat(logit, starts) if len(logit) else np.zeros(len(texts))
        empty = np.array([not t for t in texts])
        best = np.where(empty, -np.inf, best)
        return 1.0 / (1.0 + np.exp(-best))
