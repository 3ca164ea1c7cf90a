"""The ``cleanews`` command (issue 5), driven in process through typer's CliRunner.

The shipped model is loaded once per session and handed to every command that does
not name a model; pages are tiny, so the whole file runs in about half a minute.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import joblib
import pytest
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

import cleanews.model.classifier as model_module
import cleanews.run.plan as plan_module
import cleanews.run.pool as pool_module
from cleanews import cli
from cleanews.api import CleanOptions, clean_page, label_page
from cleanews.cli import app
from cleanews.data.labelled import read_labelled
from cleanews.data.labels import LABELS
from cleanews.features.measures import FEATURE_VERSION
from cleanews.model.store import Model, load_model
from cleanews.run.progress import RunDisplay

from .conftest import ROOT

PAGE = (
    "每日新闻网\n"
    "网站首页 国内 国际 财经 体育 科技\n"
    "首页 > 国内新闻 > 正文\n"
    "\n"
    "第9号台风今晨登陆沿海地区 多地停课停工\n"
    "来源：新华社 | 时间：2025-03-18 11:30:28 | 点击：149\n"
    "\n"
    "新华社北京3月18日电 第9号台风今天凌晨在沿海地区登陆，登陆时中心附近最大风力十二级。\n"
    "气象部门表示，受台风影响，未来三天沿海地区将有大到暴雨，局部地区有特大暴雨。\n"
    "\n"
    "\n"
    "当地政府已经启动应急响应，转移安置群众三万余人，全市中小学全部停课。\n"
    "专家提醒，市民应尽量减少外出，远离海边和低洼地区，注意防范次生灾害。\n"
    "\n"
    "相关新闻\n"
    "暴雨导致多地交通中断 铁路部门发布通知\n"
    "国务院召开常务会议 部署防汛救灾工作\n"
    "\n"
    "版权所有 © 2025 每日新闻网 京ICP备2025111695号\n"
)

TRADITIONAL_PAGE = (
    "每日新聞網\n"
    "首頁 > 國際新聞 > 正文\n"
    "\n"
    "颱風明晨登陸 各地學校停課\n"
    "來源：中央社 2025年03月18日\n"
    "\n"
    "臺灣中央氣象署表示，颱風將於明天清晨登陸，各地民眾應提前做好防範準備，避免前往海邊與山區活動。\n"
    "氣象專家指出，這次颱風的雨量可能創下近十年來的紀錄，山區民眾務必提高警覺。\n"
)

SUMMARY = re.compile(r"^(\d+) files, (\d+) lines, (\d+) kept, (\d+) failed$", re.M)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ALL_LABELS = ",".join(LABELS)


# -- fixtures and helpers ----------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _one_thread_each() -> Iterator[None]:
    """Native threads limited to one, as the command does for its workers: on a busy machine
    OpenMP threads in scikit-learn's trees make a tiny page take seconds instead of 0.05 s."""
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


