"""What the model sees of a line's surroundings: neighbours, blocks and the article core.

This is the second pass of the jusText idea, learned instead of hand-set: each line is
first classified alone, then revised from its neighbours' first-pass probabilities,
the shape of the lines around it, its place on the page and its distance to the
densest run of article-like lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from cleanews.features.measures import DENSE_NAMES

NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
"""Neighbours whose first-pass probabilities a line sees one by one."""

WINDOWS = (4, 12)
"""Half-widths of the windows whose mean probabilities a line sees."""

NEIGHBOUR_DENSE = ("log_len", "terminal_end", "md_link_share", "bullet", "headline_shape", "lead_space", "han_share")
"""Line measures copied from the nearest neighbours (:data:`NEIGHBOUR_DENSE_OFFSETS`)."""

NEIGHBOUR_DENSE_OFFSETS = (-2, -1, 1, 2)

_DENSE_AT = [DENSE_NAMES.index(name) for name in NEIGHBOUR_DENSE]
_LOG_LEN = DENSE_NAMES.index("log_len")
BODY = 0  # index of "body" in LABELS
TITLE = 1  # index of "title" in LABELS

PAGE_NAMES: tuple[str, ...] = (
    "position",
    "position_from_end",
    "log_page_lines",
    "in_core",
    "log_lines_before_core",
    "log_lines_after_core",
    "share_before_core",
    "share_after_core",
    "core_share",
    "log_repeats",
    "log_earlier_repeats",
    "blank_before",
    "blank_after",
    "log_len_vs_window",
    "title_offset",
    "holds_title",
    "log_echoes",
)
"""Per-line page measures (position, article core, repetition, title, echoes), in column order."""

ECHO_MIN, ECHO_MAX = 5, 60
"""Lines of this many characters are checked for echoes elsewhere on the page (a headline
reappears in breadcrumbs, "正在阅读" bars and share boxes; a menu item rarely does)."""

ECHO_MAX_LINES = 3000
"""Only this many lines are checked for echoes, so the check stays linear on huge pages."""


def _echoes(norms: Sequence[str], counts: Counter[str]) -> np.ndarray:
    """How many other lines contain each line's text (identical repeats excluded)."""
    joined = "\n".join(norms[:ECHO_MAX_LINES])
    out = np.zeros(len(norms), dtype=np.float32)
    seen: dict[str, int] = {}
    for i, s in enumerate(norms[:ECHO_MAX_LINES]):
        if ECHO_MIN <= len(s) <= ECHO_MAX:
            found = seen.get(s)
            if found is None:
                found = seen[s] = joined.count(s) - counts[s]
            out[i] = found
    return out


def _shift(matrix: np.ndarray, offset: int, fill: float = 0.0) -> np.ndarray:
    """Row i of the result is row i+offset of matrix (filled where out of range)."""
    out = np.full_like(matrix, fill)
    n = matrix.shape[0]
    if offset > 0 and offset < n:
        out[: n - offset] = matrix[offset:]
    elif offset < 0 and -offset < n:
        out[-offset:] = matrix[: n + offset]
    return out


def _window_mean(matrix: np.ndarray, half: int) -> np.ndarray:
    n = matrix.shape[0]
    csum = np.vstack([np.zeros((1, matrix.shape[1]), dtype=np.float64), np.cumsum(matrix, axis=0, dtype=np.float64)])
    at = np.arange(n)
    lo = np.maximum(at - half, 0)
    hi = np.minimum(at + half + 1, n)
    return ((csum[hi] - csum[lo]) / (hi - lo)[:, None]).astype(np.float32)


