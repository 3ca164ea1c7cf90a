"""Start-up: what cleaning a page imports, the model file reader, the lazily filled flag table."""

from __future__ import annotations

import pickle
import subprocess
import sys
import unicodedata
from pathlib import Path

import joblib
import numpy as np
import pytest

import cleanews
from cleanews.model.arrays import read_joblib
from cleanews.model.store import ModelError, load_model
from cleanews.text import chars

from .conftest import SEEDS


def test_cleaning_a_page_imports_neither_training_code_nor_joblib() -> None:
    """Start-up is most of cleaning one page: nothing heavy that labelling does not need."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    code = (
        "import sys; from cleanews.cli import app; "
        f"app(['clean', {str(seed)!r}], standalone_mode=False); "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('joblib', 'sklearn', 'scipy', 'rich', 'pydantic')"
        " or m.startswith('cleanews.training')); "
        "print(heavy, file=sys.stderr); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout  # the page's article was written


def test_public_names_still_import_from_the_package() -> None:
    for name in cleanews.__all__:
        assert getattr(cleanews, name) is not None
    assert cleanews.model.store.load_model is cleanews.load_model  # sub-packages, as before
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cleanews.nope  # noqa: B018


ARRAYS = {
    "c": np.arange(24, dtype=np.float32).reshape(2, 3, 4),
    "fortran": np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4)),
    "big_endian": np.arange(5, dtype=">f8"),
    "scalar": np.array(3.5),
    "empty": np.zeros((0, 8)),
    "bool": np.array([True, False, True]),
    "nested": [np.ones(3, dtype=np.int64), {"x": np.full((2, 2), 7, dtype=np.uint16)}],
}


@pytest.mark.parametrize("compress", [0, 3])
def test_model_file_reader_reads_what_joblib_writes(tmp_path: Path, compress: int) -> None:
    path = tmp_path / "arrays.joblib"
    joblib.dump({"arrays": ARRAYS, "text": "标题", "n": 3}, path, compress=compress)
    ours, theirs = read_joblib(path.read_bytes()), joblib.load(path)
    assert ours.keys() == theirs.keys() and ours["text"] == "标题"
    for name in ("c", "fortran", "big_endian", "scalar", "empty", "bool"):
        a, b = ours["arrays"][name], theirs["arrays"][name]
        assert a.dtype == b.dtype and a.shape == b.shape and a.dtype.isnative
        np.testing.assert_array_equal(a, b)
        assert a.flags.writeable
    np.testing.assert_array_equal(ours["arrays"]["nested"][1]["x"], ARRAYS["nested"][1]["x"])


def test_a_model_in_another_compression_is_refused_with_advice(tmp_path: Path) -> None:
    shipped = load_model()
    other = tmp_path / "gzip.joblib"
    payload = {"format": "cleanews-model", "feature_version": 0, "card": {}, "classifier": None}
    joblib.dump(payload, other, compress=("gzip", 3))
    with pytest.raises(ModelError, match="re-save the model"):
        load_model(other)
    assert shipped.classifier is not None


def test_object_arrays_and_foreign_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "objects.joblib"
    joblib.dump({"a": np.array([1, "x"], dtype=object)}, path)
    with pytest.raises(pickle.UnpicklingError, match="Python objects"):
        read_joblib(path.read_bytes())
    with pytest.raises(pickle.UnpicklingError, match="not a pickle"):
        read_joblib(b"not a pickle")


def test_flag_table_filled_on_demand_equals_the_unicode_database() -> None:
    cps = np.arange(0x10000)
    got = chars.char_flags(cps)
    for cp in range(0, 0x10000, 7):  # a sample of the plane, every block touched
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        assert bool(got[cp] & chars.DIGIT) == ch.isdecimal(), hex(cp)
        assert bool(got[cp] & chars.PUNCT) == (unicodedata.category(ch)[0] in "PS"), hex(cp)
    assert not (got & chars.UNKNOWN).any()
    assert chars.char_flags(np.array([0x20000, 0x1F600]))[0] & chars.HAN