def invoke(runner: CliRunner, *args: str, stdin: bytes | None = None, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, (
        f"exit {result.exit_code}, wanted {code}\nstdout: {result.stdout}\nstderr: {result.stderr}\n"
        f"exception: {result.exception!r}"
    )
    return result


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def untsv(data: bytes) -> bytes:
    """A labelled page with its first column dropped: the page again."""
    out = []
    for line in data.splitlines(keepends=True):
        label, tab, rest = line.partition(b"\t")
        assert tab, line
        assert label.decode() in (*LABELS, "-"), line
        out.append(rest)
    return b"".join(out)


def jsonl(data: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in data.splitlines()]


def collapse_blank_runs(page: str) -> str:
    """What --format text gives when every label is kept: the page, one blank line per gap."""
    out: list[str] = []
    gap = False
    for line in page.splitlines(keepends=True):
        if line.strip():
            if gap and out:
                out.append("\n")
            out.append(line)
            gap = False
        else:
            gap = True
    return "".join(out)


def summary(stderr: str) -> tuple[int, int, int, int]:
    found = SUMMARY.findall(stderr)
    assert len(found) == 1, stderr
    files, lines, kept, failed = map(int, found[0])
    return files, lines, kept, failed


# -- one page, standard input and output -------------------------------------------


def test_single_file_to_stdout(runner: CliRunner, tmp_path: Path, model: Model) -> None:
    page = write(tmp_path / "page.txt", PAGE)
    result = invoke(runner, "clean", str(page))
    assert result.stdout == clean_page(PAGE, model)
    assert result.stdout.strip(), "the article should not be empty"
    assert set(result.stdout.splitlines()) - {""} <= set(PAGE.splitlines())
    assert result.stderr == ""  # one page: no summary line
    assert tree(tmp_path) == {"page.txt": PAGE.encode()}  # nothing written beside it


def test_stdin_to_stdout(runner: CliRunner, model: Model) -> None:
    result = invoke(runner, "clean", "-", stdin=PAGE.encode())
    assert result.stdout == clean_page(PAGE, model)
    result = invoke(runner, "clean", "-", "--format", "tsv", stdin=PAGE.replace("\n", "\r\n").encode())
    assert untsv(result.stdout_bytes) == PAGE.replace("\n", "\r\n").encode()


def test_single_file_to_output_file_and_folder(runner: CliRunner, tmp_path: Path, model: Model) -> None:
    page = write(tmp_path / "in" / "page.txt", PAGE)
    invoke(runner, "clean", str(page), "-o", str(tmp_path / "article.txt"))
    assert (tmp_path / "article.txt").read_text(encoding="utf-8") == clean_page(PAGE, model)
    (tmp_path / "outdir").mkdir()
    invoke(runner, "clean", str(page), "-o", str(tmp_path / "outdir"), "--format", "jsonl")
    assert len(jsonl((tmp_path / "outdir" / "page.jsonl").read_text(encoding="utf-8"))) == PAGE.count("\n")


def test_stdin_to_output_file(runner: CliRunner, tmp_path: Path, model: Model) -> None:
    invoke(runner, "clean", "-", "-o", str(tmp_path / "a.txt"), stdin=PAGE.encode())
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == clean_page(PAGE, model)


def test_stdin_must_be_the_only_input(runner: CliRunner, tmp_path: Path) -> None:
    page = write(tmp_path / "page.txt", PAGE)
    result = invoke(runner, "clean", "-", str(page), "-o", str(tmp_path / "out"), stdin=PAGE.encode(), code=2)
    assert "standard input" in result.stderr
    result = invoke(runner, "clean", "-", "-o", str(tmp_path), stdin=PAGE.encode(), code=2)
    assert "file name" in result.stderr
    assert not (tmp_path / "out").exists()


# -- folders and several inputs --------------------------------------------------


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    root = tmp_path / "crawl"
    write(root / "a" / "b.txt", PAGE)
    write(root / "a" / "deeper" / "c.txt", PAGE.replace("台风", "暴雨"))
    write(root / "d.txt", PAGE.replace("\n", "\r\n"))
    write(root / "skip.md", PAGE)
    return root


def test_folder_is_mirrored_under_the_output_folder(
    runner: CliRunner, crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Model
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "clean", "crawl", "-o", "out", "--jobs", "1")
    assert sorted(tree(tmp_path / "out")) == ["a/b.txt", "a/deeper/c.txt", "d.txt"]
    assert (tmp_path / "out/a/b.txt").read_text(encoding="utf-8") == clean_page(PAGE, model)
    assert result.stdout == ""
    files, lines, kept, failed = summary(result.stderr)
    assert (files, failed) == (3, 0)
    assert lines == 3 * sum(1 for line in PAGE.splitlines() if line.strip())
    assert 0 < kept < lines
    # the same folder named by its absolute path, or with a slash, gives the same layout
    invoke(runner, "clean", str(crawl), "-o", str(tmp_path / "out2"), "--jobs", "1", "--format", "jsonl")
    assert sorted(tree(tmp_path / "out2")) == ["a/b.jsonl", "a/deeper/c.jsonl", "d.jsonl"]
    invoke(runner, "clean", "crawl/", "-o", "out3/", "--jobs", "1")
    assert sorted(tree(tmp_path / "out3")) == ["a/b.txt", "a/deeper/c.txt", "d.txt"]


def test_links_and_the_current_folder_are_mirrored_by_their_path(
    runner: CliRunner, crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (crawl / "a" / "link.txt").symlink_to(crawl / "d.txt")
    invoke(runner, "clean", str(crawl), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert "a/link.txt" in tree(tmp_path / "out")
    monkeypatch.chdir(crawl)
    invoke(runner, "clean", ".", "-o", str(tmp_path / "here"), "--jobs", "1")
    assert sorted(tree(tmp_path / "here")) == ["a/b.txt", "a/deeper/c.txt", "a/link.txt", "d.txt"]


def test_several_files_go_by_their_names(runner: CliRunner, crawl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(crawl)
    invoke(runner, "clean", "a/b.txt", "d.txt", "-o", "../DIR", "--format", "tsv", "--jobs", "1")
    assert sorted(tree(crawl.parent / "DIR")) == ["b.tsv", "d.tsv"]


def test_glob_chooses_the_files_of_a_folder(runner: CliRunner, crawl: Path, tmp_path: Path) -> None:
    invoke(runner, "clean", str(crawl), "-o", str(tmp_path / "out"), "--glob", "*.md", "--jobs", "1")
    assert sorted(tree(tmp_path / "out")) == ["skip.txt"]


def test_clashing_output_names_in_a_folder_are_not_overwritten(
    runner: CliRunner, crawl: Path, tmp_path: Path, model: Model
) -> None:
    write(crawl / "skip.txt", "另一页\n")  # skip.md and skip.txt would both become skip.txt
    result = invoke(runner, "clean", str(crawl), "-o", str(tmp_path / "out"), "--glob", "skip.*", "--jobs", "1", code=1)
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("cleanews: ")]
    assert error.startswith(f"cleanews: {crawl / 'skip.txt'}: skipped") and "rename" in error
    assert summary(result.stderr)[3] == 1
    assert (tmp_path / "out/skip.txt").read_text(encoding="utf-8") == clean_page(PAGE, model)


def test_several_inputs_need_an_output_folder(runner: CliRunner, crawl: Path) -> None:
    result = invoke(runner, "clean", str(crawl / "d.txt"), str(crawl / "a" / "b.txt"), code=2)
    assert "-o DIR" in result.stderr
    result = invoke(runner, "clean", str(crawl), code=2)
    assert "-o DIR" in result.stderr
    result = invoke(runner, "clean", str(crawl), "-o", str(crawl / "d.txt"), code=2)
    assert "must name a folder" in result.stderr
    assert result.stdout == ""


def test_jobs_1_and_2_give_identical_outputs(runner: CliRunner, crawl: Path, tmp_path: Path) -> None:
    fmt = "jsonl"  # labels, confidences and texts: the strictest comparison
    write(crawl / "e" / "f.txt", TRADITIONAL_PAGE.encode("big5"))
    write(crawl / "g.txt", "")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = invoke(runner, "clean", str(crawl), "-o", str(out), "--jobs", jobs, "--format", fmt)
        outs.append((tree(out), summary(result.stderr)))
    assert outs[0] == outs[1]
    assert len(outs[0][0]) == 5


# -- formats -----------------------------------------------------------------------


def test_text_keeps_lines_unchanged_and_paragraph_gaps(runner: CliRunner, tmp_path: Path, model: Model) -> None:
    page = PAGE.replace("\n\n相关新闻", "\n　\n相关新闻")  # a blank line made of U+3000
    path = write(tmp_path / "page.txt", page)
    result = invoke(runner, "clean", str(path), "--keep", ALL_LABELS)
    assert result.stdout == collapse_blank_runs(page).replace("\n\n相关新闻", "\n　\n相关新闻")
    # default keep: the kept lines of the JSONL report, in order, unchanged
    text = invoke(runner, "clean", str(path)).stdout
    report = jsonl(invoke(runner, "clean", str(path), "--format", "jsonl").stdout)
    assert [line for line in text.splitlines() if line.strip()] == [r["text"] for r in report if r["kept"]]
    assert text == clean_page(page, model)


def test_text_keeps_crlf_and_adds_a_final_newline(runner: CliRunner, tmp_path: Path) -> None:
    page = PAGE.replace("\n", "\r\n").rstrip("\r\n")
    path = write(tmp_path / "page.txt", page)
    out = invoke(runner, "clean", str(path), "--keep", ALL_LABELS).stdout_bytes
    assert out == collapse_blank_runs(PAGE).replace("\n", "\r\n").encode()


def test_jsonl_reports_every_line(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    records = jsonl(invoke(runner, "clean", str(path), "--format", "jsonl").stdout)
    lines = PAGE.split("\n")[:-1]
    assert len(records) == len(lines)
    for i, (rec, text) in enumerate(zip(records, lines), start=1):
        assert list(rec) == ["line", "text", "label", "confidence", "kept", "spans"]
        assert isinstance(rec["spans"], list)
        assert rec["line"] == i and rec["text"] == text
        if text.strip():
            assert rec["label"] in LABELS
            assert 0.0 <= rec["confidence"] <= 1.0
            assert rec["kept"] == (rec["label"] in ("body", "title"))
        else:
            assert rec["label"] is None and rec["confidence"] is None and rec["kept"] is False
    assert any(r["kept"] for r in records) and not all(r["kept"] for r in records if r["label"])


@pytest.mark.parametrize(
    "page",
    [PAGE, PAGE.replace("\n", "\r\n"), PAGE.rstrip("\n"), "\n\n" + PAGE + "\n\n", "只有一行，没有换行"],
    ids=["lf", "crlf", "no-final-newline", "blank-ends", "one-line"],
)
def test_tsv_gives_the_page_back_byte_for_byte(runner: CliRunner, tmp_path: Path, page: str) -> None:
    path = write(tmp_path / "page.txt", page)
    out = invoke(runner, "clean", str(path), "--format", "tsv").stdout_bytes
    assert untsv(out) == page.encode()
    assert out.endswith(b"\n") == page.endswith("\n")
    # and it is a labelled page that training reads
    labelled = read_labelled(write(tmp_path / "page.tsv", out))
    assert labelled.text == page
    assert all((label is None) == (not line.text.strip()) for line, label in zip(labelled.lines, labelled.labels))


def test_unknown_format_is_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    result = invoke(runner, "clean", str(path), "--format", "html", code=2)
    assert "'text', 'jsonl', 'tsv'" in result.stderr


# -- choosing what is kept ---------------------------------------------------------


def test_keep_chooses_labels(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    records = jsonl(invoke(runner, "clean", str(path), "--format", "jsonl", "--keep", "nav,chrome").stdout)
    assert all(r["kept"] == (r["label"] in ("nav", "chrome")) for r in records)
    assert any(r["kept"] for r in records)


def test_unknown_label_lists_the_valid_ones(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    result = invoke(runner, "clean", str(path), "--keep", "body,article", code=2)
    assert "article" in result.stderr
    assert ", ".join(LABELS) in result.stderr
    assert result.stdout == ""


def test_min_confidence_drops_unsure_kept_lines(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", PAGE)
    base = jsonl(invoke(runner, "clean", str(path), "--format", "jsonl", "--keep", ALL_LABELS).stdout)
    distinct = sorted({r["confidence"] for r in base if r["label"]})
    assert len(distinct) > 1
    mid = len(distinct) // 2
    floor = (distinct[mid - 1] + distinct[mid]) / 2  # between two confidences (rounded to 4 places)
    args = ["clean", str(path), "--format", "jsonl", "--keep", ALL_LABELS, "--min-confidence", str(floor)]
    records = jsonl(invoke(runner, *args).stdout)
    assert [r["kept"] for r in records] == [r["label"] is not None and r["confidence"] > floor for r in records]
    assert 0 < sum(r["kept"] for r in records) < sum(r["label"] is not None for r in records)
    text = invoke(runner, "clean", str(path), "--min-confidence", "1.0").stdout
    assert len(text) <= len(invoke(runner, "clean", str(path)).stdout)
    result = invoke(runner, "clean", str(path), "--min-confidence", "1.5", code=2)
    assert "min-confidence" in result.stderr


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
        runner, "clean", str(tmp_path / "x" / "crawl"), str(tmp_path / "y" / "crawl"), "-o", str(tmp_path / "o"),
        "--keep-dirs", code=2,
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
    chunk = getattr(model_module, "CHUNK_LINES", None)
    assert chunk is not None, "LineClassifier.predict_proba_page does not label long pages in chunks"
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
    assert all(line.label in LABELS and 0 <= line.confidence <= 1 for line in chunked if line.label is not None)


def test_long_page_through_the_command(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "CHUNK_LINES", 150)
    page = PAGE.replace("\n", "\r\n") * 30
    path = write(tmp_path / "long.txt", page)
    assert untsv(invoke(runner, "clean", str(path), "--format", "tsv").stdout_bytes) == page.encode()


# -- train, evaluate, info and bad models ----------------------------------------------

LABELLED_BLOCKS = {
    "nav": ["每日新闻网", "网站首页 国内 国际 财经 体育", "首页 > 新闻中心 > 正文", "登录 注册 会员中心"],
    "region": ["北京 上海 天津 重庆", "  • 浙江", "  • 江苏", "广东 广西 海南"],
    "title": ["第{n}号台风登陆沿海地区 多地停课停工"],
    "meta": ["来源：新华社 | 时间：2025-03-{d} 11:30:28", "责任编辑：张{n}", "阅读 {n}万"],
    "body": [
        "新华社北京3月{d}日电 第{n}号台风今天凌晨在沿海地区登陆，中心附近最大风力十二级。",
        "气象部门表示，受台风影响，未来三天沿海地区将有大到暴雨，局部地区有特大暴雨。",
        "当地政府已经启动应急响应，转移安置群众{n}万余人，学校全部停课。",
        "专家提醒，市民应尽量减少外出，远离海边和低洼地区，注意防范次生灾害。",
    ],
    "links": ["相关新闻", "暴雨导致多地交通中断 铁路部门发布通知", "国务院召开常务会议 部署防汛工作", "友情链接"],
    "spam": ["澳门赌场官网 注册送{n}元彩金", "少妇等你来 [21P]", "大屁股不要太诱人[24P]"],
    "chrome": ["版权所有 © 2025 每日新闻网 京ICP备2025{n}号", "评论", "大字号", "联系我们 | 关于我们 | 广告服务"],
}


def labelled_page(n: int) -> str:
    """A tiny labelled page with every label (twice, so that each training fold sees them all)."""
    out = []
    for rep in range(2):
        for label in LABELS:
            out += [f"{label}\t{t.format(n=n + rep, d=10 + n)}\n" for t in LABELLED_BLOCKS[label]]
            out.append("-\t\n")
    return "".join(out)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A model trained by the command on four tiny labelled pages (pass two kept short)."""
    root = tmp_path_factory.mktemp("train")
    data = root / "labelled"
    for n in range(4):
        write(data / f"page{n}.tsv", labelled_page(n))
    model_path = root / "models" / "tiny.joblib"
    from cleanews.training import train

    fast = functools.partial(train.TrainOptions, max_iter=25)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(train, "TrainOptions", fast)  # the command imports it when it runs
        result = CliRunner().invoke(app, ["train", str(data), "-o", str(model_path), "--folds", "2"])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return data, model_path, result.stdout


def test_train_writes_the_model_and_its_card(trained: tuple[Path, Path, str]) -> None:
    _, model_path, stdout = trained
    assert model_path.is_file()
    assert f"saved {model_path}" in stdout and "macro-F1" in stdout
    card = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["labels"] == list(LABELS)
    assert card["feature_version"] == FEATURE_VERSION
    assert card["training_data"]["pages"] == 4
    assert card["options"]["folds"] == 2


def test_evaluate_and_info_on_the_trained_model(runner: CliRunner, trained: tuple[Path, Path, str]) -> None:
    data, model_path, _ = trained
    report = invoke(runner, "evaluate", str(data), "--model", str(model_path)).stdout
    assert "macro-F1" in report and "confusion" in report
    scores = json.loads(invoke(runner, "evaluate", str(data), "--model", str(model_path), "--json").stdout)
    assert scores["pages"] == 4 and 0.0 <= scores["macro_f1"] <= 1.0
    assert set(scores["per_label"]) == set(LABELS)
    info = invoke(runner, "info", "--model", str(model_path)).stdout
    assert info.startswith(f"model: {model_path}\n")
    card = json.loads(info.split("\n", 1)[1])
    assert card["labels"] == list(LABELS) and card["training_data"]["pages"] == 4


def test_clean_with_a_trained_model(runner: CliRunner, trained: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, model_path, _ = trained
    path = write(tmp_path / "page.txt", PAGE)
    out = invoke(runner, "clean", str(path), "--model", str(model_path), "--format", "tsv").stdout_bytes
    assert untsv(out) == PAGE.encode()


def test_info_of_the_shipped_model(runner: CliRunner) -> None:
    card = json.loads(invoke(runner, "info").stdout.split("\n", 1)[1])
    assert card["labels"] == list(LABELS)


def test_train_refuses_bad_data(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "bad" / "p.tsv", "article\t正文\n")
    result = invoke(runner, "train", str(tmp_path / "bad"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "p.tsv:1" in result.stderr and "unknown label" in result.stderr
    write(tmp_path / "few" / "p.tsv", "body\t正文\n")
    result = invoke(runner, "train", str(tmp_path / "few"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "no line labelled" in result.stderr
    result = invoke(runner, "train", str(tmp_path / "nowhere"), "-o", str(tmp_path / "m.joblib"), code=2)
    assert "does not exist" in result.stderr
    assert not (tmp_path / "m.joblib").exists()


@pytest.fixture
def bad_models(tmp_path: Path) -> dict[str, Path]:
    old = tmp_path / "old.joblib"
    joblib.dump(
        {"format": "cleanews-model", "feature_version": FEATURE_VERSION - 1, "card": {}, "classifier": None}, old
    )
    text = write(tmp_path / "notes.joblib", "这不是模型\n")
    other = tmp_path / "other.joblib"
    joblib.dump({"weights": [1, 2, 3]}, other)
    return {"old": old, "text": text, "other": other, "missing": tmp_path / "missing.joblib"}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("old", "feature version"),
        ("text", "not a readable cleanews model"),
        ("other", "not a cleanews model"),
        ("missing", "no model at"),
    ],
)
def test_unusable_models_exit_3(
    runner: CliRunner, bad_models: dict[str, Path], tmp_path: Path, kind: str, message: str
) -> None:
    bad = bad_models[kind]
    page = write(tmp_path / "page.txt", PAGE)
    for args in (["info"], ["clean", str(page)], ["evaluate", str(page)]):
        result = invoke(runner, *args, "--model", str(bad), code=3)
        assert message in result.stderr and str(bad) in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    if kind == "old":
        assert "retrain" in result.stderr


# -- help ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "codes", "not_codes"),
    [
        ([], ["1 one or more inputs failed", "3 the model cannot be loaded"], []),
        (["clean"], ["1 one or more inputs failed", "3 the model cannot be loaded"], []),
        (["train"], ["0 the model was saved", "1 it cannot be written"], ["inputs failed", "3 the model"]),
        (["evaluate"], ["2 bad usage or bad labelled pages", "3 the model cannot be loaded"], ["inputs failed"]),
        (["info"], ["3 the model cannot be loaded"], ["inputs failed", "2 bad usage"]),
    ],
)
def test_help_gives_an_example_and_its_own_exit_codes(
    runner: CliRunner, command: list[str], codes: list[str], not_codes: list[str]
) -> None:
    text = " ".join(invoke(runner, *command, "--help").stdout.split())  # help wraps lines
    assert "Example" in text
    assert "cleanews " + (command[0] if command else "clean") in text
    assert "Exit codes" in text
    assert all(code in text for code in codes), codes
    assert not any(code in text for code in not_codes), not_codes


def test_model_help_states_the_trust_boundary(runner: CliRunner) -> None:
    for command in ("clean", "evaluate", "info"):
        text = " ".join(invoke(runner, command, "--help").stdout.split())
        assert "runs no code from the file" in text and "trust" in text


def test_python_m_cleanews_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cleanews", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: cleanews" in result.stdout
    for command in ("clean", "train", "evaluate", "info"):
        assert command in result.stdout


def test_version(runner: CliRunner) -> None:
    assert invoke(runner, "--version").stdout.startswith("cleanews ")


def test_failures_are_named_with_or_without_the_bar() -> None:
    for bar in (True, False):
        err = io.StringIO()
        display = RunDisplay(bar, total=2, stream=err)
        display.done(pool_module.Outcome("a.txt", True, None, 3, 1))
        display.done(pool_module.Outcome("b.txt", False, "no such file"))
        display.close()
        assert "cleanews: b.txt: no such file" in err.getvalue()
        assert display.count == 2
