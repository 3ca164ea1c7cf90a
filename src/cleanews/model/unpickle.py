"""Reading a model file without running code from it: a restricted joblib unpickler.

A pickle is a program: any file given to ``--model`` could name ``os.system`` and have
it called while loading. A cleanews model holds only numpy arrays, builtins and a few
cleanews classes, so the unpickler admits exactly those names and refuses any other
*when the name is looked up*, which comes before the object would be built or called.
joblib's nested pickles (arrays of Python objects) look names up through this same
unpickler, so they are held to the same list.

What this does not promise: a file made only of admitted types can still hold weights
that label pages badly, or arrays large enough to exhaust memory. Use model files you
made or trust (see the README, "Which model files to trust").
"""

from __future__ import annotations

import io
import logging
import pickle
from typing import Any

from joblib.numpy_pickle import NumpyUnpickler
from joblib.numpy_pickle_utils import _validate_fileobject_and_memmap

logger = logging.getLogger(__name__)

MODEL_CLASSES: frozenset[str] = frozenset(
    {
        "cleanews.model.chain.LabelChain",
        "cleanews.model.classifier.LineClassifier",
        "cleanews.model.linear.OneVsRestLinear",
        "cleanews.model.trees.TreeEnsemble",
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
    "joblib.numpy_pickle.NumpyArrayWrapper",
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


class RestrictedUnpickler(NumpyUnpickler):
    """joblib's unpickler (numpy arrays stored beside the pickle), limited to :data:`ALLOWED`."""

    dispatch = NumpyUnpickler.dispatch.copy()

    def find_class(self, module: str, name: str) -> Any:
        full = f"{module}.{name}"
        if full not in ALLOWED:
            raise RefusedGlobal(full)
        return super().find_class(module, name)


def load_restricted(data: bytes, source: str) -> Any:
    """The object pickled (by joblib, any of its compressions) in ``data``.

    Raises :class:`RefusedGlobal` for a name outside :data:`ALLOWED`, and whatever a
    broken or foreign file makes joblib raise otherwise.
    """
    with _validate_fileobject_and_memmap(io.BytesIO(data), source, None) as (fobj, _):
        if isinstance(fobj, str):  # joblib < 0.10 kept arrays in side files: not a cleanews model
            raise pickle.UnpicklingError("an old joblib format (before 0.10)")
        return RestrictedUnpickler(source, fobj, ensure_native_byte_order=True).load()
