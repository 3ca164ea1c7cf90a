"""Every setting of a training run, in one frozen object whose defaults are the shipped model's."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cleanews.model.trees import MAX_DEPTH


@dataclass(frozen=True)
class TrainOptions:
    """Settings of a training run; :class:`~cleanews.model.classifier.LineClassifier` takes them.

    The defaults are those of the shipped model, so ``TrainOptions()`` retrains it.
    """

    folds: int = 5
    """Cross-validation folds for pass one's out-of-fold probabilities, grouped by page."""
    second_folds: int = 3
    """Folds for pass two's out-of-fold probabilities (the temperatures and the card's
    scores); fewer, as each fold grows the trees again (at most ``folds``)."""
    alpha: float = 1e-5
    """Pass one's L2 penalty (SGD, logistic loss)."""
    sgd_epochs: int = 30
    """Passes of SGD over the lines (the averaged weights have settled by then)."""
    max_iter: int = 60
    """Boosting rounds of pass two (fewer when early stopping ends it)."""
    learning_rate: float = 0.25
    max_leaf_nodes: int = 31
    max_depth: int = MAX_DEPTH
    """Depth of pass two's trees; at most :data:`~cleanews.model.trees.MAX_DEPTH`, the depth they are padded to."""
    l2_regularization: float = 1.0
    validation_fraction: float = 0.1
    """Lines set aside to stop boosting early."""
    n_iter_no_change: int = 20
    """Boosting stops after this many rounds without a better validation score."""
    real_weight: float = 3.0
    """Weight of a hand-labelled page's lines against a composed page's (composed pages repeat
    their components; the measured effect is in benchmarks/README.md)."""
    calibration_exclude: str = "gen_*"
    """Names of composed pages: weighted 1, and left out of fitting the temperatures."""
    min_calibration_lines: int = 500
    """Fewer hand-labelled lines than this and the temperatures are fitted on all pages."""
    calibrate: bool = True
    """Fit the temperatures (off: both are 1)."""
    smooth: bool = True
    """Run the label chain over pass two."""
    random_state: int = 0
    """Seed of every random choice: training is deterministic for a seed."""
    span_only: tuple[str, ...] = ("inj_*", "hand_hijack_*")
    """Pages (name patterns) that only the span model learns from: made to carry injected
    spam, mostly copies of other training pages, they would shift the line model's
    decisions on pages that have no spam inside lines."""

    def __post_init__(self) -> None:
        if self.folds < 2 or self.second_folds < 2:
            raise ValueError(f"folds must be at least 2 (folds={self.folds}, second_folds={self.second_folds})")
        if not 1 <= self.max_depth <= MAX_DEPTH:
            raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH}, not {self.max_depth}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
