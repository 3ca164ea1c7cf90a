"""From label probabilities to decisions: the costs of mistakes, then what LABELS.md says.

The model gives each line calibrated probabilities; these functions turn them into one
label per line. First by cost (:func:`decide`: keeping spam is the costly mistake, a
news page has a headline), then by two rules of LABELS.md that the model misses and the
text settles (:func:`echo_titles`, :func:`original_titles_are_meta`).
:func:`decide_page` does all of it for one page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from cleanews.data.labels import DEFAULT_KEEP, LABEL_INDEX
from cleanews.features.measures import JoinedLines

SPAM_DECISION_WEIGHT = 3.0
"""How much more a kept spam line costs than a dropped article line. When the likeliest
label of a line is one that is kept by default (body, title), the line is labelled spam
instead if its spam probability times this weight is larger: keeping spam is the costly
mistake, and only a kept label can make it. Other decisions (spam or links? spam or
nav?) stay plain argmax. The confidence reported is still the probability of the label
given. 3 keeps spam under the 2% target with a margin (benchmarks/README.md, "Why the
constants are what they are")."""

TITLE_PROMOTION = 0.1
"""A news page has a headline. When no line of a page is labelled title, the line most
likely to be the title becomes title if its title probability is at least this (its
confidence stays that probability, so it is low)."""

BODY_PROMOTION = 0.05
"""A news page has an article. When no line of a page is labelled body, the lines most
likely to be body become body: every line whose body probability is at least half the
page's highest, if that highest is at least this (their confidences stay those
probabilities, so they are low and say so). A page whose article is unlike any the
model has seen (a gallery, a short notice, a post of image captions) otherwise loses
it whole; measured effect in ``benchmarks/README.md``."""

BODY_PROMOTION_SHARE = 0.5
"""Lines within this share of the page's highest body probability are promoted with it."""

_KEPT = np.array([LABEL_INDEX[label] for label in sorted(DEFAULT_KEEP)])


def decide(probs: np.ndarray, whole_page: bool = True) -> np.ndarray:
    """The label index of each row of probabilities: spam preferred over a kept label as
    :data:`SPAM_DECISION_WEIGHT` says and, when the rows are one whole page, the title
    and the article promoted as :data:`TITLE_PROMOTION` and :data:`BODY_PROMOTION` say."""
    best = probs.argmax(axis=1)
    rows = np.arange(len(best))
    spam = LABEL_INDEX["spam"]
    kept = np.isin(best, _KEPT)
    best[kept & (probs[:, spam] * SPAM_DECISION_WEIGHT > probs[rows, best])] = spam
    title = LABEL_INDEX["title"]
    if whole_page and len(best) and not (best == title).any():
        likely = int(probs[:, title].argmax())
        if probs[likely, title] >= TITLE_PROMOTION:
            best[likely] = title
    if whole_page and len(best):
        _promote_body(probs, best)
    return best


def _promote_body(probs: np.ndarray, best: np.ndarray) -> None:
    """Give a page with no body line its likeliest article lines, as :data:`BODY_PROMOTION` says."""
    body = LABEL_INDEX["body"]
    if (best == body).any():
        return
    top = float(probs[:, body].max())
    if top < BODY_PROMOTION:
        return
    promote = (probs[:, body] >= BODY_PROMOTION_SHARE * top) & (best != LABEL_INDEX["title"])
    best[promote] = body


TITLE_ECHO_MIN_CHARS = 6
"""A line whose text (without bullets, heading marks, a markdown link around it and
spaces) is that of a line labelled title, and at least this long, is labelled title too:
LABELS.md makes the headline title wherever it repeats (breadcrumb ends, "正在阅读" bars,
share boxes), and a repeat out of context looks like its neighbours to the model."""

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
    title = LABEL_INDEX["title"]
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
    # (found by one search of the joined page, not line by line) are looked at.
    heads = re.compile("|".join(sorted({re.escape(key[:4]) for key in titles})))
    for i in np.flatnonzero(JoinedLines(texts).counts(heads)).tolist():
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
    meta = LABEL_INDEX["meta"]
    for i, text in enumerate(texts):
        if "原" in text and best[i] != meta and _ORIGINAL_TITLE.match(text):
            best[i] = meta
            confidence[i] = ORIGINAL_TITLE_CONFIDENCE


def decide_page(probs: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Label index and confidence of each non-blank line of one page (rows of ``probs``,
    lines ``texts``): :func:`decide`, then the rules of LABELS.md."""
    best = decide(probs)
    confidence = probs[np.arange(len(best)), best]
    original_titles_are_meta(best, confidence, texts)
    echo_titles(best, confidence, texts)
    return best, confidence
