"""Planning a run: which pages to clean and where each result goes.

Folders are walked lazily, in sorted order, so planning a million pages costs no more
memory than planning ten. Every unsafe request (an output over or among the inputs,
two inputs written to one place) is refused before the first page is written.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleanews.files import STDIN
from cleanews.run.writers import EXTENSIONS


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


def is_batch(paths: Iterable[str]) -> bool:
    """Several inputs, or a folder: outputs go to a folder and the run gets a summary."""
    paths = list(paths)
    return len(paths) > 1 or any(p != STDIN and Path(p).is_dir() for p in paths)


def walk_pages(root: Path, pattern: str) -> Iterator[tuple[Path, str | None]]:
    """Files under ``root`` whose names match, in sorted order, lazily; and folders that
    cannot be read, with the reason (so that no page goes missing without a word)."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _walk_errors(errors)
        dirnames.sort()
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                yield Path(dirpath) / name, None
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[tuple[Path, str | None]]:
    while errors:
        exc = errors.pop(0)
        yield Path(exc.filename or "?"), f"cannot read this folder ({exc.strerror or exc}); its pages were skipped"


def _mirror(arg: Path) -> Path:
    """Where an input argument goes under the output folder.

    A relative input is mirrored as given (``crawl`` -> ``OUT/crawl``, ``a/b.txt`` ->
    ``OUT/a/b.txt``); an absolute one, or one that climbs with ``..``, by its last part
    (``/data/crawl`` -> ``OUT/crawl``). The pages of a folder keep their path inside it.
    """
    if not arg.is_absolute() and ".." not in arg.parts:
        return arg
    return Path(Path(os.path.abspath(arg)).name)


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies under it (both resolved)."""
    return path == folder or folder in path.parents


def _check_outputs(paths: list[str], out: Path, ext: str) -> None:
    """Refuse, before any work, a batch that would write over or among its inputs, or
    write two different inputs to the same place."""
    o = out.resolve()
    entries: list[tuple[str, bool, Path, Path]] = []  # (argument, is a folder, input, output root), resolved
    for p in paths:
        arg = Path(p)
        is_dir = arg.is_dir()
        if is_dir and _inside(o, arg.resolve()):
            raise PlanError(f"the output folder {out} lies inside the input folder {p}; choose one outside it")
        root = out / (_mirror(arg) if is_dir else _mirror(arg).with_suffix(ext))
        entries.append((p, is_dir, arg.resolve(), root.resolve()))
    for p, p_dir, psrc, proot in entries:
        for q, q_dir, qsrc, qroot in entries:
            if (p_dir and _inside(qroot, psrc)) or (not p_dir and qroot == psrc):
                where = "inside the input folder" if p_dir else "over the input"
                raise PlanError(f"the output of {q} would be written {where} {p}; choose another output folder")
            if p == q or not _inside(qroot, proot):
                continue
            if p_dir and _inside(qsrc, psrc):  # q is given twice (as itself and inside p): same pages, same place
                rel = qsrc.relative_to(psrc)
                if proot / (rel if q_dir else rel.with_suffix(ext)) == qroot:
                    continue
            raise PlanError(f"{p} and {q} would both be written to {qroot}; clean them into separate output folders")


def plan(paths: Iterable[str], out: Path | None, fmt: str, pattern: str = "*.txt") -> Iterator[Job]:
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
        yield Job(STDIN, out)
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
        yield Job(paths[0], target)
        return
    assert out is not None
    if out.exists() and not out.is_dir():
        raise PlanError(f"{out} is a file; with several inputs or a folder, -o must name a folder")
    _check_outputs(paths, out, ext)
    for p in paths:
        arg = Path(p)
        if not arg.is_dir():
            yield Job(p, out / _mirror(arg).with_suffix(ext))
            continue
        # Pages of one folder come together, so clashing names (a.htm and a.txt -> a.txt)
        # are caught by remembering one folder's output names at a time.
        folder: Path | None = None
        taken: dict[Path, str] = {}
        root = out / _mirror(arg)
        for f, error in walk_pages(arg, pattern):
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
            yield Job(str(f), target)
