"""Reading a model file without running code from it: a restricted joblib unpickler.

A pickle is a program: any file given to ``--model`` could name ``os.system`` and have
it called while loading. A cleanews model holds only numpy arrays, builtins and a few
cleanews classes, so the unpickler admits exactly those names and refuses any other
*when the name is looked up*, which comes before the object would be built or called.
Arrays of Python objects (which joblib stores as a nested pickle) are refused outright
by the array reader (:mod:`cleanews.model.arrays`), which this unpickler extends.

What this does not promise: a file made only of admitted types can still hold weights
that label pages badly, or arrays large enough to exhaust memory. Use model files you
made or trust (see the README, "Which model files to trust").
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

from cleanews.model.arrays import WRAPPER, ArrayUnpickler, read_joblib

logger = logging.getLogger(__name__)

MODEL_CLASSES: frozenset[str] = frozenset(
    {
        "cleanews.model.chain.LabelChain",
        "cleanews.model.classifier.LineClassifier",
        "cleanews.model.linear.OneVsRestLinear",
        "cleanews.model.trees.TreeEnsemble",
        "cleanews.spans.crf.ChainWeights",
        "cleanews.spans.model.SpanModel",
        "cleanews.spans.prefilter.Prefilter",
    }
)
"""cleanews's own classes that a model file may hold, as ``module.QualName``. A new class
stored in models (plain attributes: arrays, numbers, strings, builtins) is added here."""

_NUMPY = ("numpy.core", "numpy._core")
ALLOWED: frozenset[str] = MODEL_CLASSES | {
    # containers pickle names for (the rest: str, bytes, numbers, None have their own opcodes)
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.slice",
    "builtins.complex",
    # arrays, as joblib and numpy 1.x/2.x pickle them
    ".".join(WRAPPER),
    "numpy.ndarray",
    "numpy.dtype",
    *(f"{core}.multiarray._reconstruct" for core in _NUMPY),
    *(f"{core}.multiarray.scalar" for core in _NUMPY),
    *(f"{core}.numeric._frombuffer" for core in _NUMPY),
}
"""Every global a model file may name. Nothing outside this set is imported or called."""


class RefusedGlobal(pickle.UnpicklingError):
    """The file names a global outside :data:`ALLOWED`; nothing of it was called."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class RestrictedUnpickler(ArrayUnpickler):
    """The array-reading unpickler of :mod:`cleanews.model.arrays`, limited to :data:`ALLOWED`."""

    def find_class(self, module: str, name: str) -> Any:
        full = f"{module}.{name}"
        if full not in ALLOWED:
            raise RefusedGlobal(full)
        return super().find_class(module, name)


def load_restricted(data: bytes) -> Any:
    """The object pickled in the bytes of a model file (as joblib writes them).

    Raises :class:`RefusedGlobal` for a name outside :data:`ALLOWED`, and
    :class:`pickle.UnpicklingError` (or what a broken pickle raises) otherwise.
    """
    return read_joblib(data, RestrictedUnpickler)
