"""Hashed character 1-3-grams of a page's lines, computed for the whole page at once.

The lines are joined into one string and turned into an array of code points; every
n-gram's bucket is then a few numpy operations over that array, with no Python loop per
line or per n-gram. A line is wrapped in start and end marks (so "the line starts with
相关" is an n-gram of its own), lower-cased, and its digits folded to ``0`` (every date
looks alike). N-grams never cross from one line into the next.

A line's vector is its n-gram counts divided by the square root of its number of
n-grams, so long and short lines weigh alike. The hash is our own (a multiply-xorshift
mix of the code points): fixed, documented by this code, and free of scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleanews.text.chars import DIGIT, char_flags

NGRAM_BITS = 18
NGRAM_FEATURES = 2**NGRAM_BITS
"""Hash buckets for character n-grams: collisions are rare at this size, memory stays small."""

ORDERS = (1, 2, 3)

_START, _END, _SEP = 0x02, 0x03, 0x0A
_MULT = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)
_ORDER_SALT = (np.uint64(0x27D4EB2F165667C5), np.uint64(0x85EBCA77C2B2AE63), np.uint64(0xFF51AFD7ED558CCD))
_FINAL = np.uint64(0xC4CEB9FE1A85EC53)
_ZERO = ord("0")


@dataclass
class Grams:
    """The n-grams of some lines: for each order, the line of every n-gram and its bucket."""

    n_lines: int
    lines: tuple[np.ndarray, ...]  # per order: line index of each n-gram (non-decreasing)
    buckets: tuple[np.ndarray, ...]  # per order: bucket of each n-gram
    scale: np.ndarray  # per line: 1 / sqrt(number of n-grams of the line)


def _code_points(texts: Sequence[str]) -> np.ndarray:
    joined = "\x02" + "\x03\n\x02".join(texts).lower() + "\x03"
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    flags = char_flags(cps)
    cps[(flags & DIGIT) != 0] = _ZERO
    return cps


def page_grams(texts: Sequence[str]) -> Grams:
    """The n-grams of each text (texts must not contain ``\\n``)."""
    n_lines = len(texts)
    if n_lines == 0:
        empty = tuple(np.zeros(0, dtype=np.int64) for _ in ORDERS)
        return Grams(0, empty, empty, np.zeros(0))
    cps = _code_points(texts)
    sep = cps == _SEP
    line_of = np.cumsum(sep)  # line index of each position (a separator counts to the next line)
    lines_out, buckets_out = [], []
    total = np.zeros(n_lines, dtype=np.int64)
    size = len(cps)
    for order in ORDERS:
        span = size - order + 1
        mix = _ORDER_SALT[order - 1] + np.zeros(span, dtype=np.uint64)
        bad = np.zeros(span, dtype=bool)
        for j in range(order):
            mix = (mix ^ cps[j : j + span]) * _MULT[j]
            bad |= sep[j : j + span]
        keep = ~bad
        h = mix[keep]
        h ^= h >> np.uint64(31)
        h *= _FINAL
        h ^= h >> np.uint64(29)
        lines = line_of[:span][keep]
        lines_out.append(lines)
        buckets_out.append((h >> np.uint64(64 - NGRAM_BITS)).astype(np.int64))
        total += np.bincount(lines, minlength=n_lines)
    return Grams(n_lines, tuple(lines_out), tuple(buckets_out), 1.0 / np.sqrt(np.maximum(total, 1)))


def grams_dot(grams: Grams, weights: np.ndarray) -> np.ndarray:
    """Each line's n-gram vector times ``weights`` (buckets x outputs), without a sparse matrix."""
    out = np.zeros((grams.n_lines, weights.shape[1]), dtype=np.float64)
    if grams.n_lines == 0:
        return out
    for lines, buckets in zip(grams.lines, grams.buckets):
        if len(lines) == 0:
            continue
        starts = np.searchsorted(lines, np.arange(grams.n_lines))
        present = starts < len(lines)
        # np.take, not weights[buckets]: the same rows, gathered 2.5 times faster.
        sums = np.add.reduceat(np.take(weights, buckets, axis=0), np.minimum(starts, len(lines) - 1), axis=0)
        has = np.zeros(grams.n_lines, dtype=bool)
        has[lines] = True
        out[has & present] += sums[has & present]
    return out * grams.scale[:, None]


def grams_matrix(grams: Grams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values) of the lines' n-gram vectors, for building a sparse matrix."""
    rows = np.concatenate(grams.lines) if grams.n_lines else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(grams.buckets) if grams.n_lines else np.zeros(0, dtype=np.int64)
    return rows, cols, grams.scale[rows]
