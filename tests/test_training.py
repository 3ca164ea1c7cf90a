"""Training on small labelled sets: determinism, few pages, missing labels, progress, the model contract."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import numpy as np
import pytest

from cleanews.data.labelled import parse_labelled
from cleanews.features.schema import SchemaMismatch, current_schema
from cleanews.model.store import Model, ModelError, load_model, save_model
from cleanews.training.progress import training_progress, wanted
from cleanews.training.train import TrainOptions, train_model

from .conftest import labelled_page

FAST = TrainOptions(max_iter=20)
"""Short boosting: these tests are about the training run, not the model's quality."""


def labelled_folder(root: Path, pages: int, drop: str | None = None) -> Path:
    """``pages`` tiny labelled pages with every label; ``drop``: that label keeps one line only."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(pages):
        text = labelled_page(n)
        if drop is not None:
            lines = text.splitlines(keepends=True)
            ours = [i for i, line in enumerate(lines) if line.startswith(f"{drop}\t")]
            keep_one = ours[0] if n == 0 else None
            text = "".join(line for i, line in enumerate(lines) if i not in ours or i == keep_one)
        (root / f"page{n}.tsv").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Model]:
    folder = labelled_folder(tmp_path_factory.mktemp("tiny") / "pages", 4)
    return folder, train_model([folder], FAST)


def test_training_twice_gives_the_same_model_byte_for_byte(tiny: tuple[Path, Model], tmp_path: Path) -> None:
    folder, first = tiny
    second = train_model([folder], FAST)
    a, b = save_model(first, tmp_path / "a.joblib"), save_model(second, tmp_path / "b.joblib")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    np.testing.assert_array_equal(first.classifier.first_.gram_weights, second.classifier.first_.gram_weights)
    np.testing.assert_array_equal(first.classifier.second_.leaves, second.classifier.second_.leaves)
    other = train_model([folder], TrainOptions(max_iter=20, random_state=1))
    assert not np.array_equal(first.classifier.first_.gram_weights, other.classifier.first_.gram_weights)


def test_few_pages_train_with_fewer_folds(tmp_path: Path) -> None:
    """Five folds over two pages cannot be made; training uses two and says so in the card."""
    model = train_model([labelled_folder(tmp_path, 2)], FAST)
    assert model.card["options"]["folds"] == 2
    assert model.card["options"]["second_folds"] == 3  # as asked; at most the folds used
    page = parse_labelled(labelled_page(7), "p")
    rows, probs = model.classifier.predict_proba_page(page.lines)
    assert len(rows) == sum(label is not None for label in page.labels)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_a_label_with_a_single_line_is_named_with_what_to_add(tmp_path: Path) -> None:
    folder = labelled_folder(tmp_path, 3, drop="spam")
    with pytest.raises(ValueError, match=r"too few lines labelled spam \(spam: 1\).*add labelled pages"):
        train_model([folder], FAST)


def test_every_label_is_named_when_pages_lack_it(tmp_path: Path) -> None:
    (tmp_path / "one.tsv").write_text("body\t正文第一句。\nbody\t正文第二句。\n", encoding="utf-8")
    (tmp_path / "two.tsv").write_text("body\t正文第三句。\ntitle\t标题\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        train_model([tmp_path], FAST)
    message = str(caught.value)
    assert "title: 1" in message and "chrome: 0" in message and "body" not in message.split("(")[0]


def test_progress_hears_every_fold_of_every_stage(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    train_model([labelled_folder(tmp_path, 3)], FAST, lambda *a: calls.append(a))
    for stage, folds in (("pass one", 3), ("pass two", 3)):
        steps = [(done, total) for s, done, total in calls if s == stage]
        assert steps == [(k, folds + 1) for k in range(folds + 2)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_at_a_terminal_and_not_when_quiet() -> None:
    assert wanted(quiet=False, stream=Terminal())
    assert not wanted(quiet=True, stream=Terminal())
    assert not wanted(quiet=False, stream=io.StringIO())
    screen = Terminal()
    with training_progress(True, screen) as progress:
        for k in range(4):
            progress("pass one", k, 3)
    assert "pass one" in screen.getvalue() and "3/3" in screen.getvalue()
    silent = io.StringIO()
    with training_progress(False, silent) as progress:
        progress("pass one", 1, 3)
    assert silent.getvalue() == ""


def test_the_card_records_the_input_schema(tiny: tuple[Path, Model], tmp_path: Path) -> None:
    _, model = tiny
    path = save_model(copy.deepcopy(model), tmp_path / "m.joblib")
    card = load_model(path).card
    assert card["schema"] == current_schema().record()
    assert card["schema"]["widths"] == model.classifier.input_widths


@pytest.mark.parametrize("which", ["pass_one", "pass_two"])
def test_a_model_whose_input_widths_differ_is_refused(tiny: tuple[Path, Model], tmp_path: Path, which: str) -> None:
    _, model = tiny
    clf = copy.deepcopy(model.classifier)
    if which == "pass_two":
        clf.second_.n_features += 1
    else:
        clf.first_.dense_weights = np.vstack([clf.first_.dense_weights, np.zeros((1, 8))])
    page = parse_labelled(labelled_page(9), "p")
    with pytest.raises(SchemaMismatch, match=f"{which.replace('_', ' ')}.*retrain"):
        clf.predict_proba_page(page.lines)
    path = save_model(Model(clf, dict(model.card)), tmp_path / "wide.joblib")
    with pytest.raises(ModelError, match=f"reads \\d+ {which.replace('_', ' ')} columns, this cleanews computes"):
        load_model(path)


def test_a_model_saved_with_other_column_names_is_refused(tiny: tuple[Path, Model], tmp_path: Path) -> None:
    _, model = tiny
    clf = copy.deepcopy(model.classifier)
    clf.schema_ = dict(clf.schema_, columns_sha256="0" * 64)
    path = save_model(Model(clf, dict(model.card)), tmp_path / "renamed.joblib")
    with pytest.raises(ModelError, match="other names"):
        load_model(path)


def test_the_schema_names_every_column_the_features_compute() -> None:
    """A column added to the features without a name would make every model's record wrong."""
    from cleanews.data.labels import LABELS
    from cleanews.features.page import prepare
    from cleanews.model.passes import second_inputs

    page = parse_labelled(labelled_page(3), "p")
    data = prepare(page.lines)
    x2 = second_inputs(data, np.full((len(data.rows), len(LABELS)), 1 / len(LABELS)))
    schema = current_schema()
    assert x2.shape[1] == schema.widths["pass_two"] == len(set(schema.pass_two))
    assert data.distinct.dense.shape[1] == len(schema.pass_one)
