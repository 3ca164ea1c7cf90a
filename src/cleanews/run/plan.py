"""Planning a run: which pages to clean and where each result goes.

Folders are walked lazily, in sorted order, so planning a million pages costs no more
memory than planning ten. Every unsafe request (an output over or among the inputs,
two inputs written to one place) is refused before the first page is written.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleanews.files import STDIN
from cleanews.run.writers import EXTENSIONS
from cleanews.text.html import is_html_path


class PlanError(ValueError):
    """The command line asks for something that cannot be done safely (nothing was written)."""


@dataclass(frozen=True)
class Job:
    """One page to clean: where it comes from and where its result goes (None: stdout).

    A job with an ``error`` was found unusable while planning (an unreadable folder, an
    output name already taken); it is reported as a failure without being run.
    """

    source: str  # a path, or "-" for standard input
    output: Path | None
    error: str | None = None
    kind: str = "page"  # "page" (text) or "html" (markup, rendered to lines first)


def is_batch(paths: Iterable[str]) -> bool:
    """Several inputs, or a folder: outputs go to a folder and the run gets a summary."""
    paths = list(paths)
    return len(paths) > 1 or any(p != STDIN and Path(p).is_dir() for p in paths)


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_a_page_file(path: str) -> str | None:
    """Why a matching name inside a folder is not read (reading a FIFO or a device there
    would hang the batch, or never end); None for a regular file or one that cannot be
    examined (reading it then names the problem)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, what in _NOT_REGULAR:
        if test(mode):
            return f"skipped: {what}, not a page file (name a FIFO on the command line to read it as a stream)"
    return None


def walk_pages(root: Path, pattern: str) -> Iterator[tuple[Path, str | None]]:
    """Files under ``root`` whose names match, in sorted order, lazily; and what was not
    read, with the reason (so that no page goes missing without a word): folders that
    cannot be read, FIFOs, sockets and devices, links back into folders already searched.

    Links to folders are followed, each real folder once: a link that leads back to a
    folder already searched (a loop, or a second way to the same pages) is skipped.
    """
    errors: list[OSError] = []
    seen = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
        yield from _walk_errors(errors)
        dirnames.sort()
        for name in list(dirnames):
            real = os.path.realpath(os.path.join(dirpath, name))
            if real in seen:
                dirnames.remove(name)
                yield Path(dirpath) / name, f"skipped: a link to {real}, a folder searched already (a loop)"
            seen.add(real)
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                path = os.path.join(dirpath, name)
                yield Path(path), _not_a_page_file(path)
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[tuple[Path, str | None]]:
    while errors:
        exc = errors.pop(0)
        yield Path(exc.filename or "?"), f"cannot read this folder ({exc.strerror or exc}); its pages were skipped"


