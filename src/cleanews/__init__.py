"""cleanews: separate the article from the junk in scraped Chinese news pages.

Every non-blank line of a page gets one of eight labels (body, title, meta, nav,
region, links, spam, chrome) with a calibrated confidence::

    import cleanews
    model = cleanews.load_model()                 # the shipped model, or a path
    result = cleanews.label_page(page_text, model)
    for line in result:
        print(line.number, line.label, line.confidence)
    article = cleanews.clean_page(page_bytes, model)   # body and title, as text
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleanews.api import CleanOptions, LabelledLine, PageResult, clean_page, label_html, label_page
    from cleanews.data.labelled import (
        LabelledFormatError,
        LabelledPage,
        format_labelled,
        parse_labelled,
        read_labelled,
    )
    from cleanews.data.labels import DEFAULT_KEEP, LABELS
    from cleanews.model.store import Model, ModelError, load_model, save_model
    from cleanews.text.decode import Decoded, NotTextError, decode_bytes, read_page_file
    from cleanews.training.evaluate import Scores
    from cleanews.training.train import TrainOptions, evaluate_model, train_model

# Each public name and the module it comes from, imported on first use: a command that
# labels pages never imports the training code (start-up is a third of a small job).
_PUBLIC = {
    "cleanews.api": ("CleanOptions", "LabelledLine", "PageResult", "clean_page", "label_html", "label_page"),
    "cleanews.data.labelled": (
        "LabelledFormatError",
        "LabelledPage",
        "format_labelled",
        "parse_labelled",
        "read_labelled",
    ),
    "cleanews.data.labels": ("DEFAULT_KEEP", "LABELS"),
    "cleanews.model.store": ("Model", "ModelError", "load_model", "save_model"),
    "cleanews.text.decode": ("Decoded", "NotTextError", "decode_bytes", "read_page_file"),
    "cleanews.training.evaluate": ("Scores",),
    "cleanews.training.train": ("TrainOptions", "evaluate_model", "train_model"),
}
_WHERE = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:  # a sub-package (cleanews.run, ...), as an eager import made them available
        if not name.startswith("_"):
            try:
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise
        raise AttributeError(f"module 'cleanews' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__version__ = "0.1.0"

__all__ = [
    "DEFAULT_KEEP",
    "LABELS",
    "CleanOptions",
    "Decoded",
    "LabelledFormatError",
    "LabelledLine",
    "LabelledPage",
    "Model",
    "ModelError",
    "NotTextError",
    "PageResult",
    "Scores",
    "TrainOptions",
    "__version__",
    "clean_page",
    "decode_bytes",
    "evaluate_model",
    "format_labelled",
    "label_html",
    "label_page",
    "load_model",
    "parse_labelled",
    "read_labelled",
    "read_page_file",
    "save_model",
    "train_model",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
