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

import logging

from .clean import CleanOptions, LabelledLine, PageResult, clean_page, label_page
from .decode import Decoded, NotTextError, decode_bytes, read_page_file
from .evaluate import Scores
from .labelled import LabelledFormatError, LabelledPage, format_labelled, parse_labelled, read_labelled
from .labels import DEFAULT_KEEP, LABELS
from .store import Model, ModelError, load_model, save_model
from .train import TrainOptions, evaluate_model, train_model

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
    "label_page",
    "load_model",
    "parse_labelled",
    "read_labelled",
    "read_page_file",
    "save_model",
    "train_model",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
