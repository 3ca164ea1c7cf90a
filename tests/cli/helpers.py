"""Pages and helpers shared by the tests of the ``cleanews`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from cleanews.cli import app
from cleanews.data.labels import LABELS

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
