"""One page's non-blank lines and their features: the first step of both fitting and labelling.

Features are computed once per *distinct* line (menus and feeds repeat lines), and
mapped back to every line that has that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleanews.features.measures import LineFeatures, line_features
from cleanews.text.lines import Line, is_blank, normalise_many


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
