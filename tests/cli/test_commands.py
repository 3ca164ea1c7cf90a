"""The other commands (``train``, ``evaluate``, ``info``), unusable models, help and version."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import joblib
import pytest
from typer.testing import CliRunner

import cleanews.run.pool as pool_module
from cleanews.cli import app
from cleanews.data.labels import LABELS
from cleanews.features.schema import SCHEMA_VERSION, current_schema
from cleanews.run.progress import RunDisplay

from ..conftest import ROOT, labelled_page
from .helpers import (
    PAGE,
    invoke,
    untsv,
    write,
)

# -- train, evaluate, info and bad models ----------------------------------------------


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A model trained by the command on four tiny labelled pages (pass two kept short)."""
    root = tmp_path_factory.mktemp("train")
    data = root / "labelled"
    for n in range(4):
        write(data / f"page{n}.tsv", labelled_page(n))
    model_path = root / "models" / "tiny.joblib"
    result = CliRunner().invoke(app, ["train", str(data), "-o", str(model_path), "--folds", "2"])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return data, model_path, result.stdout


def test_train_writes_the_model_and_its_card(trained: tuple[Path, Path, str]) -> None:
    _, model_path, stdout = trained
    assert model_path.is_file()
    assert f"saved {model_path}" in stdout and "macro-F1" in stdout
    card = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["labels"] == list(LABELS)
    assert card["schema"] == current_schema().record()
    assert card["training_data"]["pages"] == 4
    assert card["options"]["folds"] == 2


def test_evaluate_and_info_on_the_trained_model(runner: CliRunner, trained: tuple[Path, Path, str]) -> None:
    data, model_path, _ = trained
    report = invoke(runner, "evaluate", str(data), "--model", str(model_path)).stdout
    assert "macro-F1" in report and "confusion" in report
    scores = json.loads(invoke(runner, "evaluate", str(data), "--model", str(model_path), "--json").stdout)
    assert scores["pages"] == 4 and 0.0 <= scores["macro_f1"] <= 1.0
    assert set(scores["per_label"]) == set(LABELS)
    info = invoke(runner, "info", "--model", str(model_path)).stdout
    assert info.startswith(f"model: {model_path}\n")
    card = json.loads(info.split("\n", 1)[1])
    assert card["labels"] == list(LABELS) and card["training_data"]["pages"] == 4


def test_clean_with_a_trained_model(runner: CliRunner, trained: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, model_path, _ = trained
    path = write(tmp_path / "page.txt", PAGE)
    out = invoke(runner, "clean", str(path), "--model", str(model_path), "--format", "tsv").stdout_bytes
    assert untsv(out) == PAGE.encode()


def test_info_of_the_shipped_model(runner: CliRunner) -> None:
    card = json.loads(invoke(runner, "info").stdout.split("\n", 1)[1])
    assert card["labels"] == list(LABELS)


def test_train_refuses_bad_data(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "bad" / "p.tsv", "article\t正文\n")
    result = invoke(runner, "train", str(tmp_path / "bad"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "p.tsv:1" in result.stderr and "unknown label" in result.stderr
    write(tmp_path / "few" / "p.tsv", "body\t正文\n")
    result = invoke(runner, "train", str(tmp_path / "few"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "too few lines labelled body, title, meta, nav, region, links, spam, chrome" in result.stderr
    assert "body: 1" in result.stderr and "add labelled pages" in result.stderr
    result = invoke(runner, "train", str(tmp_path / "nowhere"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "does not exist" in result.stderr
    assert not (tmp_path / "m.joblib").exists()


@pytest.fixture
def bad_models(tmp_path: Path) -> dict[str, Path]:
    old = tmp_path / "old.joblib"
    joblib.dump(
        {"format": "cleanews-model", "schema": {"version": SCHEMA_VERSION - 1}, "card": {}, "classifier": None}, old
    )
    text = write(tmp_path / "notes.joblib", "这不是模型\n")
    other = tmp_path / "other.joblib"
    joblib.dump({"weights": [1, 2, 3]}, other)
    return {"old": old, "text": text, "other": other, "missing": tmp_path / "missing.joblib"}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("old", "schema version"),
        ("text", "not a readable cleanews model"),
        ("other", "not a cleanews model"),
        ("missing", "no model at"),
    ],
)
def test_unusable_models_exit_3(
    runner: CliRunner, bad_models: dict[str, Path], tmp_path: Path, kind: str, message: str
) -> None:
    bad = bad_models[kind]
    page = write(tmp_path / "page.txt", PAGE)
    for args in (["info"], ["clean", str(page)], ["evaluate", str(page)]):
        result = invoke(runner, *args, "--model", str(bad), code=3)
        assert message in result.stderr and str(bad) in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    if kind == "old":
        assert "retrain" in result.stderr


# -- help ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "codes", "not_codes"),
    [
        ([], ["1 one or more inputs failed", "3 the model cannot be loaded"], []),
        (["clean"], ["1 one or more inputs failed", "3 the model cannot be loaded"], []),
        (["train"], ["0 the model was saved", "1 it cannot be written"], ["inputs failed", "3 the model"]),
        (["evaluate"], ["2 bad usage or bad labelled pages", "3 the model cannot be loaded"], ["inputs failed"]),
        (["info"], ["3 the model cannot be loaded"], ["inputs failed", "2 bad usage"]),
    ],
)
def test_help_gives_an_example_and_its_own_exit_codes(
    runner: CliRunner, command: list[str], codes: list[str], not_codes: list[str]
) -> None:
    text = " ".join(invoke(runner, *command, "--help").stdout.split())  # help wraps lines
    assert "Example" in text
    assert "cleanews " + (command[0] if command else "clean") in text
    assert "Exit codes" in text
    assert all(code in text for code in codes), codes
    assert not any(code in text for code in not_codes), not_codes


def test_model_help_states_the_trust_boundary(runner: CliRunner) -> None:
    for command in ("clean", "evaluate", "info"):
        text = " ".join(invoke(runner, command, "--help").stdout.split())
        assert "runs no code from the file" in text and "trust" in text


def test_python_m_cleanews_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cleanews", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: cleanews" in result.stdout
    for command in ("clean", "train", "evaluate", "info"):
        assert command in result.stdout


def test_version(runner: CliRunner) -> None:
    assert invoke(runner, "--version").stdout.startswith("cleanews ")


def test_failures_are_named_with_or_without_the_bar() -> None:
    for bar in (True, False):
        err = io.StringIO()
        display = RunDisplay(bar, total=2, stream=err)
        display.done(pool_module.Outcome("a.txt", True, None, 3, 1))
        display.done(pool_module.Outcome("b.txt", False, "no such file"))
        display.close()
        assert "cleanews: b.txt: no such file" in err.getvalue()
        assert display.count == 2
