"""The held-out model of ``quality.py``: trained on the train part of ``training_data/``
only, and cached under /tmp by the training pages, the schema version, the model code
and the options (a change to any of them retrains it)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

import common

import cleanews
from cleanews.data.labelled import LabelledPage
from cleanews.features.schema import SCHEMA_VERSION
from cleanews.training.train import TrainOptions, data_hash

# The layers whose code decides what a trained model is: a change retrains the cached model.
MODEL_CODE = ("text", "features", "model", "spans", "data", "training", "decide.py")


def code_hash() -> str:
    src = Path(cleanews.__file__).parent
    h = hashlib.sha256()
    for name in MODEL_CODE:
        files = sorted((src / name).rglob("*.py")) if (src / name).is_dir() else [src / name]
        for f in files:
            h.update(str(f.relative_to(src)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def held_out_model(train_files: Sequence[Path], train_pages: Sequence[LabelledPage], retrain: bool) -> cleanews.Model:
    """A model trained on the train split only, cached under /tmp by data, code and options."""
    options = TrainOptions()
    key = hashlib.sha256(
        f"{data_hash(train_pages)}|{SCHEMA_VERSION}|{code_hash()}|{sorted(options.as_dict().items())}".encode()
    ).hexdigest()[:20]
    path = common.CACHE / f"heldout-{key}.joblib"
    if path.is_file() and not retrain:
        try:
            model = cleanews.load_model(path)
            print(f"held-out model: cached {path}")
            return model
        except cleanews.ModelError as exc:
            print(f"held-out model: cache unusable ({exc}); retraining")
    print(f"held-out model: training on {len(train_files)} pages (takes minutes; cached as {path}) ...", flush=True)
    t0 = time.perf_counter()
    model = cleanews.train_model(train_files, options)
    cleanews.save_model(model, path)
    print(f"held-out model: trained in {time.perf_counter() - t0:.0f} s")
    return model