def _article_core(body_prob: np.ndarray, log_len: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of (P(body) - 0.5) weighted by length (Kadane)."""
    scores = (body_prob - 0.5) * log_len
    best, best_lo, best_hi = -np.inf, 0, -1
    run, run_lo = 0.0, 0
    for i, s in enumerate(scores.tolist()):
        if run <= 0:
            run, run_lo = s, i
        else:
            run += s
        if run > best:
            best, best_lo, best_hi = run, run_lo, i
    return best_lo, best_hi


def _repeats(norms: Sequence[str]) -> tuple[Counter[str], np.ndarray, np.ndarray]:
    """How often each line's text is on the page, and how often it was before the line."""
    counts = Counter(norms)
    seen: dict[str, int] = {}
    repeat = np.zeros(len(norms), dtype=np.float32)
    earlier = np.zeros(len(norms), dtype=np.float32)
    for i, s in enumerate(norms):
        repeat[i] = counts[s]
        earlier[i] = seen.get(s, 0)
        seen[s] = seen.get(s, 0) + 1
    return counts, repeat, earlier


def _title_place(probs: np.ndarray, norms: Sequence[str], pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's offset from the likeliest title line, and whether it holds that line's text."""
    title_at = int(np.argmax(probs[:, TITLE]))
    title_text = norms[title_at]
    holds_title = np.array(
        [
            1.0 if len(title_text) >= ECHO_MIN and i != title_at and title_text in s else 0.0
            for i, s in enumerate(norms)
        ],
        dtype=np.float32,
    )
    return pos - title_at, holds_title


def context_features(
    dense: np.ndarray,
    probs: np.ndarray,
    norms: Sequence[str],
    blank_before: np.ndarray,
    blank_after: np.ndarray,
) -> np.ndarray:
    """Second-pass features of every non-blank line of one page."""
    n = dense.shape[0]
    if n == 0:
        return np.zeros((0, context_width(dense.shape[1], probs.shape[1])), dtype=np.float32)
    parts: list[np.ndarray] = [dense, probs]
    for off in NEIGHBOUR_OFFSETS:
        parts.append(_shift(probs, off))
    for half in WINDOWS:
        parts.append(_window_mean(probs, half))
    sel = dense[:, _DENSE_AT]
    for off in NEIGHBOUR_DENSE_OFFSETS:
        parts.append(_shift(sel, off, fill=-1.0))
    pos = np.arange(n, dtype=np.float32)
    lo, hi = _article_core(probs[:, BODY], dense[:, _LOG_LEN])
    inside = ((pos >= lo) & (pos <= hi)).astype(np.float32)
    before = np.maximum(lo - pos, 0)
    after = np.maximum(pos - hi, 0)
    counts, repeat, earlier = _repeats(norms)
    core_len = max(hi - lo + 1, 0)
    offset, holds_title = _title_place(probs, norms, pos)
    page = np.column_stack(
        [
            pos / n,
            (n - 1 - pos) / n,
            np.full(n, np.log1p(n), dtype=np.float32),
            inside,
            np.log1p(before),
            np.log1p(after),
            before / n,
            after / n,
            np.full(n, core_len / n, dtype=np.float32),
            np.log1p(repeat),
            np.log1p(earlier),
            blank_before.astype(np.float32),
            blank_after.astype(np.float32),
            dense[:, _LOG_LEN] - _window_mean(dense[:, [_LOG_LEN]], 3)[:, 0],
            np.sign(offset) * np.log1p(np.abs(offset)),
            holds_title,
            np.log1p(np.maximum(_echoes(norms, counts), 0)),
        ]
    ).astype(np.float32)
    parts.append(page)
    return np.hstack(parts).astype(np.float32)


def context_names(dense_names: Sequence[str], labels: Sequence[str]) -> tuple[str, ...]:
    """The name of every column :func:`context_features` returns, in order."""
    names = list(dense_names) + [f"p1_{label}" for label in labels]
    names += [f"p1_{label}@{off:+d}" for off in NEIGHBOUR_OFFSETS for label in labels]
    names += [f"p1_{label}_mean{half}" for half in WINDOWS for label in labels]
    names += [f"{name}@{off:+d}" for off in NEIGHBOUR_DENSE_OFFSETS for name in NEIGHBOUR_DENSE]
    return (*names, *PAGE_NAMES)


def context_width(n_dense: int, n_labels: int) -> int:
    """Columns :func:`context_features` returns for this many line measures and labels."""
    neighbours = len(NEIGHBOUR_DENSE) * len(NEIGHBOUR_DENSE_OFFSETS)
    return n_dense + n_labels * (1 + len(NEIGHBOUR_OFFSETS) + len(WINDOWS)) + neighbours + len(PAGE_NAMES)
