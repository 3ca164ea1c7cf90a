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

from cleanews.api import CleanOptions, LabelledLine, PageResult, clean_page, label_html, label_page
from cleanews.data.labelled import LabelledFormatError, LabelledPage, format_labelled, parse_labelled, read_labelled
from cleanews.data.labels import DEFAULT_KEEP, LABELS
from cleanews.model.store import Model, ModelError, load_model, save_model
from cleanews.text.decode import Decoded, NotTextError, decode_bytes, read_page_file
from cleanews.training.evaluate import Scores
from cleanews.training.train import TrainOptions, evaluate_model, train_model

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
