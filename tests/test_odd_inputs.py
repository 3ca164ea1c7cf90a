"""What a real crawl holds besides pages: NUL padding, magic-looking text, mixed encodings,
FIFOs and sockets, link loops, folders with nothing to clean, wrong types (issue 15)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleanews
from cleanews.cli import app
from cleanews.model.store import Model, load_model

from .conftest import ROOT, SEEDS

PAGE = (
    "星球新闻网\n网站首页 国内 国际 财经\n\n"
    "台风今晨登陆沿海地区 多地停课停工\n来源：新华社 | 时间：2025-03-18 11:30:28\n\n"
    "新华社北京3月18日电 第9号台风今天凌晨在沿海地区登陆，登陆时中心附近最大风力十二级。\n"
    "气象部门表示，受台风影响，未来三天沿海地区将有大到暴雨，局部地区有特大暴雨。\n\n"
    "版权所有 © 2025 星球新闻网 京ICP备2025111695号\n"
)


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.fixture
def runner(model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from cleanews import cli

    real = cli.load_model
    monkeypatch.setattr(cli, "load_model", lambda path=None: model if path is None else real(path))
    return CliRunner()


def tsv_text(out: bytes) -> bytes:
    """The page back from the labelled format (drop the label column)."""
    return b"".join(line.split(b"\t", 1)[1] for line in out.splitlines(keepends=True))


def test_a_page_padded_with_nul_bytes_is_cleaned(runner: CliRunner, tmp_path: Path, model: Model) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(PAGE.encode() + bytes(4096))
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == cleanews.clean_page(PAGE, model) and result.stdout


@pytest.mark.parametrize("start", ["MZ", "RIFF", "BZh"])
def test_a_page_beginning_like_a_binary_is_cleaned(runner: CliRunner, tmp_path: Path, start: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes((start + PAGE).encode())
    result = runner.invoke(app, ["clean", str(path), "--format", "tsv"])
    assert result.exit_code == 0, result.stderr
    assert tsv_text(result.stdout_bytes) == (start + PAGE).encode()


def test_replaced_bytes_are_named_per_file_and_counted_in_the_summary(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(PAGE.encode() + b"\xff\xfe" + "结尾。\n".encode())
    (tmp_path / "in" / "good.txt").write_bytes(PAGE.encode())
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    assert "bad.txt: 2 undecodable bytes replaced with U+FFFD" in result.stderr
    assert "good.txt" not in result.stderr
    assert "1 files had 2 undecodable bytes replaced" in result.stderr
    one = runner.invoke(app, ["clean", str(tmp_path / "in" / "bad.txt")])
    assert one.exit_code == 0 and "2 undecodable bytes replaced" in one.stderr


def test_a_folder_with_no_matching_pages_says_so_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no file in this folder matches --glob '*.txt'" in result.stderr
    ok = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--glob", "*.html"])
    assert ok.exit_code == 0 and (tmp_path / "out" / "page.txt").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_and_sockets_inside_a_folder_are_skipped_with_a_warning(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "page.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(crawl / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(crawl / "sock.txt"))
    try:
        # A subprocess with a timeout: the bug this guards against is a hang.
        result = subprocess.run(
            [sys.executable, "-m", "cleanews", "clean", str(crawl), "-o", str(tmp_path / "out"), "--jobs", "1"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    finally:
        sock.close()
    assert "pipe.txt: skipped: a named pipe (FIFO)" in result.stderr
    assert "sock.txt: skipped: a socket" in result.stderr
    assert (tmp_path / "out" / "page.txt").is_file()
    assert result.returncode == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_on_the_command_line_is_read_as_a_stream(tmp_path: Path) -> None:
    pipe = tmp_path / "stream.txt"
    os.mkfifo(pipe)

    def feed() -> None:
        with open(pipe, "wb") as fh:  # blocks until the command opens the FIFO
            for line in PAGE.encode().splitlines(keepends=True):
                fh.write(line)
                fh.flush()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = subprocess.run(
        [sys.executable, "-m", "cleanews", "clean", str(pipe), "--format", "tsv"],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    writer.join(5)
    assert result.returncode == 0, result.stderr
    assert tsv_text(result.stdout) == PAGE.encode()


def test_linked_folders_are_followed_once_and_a_loop_is_named(runner: CliRunner, tmp_path: Path) -> None:
    crawl, elsewhere = tmp_path / "crawl", tmp_path / "elsewhere"
    (crawl / "a").mkdir(parents=True)
    elsewhere.mkdir()
    (crawl / "a" / "one.txt").write_text(PAGE, encoding="utf-8")
    (elsewhere / "two.txt").write_text(PAGE, encoding="utf-8")
    (crawl / "linked").symlink_to(elsewhere, target_is_directory=True)
    (crawl / "a" / "loop").symlink_to(crawl, target_is_directory=True)
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(crawl), "-o", str(out), "--jobs", "1"])
    assert (out / "a" / "one.txt").is_file()
    assert (out / "linked" / "two.txt").is_file()
    assert f"{crawl / 'a' / 'loop'}: skipped: a link to {crawl.resolve()}, a folder searched already" in result.stderr
    assert result.exit_code == 1


@pytest.mark.parametrize("page", [None, 7, 2.5, ["正文"], {"text": "正文"}])
def test_label_page_names_a_wrong_type(page: object, model: Model) -> None:
    with pytest.raises(TypeError, match=f"not {type(page).__name__}"):
        cleanews.label_page(page, model)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"not {type(page).__name__}"):
        cleanews.clean_page(page, model)  # type: ignore[arg-type]


def test_bytes_like_pages_are_labelled_like_bytes(model: Model) -> None:
    raw = (SEEDS / "000_19e93c5fe74daeee.txt").read_bytes()
    expected = cleanews.label_page(raw, model)
    assert cleanews.label_page(bytearray(raw), model) == expected
    assert cleanews.label_page(memoryview(raw), model) == expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
@pytest.mark.xfail(
    strict=False,
    reason="known gap (issue 15 item 5): on a loaded machine an idle worker was seen to survive the kill "
    "with SIGTERM caught but not acted on; passes when the worker is busy",
)
def test_workers_exit_when_the_command_is_killed(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for k in range(400):
        (crawl / f"p{k:03d}.txt").write_text(PAGE * 40, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleanews", "clean", str(crawl), "-o", str(tmp_path / "out"), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((tmp_path / "out").rglob("*.txt")):
        time.sleep(0.2)  # the workers are running once the first page is written
    workers = _children(proc.pid)
    assert workers, "no worker processes were seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the killed command"


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
