"""The span model: finds injected spam strings inside lines that the line model keeps.

Fitting: the windows the gate opens on each training page are tagged character by
character from the page's ``+spam:`` marks; a cheap prefilter (:mod:`cleanews.spans.prefilter`)
is fitted on all of them, and a CRF (sklearn-crfsuite) on those the prefilter passes;
out-of-fold fits (folds grouped by page) give the spans a calibration (isotonic, from the
mean spam marginal of a span to how often such a span is spam) and the card its
scores; then one CRF is fitted on all windows and kept as arrays. Predicting: the gate
opens windows, the prefilter drops most, the CRF tags the rest (Viterbi), runs of spam
tags become spans, trimmed of spaces and punctuation at their edges. Only the lines the
line model labels as the article or its byline (``read_labels``) are read: a span in a
menu or a footer goes with its line, and reading every line would cost more than
labelling the page (``benchmarks/README.md``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleanews.data.labelled import span_offsets
from cleanews.spans import words as jieba_words
from cleanews.spans.candidates import windows
from cleanews.spans.crf import ChainWeights
from cleanews.spans.features import LineContext, page_repeats, window_features
from cleanews.spans.prefilter import Prefilter
from cleanews.spans.span import Span

logger = logging.getLogger(__name__)

EDGE = " \u3000\t,，、。.;；:：!！?？·•|｜-—~～\"'“”‘’()（）[]【】「」《》〔〕『』<>＜＞"
"""What a span never starts or ends with (LABELS.md: the smallest string, not the punctuation around it)."""

MIN_SPAN_CHARS = 2


@dataclass(frozen=True)
class PageView:
    """One page as the span model sees it: line texts, the line model's labels (None when
    blank) and spam probabilities, and (when training) the gold span texts of each line."""

    texts: Sequence[str]
    labels: Sequence[str | None]
    spam: Sequence[float]
    gold: Sequence[Sequence[str]] = ()


@dataclass
class Window:
    row: int
    start: int
    end: int
    label: str
    features: list[list[str]] | None = None


class SpanModel:
    """Finds spam spans inside lines. scikit-learn conventions: parameters as given, learned
    attributes end in ``_``; fitting needs sklearn-crfsuite, predicting numpy and jieba."""

    def __init__(
        self,
        c1: float = 0.05,
        c2: float = 0.01,
        max_iterations: int = 150,
        folds: int = 3,
        min_confidence: float = 0.5,
        prefilter_recall: float = 0.97,
        read_labels: tuple[str, ...] = ("body", "title", "meta"),
    ) -> None:
        self.prefilter_recall = prefilter_recall
        self.read_labels = read_labels
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.folds = folds
        self.min_confidence = min_confidence

    # -- windows --------------------------------------------------------------
    def _windows(self, page: PageView, learned: tuple[str, ...], every: bool = False) -> list[Window]:
        """The gate's windows of a page, without features yet: in the lines of
        ``read_labels``, or (``every``, for training) in every line not labelled spam."""
        read = set(self.read_labels)
        skip = [lab is None or lab == "spam" or not (every or lab in read) for lab in page.labels]
        found = windows(page.texts, skip, learned)
        return [
            Window(row, s, e, page.labels[row] or "-") for row, stretches in sorted(found.items()) for s, e in stretches
        ]

    def _featurise(self, page: PageView, ws: Sequence[Window], learned: tuple[str, ...]) -> None:
        if not ws:
            return
        repeats = page_repeats([page.texts[r] for r in sorted({w.row for w in ws})])
        for w in ws:
            ctx = LineContext(w.label, float(page.spam[w.row]), repeats)
            w.features = window_features(page.texts[w.row], w.start, w.end, ctx, learned)

    def _passing(self, page: PageView, ws: list[Window]) -> list[Window]:
        """The windows the prefilter lets through to the CRF, with their features."""
        if not ws:
            return []
        scores = self.prefilter_.window_scores([page.texts[w.row][w.start : w.end] for w in ws], [w.label for w in ws])
        keep = [w for w, sc in zip(ws, scores.tolist()) if sc >= self.prefilter_.threshold]
        self._featurise(page, keep, self.learned_)
        return keep

    # -- fitting --------------------------------------------------------------
    def fit(self, pages: Sequence[PageView]) -> SpanModel:
        """Fit the CRF, its calibration and the learned gate words on training pages."""
        from sklearn.model_selection import GroupKFold

        self.learned_ = learn_gate_words(pages)
        # Both passes learn from the windows of every line not labelled spam (menus and
        # footers hold most of the training spans); prediction reads read_labels only.
        data = [(k, w, _tags(p, w)) for k, p in enumerate(pages) for w in self._windows(p, self.learned_, True)]
        if not any(t.any() for _, _, t in data):
            raise ValueError("no spam span inside the gate's windows of the training pages; mark spans with +spam:")
        self.prefilter_ = Prefilter.fit(
            [pages[k].texts[w.row][w.start : w.end] for k, w, _ in data],
            [w.label for _, w, _ in data],
            [t for _, _, t in data],
            self.prefilter_recall,
        )
        for k, p in enumerate(pages):
            self._featurise(p, [w for j, w, _ in data if j == k], self.learned_)
        groups = np.array([k for k, _, _ in data])
        oof_scores: list[float] = []
        oof_hits: list[float] = []
        folds = min(self.folds, len(set(groups.tolist())))
        counts: Counter[str] = Counter()
        if folds >= 2:
            for tr, te in GroupKFold(n_splits=folds).split(groups, groups=groups):
                weights = self._fit_crf([data[i] for i in tr.tolist()])
                for i in te.tolist():
                    _, w, tags = data[i]
                    for s, e, score in _decode(weights, w.features or [], pages[data[i][0]].texts[w.row], w.start):
                        gold = tags[s - w.start : e - w.start]
                        oof_scores.append(score)
                        oof_hits.append(float(gold.mean()))
                    counts.update(_char_counts(weights, w, tags))
        self.calibration_ = _isotonic(np.array(oof_scores), np.array(oof_hits))
        self.oof_ = dict(_prf(counts), windows=len(data), spans=len(oof_scores), folds=folds)
        self.weights_ = self._fit_crf(data)
        return self

    def _fit_crf(self, data: Sequence[tuple[int, Window, np.ndarray]]) -> ChainWeights:
        import sklearn_crfsuite

        crf = sklearn_crfsuite.CRF(
            algorithm="lbfgs", c1=self.c1, c2=self.c2, max_iterations=self.max_iterations, all_possible_transitions=True
        )
        crf.fit([w.features or [] for _, w, _ in data], [["S" if t else "O" for t in tags] for _, _, tags in data])
        return ChainWeights.from_crfsuite(crf)

    # -- predicting -----------------------------------------------------------
    def predict_page(self, page: PageView) -> list[tuple[Span, ...]]:
        """The spans of each line of a page (empty for most lines)."""
        out: list[tuple[Span, ...]] = [()] * len(page.texts)
        found: dict[int, list[Span]] = {}
        for w in self._passing(page, self._windows(page, self.learned_)):
            line = page.texts[w.row]
            for s, e, score in _decode(self.weights_, w.features or [], line, w.start):
                confidence = float(np.interp(score, *self.calibration_))
                if confidence >= self.min_confidence:
                    found.setdefault(w.row, []).append(Span(s, e, confidence, line[s:e]))
        for row, spans in found.items():
            out[row] = tuple(spans)
        return out


def _decode(weights: ChainWeights, features: list[list[str]], line: str, offset: int) -> list[tuple[int, int, float]]:
    """Spans (line offsets) of one window and the mean spam marginal over each."""
    if not features:
        return []
    em = weights.emissions(features)
    path = weights.viterbi(em)
    if not path.any():
        return []
    marg = weights.marginals(em)[:, 1]
    out = []
    for s, e in _runs(path):
        s, e = _trim(line, offset + s, offset + e)
        if e - s >= MIN_SPAN_CHARS:
            out.append((s, e, float(marg[s - offset : e - offset].mean())))
    return out


def _runs(path: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate([[0], path, [0]])
    edges = np.diff(padded)
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def _trim(line: str, s: int, e: int) -> tuple[int, int]:
    while s < e and line[s] in EDGE:
        s += 1
    while e > s and line[e - 1] in EDGE:
        e -= 1
    return s, e


def _tags(page: PageView, w: Window) -> np.ndarray:
    tags = np.zeros(w.end - w.start, dtype=bool)
    for s, e in span_offsets(page.texts[w.row], page.gold[w.row] if page.gold else ()):
        lo, hi = max(s, w.start), min(e, w.end)
        if lo < hi:
            tags[lo - w.start : hi - w.start] = True
    return tags


def _char_counts(weights: ChainWeights, w: Window, tags: np.ndarray) -> Counter[str]:
    pred = weights.viterbi(weights.emissions(w.features or [])).astype(bool)
    return Counter(tp=int((pred & tags).sum()), fp=int((pred & ~tags).sum()), fn=int((~pred & tags).sum()))


def _prf(c: Counter[str]) -> dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _isotonic(scores: np.ndarray, hits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Thresholds of an increasing fit from span score to the share of it that is spam."""
    if len(scores) < 10:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, hits)
    return np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64)


def learn_gate_words(pages: Sequence[PageView], min_lines: int = 3, purity: float = 0.8) -> tuple[str, ...]:
    """jieba words of the training spans that occur almost only inside spans: the gate
    opens on them too (the hand list cannot know every trade's words)."""
    inside: Counter[str] = Counter()
    for p in pages:
        for line, texts in zip(p.texts, p.gold or ()):
            for span in set(texts):
                n = line.count(span)
                for w in jieba_words.segment(span):
                    if len(w) >= 2 and not w.isdigit():
                        inside[w] += n * span.count(w)
    candidates = [w for w, n in inside.items() if n >= min_lines]
    if not candidates:
        return ()
    everywhere = "\n".join(t for p in pages for t in p.texts)
    kept = [w for w in candidates if inside[w] / max(1, everywhere.count(w)) >= purity]
    return tuple(sorted(kept))
