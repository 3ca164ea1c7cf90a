"""The line classifier: a first pass on each line alone, a second pass with context.

Pass one is a logistic regression on hashed character n-grams and the line's own
measures. Pass two is gradient-boosted trees over the line's measures, its own and its
neighbours' pass-one probabilities, window means and page position. Pass two is
trained on *out-of-fold* pass-one probabilities (folds grouped by page), so it learns
from probabilities as noisy as those it will see on new pages. A single temperature,
fitted on out-of-fold pass-two predictions, makes the confidences honest.

scikit-learn fits both passes; the fitted passes are then copied into plain arrays
(:mod:`cleanews.linear`, :mod:`cleanews.trees`), so labelling needs numpy alone and
starts without importing scikit-learn."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

import numpy as np

from .context import context_features
from .evaluate import calibration_error
from .features import LineFeatures, line_features
from .labelled import LabelledPage
from .labels import DEFAULT_KEEP, LABELS
from .linear import OneVsRestLinear
from .ngrams import NGRAM_FEATURES, grams_matrix
from .page import Line, is_blank, normalise_many
from .sequence import LabelChain
from .trees import MAX_DEPTH, TreeEnsemble

logger = logging.getLogger(__name__)

CHUNK_LINES = 20000
"""Pages longer than this many lines are labelled chunk by chunk."""

CHUNK_MARGIN = 200
"""Lines of context on each side of a chunk (wider than any context window)."""

SPAM_DECISION_WEIGHT = 3.0
"""How much more a kept spam line costs than a dropped article line. When the likeliest
label of a line is one that is kept by default (body, title), the line is labelled spam
instead if its spam probability times this weight is larger: keeping spam is the costly
mistake, and only a kept label can make it. Other decisions (spam or links? spam or
nav?) stay plain argmax. Measured on the dev pages with the model of 07:20: weight 2
keeps 11 of 417 spam lines at macro-F1 0.798, 2.5 keeps 7 at 0.797, 3 keeps 6 at 0.795,
4 keeps 2 at 0.790 (body F1 0.953-0.949). 3 leaves a margin under the 2% target on sites
we have not seen. Weighting spam against every label (the rule before) kept as many at
0.007 lower macro-F1. The confidence reported is still the probability of the label given."""

TITLE_PROMOTION = 0.1
"""A news page has a headline. When no line of a page is labelled title, the line most
likely to be the title becomes title if its title probability is at least this (its
confidence stays that probability, so it is low). Measured on the dev pages: title F1
0.632 to 0.658, macro-F1 +0.004; 0.05 and 0.2 did no better."""

MIN_CALIBRATION_LINES = 500
"""Fewer hand-labelled lines than this and the temperature is fitted on all pages."""

_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
_KEPT = np.array([_LABEL_INDEX[label] for label in sorted(DEFAULT_KEEP)])


@dataclass
class PageData:
    """The non-blank lines of one page, with their features.

    Features are computed once per *distinct* line (menus and feeds repeat lines);
    ``order`` maps each non-blank line to its distinct line.
    """

    rows: np.ndarray  # indices of the non-blank lines in the page
    norms: list[str]
    order: np.ndarray  # for each non-blank line, the index of its distinct line
    distinct: LineFeatures
    blank_before: np.ndarray
    blank_after: np.ndarray

    @property
    def dense(self) -> np.ndarray:
        return np.take(self.distinct.dense, self.order, axis=0)


def prepare(lines: Sequence[Line]) -> PageData:
    """Features of one page's non-blank lines (the shared first step of fit and predict)."""
    blank = np.fromiter((is_blank(line.text) for line in lines), dtype=bool, count=len(lines))
    rows = np.flatnonzero(~blank)
    raws = [lines[i].text for i in rows.tolist()]
    norms = normalise_many(raws)
    index: dict[str, int] = {}
    uniq_raw: list[str] = []
    uniq_norm: list[str] = []
    order = np.empty(len(raws), dtype=np.intp)
    for k, (raw, norm) in enumerate(zip(raws, norms)):
        at = index.get(raw)
        if at is None:
            at = index[raw] = len(uniq_raw)
            uniq_raw.append(raw)
            uniq_norm.append(norm)
        order[k] = at
    distinct = line_features(uniq_raw, uniq_norm)
    prev_blank = np.ones(len(rows), dtype=bool)
    next_blank = np.ones(len(rows), dtype=bool)
    if len(rows):
        prev_blank[1:] = blank[rows[1:] - 1]
        prev_blank[0] = rows[0] == 0 or blank[rows[0] - 1]
        next_blank[:-1] = blank[rows[:-1] + 1]
        next_blank[-1] = rows[-1] == len(lines) - 1 or blank[rows[-1] + 1]
    return PageData(rows, norms, order, distinct, prev_blank, next_blank)


