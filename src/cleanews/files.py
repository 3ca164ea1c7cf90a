"""Files cleanews reads and writes: one page reader, one atomic writer, one file mode.

Every output (a cleaned page, a Ray table, a model and its card) is written to a
temporary file beside its target and renamed over it only when complete, so an
interrupted run never leaves half a file where a finished one should be. Every page
is read by :func:`read_page`, so both engines report an unreadable file the same way.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

STDIN = "-"
"""The source name that means standard input."""


class PageReadError(OSError):
    """A page file cannot be read; the message says why in words a user can act on."""


def read_page(source: str, *, stdin: bool = False, where: str = "") -> bytes:
    """The bytes of a page file, or with ``stdin`` of standard input when ``source`` is ``"-"``.

    Raises :class:`PageReadError` with a short reason; ``where`` is added to the reason
    for a missing file (the Ray engine says that paths must be visible on every node).
    """
    try:
        if stdin and source == STDIN:
            return sys.stdin.buffer.read()
        return Path(source).read_bytes()
    except IsADirectoryError:
        raise PageReadError("is a folder, not a file") from None
    except FileNotFoundError:
        raise PageReadError(f"no such file{where}") from None
    except PermissionError:
        raise PageReadError("permission denied (cannot read it)") from None
    except OSError as exc:
        raise PageReadError(f"cannot read it ({exc.strerror or exc})") from None


@cache
def file_mode() -> int:
    """The mode a newly created file gets here (0o666 less the umask); mkstemp's is 0o600.

    Outputs and models are ordinary files meant to be shared, not private ones.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to; renamed over ``path`` when the block
    ends normally. On any error, or an interrupt, it is removed and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """:func:`atomic_path` opened as UTF-8 text with line ends untouched."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        yield fh
