"""Writing results: plain text, a JSON Lines report, or the labelled-page format.

Outputs are written atomically (a temporary file in the same folder, then a rename),
so an interrupted run never leaves half a file where a finished one should be.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .clean import PageResult
from .labels import BLANK

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
        }
        yield json.dumps(obj, ensure_ascii=False) + "\n"


def iter_tsv(result: PageResult) -> Iterator[str]:
    """The labelled-page format: dropping the first column gives the page back."""
    for line in result.lines:
        yield f"{BLANK if line.label is None else line.label}\t{line.text}{line.end}"


_WRITERS = {"text": iter_text, "jsonl": iter_jsonl, "tsv": iter_tsv}


def write_result(result: PageResult, fmt: str, out: IO[str]) -> None:
    for chunk in _WRITERS[fmt](result):
        out.write(chunk)


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