def decide(probs: np.ndarray, whole_page: bool = True) -> np.ndarray:
    """The label index of each row of probabilities: spam preferred over a kept label as
    :data:`SPAM_DECISION_WEIGHT` says and, when the rows are one whole page, the title
    promoted as :data:`TITLE_PROMOTION` says."""
    best = probs.argmax(axis=1)
    rows = np.arange(len(best))
    spam = _LABEL_INDEX["spam"]
    kept = np.isin(best, _KEPT)
    best[kept & (probs[:, spam] * SPAM_DECISION_WEIGHT > probs[rows, best])] = spam
    title = _LABEL_INDEX["title"]
    if whole_page and len(best) and not (best == title).any():
        likely = int(probs[:, title].argmax())
        if probs[likely, title] >= TITLE_PROMOTION:
            best[likely] = title
    return best


TITLE_ECHO_MIN_CHARS = 6
"""A line whose text (without bullets, heading marks, a markdown link around it and
spaces) is that of a line labelled title, and at least this long, is labelled title too:
LABELS.md makes the headline title wherever it repeats (breadcrumb ends, "正在阅读" bars,
share boxes), and a repeat out of context looks like its neighbours to the model.
Measured on the dev pages (model of 2026-12-06 17:58): title F1 0.708 to 0.773,
macro-F1 +0.009, nothing else changed."""

_ECHO_TRIM = re.compile(r"^[\s#*>•·\-+]+|[\s*]+$")
_ECHO_LINK = re.compile(r"^\[(.*)\]\([^)]*\)$")
_ECHO_SPACE = re.compile(r"\s+")


def _echo_key(text: str) -> str:
    text = _ECHO_TRIM.sub("", text)
    link = _ECHO_LINK.match(text)
    if link:
        text = link.group(1)
    return _ECHO_SPACE.sub("", text)


def echo_titles(best: np.ndarray, confidence: np.ndarray, texts: Sequence[str]) -> None:
    """Label repeats of a title line title, in place, as :data:`TITLE_ECHO_MIN_CHARS` says.

    A repeat takes the confidence of the title line it repeats: the decision is that
    line's decision, made again.
    """
    title = _LABEL_INDEX["title"]
    at = np.flatnonzero(best == title)
    if not len(at):
        return
    titles: dict[str, float] = {}
    for i in at.tolist():
        key = _echo_key(texts[i])
        if len(key) >= TITLE_ECHO_MIN_CHARS:
            titles[key] = max(titles.get(key, 0.0), float(confidence[i]))
    if not titles:
        return
    # Most lines hold no title at all: only lines holding a title's first characters
    # (found by searching the joined page, not line by line) are looked at.
    joined = "\n".join(texts)
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    candidates: set[int] = set()
    for head in {key[:4] for key in titles}:
        at_char = joined.find(head)
        while at_char >= 0:
            line = int(np.searchsorted(starts, at_char, side="right")) - 1
            candidates.add(line)
            at_char = joined.find(head, int(starts[line + 1]) if line + 1 < len(starts) else len(joined))
    for i in sorted(candidates):
        if best[i] != title:
            found = titles.get(_echo_key(texts[i]))
            if found is not None:
                best[i] = title
                confidence[i] = found


ORIGINAL_TITLE_CONFIDENCE = 0.97
"""Confidence of a line labelled meta because it opens with "原标题：" / "原题为《": of the
lines that do in training_data/, 30 of 30 are meta ((30 + 1) / (30 + 2) = 0.97)."""

_ORIGINAL_TITLE = re.compile(r"^[\s(（\[【*#>•·\-]*(?:原标题|原題|原题|原標題)\s*(?:[:：]|为《|為《)")


