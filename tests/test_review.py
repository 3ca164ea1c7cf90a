"""The review loop: the HTML report (also rendered in a real browser) and the --uncertain side file."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleanews
from cleanews.api import LabelledLine
from cleanews.cli import app
from cleanews.run.review import ReviewedPage, write_report

from .conftest import SEEDS

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("review") / "report.html"
    invoke("review", str(SEEDS), "-o", str(out), "--least", "12")
    return out, out.read_text(encoding="utf-8")


def test_the_report_shows_every_line_coloured_with_its_confidence(report: tuple[Path, str]) -> None:
    _, text = report
    model = cleanews.load_model()
    for i, page in enumerate(sorted(SEEDS.glob("*.txt"))):
        result = cleanews.label_page(page.read_bytes(), model)
        for line in result:
            if line.label is None:
                continue
            row = re.search(rf'<tr id="p{i}-l{line.number}" style="background:([^"]+)">(.*?)</tr>', text)
            assert row is not None, (page, line.number)
            assert f">{line.label}" in row.group(2) and f'title="{line.confidence:.2f}"' in row.group(2)
            assert f"width:{100 * (line.confidence or 0):.0f}%" in row.group(2)


def test_the_least_sure_lines_come_first_with_links(report: tuple[Path, str]) -> None:
    _, text = report
    least = text[text.index('id="least"') : text.index('<h2 id="p0"')]
    links = re.findall(r'<a href="#(p\d+-l\d+)">[^<]*</a> (\w+) ([0-9.]+)', least)
    assert len(links) == 12
    confidences = [float(c) for _, _, c in links]
    assert confidences == sorted(confidences)
    all_confidences = [float(c) for c in re.findall(r'class="bar" title="([0-9.]+)"', text)]
    assert confidences[0] == min(all_confidences) and confidences[-1] <= sorted(all_confidences)[12]
    for anchor, _, _ in links:
        assert f'id="{anchor}"' in text  # every link lands on its line


def test_the_counts_and_that_nothing_is_loaded(report: tuple[Path, str]) -> None:
    _, text = report
    model = cleanews.load_model()
    total = {lab: 0 for lab in cleanews.LABELS}
    for page in sorted(SEEDS.glob("*.txt")):
        for line in cleanews.label_page(page.read_bytes(), model):
            if line.label:
                total[line.label] += 1
    for lab, n in total.items():
        assert re.search(rf">{lab}</span></td><td>{n}</td>", text), lab
    assert "default-src 'none'" in text and "<script" not in text and "http://" not in text.split("<body>")[0]


def test_spans_are_highlighted(tmp_path: Path) -> None:
    class Spanned(LabelledLine):  # a line as the span model gives it (LabelledLine.spans)
        @property
        def spans(self) -> list[dict[str, object]]:
            return [{"start": 1, "end": 7, "label": "spam", "confidence": 0.9, "text": "大澳门赌场"}]

    line = Spanned(1, "【大澳门赌场讯】新闻<正文>", "\n", "body", 0.9, True)
    page = cleanews.PageResult((line,))
    write_report([ReviewedPage("p.txt", page)], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '【<mark title="spam">大澳门赌场讯</mark>】新闻&lt;正文&gt;' in text


def test_bad_inputs_and_outputs(tmp_path: Path) -> None:
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = invoke("review", str(tmp_path / "img.txt"), "-o", str(tmp_path / "r.html"), code=1)
    assert "img.txt" in result.stderr and "not labelled" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "no such file" in invoke("review", str(tmp_path / "nope"), "-o", str(tmp_path / "x.html"), code=2).stderr
    page = tmp_path / "p.txt"
    page.write_text("一行\n", encoding="utf-8")
    assert "overwrite" in invoke("review", str(page), "-o", str(page), code=2).stderr


@pytest.mark.browser
def test_the_report_renders_in_a_real_browser(report: tuple[Path, str], tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("no headless Chromium here (Debian package 'chromium'; .ci/run installs it)")
    path, _ = report
    common = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [*common, "--window-size=1200,1400", f"--screenshot={shot}", path.as_uri()],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page with colour, not a blank one
    dom = subprocess.run(
        [*common, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=180
    ).stdout  # the DOM the browser built: the rows and the links are there
    assert dom.count("<tr id=") > 100 and 'href="#p' in dom


def test_uncertain_writes_the_least_sure_lines_to_a_side_file(tmp_path: Path) -> None:
    out = tmp_path / "fix"
    invoke("clean", str(SEEDS), "-o", str(out), "--format", "tsv", "--uncertain", "7", "-q", "-j", "1")
    with open(out / "UNCERTAIN.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 7
    confidences = [float(r["confidence"]) for r in rows]
    assert confidences == sorted(confidences)
    model = cleanews.load_model()
    every = sorted(
        line.confidence or 0.0
        for p in SEEDS.glob("*.txt")
        for line in cleanews.label_page(p.read_bytes(), model)
        if line.label
    )
    assert confidences == pytest.approx(every[:7], abs=1e-4)
    for r in rows:  # each names the tsv file and line to correct
        tsv = Path(r["page"]).read_text(encoding="utf-8").splitlines()
        label, _, text = tsv[int(r["line"]) - 1].partition("\t")
        assert (label, text.replace("\t", " ")) == (r["label"], r["text"])
    assert "--format tsv" in invoke("clean", str(SEEDS), "-o", str(tmp_path / "x"), "--uncertain", "3", code=2).stderr
