"""What a run shows on standard error: a progress bar at a terminal, failures always.

At a terminal a batch gets a rich progress bar with the total, the rate and the time
left (the total is counted first when that is cheap: a folder walk, a Parquet footer, the
lines of an uncompressed JSON Lines file). Anywhere else, and with ``--quiet``, there is
no bar. Every failed input is named on its own line, whatever the display, and so is
every page that had undecodable bytes replaced (with their number).
"""

from __future__ import annotations

import sys
from typing import IO, Any

from cleanews.files import STDIN
from cleanews.run.pool import Outcome


class RunDisplay:
    """Feed it each :class:`Outcome` with :meth:`done`; :meth:`close` at the end.

    ``bar`` shows the progress bar (a terminal, not ``--quiet``); ``total`` is the number
    of files or records when known (None: a bar without an end, and no time left).
    """

    def __init__(self, bar: bool, total: int | None = None, unit: str = "files", stream: IO[str] | None = None):
        self.count = 0
        self.stream = stream or sys.stderr
        self.console: Any = None
        self._bar: Any = None
        if bar:
            self._start_bar(total, unit)
        self.unit = unit

    def _start_bar(self, total: int | None, unit: str) -> None:
        # rich is imported only for a bar: it would be a fifth of the start-up of every run.
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self._bar = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._task = self._bar.add_task("clean", total=total, rate="")
        self._bar.start()

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if not outcome.ok or outcome.replaced_bytes:
            name = "standard input" if outcome.source == STDIN else outcome.source
            n = outcome.replaced_bytes
            why = outcome.error if not outcome.ok else f"{n} undecodable byte{'s' * (n != 1)} replaced with U+FFFD"
            message = f"cleanews: {name}: {why}"
            if self.console is not None:  # above the bar, which redraws below it
                self.console.print(message, markup=False)
            else:
                self.stream.write(message + "\n")
                self.stream.flush()
        if self._bar is not None:
            self._bar.advance(self._task)
            speed = self._bar.tasks[0].speed
            self._bar.update(self._task, rate=f"{speed:.1f} {self.unit}/s" if speed else "")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