def original_titles_are_meta(best: np.ndarray, confidence: np.ndarray, texts: Sequence[str]) -> None:
    """Label meta, in place, the lines that give this article's original headline.

    LABELS.md makes ``原标题：…`` meta. Both passes called such lines body: a long
    headline after the two words looks like an article sentence, and the line sits at
    the edge of the article (dev: 14 of 15 such lines were body). The words leave no
    doubt, so this is a rule, not a feature.
    """
    meta = _LABEL_INDEX["meta"]
    for i, text in enumerate(texts):
        if "原" in text and best[i] != meta and _ORIGINAL_TITLE.match(text):
            best[i] = meta
            confidence[i] = ORIGINAL_TITLE_CONFIDENCE


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the log loss of out-of-fold probabilities."""
    from scipy.optimize import minimize_scalar  # training only: keeps it out of start-up

    logp = np.log(np.clip(probs, 1e-12, 1.0))

    def nll(t: float) -> float:
        p = _softmax(logp / t)
        return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0))))

    return float(minimize_scalar(nll, bounds=(0.3, 5.0), method="bounded").x)


def _fit_temperature_ece(probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature (on a grid) with the smallest calibration error.

    Used after smoothing: the log-loss fit there is pulled up by a few confident mistakes
    in the training pages' labels and left the dev pages under-confident (ECE 0.054).
    """
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    grid = np.round(np.arange(0.5, 4.0001, 0.05), 2)
    errors = []
    for t in grid:
        probs_t = _softmax(logp / t)
        best = decide(probs_t, whole_page=False)
        conf = probs_t[np.arange(len(best)), best]
        errors.append(calibration_error(conf.tolist(), (best == y).tolist()) or 0.0)
    return float(grid[int(np.argmin(errors))])


def _full_probs(model: Any, x: object) -> np.ndarray:
    """Probabilities for all eight labels from a scikit-learn model, even if a fold lacked a label."""
    p = model.predict_proba(x)
    out = np.zeros((p.shape[0], len(LABELS)), dtype=np.float64)
    out[:, np.asarray(model.classes_, dtype=int)] = p
    return out


