"""What a run shows on standard error: a progress bar at a terminal, failures always.

At a terminal a batch gets a rich progress bar with the total, the rate and the time
left (the total is counted first when that is cheap: a folder walk, a Parquet footer, the
lines of an uncompressed JSON Lines file). Anywhere else, and with ``--quiet``, there is
no bar. Every failed input is named on its own line, whatever the display.
"""

from __future__ import annotations

import sys
from typing import IO

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

from cleanews.files import STDIN
from cleanews.run.pool import Outcome


class RunDisplay:
    """Feed it each :class:`Outcome` with :meth:`done`; :meth:`close` at the end.

    ``bar`` shows the progress bar (a terminal, not ``--quiet``); ``total`` is the number
    of files or records when known (None: a bar without an end, and no time left).
    """

    def __init__(self, bar: bool, total: int | None = None, unit: str = "files", stream: IO[str] | None = None):
        self.count = 0
        self.console = Console(file=stream or sys.stderr, highlight=False, soft_wrap=True)
        self._bar: Progress | None = None
        if bar:
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
        self.unit = unit

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if not outcome.ok:
            name = "standard input" if outcome.source == STDIN else outcome.source
            self.console.print(f"cleanews: {name}: {outcome.error}", markup=False)
        if self._bar is not None:
            self._bar.advance(self._task)
            speed = self._bar.tasks[0].speed
            self._bar.update(self._task, rate=f"{speed:.1f} {self.unit}/s" if speed else "")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
