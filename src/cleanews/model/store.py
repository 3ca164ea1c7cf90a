"""Saving and loading models: a joblib file and a JSON model card beside it.

The card records what a model is (labels, feature version, library versions,
training data hash, cross-validated scores). Loading refuses a model whose feature
version differs from this code's, because its numbers would mean nothing here;
another scikit-learn version only warns, because it usually still works.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import joblib

from cleanews.data.labels import LABELS
from cleanews.features.measures import FEATURE_VERSION
from cleanews.files import atomic_path, atomic_text

logger = logging.getLogger(__name__)

MODEL_FILENAME = "cleanews.joblib"
"""The shipped model's file name, in ``models/`` of a checkout and inside the package."""

MODEL_ENV = "CLEANEWS_MODEL"
"""Environment variable naming a model file to use instead of the shipped one."""


class ModelError(RuntimeError):
    """A model file that cannot be used; the message says what to do."""


@dataclass
class Model:
    """A trained classifier, its card and (optionally) the span model that finds spam
    inside lines. Immutable in use: safe to share across threads."""

    classifier: Any
    card: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    spans: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        # A model loaded from a file travels to worker processes as its path: the worker
        # loads it once, instead of every task pickling megabytes of weights.
        if self.path is not None and self.path.is_file():
            return (load_model, (str(self.path),))
        return (Model, (self.classifier, self.card, None, self.spans))


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def default_model_path() -> Path:
    """Where the model is looked for when none is named: env, installed package, checkout."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    packaged = resources.files("cleanews").joinpath("_models", MODEL_FILENAME)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "models" / MODEL_FILENAME
    return checkout


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in ("cleanews", "scikit-learn", "sklearn-crfsuite", "jieba", "numpy", "scipy", "regex", "joblib"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out


def save_model(model: Model, path: str | Path) -> Path:
    """Write the model (joblib) and its card (JSON) atomically; return the model path."""
    path = Path(path)
    card = dict(model.card)
    card.update(labels=list(LABELS), feature_version=FEATURE_VERSION, versions=_versions())
    payload = {
        "format": "cleanews-model",
        "feature_version": FEATURE_VERSION,
        "card": card,
        "classifier": model.classifier,
        "spans": model.spans,
    }
    with atomic_path(path) as tmp:
        joblib.dump(payload, tmp, compress=3)
    with atomic_text(card_path(path)) as fh:
        fh.write(json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    model.card = card
    model.path = path
    return path


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file, or the shipped model when no path is given.

    Raises :class:`ModelError` with advice when the file is missing, not a cleanews
    model, or built for other features.
    """
    p = Path(path) if path is not None else default_model_path()
    if not p.is_file():
        raise ModelError(
            f"no model at {p}; train one with 'cleanews train training_data -o {p}' "
            f"or name one with --model / ${MODEL_ENV}"
        )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            payload = joblib.load(p)
    except Exception as exc:  # joblib raises many kinds on a foreign or broken file
        raise ModelError(f"{p} is not a readable cleanews model ({type(exc).__name__}: {exc}); retrain it") from None
    if not isinstance(payload, dict) or payload.get("format") != "cleanews-model":
        raise ModelError(f"{p} is not a cleanews model file; train one with 'cleanews train'")
    if payload.get("feature_version") != FEATURE_VERSION:
        raise ModelError(
            f"{p} was trained with feature version {payload.get('feature_version')}, this cleanews uses "
            f"{FEATURE_VERSION}; retrain it with 'cleanews train' (or install the cleanews it was made with)"
        )
    card = payload.get("card", {})
    trained_with = card.get("versions", {}).get("scikit-learn")
    current = _versions()["scikit-learn"]
    if trained_with and trained_with != current:
        warnings.warn(
            f"{p} was trained with scikit-learn {trained_with}, this is {current}; "
            "it usually works, but retrain if labels look wrong",
            stacklevel=2,
        )
    for w in caught:
        logger.debug("while loading %s: %s", p, w.message)
    return Model(payload["classifier"], card, p, payload.get("spans"))
