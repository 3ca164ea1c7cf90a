"""Writing results: plain text, a JSON Lines report, or the labelled-page format.

Files are written through :func:`cleanews.files.atomic_text`; standard output through
:func:`stdout_output`, byte for byte whatever the locale.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO

from cleanews.api import PageResult
from cleanews.data.labelled import SPAN_MARK, label_column

FORMATS = ("text", "jsonl", "tsv")
EXTENSIONS = {"text": ".txt", "jsonl": ".jsonl", "tsv": ".tsv"}


def iter_text(result: PageResult) -> Iterator[str]:
    yield result.text


def iter_jsonl(result: PageResult) -> Iterator[str]:
    """One JSON object per input line, blank lines included, in order."""
    for line in result.lines:
        obj = {
            "line": line.number,
            "text": line.text,
            "label": line.label,
            "confidence": None if line.confidence is None else round(line.confidence, 4),
            "kept": line.kept,
            "spans": [span.as_dict() for span in line.spans],
        }
        yield json.dumps(obj, ensure_ascii=False) + "\n"


def iter_tsv(result: PageResult) -> Iterator[str]:
    """The labelled-page format with the spans found as ``+spam:`` marks, so a user can
    correct both and retrain: dropping the first column gives the page back."""
    for line in result.lines:
        marks = dict.fromkeys(span.text for span in line.spans if SPAN_MARK not in span.text and "\t" not in span.text)
        yield f"{label_column(line.label, marks)}\t{line.text}{line.end}"


_WRITERS = {"text": iter_text, "jsonl": iter_jsonl, "tsv": iter_tsv}


def write_result(result: PageResult, fmt: str, out: IO[str]) -> None:
    for chunk in _WRITERS[fmt](result):
        out.write(chunk)


@contextmanager
def stdout_output() -> Iterator[IO[str]]:
    """Standard output as UTF-8 with line ends untouched, whatever the locale or platform says.

    Writes go to the byte stream under ``sys.stdout`` when there is one, so a CRLF page
    comes out byte for byte and a non-UTF-8 locale cannot break the output.
    """
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    if buffer is None:  # a replaced stdout without bytes underneath: write text to it
        yield stream
        stream.flush()
        return
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield wrapper
        wrapper.flush()
        buffer.flush()
    finally:
        with suppress(OSError, ValueError):
            wrapper.detach()  # never close the real stdout
