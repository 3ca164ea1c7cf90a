"""--jobs 0: one process for a small batch, one per core for a big one, decided from count and bytes."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

import cleanews
from cleanews.run import pool
from cleanews.run.plan import Job, plan


def jobs_of(tmp_path: Path, sizes: list[int]) -> list[Job]:
    out = []
    for k, size in enumerate(sizes):
        src = tmp_path / f"p{k}.txt"
        src.write_bytes(b"x" * size)
        out.append(Job(str(src), tmp_path / "out" / f"p{k}.jsonl"))
    return out


def test_a_small_batch_stays_in_one_process(tmp_path: Path) -> None:
    jobs = jobs_of(tmp_path, [25_000] * 100)  # 2.5 MB: about a second of labelling
    workers, again = pool.choose_workers(iter(jobs), cores=2)
    assert workers == 1
    assert list(again) == jobs


def test_a_big_batch_gets_a_worker_per_core(tmp_path: Path) -> None:
    jobs = jobs_of(tmp_path, [25_000] * 1000)
    workers, again = pool.choose_workers(iter(jobs), cores=2)
    assert workers == 2
    assert list(again) == jobs  # none lost, none repeated, in order
    assert pool.choose_workers(iter(jobs), cores=1)[0] == 1


def test_many_tiny_files_count_too(tmp_path: Path) -> None:
    few, many = jobs_of(tmp_path, [10] * 50), [Job(f"/nonexistent/{k}.txt", None) for k in range(20_000)]
    assert pool.choose_workers(iter(few), cores=4)[0] == 1
    assert pool.choose_workers(iter(many), cores=4)[0] == 4


def test_the_plan_is_read_only_as_far_as_the_answer_needs() -> None:
    read = []

    def endless() -> Iterator[Job]:
        for k in itertools.count():
            read.append(k)
            yield Job(f"/nonexistent/{k}.txt", None)

    workers, again = pool.choose_workers(endless(), cores=2)
    assert workers == 2
    assert len(read) <= 2 * pool.SECONDS_PER_WORKER / pool.FIXED_ESTIMATE + 2  # 3,000 files of fixed work
    assert [j.source for j in itertools.islice(again, 3)] == [f"/nonexistent/{k}.txt" for k in range(3)]


def test_jobs_0_on_a_small_folder_runs_here(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    for k in range(3):
        (src / f"p{k}.txt").write_text("新闻首页 | 国内\n今天天气很好，人们纷纷走出家门。\n", encoding="utf-8")
    model = cleanews.load_model()
    with caplog.at_level(logging.INFO, logger="cleanews.run.pool"):
        summary = pool.run(plan([str(src)], tmp_path / "out", "jsonl"), model, cleanews.CleanOptions(), "jsonl", 0)
    assert summary.files == 3 and not summary.failed
    assert "1 worker process (this one)" in caplog.text
    assert len(list((tmp_path / "out").rglob("*.jsonl"))) == 3
