"""Saving and loading models: a joblib file and a JSON model card beside it.

The card records what a model is (labels, feature version, library versions,
training data hash, cross-validated scores). Loading refuses a model whose feature
version differs from this code's, because its numbers would mean nothing here.
The library versions on the card are a record only: a loaded model is plain numpy
arrays, so the scikit-learn that trained it plays no part in labelling (and looking
versions up at every start cost more than loading the weights).

Loading never runs code from the file: it goes through the restricted unpickler of
:mod:`cleanews.model.unpickle`, which admits only what a cleanews model holds.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanews.data.labels import LABELS
from cleanews.features.measures import FEATURE_VERSION
from cleanews.files import atomic_path, atomic_text
from cleanews.model.unpickle import RefusedGlobal, load_restricted

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
    checksum: str | None = None
    """Size and CRC-32 of the file's bytes as loaded (None for a model not loaded from a file).
    Meant to notice a file replaced during a run, cheaply (1 ms for 9 MB); it does not have to
    resist forgery, because whoever can write the model file can write any model."""
    spans: Any = None
    """The span model that finds spam inside lines (:class:`cleanews.spans.model.SpanModel`), if any."""

    def __reduce__(self) -> tuple[Any, ...]:
        # A model loaded from a file travels to worker processes as its path: the worker
        # loads it once, instead of every task pickling megabytes of weights. The checksum
        # goes with it, so a file replaced since is refused instead of silently used.
        if self.path is not None and self.checksum is not None and self.path.is_file():
            return (load_model, (str(self.path), self.checksum))
        return (Model, (self.classifier, self.card, None, None, self.spans))


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def default_model_path() -> Path:
    """Where the model is looked for when none is named: env, installed package, checkout."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    # The package's own folder (cleanews is installed as files, never zipped: the model is
    # read by path); importlib.resources would cost every start its import for this.
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "_models" / MODEL_FILENAME
    if packaged.is_file():
        return packaged
    checkout = here.parents[3] / "models" / MODEL_FILENAME
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
    import joblib  # writing only: loading reads the file without it (cleanews.model.arrays)

    # Uncompressed: the weights are float arrays that zlib shrinks by a fifth, and inflating
    # them took 40-60 ms of every start (reading 9 MB takes 2 ms).
    with atomic_path(path) as tmp:
        joblib.dump(payload, tmp, compress=0)
    with atomic_text(card_path(path)) as fh:
        fh.write(json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    model.card = card
    model.path = path
    model.checksum = file_checksum(path.read_bytes())
    return path


def file_checksum(data: bytes) -> str:
    """The size and CRC-32 of a model file's bytes (see :attr:`Model.checksum`)."""
    return f"{len(data)}-{zlib.crc32(data):08x}"


def _read_payload(p: Path, expect_checksum: str | None) -> tuple[Any, str, list[warnings.WarningMessage]]:
    """The unpickled payload of a model file, its checksum, and the warnings on the way."""
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model {p} ({exc.strerror or exc})") from None
    checksum = file_checksum(data)
    if expect_checksum is not None and checksum != expect_checksum:
        raise ModelError(
            f"{p} changed after this run loaded it (its bytes differ); "
            "replace model files between runs, not during one, and start the run again"
        )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            payload = load_restricted(data)
    except RefusedGlobal as exc:
        raise ModelError(
            f"{p} is not a cleanews model: it asks to build {exc.name}, which a cleanews model never holds "
            "(refused before anything was built). Load only model files you trust, made by 'cleanews train'"
        ) from None
    except Exception as exc:  # a foreign or broken file raises many kinds
        raise ModelError(f"{p} is not a readable cleanews model ({type(exc).__name__}: {exc}); retrain it") from None
    return payload, checksum, caught


def load_model(path: str | Path | None = None, expect_checksum: str | None = None) -> Model:
    """Load a model file, or the shipped model when no path is given.

    No code in the file is run: only the types a cleanews model holds are admitted
    (:mod:`cleanews.model.unpickle`). ``expect_checksum`` refuses a file whose bytes differ
    (worker processes are given the checksum of the file their parent loaded).

    Raises :class:`ModelError` with advice when the file is missing, not a cleanews
    model, changed, or built for other features.
    """
    p = Path(path) if path is not None else default_model_path()
    if not p.is_file():
        raise ModelError(
            f"no model at {p}; train one with 'cleanews train training_data -o {p}' "
            f"or name one with --model / ${MODEL_ENV}"
        )
    payload, checksum, caught = _read_payload(p, expect_checksum)
    if not isinstance(payload, dict) or payload.get("format") != "cleanews-model":
        raise ModelError(f"{p} is not a cleanews model file; train one with 'cleanews train'")
    if payload.get("feature_version") != FEATURE_VERSION:
        raise ModelError(
            f"{p} was trained with feature version {payload.get('feature_version')}, this cleanews uses "
            f"{FEATURE_VERSION}; retrain it with 'cleanews train' (or install the cleanews it was made with)"
        )
    card = payload.get("card", {})
    for w in caught:
        logger.debug("while loading %s: %s", p, w.message)
    return Model(payload["classifier"], card, p, checksum, payload.get("spans"))
