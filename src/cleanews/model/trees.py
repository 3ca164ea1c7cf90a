"""Gradient-boosted trees as plain arrays, predicted with numpy alone.

scikit-learn grows the trees; labelling pages does not need scikit-learn: importing it
costs 1.5 s (it pulls in scipy.stats and pandas), longer than cleaning a typical page a
hundred times over. At training time the fitted trees are copied into arrays here.

Every tree is padded to a *complete* binary tree of depth :data:`MAX_DEPTH`: a leaf
reached early becomes a node whose split always goes left, with the leaf's value copied
into all its descendants. Then walking the trees is index arithmetic (child of node
``i`` is ``2i+1`` or ``2i+2``), the same number of steps for every tree, and all trees
of a block of rows walk together, one numpy operation per level.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cleanews.features.schema import check_input

MAX_DEPTH = 6
"""Depth of the padded trees. Pass two is trained with at most this depth: shallow trees
score as well as deep ones here at a fraction of the cost (benchmarks/README.md)."""

BLOCK_ROWS = 64
"""Rows walked together. Small blocks keep the (rows x trees) work arrays in the CPU
cache and below the size at which every new array is a fresh memory mapping."""

_ALWAYS_LEFT = np.inf


class _Walk:
    """The arrays a walk needs, derived once from the trees (not saved with the model).

    Nodes are numbered across all trees: tree t's node i is ``t * n_internal + i``, its
    children ``2g + 1 - t * n_internal`` (+1 to the right), its leaf j at
    ``t * (n_internal + 1) + j``.
    """

    def __init__(self, trees: TreeEnsemble) -> None:
        n_trees, n_internal = trees.features.shape
        index = np.arange(n_trees, dtype=np.intp)
        first = index * n_internal
        self.depth = int(np.log2(n_internal + 1))
        self.step = 1 - first
        self.feature = trees.features.ravel().astype(np.intp)
        self.threshold = trees.thresholds.ravel()
        self.leaf = trees.leaves.ravel()
        self.to_leaf = index * (n_internal + 1) - n_internal - first
        self.root_feature = trees.features[:, 0].astype(np.intp)
        self.root_threshold = trees.thresholds[:, 0]
        self.root_child = first + 1  # the root's left child; + 1 for the right one
        self.onehot = np.zeros((n_trees, len(trees.baseline)))
        self.onehot[index, trees.classes] = 1.0


class TreeEnsemble:
    """Sum of padded trees per class, plus a baseline: raw scores (logits) for each row."""

    def __init__(
        self,
        features: np.ndarray,
        thresholds: np.ndarray,
        leaves: np.ndarray,
        classes: np.ndarray,
        baseline: np.ndarray,
        n_features: int,
    ) -> None:
        self.features = features  # (trees, 2**depth - 1) int32: split feature per internal node
        self.thresholds = thresholds  # (trees, 2**depth - 1) float32: go left when x <= threshold
        self.leaves = leaves  # (trees, 2**depth) float64: value of each leaf
        self.classes = classes  # (trees,) int32: the class each tree adds to
        self.baseline = baseline  # (n_classes,) float64
        self.n_features = n_features  # columns of the rows it was fitted on

    @property
    def n_trees(self) -> int:
        return int(self.features.shape[0])

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_walk", None)  # derived: rebuilt on first use
        return state

    def _walk_arrays(self) -> _Walk:
        walk: _Walk | None = self.__dict__.get("_walk")
        if walk is None:  # a benign race between threads: both build the same arrays
            walk = self.__dict__["_walk"] = _Walk(self)
        return walk

    def raw_predict(self, x: np.ndarray) -> np.ndarray:
        """Logits of every row of ``x`` (rows x features) for every class."""
        check_input(x.shape[1], self.n_features, "pass_two")
        n = x.shape[0]
        out = np.tile(self.baseline, (n, 1))
        if n == 0 or self.n_trees == 0:
            return out
        # float32 is exact here: thresholds are stored rounded down to float32 (see
        # _below), and x <= t64 holds for a float32 x exactly when x <= that rounding.
        x = np.ascontiguousarray(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0), dtype=np.float32)
        w = self._walk_arrays()
        width = x.shape[1]
        for lo in range(0, n, BLOCK_ROWS):
            block = x[lo : lo + BLOCK_ROWS]
            rows = block.shape[0]
            flat = block.ravel()
            row_base = (np.arange(rows, dtype=np.intp) * width)[:, None]
            # Every tree's root splits on one known feature: a column take, no index arithmetic.
            node = (np.take(block, w.root_feature, axis=1) > w.root_threshold) + w.root_child
            for _ in range(w.depth - 1):
                at = np.take(w.feature, node)
                at += row_base
                right = np.take(flat, at) > np.take(w.threshold, node)
                node *= 2
                node += w.step
                node += right
            # After the walk, node - first is the position in the padded tree (n_internal + j).
            node += w.to_leaf
            out[lo : lo + rows] += np.take(w.leaf, node) @ w.onehot
        return out

    @classmethod
    def from_sklearn(cls, model: Any, depth: int = MAX_DEPTH) -> TreeEnsemble:
        """Copy the trees of a fitted HistGradientBoostingClassifier (no categorical features)."""
        n_internal = 2**depth - 1
        feats, thrs, leaves, classes = [], [], [], []
        for iteration in model._predictors:
            for k, predictor in enumerate(iteration):
                f, t, v = _pad(predictor.nodes, depth)
                feats.append(f)
                thrs.append(t)
                leaves.append(v)
                classes.append(k)
        baseline = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)
        if len(baseline) == 1 and len(model.classes_) == 2:
            raise ValueError("binary models are not supported: cleanews always has eight labels")
        if not feats:
            return cls(
                np.zeros((0, n_internal), np.int32),
                np.zeros((0, n_internal), np.float32),
                np.zeros((0, n_internal + 1)),
                np.zeros(0, np.int32),
                baseline,
                int(model.n_features_in_),
            )
        return cls(
            np.asarray(feats, dtype=np.int32),
            _below(np.asarray(thrs, dtype=np.float64)),
            np.asarray(leaves, dtype=np.float64),
            np.asarray(classes, dtype=np.int32),
            baseline,
            int(model.n_features_in_),
        )


def _below(thresholds: np.ndarray) -> np.ndarray:
    """The largest float32 not above each float64 threshold (inputs are float32 features)."""
    out = thresholds.astype(np.float32)
    over = out.astype(np.float64) > thresholds
    out[over] = np.nextafter(out[over], np.float32(-np.inf))
    return out


def _pad(nodes: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One scikit-learn tree (its node records) as a complete tree of the given depth."""
    n_internal = 2**depth - 1
    feat = np.zeros(n_internal, dtype=np.int32)
    thr = np.full(n_internal, _ALWAYS_LEFT)
    leaf = np.zeros(n_internal + 1)

    def fill(src: int, dst: int, level: int) -> None:
        record = nodes[src]
        if level == depth:
            if not record["is_leaf"]:
                raise ValueError(f"a tree is deeper than {depth}: train pass two with max_depth={depth}")
            leaf[dst - n_internal] = record["value"]
            return
        if record["is_leaf"]:
            # Always left from here on; every leaf below carries this leaf's value.
            span = 2 ** (depth - level)
            first = (dst + 1) * span - 1 - n_internal
            leaf[first : first + span] = record["value"]
            return
        if record["is_categorical"]:
            raise ValueError("categorical splits are not supported")
        feat[dst] = record["feature_idx"]
        thr[dst] = record["num_threshold"]
        fill(int(record["left"]), 2 * dst + 1, level + 1)
        fill(int(record["right"]), 2 * dst + 2, level + 1)

    fill(0, 0, 0)
    return feat, thr, leaf
