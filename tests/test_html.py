"""HTML in: pages rendered to lines by inscriptis, then labelled like any page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleanews
from cleanews.cli import app

pytest.importorskip("inscriptis", reason="HTML input needs the html extra (inscriptis)")

BODY = [
    "新华社北京3月18日电 第9号台风今天凌晨在沿海地区登陆，登陆时中心附近最大风力十二级。",
    "气象部门表示，受台风影响，未来三天沿海地区将有大到暴雨，局部地区有特大暴雨。",
    "当地政府已经启动应急响应，转移安置群众三万余人，全市中小学全部停课。",
]
HTML = (
    '<!DOCTYPE html><html><head><meta charset="{charset}"><title>台风</title>'
    "<script>var tracker = '不应出现';</script><style>p {{ margin: 0 }}</style></head><body>"
    '<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/gn/">国内</a></li>'
    '<li><a href="/gj/">国际</a></li><li><a href="/cj/">财经</a></li></ul></div>'
    "<h1>第9号台风今晨登陆沿海地区 多地停课停工</h1><div class='info'>来源：新华社 | 时间：2025-03-18 11:30</div>"
    + "".join(f"<p>{line}</p>" for line in BODY)
    + "<div class='foot'>版权所有 © 2025 每日新闻网 京ICP备2025111695号</div></body></html>"
)


def page(charset: str = "utf-8") -> str:
    return HTML.format(charset=charset)


def test_an_html_page_is_rendered_then_labelled() -> None:
    result = cleanews.label_html(page())
    texts = [line.text for line in result]
    assert all(line in texts for line in BODY)  # one paragraph, one line
    assert not any("tracker" in t or "不应出现" in t or "margin" in t for t in texts)  # no script, no style
    article = result.text
    assert all(line in article for line in BODY) and "网站首页" not in article
    assert texts[0] == "* [网站首页](/)"  # list items as bullets, links as markdown links, as saved pages have


def test_the_declared_charset_decodes_the_bytes() -> None:
    data = page("gb2312").encode("gb18030")
    result = cleanews.label_html(data)
    assert result.encoding == "gb18030" and not result.replaced
    assert result.text == cleanews.label_html(page()).text


def test_the_command_reads_html_by_extension_or_when_told(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(page(), encoding="utf-8")
    (tmp_path / "saved.txt").write_text(page(), encoding="utf-8")
    runner = CliRunner()
    by_name = runner.invoke(app, ["clean", str(tmp_path / "page.html")])
    assert by_name.exit_code == 0 and by_name.stdout == cleanews.label_html(page()).text
    told = runner.invoke(app, ["clean", str(tmp_path / "saved.txt"), "--input-format", "html"])
    assert told.stdout == by_name.stdout
    as_text = runner.invoke(app, ["clean", str(tmp_path / "saved.txt")])
    assert "<p>" in as_text.stdout or as_text.stdout != by_name.stdout  # a .txt is text unless told
    out = tmp_path.parent / f"{tmp_path.name}-out"
    folder = runner.invoke(app, ["clean", str(tmp_path), "-o", str(out), "--input-format", "html", "-q"])
    assert folder.exit_code == 0 and sorted(p.name for p in out.iterdir()) == ["page.txt"]  # *.htm* by default


def test_without_the_extra_the_message_names_it(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(page(), encoding="utf-8")
    script = (
        "import sys; sys.modules['inscriptis'] = None\n"
        "from cleanews.cli import app\n"
        f"app(['clean', {str(tmp_path / 'page.html')!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "pip install 'cleanews[html]'" in done.stderr, done.stderr
