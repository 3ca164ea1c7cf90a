"""Fixtures of the command's tests: the shipped model loaded once per session, one native thread, a crawl."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

from cleanews import cli
from cleanews.model.store import Model, load_model

from .helpers import (
    PAGE,
    write,
)


@pytest.fixture(scope="session", autouse=True)
def _one_thread_each() -> Iterator[None]:
    """Native threads limited to one, as the command does for its workers: on a busy machine
    numpy's BLAS threads make a tiny page take seconds instead of 0.05 s."""
    with threadpool_limits(1):
        yield


@functools.cache
def shipped_model() -> Model:
    """The shipped model, loaded once for the whole session (on first use)."""
    return load_model()


@pytest.fixture
def model() -> Model:
    return shipped_model()


@pytest.fixture(autouse=True)
def _shipped_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands without --model get the session's model instead of loading it again."""
    real = cli.load_model
    monkeypatch.setattr(cli, "load_model", lambda path=None: shipped_model() if path is None else real(path))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    root = tmp_path / "crawl"
    write(root / "a" / "b.txt", PAGE)
    write(root / "a" / "deeper" / "c.txt", PAGE.replace("台风", "暴雨"))
    write(root / "d.txt", PAGE.replace("\n", "\r\n"))
    write(root / "skip.md", PAGE)
    return root
