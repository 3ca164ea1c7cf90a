"""The habits of a command-line tool: mirroring like rsync, a progress bar, --quiet, pipes, choices in --help."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from cleanews.cli import app
from cleanews.run.pool import Outcome
from cleanews.run.progress import RunDisplay

from .conftest import SEEDS

PAGE = (SEEDS / "002_5aacf02890d5d153.txt").read_text(encoding="utf-8")


def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def make(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PAGE, encoding="utf-8")
    return root


def test_several_folders_are_mirrored_relative_to_each(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make(tmp_path / "x", "a/p.txt", "q.txt")
    make(tmp_path / "y", "b/p.txt")
    monkeypatch.chdir(tmp_path)
    invoke("clean", "x", str(tmp_path / "y"), "-o", "out", "-q", "-j", "1")
    assert files(tmp_path / "out") == ["a/p.txt", "b/p.txt", "q.txt"]
    invoke("clean", "x/", "./y", "-o", "kept", "--keep-dirs", "-q", "-j", "1")
    assert files(tmp_path / "kept") == ["x/a/p.txt", "x/q.txt", "y/b/p.txt"]


def test_clashing_folders_are_refused_before_any_work(tmp_path: Path) -> None:
    make(tmp_path / "x", "a/p.txt")
    make(tmp_path / "y", "a/p.txt")
    result = invoke("clean", str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(tmp_path / "o"), code=2)
    assert "both be written to" in result.stderr and "--keep-dirs" in result.stderr
    assert not (tmp_path / "o").exists()
    invoke("clean", str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(tmp_path / "o"), "--keep-dirs", "-q")
    assert files(tmp_path / "o") == ["x/a/p.txt", "y/a/p.txt"]


def test_quiet_and_the_summary_line(tmp_path: Path) -> None:
    make(tmp_path / "c", "p.txt", "q.txt")
    loud = invoke("clean", str(tmp_path / "c"), "-o", str(tmp_path / "o1"), "-j", "1")
    assert loud.stderr.strip().startswith("2 files, ") and loud.stderr.strip().endswith("0 failed")
    assert invoke("clean", str(tmp_path / "c"), "-o", str(tmp_path / "o2"), "--quiet", "-j", "1").stderr == ""
    (tmp_path / "c" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    quiet_fail = invoke("clean", str(tmp_path / "c"), "-o", str(tmp_path / "o3"), "--quiet", "-j", "1", code=1)
    assert "bad.txt" in quiet_fail.stderr and "files," not in quiet_fail.stderr  # errors are never hidden


def test_the_progress_bar_has_total_rate_and_time_left() -> None:
    display = RunDisplay(True, total=3, stream=io.StringIO())
    display.done(Outcome("a.txt", True, None, 3, 1))
    display.done(Outcome("b.txt", True, None, 3, 1))
    assert display._bar is not None
    console = Console(record=True, width=160, file=io.StringIO())
    console.print(display._bar.make_tasks_table(display._bar.tasks))
    shown = console.export_text()
    display.close()
    assert "2/3" in shown and "files" in shown and "67%" in shown and "left" in shown


def test_a_closed_pipe_exits_0_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(PAGE * 40, encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m cleanews clean --format jsonl '{big}' | head -n 1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.count("\n") == 1


def test_choices_are_shown_in_help() -> None:
    shown = invoke("clean", "--help").stdout
    assert "text|jsonl|tsv|parquet" in shown and "local|ray" in shown and "auto|page|html|jsonl|parquet" in shown
