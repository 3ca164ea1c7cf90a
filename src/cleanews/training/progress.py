"""A progress bar for training: one bar per stage, advanced fold by fold, on standard error.

Training takes minutes on the shipped data and printed nothing while it ran. The bar is
drawn by ``rich``, only at a terminal (a log or a pipe gets no control characters), and
never with ``--quiet``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from cleanews.model.fit import Progress as OnProgress
from cleanews.model.fit import no_progress

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def wanted(quiet: bool, stream: IO[str] | None = None) -> bool:
    """A bar is drawn unless asked for quiet, and only when ``stream`` (stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    return not quiet and stream.isatty()


@contextmanager
def training_progress(enabled: bool, stream: IO[str] | None = None) -> Iterator[OnProgress]:
    """A ``progress(stage, done, total)`` callback for :func:`~cleanews.training.train.train_model`.

    Each stage gets its own bar ("pass one: fold 3 of 6"); disabled, the callback does nothing.
    """
    if not enabled:
        yield no_progress
        return
    console = Console(file=stream if stream is not None else sys.stderr)
    columns = (TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
