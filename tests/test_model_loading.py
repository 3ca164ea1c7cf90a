"""Model files are not trusted code: the restricted loader, and files replaced mid-run."""

from __future__ import annotations

import importlib
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
from typer.testing import CliRunner

from cleanews.cli import app
from cleanews.features.measures import FEATURE_VERSION
from cleanews.model import unpickle
from cleanews.model.store import ModelError, load_model, save_model

from .conftest import SEEDS


class CreatesAFile:
    """Unpickling this calls os.system: what a crafted model file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def _payload(evil: object) -> dict[str, object]:
    return {"format": "cleanews-model", "feature_version": FEATURE_VERSION, "card": {}, "classifier": evil}


@pytest.fixture(params=["bare", "inside a model payload", "inside an object array", "compressed"])
def malicious(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.joblib"
    evil = CreatesAFile(marker)
    kind = request.param
    if kind == "bare":
        joblib.dump(evil, path)
    elif kind == "inside a model payload":
        joblib.dump(_payload(evil), path)
    elif kind == "inside an object array":  # joblib pickles object arrays as a nested stream
        joblib.dump(_payload(np.array([1, evil], dtype=object)), path)
    else:
        joblib.dump(_payload(evil), path, compress=3)
    return path, marker


def test_the_malicious_files_do_run_code_when_unpickled_plainly(malicious: tuple[Path, Path]) -> None:
    """The control: each file really creates the file when loaded by plain joblib."""
    path, marker = malicious
    joblib.load(path)
    assert marker.exists()


def test_a_malicious_model_is_refused_and_runs_nothing(malicious: tuple[Path, Path]) -> None:
    path, marker = malicious
    with pytest.raises(ModelError, match="never holds") as caught:
        load_model(path)
    message = str(caught.value)
    assert str(path) in message
    # An object array is refused as such before its nested pickle is read; anything
    # else is refused by the name it asks for.
    assert "an array of Python objects" in message or (
        re.search(r"(posix|os)\.system", message) and "refused before anything was built" in message
    )
    assert not marker.exists()


def test_the_command_refuses_a_malicious_model_by_option_and_by_environment(
    malicious: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, marker = malicious
    page = tmp_path / "page.txt"
    page.write_text("正文第一段。\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["clean", str(page), "--model", str(path)])
    assert result.exit_code == 3 and "never holds" in result.stderr and "Traceback" not in result.stderr
    monkeypatch.setenv("CLEANEWS_MODEL", str(path))
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 3 and "never holds" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    "name", ["builtins.eval", "builtins.getattr", "subprocess.Popen", "cleanews.model.store.load_model"]
)
def test_any_name_off_the_list_is_refused(tmp_path: Path, name: str) -> None:
    module, attr = name.rsplit(".", 1)
    # a GLOBAL opcode naming the callable, then a call: refused at the name
    raw = b"\x80\x02" + f"c{module}\n{attr}\n(S'1'\ntR.".encode()
    path = tmp_path / "bad.joblib"
    path.write_bytes(raw)
    with pytest.raises(ModelError, match=name.replace(".", r"\.")):
        load_model(path)


def test_every_admitted_name_exists_and_the_shipped_model_needs_no_other() -> None:
    for full in unpickle.MODEL_CLASSES:
        module, name = full.rsplit(".", 1)
        assert isinstance(getattr(importlib.import_module(module), name), type), full
    seen: set[str] = set()

    class Spy(unpickle.RestrictedUnpickler):
        def find_class(self, module: str, name: str) -> Any:
            seen.add(f"{module}.{name}")
            return super().find_class(module, name)

    original = unpickle.RestrictedUnpickler
    unpickle.RestrictedUnpickler = Spy  # type: ignore[misc]
    try:
        load_model()
    finally:
        unpickle.RestrictedUnpickler = original  # type: ignore[misc]
    assert seen and seen <= unpickle.ALLOWED
    assert {"cleanews.model.classifier.LineClassifier", "numpy.ndarray"} <= seen


def test_a_model_file_replaced_after_loading_is_not_used_by_workers(tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    shutil.copy(load_model().path, path)  # type: ignore[arg-type]
    model = load_model(path)
    blob = pickle.dumps(model)
    assert pickle.loads(blob).checksum == model.checksum  # unchanged: loads
    payload = joblib.load(path)
    payload["card"] = {"note": "another model"}
    joblib.dump(payload, path)
    with pytest.raises(ModelError, match="changed after this run loaded it"):
        pickle.loads(blob)


def test_a_saved_model_travels_with_the_checksum_of_what_was_written(tmp_path: Path) -> None:
    model = load_model()
    copy = type(model)(model.classifier, dict(model.card))
    path = save_model(copy, tmp_path / "saved.joblib")
    assert copy.checksum == load_model(path).checksum
    page = (SEEDS / "000_19e93c5fe74daeee.txt").read_bytes()
    from cleanews.api import label_page

    assert [x.label for x in label_page(page, pickle.loads(pickle.dumps(copy)))] == [
        x.label for x in label_page(page, model)
    ]


def test_workers_refuse_a_model_file_replaced_after_the_run_loaded_it(tmp_path: Path) -> None:
    from cleanews.api import CleanOptions
    from cleanews.run.plan import plan
    from cleanews.run.pool import run

    path = tmp_path / "m.joblib"
    shutil.copy(load_model().path, path)  # type: ignore[arg-type]
    model = load_model(path)
    payload = joblib.load(path)
    payload["card"] = {"note": "swapped in while the run started"}
    joblib.dump(payload, path)
    pages = tmp_path / "in"
    pages.mkdir()
    for name in ("a", "b"):
        (pages / f"{name}.txt").write_text("正文第一段。\n", encoding="utf-8")
    summary = run(plan([str(pages)], tmp_path / "out", "text"), model, CleanOptions(), "text", workers=2)
    assert summary.files == 2 and len(summary.failed) == 2
    assert all("changed after this run loaded it" in (o.error or "") for o in summary.failed)
    assert not (tmp_path / "out").exists()