def _folder_root(arg: Path, out: Path, keep_dirs: bool) -> Path:
    """Where a folder's pages go: straight under the output folder (``crawl/a/x.txt`` ->
    ``OUT/a/x.txt``, as ``rsync crawl/ OUT`` and ``cp -r crawl/. OUT`` do), or under the
    folder's own name with ``keep_dirs`` (``OUT/crawl/a/x.txt``), however the folder is named
    (relative, absolute, ``.``)."""
    return out / Path(os.path.abspath(arg)).name if keep_dirs else out


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies under it (both resolved)."""
    return path == folder or folder in path.parents


def _targets(arg: Path, root: Path, ext: str, pattern: str) -> Iterator[tuple[Path, Path]]:
    """(page, output) pairs of one input argument, lazily."""
    if not arg.is_dir():
        yield arg, root / arg.with_suffix(ext).name
        return
    for f, error in walk_pages(arg, pattern):
        if error is None:
            yield f, root / f.relative_to(arg).with_suffix(ext)


def _check_outputs(paths: list[str], out: Path, ext: str, pattern: str, keep_dirs: bool) -> None:
    """Refuse, before any work, a batch that would write over or among its inputs, or
    write pages of two different inputs to the same place.

    With several inputs, their outputs are listed first (memory grows with the number
    of pages in that case only); one folder's own clashes (``a.htm`` and ``a.txt``) are
    reported page by page instead, while it runs.
    """
    o = out.resolve()
    roots: list[tuple[str, Path, Path]] = []  # (argument, its output root, the input resolved)
    for p in paths:
        arg = Path(p)
        if arg.is_dir() and _inside(o, arg.resolve()):
            raise PlanError(f"the output folder {out} lies inside the input folder {p}; choose one outside it")
        roots.append((p, _folder_root(arg, out, keep_dirs) if arg.is_dir() else out, arg.resolve()))
    for p, root, _ in roots:
        for q, _, qsrc in roots:
            if Path(q).is_dir() and _inside(root.resolve(), qsrc):
                raise PlanError(f"the output of {p} would be written inside the input folder {q}; choose another -o")
    if len(paths) < 2:
        return
    inputs = {src for _, _, src in roots if not Path(str(src)).is_dir()}
    taken: dict[Path, tuple[str, Path]] = {}
    folders = sum(1 for p in paths if Path(p).is_dir())
    for p, root, _ in roots:
        for page, target in _targets(Path(p), root, ext, pattern):
            t, page_src = target.resolve(), page.resolve()
            if t in inputs:
                raise PlanError(f"the output of {page} would be written over the input {t}; choose another -o")
            first = taken.setdefault(t, (p, page_src))
            if first[0] != p and first[1] != page_src:
                hint = ""
                if folders > 1 and not keep_dirs:
                    hint = " or add --keep-dirs to mirror each folder under its name"
                raise PlanError(
                    f"{first[0]} and {p} would both be written to {target}; "
                    f"clean them into separate output folders{hint}"
                )


def page_kind(path: str, input_format: str) -> str:
    """``html`` or ``page`` (plain text): as forced, or by the file's extension."""
    if input_format in ("html", "page"):
        return input_format
    return "html" if is_html_path(path) else "page"


def plan(
    paths: Iterable[str],
    out: Path | None,
    fmt: str,
    pattern: str = "*.txt",
    keep_dirs: bool = False,
    input_format: str = "auto",
) -> Iterator[Job]:
    """Jobs for the given inputs, lazily. Raises :class:`PlanError` before the first job
    when the request is unsafe or impossible (then nothing has been written)."""
    paths = list(paths)
    many = is_batch(paths)
    ext = EXTENSIONS[fmt]
    if STDIN in paths:
        if len(paths) > 1:
            raise PlanError("standard input ('-') must be the only input; clean files and folders in another run")
        if out is not None and out.is_dir():
            raise PlanError(f"{out} is a folder, and standard input has no file name; give -o a file name")
        yield Job(STDIN, out, kind=page_kind(STDIN, input_format))
        return
    if many and out is None:
        raise PlanError("several inputs or a folder need an output folder: add -o DIR")
    if not many:
        arg = Path(paths[0])
        target = out
        if out is not None and out.is_dir():
            target = out / arg.with_suffix(ext).name
        if target is not None and arg.exists() and target.resolve() == arg.resolve():
            raise PlanError(f"writing to {target} would overwrite the input; choose another output")
        yield Job(paths[0], target, kind=page_kind(paths[0], input_format))
        return
    assert out is not None
    if out.exists() and not out.is_dir():
        raise PlanError(f"{out} is a file; with several inputs or a folder, -o must name a folder")
    _check_outputs(paths, out, ext, pattern, keep_dirs)
    for p in paths:
        arg = Path(p)
        if not arg.is_dir():
            yield Job(p, out / arg.with_suffix(ext).name, kind=page_kind(p, input_format))
            continue
        # Pages of one folder come together, so clashing names (a.htm and a.txt -> a.txt)
        # are caught by remembering one folder's output names at a time.
        folder: Path | None = None
        taken: dict[Path, str] = {}
        root = _folder_root(arg, out, keep_dirs)
        found = False
        for f, error in walk_pages(arg, pattern):
            found = True
            if error is not None:
                yield Job(str(f), None, error)
                continue
            target = root / f.relative_to(arg).with_suffix(ext)
            if target.parent != folder:
                folder, taken = target.parent, {}
            first = taken.setdefault(target, str(f))
            if first != str(f):
                yield Job(str(f), target, f"skipped: {first} is written to {target} already; rename one of them")
                continue
            yield Job(str(f), target, kind=page_kind(str(f), input_format))
        if not found:
            yield Job(p, None, f"no file in this folder matches --glob {pattern!r}; give the pages' pattern")