class LineClassifier:
    """Labels the lines of a page. Follows scikit-learn's estimator conventions.

    Parameters are stored as given; everything learned ends in ``_``. Fitting uses
    scikit-learn; the fitted passes are kept as plain arrays (:class:`OneVsRestLinear`,
    :class:`TreeEnsemble`), so labelling needs numpy only.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        folds: int = 5,
        max_iter: int = 60,
        learning_rate: float = 0.25,
        max_leaf_nodes: int = 31,
        max_depth: int = MAX_DEPTH,
        l2_regularization: float = 1.0,
        calibrate: bool = True,
        calibration_exclude: str = "gen_*",
        real_weight: float = 3.0,
        smooth: bool = True,
        random_state: int = 0,
    ) -> None:
        self.alpha = alpha
        self.folds = folds
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.l2_regularization = l2_regularization
        self.calibrate = calibrate
        self.calibration_exclude = calibration_exclude
        self.real_weight = real_weight
        self.smooth = smooth
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------
    def _new_first(self) -> Any:
        from sklearn.linear_model import SGDClassifier

        # Logistic loss by stochastic gradient: twenty times faster than lbfgs on hashed
        # n-grams at the same pass-two score; pass two and the temperature calibrate it.
        return SGDClassifier(
            loss="log_loss", alpha=self.alpha, max_iter=30, tol=None, average=True, random_state=self.random_state
        )

    def _new_second(self) -> Any:
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            max_depth=self.max_depth,
            l2_regularization=self.l2_regularization,
            early_stopping=True,
            validation_fraction=0.1,
            n_iter_no_change=20,
            random_state=self.random_state,
        )

    @staticmethod
    def _first_matrix(datas: Sequence[PageData], mean: np.ndarray, scale: np.ndarray) -> Any:
        """Pass-one inputs of every non-blank line: [n-gram vector | scaled measures]."""
        from scipy import sparse

        blocks = []
        for d in datas:
            r, c, v = grams_matrix(d.distinct.grams)
            grams = sparse.csr_matrix((v, (r, c)), shape=(d.distinct.grams.n_lines, NGRAM_FEATURES))
            dense = sparse.csr_matrix((d.distinct.dense - mean) / scale)
            blocks.append(sparse.hstack([grams, dense], format="csr")[d.order])
        return sparse.vstack(blocks, format="csr")

    def fit(self, pages: Sequence[LabelledPage]) -> LineClassifier:
        """Fit both passes and the temperature on labelled pages."""
        from sklearn.model_selection import GroupKFold

        datas = [prepare(p.lines) for p in pages]
        ys = [np.array([_LABEL_INDEX[p.labels[i]] for i in d.rows], dtype=int) for p, d in zip(pages, datas)]
        groups = np.concatenate([np.full(len(y), k) for k, y in enumerate(ys)])
        y = np.concatenate(ys)
        dense = np.vstack([d.dense for d in datas]).astype(np.float64)
        mean = dense.mean(axis=0)
        scale = dense.std(axis=0) + 1e-6
        x1 = self._first_matrix(datas, mean, scale)
        # Pages not matching calibration_exclude are hand-labelled whole pages; composed
        # pages repeat their components, so the real ones count for more. Measured on
        # the dev pages: weight 3 took macro-F1 from 0.767 to 0.776 (argmax); training on
        # the hand pages alone fell to 0.743 and kept 53 spam lines.
        real = np.concatenate(
            [np.full(len(yk), not fnmatch(p.name, self.calibration_exclude)) for p, yk in zip(pages, ys)]
        )
        w = np.where(real, self.real_weight, 1.0)

        # Out-of-fold pass-one probabilities, folds grouped by page.
        oof = np.zeros((len(y), len(LABELS)))
        for k, (tr, te) in enumerate(GroupKFold(n_splits=self.folds).split(x1, y, groups)):
            logger.info("pass one, fold %d/%d", k + 1, self.folds)
            oof[te] = _full_probs(self._new_first().fit(x1[tr], y[tr], sample_weight=w[tr]), x1[te])
        self.first_ = OneVsRestLinear.from_sgd(self._new_first().fit(x1, y, sample_weight=w), len(LABELS), mean, scale)

        x2 = self._second_inputs(datas, oof)
        # Out-of-fold pass-two probabilities for the temperature and the model card.
        oof2 = np.zeros_like(oof)
        for k, (tr, te) in enumerate(GroupKFold(n_splits=min(3, self.folds)).split(x2, y, groups)):
            logger.info("pass two, fold %d/3", k + 1)
            oof2[te] = _full_probs(self._new_second().fit(x2[tr], y[tr], sample_weight=w[tr]), x2[te])
        second = self._new_second().fit(x2, y, sample_weight=w)
        self.second_ = TreeEnsemble.from_sklearn(second, depth=self.max_depth)
        self.second_classes_ = np.asarray(second.classes_, dtype=int)
        # Composed pages share components across folds, so their out-of-fold errors are
        # optimistic; the temperature is fitted on the other (hand-labelled) pages if any.
        calib = real if real.sum() >= MIN_CALIBRATION_LINES else np.ones_like(real)
        self.temperature_ = _fit_temperature(oof2[calib], y[calib]) if self.calibrate else 1.0
        calibrated = _softmax(np.log(np.clip(oof2, 1e-12, 1.0)) / self.temperature_)
        # The label chain, and a second temperature for the smoothed probabilities
        # (smoothing sharpens them), fitted on the same out-of-fold predictions.
        self.chain_ = LabelChain.fit(ys, len(LABELS), keep=_LABEL_INDEX["spam"]) if self.smooth else None
        smoothed = self._smooth_pages(calibrated, [len(yk) for yk in ys])
        fit_t2 = self.calibrate and self.smooth
        self.smooth_temperature_ = _fit_temperature_ece(smoothed[calib], y[calib]) if fit_t2 else 1.0
        self.oof_probs_ = _softmax(np.log(np.clip(smoothed, 1e-12, 1.0)) / self.smooth_temperature_)
        self.oof_true_ = y
        return self

    def _smooth_pages(self, probs: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
        if self.chain_ is None:
            return probs
        out, at = np.empty_like(probs), 0
        for n in sizes:
            out[at : at + n] = self.chain_.smooth(probs[at : at + n])
            at += n
        return out

    def _second_inputs(self, datas: Sequence[PageData], probs: np.ndarray) -> np.ndarray:
        out, at = [], 0
        for d in datas:
            n = len(d.rows)
            out.append(
                context_features(d.dense, probs[at : at + n].astype(np.float32), d.norms, d.blank_before, d.blank_after)
            )
            at += n
        return np.vstack(out) if out else np.zeros((0, 0), dtype=np.float32)

    # -- prediction -------------------------------------------------------------
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
        p1 = np.take(self.first_.predict_proba(data.distinct.grams, data.distinct.dense), data.order, axis=0)
        x2 = context_features(data.dense, p1.astype(np.float32), data.norms, data.blank_before, data.blank_after)
        logits = np.full((len(x2), len(LABELS)), -30.0)
        logits[:, self.second_classes_] = self.second_.raw_predict(x2)
        probs = _softmax(_log_softmax(logits) / self.temperature_)
        if self.chain_ is None:
            return data.rows, probs
        smoothed = self.chain_.smooth(probs)
        return data.rows, _softmax(np.log(np.minimum(np.maximum(smoothed, 1e-12), 1.0)) / self.smooth_temperature_)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
