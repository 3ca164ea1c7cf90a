"""Retraining on top of the shipped pages (train --with-shipped --weight) and comparing models (evaluate --compare)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import joblib
import pytest
from typer.testing import CliRunner

import cleanews.training.train as train_module
from cleanews import load_model
from cleanews.cli import app

from .conftest import TRAINING
from .test_cli import labelled_page, write


def test_the_shipped_pages_are_found() -> None:
    found = train_module.shipped_training_data()
    assert sorted(p.name for p in found.glob("*.tsv")) == sorted(p.name for p in TRAINING.glob("*.tsv"))


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three tiny models: shipped + mine at weight 1 and 3 (shipped pages stood in for), and both folders plainly."""
    root = tmp_path_factory.mktemp("retrain")
    shipped, mine = root / "shipped", root / "mine"
    for n in range(3):
        write(shipped / f"page{n}.tsv", labelled_page(n))
    write(mine / "mine.tsv", labelled_page(7))
    fast = functools.partial(train_module.TrainOptions, max_iter=25)
    out: dict[str, Path] = {}
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(train_module, "TrainOptions", fast)  # the command imports it when it runs
        mp.setattr(train_module, "shipped_training_data", lambda: shipped)
        for name, args in {
            "w1": ["--with-shipped", str(mine), "--weight", "1"],
            "w3": ["--with-shipped", str(mine), "--weight", "3"],
            "plain": [str(shipped), str(mine)],
        }.items():
            out[name] = root / f"{name}.joblib"
            result = runner.invoke(app, ["train", *args, "-o", str(out[name]), "--folds", "2"])
            assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    out["pages"] = mine
    return out


def _weights(path: Path) -> str:
    """A hash of everything the classifier learned."""
    return str(joblib.hash(load_model(path).classifier))


def test_with_shipped_trains_on_both_and_weighs_own_pages(models: dict[str, Path]) -> None:
    card = json.loads(models["w3"].with_suffix(".json").read_text(encoding="utf-8"))
    data = card["training_data"]
    assert data["pages"] == 4 and data["with_shipped"] is True and data["weight_of_own_pages"] == 3.0
    # weight 1 is training on both folders; weight 3 is another model
    assert _weights(models["w1"]) == _weights(models["plain"])
    assert _weights(models["w3"]) != _weights(models["w1"])


def test_weight_must_be_positive(tmp_path: Path) -> None:
    write(tmp_path / "p.tsv", labelled_page(1))
    result = CliRunner().invoke(app, ["train", str(tmp_path), "-o", str(tmp_path / "m.joblib"), "--weight", "0"])
    assert result.exit_code == 2 and "--weight" in result.stderr


def test_evaluate_compare_shows_what_changed_label_by_label(models: dict[str, Path]) -> None:
    runner = CliRunner()
    same = runner.invoke(app, ["evaluate", "--compare", str(models["w1"]), str(models["plain"]), str(models["pages"])])
    assert same.exit_code == 0, same.stderr
    rows = dict(re.findall(r"^(\w+)\s+[0-9.]+\s+[0-9.]+\s+([+-][0-9.]+)\s+\d+$", same.stdout, re.M))
    assert set(rows) == {"body", "title", "meta", "nav", "region", "links", "spam", "chrome"}
    assert all(float(d) == 0.0 for d in rows.values())
    apart = runner.invoke(
        app, ["evaluate", "--compare", str(models["w1"]), str(models["w3"]), str(models["pages"]), "--json"]
    )
    both = json.loads(apart.stdout)
    assert list(both) == [str(models["w1"]), str(models["w3"])] and "per_label" in both[str(models["w3"])]
    clash = runner.invoke(app, ["evaluate", "--compare", "a", "b", str(models["pages"]), "--model", "c"])
    assert clash.exit_code == 2 and "not both" in clash.stderr
