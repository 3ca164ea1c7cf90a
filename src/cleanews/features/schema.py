"""The model contract: the names, widths and version of every input of both passes.

A saved model is a set of weights over columns; the columns are this code's. A model
whose columns are not this code's would read the wrong numbers without a word (the tree
walk indexes columns by position), so the contract is recorded in the model card when a
model is trained and checked when it is loaded and when it predicts.

Pass one reads a line's hashed n-grams and its measures; pass two reads the measures,
the first pass's probabilities and the page context (:mod:`cleanews.features.context`).
:data:`SCHEMA_VERSION` is bumped whenever what a column *means* changes without its name
changing (a new hash, a measure computed differently); names and widths are checked by
themselves.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

SCHEMA_VERSION = 4
"""Bumped whenever the features change meaning; a saved model with another version is refused."""


class SchemaMismatch(ValueError):
    """A model's inputs are not those of this code; the message says which and what to do."""


@dataclass(frozen=True)
class Schema:
    """Names and widths of the inputs of both passes, and the version of their meaning."""

    version: int
    pass_one: tuple[str, ...]
    pass_two: tuple[str, ...]
    ngram_buckets: int

    @property
    def widths(self) -> dict[str, int]:
        """Columns each pass reads (pass one: the n-gram buckets and the line measures)."""
        return {"pass_one": self.ngram_buckets + len(self.pass_one), "pass_two": len(self.pass_two)}

    @property
    def columns_sha256(self) -> str:
        """A hash of every column name of both passes, in order."""
        from cleanews.features.ngrams import NGRAM_BITS, ORDERS

        h = hashlib.sha256(f"ngrams: {self.ngram_buckets} buckets, orders {ORDERS}, {NGRAM_BITS} bits\n".encode())
        for part in (self.pass_one, self.pass_two):
            h.update(("\t".join(part) + "\n").encode())
        return h.hexdigest()

    def record(self) -> dict[str, Any]:
        """What the model card keeps of the contract."""
        return {"version": self.version, "widths": self.widths, "columns_sha256": self.columns_sha256}


def current_schema() -> Schema:
    """The contract of this code's features."""
    # Imported here: the model files import this module to check inputs, and need not
    # compile the feature patterns to load.
    from cleanews.data.labels import LABELS
    from cleanews.features.context import context_names
    from cleanews.features.measures import DENSE_NAMES
    from cleanews.features.ngrams import NGRAM_FEATURES

    return Schema(
        version=SCHEMA_VERSION,
        pass_one=DENSE_NAMES,
        pass_two=context_names(DENSE_NAMES, LABELS),
        ngram_buckets=NGRAM_FEATURES,
    )


RETRAIN = "retrain it with 'cleanews train' (or install the cleanews it was made with)"


def check_record(recorded: Mapping[str, Any] | None, what: str = "the model") -> None:
    """Refuse a recorded contract (from a model card) that is not this code's."""
    schema = current_schema()
    if not recorded:
        raise SchemaMismatch(f"{what} records no input schema (it predates schema version {SCHEMA_VERSION}); {RETRAIN}")
    if recorded.get("version") != schema.version:
        raise SchemaMismatch(
            f"{what} was trained with schema version {recorded.get('version')}, this cleanews uses "
            f"{schema.version}; {RETRAIN}"
        )
    check_widths(recorded.get("widths") or {}, what)
    if recorded.get("columns_sha256") != schema.columns_sha256:
        raise SchemaMismatch(f"{what} was trained on columns with other names than this cleanews computes; {RETRAIN}")


def check_widths(widths: Mapping[str, int], what: str = "the model") -> None:
    """Refuse input widths (per pass) that are not this code's, naming the pass that differs."""
    expected = current_schema().widths
    for name, width in expected.items():
        if widths.get(name) != width:
            raise SchemaMismatch(
                f"{what} reads {widths.get(name)} {name.replace('_', ' ')} columns, this cleanews computes "
                f"{width}; {RETRAIN}"
            )


def check_input(width: int, expected: int, name: str) -> None:
    """Refuse a feature matrix whose width is not what a fitted pass was trained on."""
    if width != expected:
        raise SchemaMismatch(
            f"the model's {name.replace('_', ' ')} was trained on {expected} columns and is given {width}: "
            f"the model and this cleanews disagree on the features; {RETRAIN}"
        )
