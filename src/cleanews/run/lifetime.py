"""Worker processes that do not outlive the command that started them.

When ``cleanews clean`` is killed (SIGKILL, an out-of-memory kill, a closed terminal),
its worker processes would otherwise go on cleaning pages nobody will collect. On
Linux the kernel is asked to send each worker SIGTERM when its parent dies
(``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's pid. A worker that gets
SIGTERM unwinds the page it is on (so its half-written output file is removed), then
ends at once: the pool's own loop would otherwise catch the exit and wait for more work
that can never come (the workers hold the task queue's write end themselves).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

PR_SET_PDEATHSIG = 1
"""prctl option: the signal this process gets when the thread that created it exits."""

WATCH_SECONDS = 1.0
"""How often the watchdog (where prctl is not available) checks that the parent lives."""


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds: atomic outputs remove their temporary files


def run_until_told_to_stop(task: Callable[[], T]) -> T:
    """Run one task of a worker; if SIGTERM came in the middle, end the process after unwinding."""
    try:
        return task()
    except SystemExit:
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # the same way out as the kernel's signal on Linux


def exit_with_parent(parent: int) -> None:
    """Make this process exit when the process ``parent`` dies (call it first in a worker)."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    asked = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            asked = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
        except (OSError, AttributeError):
            asked = False
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)
    if not asked:
        logger.debug("no PR_SET_PDEATHSIG here: watching parent %d", parent)
        threading.Thread(target=_watch, args=(parent,), name="cleanews-parent-watch", daemon=True).start()
