"""The ``clean`` command keeps its promises: nothing overwritten or half-written, bad inputs named, long pages."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from typer.testing import CliRunner

import cleanews.model.classifier as model_module
import cleanews.run.plan as plan_module
import cleanews.run.pool as pool_module
from cleanews.api import CleanOptions, clean_page, label_page
from cleanews.cli import app
from cleanews.data.labels import LABELS
from cleanews.model.store import Model

from .helpers import (
    ALL_LABELS,
    PAGE,
    PNG,
    TRADITIONAL_PAGE,
    collapse_blank_runs,
    invoke,
    jsonl,
    summary,
    tree,
    untsv,
    write,
)

# -- nothing is overwritten, nothing is half-written ----------------------------------


def test_output_over_the_input_is_refused(runner: CliRunner, crawl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(crawl)
    page = crawl / "d.txt"
    assert "overwrite" in invoke(runner, "clean", str(page), "-o", str(page), code=2).stderr
    assert "overwrite" in invoke(runner, "clean", str(page), "-o", str(crawl), code=2).stderr
    result = invoke(runner, "clean", str(page), str(crawl / "a" / "b.txt"), "-o", str(crawl), code=2)
    assert "d.txt" in result.stderr
    monkeypatch.chdir(crawl.parent)
    result = invoke(runner, "clean", "crawl", "-o", ".", "--keep-dirs", code=2)  # crawl/x.txt -> ./crawl/x.txt
    assert "inside the input folder" in result.stderr
    assert tree(crawl) == before


def test_output_folder_inside_the_input_folder_is_refused(runner: CliRunner, crawl: Path) -> None:
    before = tree(crawl)
    for out in (crawl / "cleaned", crawl, crawl / "a"):
        result = invoke(runner, "clean", str(crawl), "-o", str(out), code=2)
        assert "inside the input folder" in result.stderr
    assert tree(crawl) == before
    assert not (crawl / "cleaned").exists()


def test_two_inputs_written_to_one_place_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "x" / "crawl" / "p.txt", PAGE)
    write(tmp_path / "y" / "crawl" / "p.txt", PAGE)
    result = invoke(
        runner, "clean", str(tmp_path / "x" / "crawl"), str(tmp_path / "y" / "crawl"), "-o", str(tmp_path / "o"), code=2
    )
    assert "both be written" in result.stderr and "--keep-dirs" in result.stderr
    result = invoke(
        runner,
        "clean",
        str(tmp_path / "x" / "crawl"),
        str(tmp_path / "y" / "crawl"),
        "-o",
        str(tmp_path / "o"),
        "--keep-dirs",
        code=2,
    )  # under their names: both crawl/p.txt
    assert "both be written" in result.stderr
    assert not (tmp_path / "o").exists()


def test_outputs_are_ordinary_files(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    invoke(runner, "clean", str(path), "-o", str(tmp_path / "out" / "a.txt"))
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out" / "a.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def _failing_writer(exc: BaseException):  # type: ignore[no-untyped-def]
    """A write_result that writes part of the output, then fails."""

    def write_result(result, fmt: str, out: IO[str]) -> None:  # type: ignore[no-untyped-def]
        out.write("half of the output\n" * 100)
        out.flush()
        raise exc

    return write_result


def test_failed_write_leaves_no_partial_file(
    runner: CliRunner, crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write(out / "d.txt", "an earlier, complete output\n")
    monkeypatch.setattr(pool_module, "write_result", _failing_writer(OSError(errno.ENOSPC, "No space left on device")))
    result = invoke(runner, "clean", str(crawl), "-o", str(out), "--jobs", "1", code=1)
    assert result.stderr.count("No space left on device") == 3
    assert summary(result.stderr)[3] == 3
    # no target, no temporary file; an earlier output is left as it was
    assert tree(out) == {"d.txt": b"an earlier, complete output\n"}


def test_interrupted_write_leaves_no_partial_file(
    runner: CliRunner, crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "write_result", _failing_writer(KeyboardInterrupt()))
    result = runner.invoke(app, ["clean", str(crawl / "d.txt"), "-o", str(tmp_path / "out" / "d.txt")])
    assert result.exit_code != 0
    assert tree(tmp_path / "out") == {}


def test_broken_pipe_stops_quietly(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    @contextmanager
    def closed_stdout() -> Iterator[Closed]:
        yield Closed()

    monkeypatch.setattr(pool_module, "stdout_output", closed_stdout)
    result = invoke(runner, "clean", str(write(tmp_path / "page.txt", PAGE)), code=0)
    assert result.stderr == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- bad inputs in a batch ------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_inputs_are_named_and_the_batch_goes_on(runner: CliRunner, tmp_path: Path, jobs: str) -> None:
    root = tmp_path / "pages"
    write(root / "good.txt", PAGE)
    write(root / "image.txt", PNG)
    write(root / "noise.txt", bytes(range(32)) * 40)
    write(root / "z_good.txt", PAGE.encode("utf-16"))
    locked = write(root / "locked.txt", PAGE)
    locked.chmod(0)
    unreadable = not os.access(locked, os.R_OK)
    missing = tmp_path / "missing.txt"
    try:
        result = invoke(runner, "clean", str(root), str(missing), "-o", str(tmp_path / "out"), "--jobs", jobs, code=1)
    finally:
        locked.chmod(0o644)
    errors = [line for line in result.stderr.splitlines() if line.startswith("cleanews: ")]
    expected = {
        "image.txt": "PNG image",
        "noise.txt": "binary data",
        "missing.txt": "no such file",
    }
    if unreadable:  # running as root, chmod 000 does not stop reading
        expected["locked.txt"] = "permission denied"
    assert len(errors) == len(expected), result.stderr
    for name, reason in expected.items():
        (line,) = [e for e in errors if name in e]
        assert reason in line
    files, lines, kept, failed = summary(result.stderr)
    assert (files, failed) == (6, len(expected))
    assert lines > 0 and kept > 0
    written = sorted(tree(tmp_path / "out"))
    assert "good.txt" in written and "z_good.txt" in written
    assert not any(name in w for w in written for name in expected)


def test_unreadable_input_file(runner: CliRunner, tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", PAGE)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        result = invoke(runner, "clean", str(locked), code=1)
    finally:
        locked.chmod(0o644)
    assert f"cleanews: {locked}: permission denied" in result.stderr


def test_unreadable_folder_is_named(
    runner: CliRunner, crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):  # type: ignore[no-untyped-def]
        assert onerror is not None
        onerror(PermissionError(errno.EACCES, "Permission denied", str(Path(top) / "locked")))
        yield from real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(plan_module.os, "walk", walk)
    result = invoke(runner, "clean", str(crawl), "-o", str(tmp_path / "out"), "--jobs", "1", code=1)
    assert f"cleanews: {crawl / 'locked'}: cannot read this folder (Permission denied)" in result.stderr
    assert summary(result.stderr)[0] == 4
    assert len(tree(tmp_path / "out")) == 3


def test_missing_single_file(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "clean", str(tmp_path / "nope.txt"), code=1)
    assert f"cleanews: {tmp_path / 'nope.txt'}: no such file" in result.stderr
    assert summary(result.stderr) == (1, 0, 0, 1)


@pytest.mark.parametrize(
    ("name", "data", "lines"),
    [
        ("empty", b"", 0),
        ("blank", "\n  \n\u3000\n\u200b\n\n".encode(), 5),
        ("long", "很长的一行".encode() * 100_000, 1),
    ],
)
def test_edge_pages_give_no_error(runner: CliRunner, tmp_path: Path, name: str, data: bytes, lines: int) -> None:
    path = write(tmp_path / f"{name}.txt", data)
    out = invoke(runner, "clean", str(path), "--format", "tsv").stdout_bytes
    assert untsv(out) == data
    assert out.count(b"\n") == data.count(b"\n")
    records = jsonl(invoke(runner, "clean", str(path), "--format", "jsonl").stdout)
    assert len(records) == lines
    if name == "long":
        assert len(records[0]["text"]) == 500_000 and records[0]["label"] in LABELS
    else:
        assert all(r["label"] is None for r in records)
        assert invoke(runner, "clean", str(path)).stdout == ""


def test_edge_pages_in_a_batch(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "edge"
    write(root / "empty.txt", b"")
    write(root / "blank.txt", "\n\n  \n")
    write(root / "long.txt", "很长的一行" * 100_000)
    result = invoke(runner, "clean", str(root), "-o", str(tmp_path / "out"), "--jobs", "1", "--format", "tsv")
    files, lines, _, failed = summary(result.stderr)
    assert (files, lines, failed) == (3, 1, 0)
    out = tree(tmp_path / "out")
    assert out["empty.tsv"] == b""
    assert out["blank.tsv"] == b"-\t\n-\t\n-\t  \n"


# -- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "encoding"), [(PAGE.replace("©", "(c)"), "gbk"), (TRADITIONAL_PAGE, "big5")])
def test_legacy_encodings_are_decoded(
    runner: CliRunner, tmp_path: Path, model: Model, text: str, encoding: str
) -> None:
    path = write(tmp_path / "in" / "page.txt", text.encode(encoding))
    out = invoke(runner, "clean", str(path), "--format", "tsv").stdout_bytes
    assert untsv(out).decode("utf-8") == text
    invoke(runner, "clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "1", "--keep", ALL_LABELS)
    assert (tmp_path / "out/page.txt").read_bytes() == collapse_blank_runs(text).encode("utf-8")
    assert invoke(runner, "clean", str(path)).stdout == clean_page(text, model)


# -- long pages are labelled in chunks -----------------------------------------------


def test_long_pages_are_labelled_in_bounded_chunks(model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 200 MB page is too slow for a test; a long page with a small chunk size shows the
    same path: the model sees the page a bounded number of lines at a time."""
    page = PAGE * 60  # 1,140 lines
    whole = label_page(page, model)
    monkeypatch.setattr(model_module, "CHUNK_LINES", 200)
    sizes: list[int] = []
    real = model_module.prepare

    def spy(lines):  # type: ignore[no-untyped-def]
        sizes.append(len(lines))
        return real(lines)

    monkeypatch.setattr(model_module, "prepare", spy)
    chunked = label_page(page, model, CleanOptions())
    assert len(sizes) >= 5 and max(sizes) <= 200 + 2 * model_module.CHUNK_MARGIN
    assert [line.text for line in chunked] == [line.text for line in whole]
    assert [line.label is None for line in chunked] == [line.label is None for line in whole]
    decided = [line for line in chunked if line.label is not None]
    assert all(line.label in LABELS and 0 <= (line.confidence or 0.0) <= 1 for line in decided)


def test_long_page_through_the_command(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "CHUNK_LINES", 150)
    page = PAGE.replace("\n", "\r\n") * 30
    path = write(tmp_path / "long.txt", page)
    assert untsv(invoke(runner, "clean", str(path), "--format", "tsv").stdout_bytes) == page.encode()
