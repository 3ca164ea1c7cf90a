"""The eight line labels of ``shared/LABELS.md`` and the label sets the tools use."""

from __future__ import annotations

LABELS: tuple[str, ...] = ("body", "title", "meta", "nav", "region", "links", "spam", "chrome")
"""Every non-blank line of a page gets exactly one of these."""

LABEL_INDEX: dict[str, int] = {label: i for i, label in enumerate(LABELS)}
"""Position of each label in :data:`LABELS` (the column of its probability)."""

BLANK = "-"
"""The label column of a blank line in a labelled page."""

DEFAULT_KEEP: frozenset[str] = frozenset({"body", "title"})
"""What :func:`cleanews.clean_page` keeps unless told otherwise: the article."""


def parse_labels(spec: str) -> frozenset[str]:
    """Parse a comma-separated label list such as ``"body,title,meta"``.

    Raises ValueError naming the unknown labels and listing the valid ones, so a
    typo on the command line gets an answer the user can act on.
    """
    wanted = {part.strip() for part in spec.split(",") if part.strip()}
    unknown = sorted(wanted - set(LABELS))
    if unknown:
        raise ValueError(f"unknown label(s) {', '.join(unknown)}; choose from {', '.join(LABELS)}")
    if not wanted:
        raise ValueError(f"no labels given; choose from {', '.join(LABELS)}")
    return frozenset(wanted)
