"""Scores of predicted labels against gold labelled pages, as ``shared/bench/score.py`` counts.

Per-label precision/recall/F1, macro-F1 over the labels present, body-character
P/R/F1 (characters of stripped lines), a confusion matrix, the expected calibration
error over ten confidence bins, and how many spam lines were kept as article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleanews.data.labels import DEFAULT_KEEP, LABELS

CALIBRATION_BINS = 10


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Scores:
    """Everything one evaluation measures; ``as_dict`` gives the JSON form."""

    pages: int = 0
    lines: int = 0
    accuracy: float = 0.0
    macro_f1: float = 0.0
    body_char: dict[str, float] = field(default_factory=dict)
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    ece: float | None = None
    spam_lines: int = 0
    spam_kept: int = 0
    spans: dict[str, float] | None = None  # span characters P/R/F1 and clean characters cut

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "lines": self.lines,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "body_char": self.body_char,
            "per_label": self.per_label,
            "confusion": self.confusion,
            "ece": self.ece,
            "spam_lines": self.spam_lines,
            "spam_kept": self.spam_kept,
            "spans": self.spans,
        }


def calibration_error(
    confidences: Iterable[float], correct: Iterable[bool], bins: int = CALIBRATION_BINS
) -> float | None:
    """Expected calibration error: per equal-width confidence bin, the gap between mean
    confidence and accuracy, weighted by the bin's share of decisions (None if no decision)."""
    sums = [[0, 0.0, 0] for _ in range(bins)]
    for c, ok in zip(confidences, correct):
        b = sums[min(int(c * bins), bins - 1)]
        b[0] += 1
        b[1] += c
        b[2] += bool(ok)
    n = sum(b[0] for b in sums)
    return sum(abs(b[1] - b[2]) for b in sums if b[0]) / n if n else None


def score_lines(
    pages: Iterable[tuple[Sequence[str | None], Sequence[str | None], Sequence[float | None], Sequence[str]]],
) -> Scores:
    """Score pages given as (gold labels, predicted labels, confidences, line texts).

    Blank gold lines (``None``) are not scored.
    """
    conf: dict[str, Counter[str]] = defaultdict(Counter)
    chars = Counter[str]()
    decided: list[float] = []
    right: list[bool] = []
    spam_total = spam_kept = 0
    n_pages = 0
    for gold, pred, confidence, texts in pages:
        n_pages += 1
        for g, p, c, t in zip(gold, pred, confidence, texts):
            if g is None:
                continue
            p = p if p in LABELS else "none"
            conf[g][p] += 1
            w = len(t.strip())
            if g == "body" and p == "body":
                chars["tp"] += w
            elif p == "body":
                chars["fp"] += w
            elif g == "body":
                chars["fn"] += w
            if g == "spam":
                spam_total += 1
                spam_kept += p in DEFAULT_KEEP
            if c is not None:
                decided.append(c)
                right.append(p == g)
    total = sum(sum(c.values()) for c in conf.values())
    per_label: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = conf[label][label]
        fp = sum(conf[o][label] for o in conf if o != label)
        fn = sum(v for k, v in conf[label].items() if k != label)
        if tp + fp + fn:
            precision, recall, f1 = _prf(tp, fp, fn)
            per_label[label] = {"p": precision, "r": recall, "f1": f1, "support": tp + fn}
    present = [label for label, v in per_label.items() if v["support"]]
    ece = calibration_error(decided, right)
    bp, br, bf = _prf(chars["tp"], chars["fp"], chars["fn"])
    return Scores(
        pages=n_pages,
        lines=total,
        accuracy=sum(conf[label][label] for label in LABELS) / total if total else 0.0,
        macro_f1=sum(per_label[label]["f1"] for label in present) / len(present) if present else 0.0,
        body_char={"p": bp, "r": br, "f1": bf},
        per_label=per_label,
        confusion={g: dict(c) for g, c in conf.items()},
        ece=ece,
        spam_lines=spam_total,
        spam_kept=spam_kept,
    )


def _span_lines(spans: dict[str, float] | None) -> list[str]:
    if spans is None:
        return []
    return [
        f"spam spans (characters)  P {spans['p']:.3f}  R {spans['r']:.3f}  F1 {spans['f1']:.3f}"
        f"  gold {int(spans['gold_chars'])}   clean article characters cut {spans['clean_cut_frac']:.4%}"
    ]


def format_scores(s: Scores) -> str:
    """A human-readable report: headline figures, the per-label table and the confusion matrix."""
    b = s.body_char
    out = [
        f"pages {s.pages}  lines {s.lines}  accuracy {s.accuracy:.3f}  macro-F1 {s.macro_f1:.3f}",
        f"body chars  P {b['p']:.3f}  R {b['r']:.3f}  F1 {b['f1']:.3f}",
        f"calibration error (ECE, {CALIBRATION_BINS} bins) {s.ece:.3f}"
        if s.ece is not None
        else "calibration error n/a",
        f"spam lines {s.spam_lines}, kept as article {s.spam_kept}"
        + (f" ({s.spam_kept / s.spam_lines:.1%})" if s.spam_lines else ""),
        *_span_lines(s.spans),
        "",
        f"{'label':8s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>7s}",
    ]
    for label, v in s.per_label.items():
        out.append(f"{label:8s} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {int(v['support']):7d}")
    cols = [label for label in LABELS if any(label in row for row in s.confusion.values())]
    if any("none" in row for row in s.confusion.values()):
        cols.append("none")
    out += ["", "confusion (rows gold, columns predicted)", " " * 8 + "".join(f"{c[:6]:>7s}" for c in cols)]
    for g in LABELS:
        if g in s.confusion:
            out.append(f"{g:8s}" + "".join(f"{s.confusion[g].get(c, 0):7d}" for c in cols))
    return "\n".join(out)


def format_comparison(a: Scores, b: Scores, names: tuple[str, str]) -> str:
    """What changed from model A to model B on the same pages: headline figures, then label by label."""

    def row(what: str, x: float | None, y: float | None) -> str:
        if x is None or y is None:
            return f"{what:14s} {'n/a':>7s} {'n/a':>7s}"
        return f"{what:14s} {x:7.3f} {y:7.3f} {y - x:+7.3f}"

    out = [
        f"A: {names[0]}",
        f"B: {names[1]}",
        f"on {a.pages} pages, {a.lines} lines",
        "",
        f"{'':14s} {'A':>7s} {'B':>7s} {'B - A':>7s}",
        row("macro-F1", a.macro_f1, b.macro_f1),
        row("accuracy", a.accuracy, b.accuracy),
        row("body chars F1", a.body_char.get("f1"), b.body_char.get("f1")),
        row("ECE", a.ece, b.ece),
        f"{'spam kept':14s} {a.spam_kept:7d} {b.spam_kept:7d} {b.spam_kept - a.spam_kept:+7d}",
        "",
        f"{'F1 by label':14s} {'A':>7s} {'B':>7s} {'B - A':>7s} {'n':>7s}",
    ]
    for label in a.per_label:
        fa, fb = a.per_label[label]["f1"], b.per_label.get(label, {}).get("f1", 0.0)
        out.append(f"{row(label, fa, fb)} {int(a.per_label[label]['support']):7d}")
    return "\n".join(out)
