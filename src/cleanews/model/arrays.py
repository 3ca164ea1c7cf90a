"""Reading the model files joblib writes, without importing joblib.

``cleanews clean`` on one page is mostly start-up, and importing joblib (its process
pools, caching, asyncio) was a third of that. A model file is a pickle in which each
numpy array is a small ``NumpyArrayWrapper`` record followed by the array's raw bytes,
the whole either plain or zlib-compressed (``joblib.dump(..., compress=0)`` and
``compress=3``, the two ways cleanews has saved models). This module reads exactly
those; writing stays with joblib, at training time.

:class:`ArrayUnpickler` resolves globals like :class:`pickle.Unpickler`; a loader that
must admit only some types overrides :meth:`~pickle.Unpickler.find_class`, and the
arrays' own record goes through it too.
"""

from __future__ import annotations

import io
import logging
import pickle
import zlib
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

WRAPPER = ("joblib.numpy_pickle", "NumpyArrayWrapper")
"""The global under which joblib records an array in the pickle."""

_ZLIB_MAGIC = b"\x78"  # a zlib stream, as joblib's compress=1..9 writes it by default
_PICKLE_MAGIC = b"\x80"  # an uncompressed pickle (protocol 2 or later)


class ArrayRecord:
    """What joblib records of an array (shape, order, dtype, padding); the bytes follow it."""

    shape: tuple[int, ...]
    order: str
    dtype: np.dtype
    numpy_array_alignment_bytes: int | None = None

    def read(self, fh: io.BufferedIOBase) -> np.ndarray:
        """The array whose bytes come next in ``fh`` (a writable array in native byte order)."""
        if self.dtype.hasobject:
            raise pickle.UnpicklingError("an array of Python objects, which a cleanews model never holds")
        if self.numpy_array_alignment_bytes is not None:  # joblib >= 1.2: one length byte, then padding
            pad = fh.read(1)
            if pad and pad[0]:
                fh.read(pad[0])
        count = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        data = bytearray(count * self.dtype.itemsize)
        if fh.readinto(data) != len(data):
            raise pickle.UnpicklingError("the file ends inside an array")
        flat = np.frombuffer(data, dtype=self.dtype, count=count)
        array = flat.reshape(self.shape[::-1]).T if self.order == "F" else flat.reshape(self.shape)
        if not array.dtype.isnative:
            array = array.astype(array.dtype.newbyteorder("="))
        return array


_PurePythonUnpickler: Any = pickle._Unpickler  # typeshed knows it only as the C Unpickler


class ArrayUnpickler(_PurePythonUnpickler):
    """The pure-Python unpickler, which also reads the bytes of each array after its record.

    (The C unpickler reads ahead of the pickle, so the bytes between records could not be
    found there; joblib itself uses the pure-Python one for the same reason.)
    """

    dispatch = _PurePythonUnpickler.dispatch.copy()

    def __init__(self, file: io.BufferedIOBase) -> None:
        super().__init__(file)
        self.file_handle = file

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == WRAPPER:
            return ArrayRecord
        return super().find_class(module, name)

    def load_build(self) -> None:
        super().load_build()
        if isinstance(self.stack[-1], ArrayRecord):
            self.stack[-1] = self.stack[-1].read(self.file_handle)

    dispatch[pickle.BUILD[0]] = load_build


def read_joblib(data: bytes, unpickler: type[ArrayUnpickler] = ArrayUnpickler) -> Any:
    """The object pickled in the bytes of a joblib file (uncompressed, or zlib as cleanews writes).

    Raises :class:`pickle.UnpicklingError` for another compression or what is not a pickle.
    """
    if data.startswith(_ZLIB_MAGIC):
        try:
            data = zlib.decompress(data)
        except zlib.error as exc:
            raise pickle.UnpicklingError(f"a broken zlib stream ({exc})") from None
    elif not data.startswith(_PICKLE_MAGIC):
        raise pickle.UnpicklingError(
            "not a pickle joblib writes with compress=0 or zlib; re-save the model with 'cleanews train'"
        )
    return unpickler(io.BytesIO(data)).load()
