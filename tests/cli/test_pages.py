"""The ``clean`` command on pages: one page and standard input, folders, formats, what is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleanews.api import CleanOptions, clean_page, label_page
from cleanews.data.labelled import read_labelled
from cleanews.data.labels import LABELS
from cleanews.model.store import Model

from .helpers import (
    ALL_LABELS,
    PAGE,
    TRADITIONAL_PAGE,
    collapse_blank_runs,
    invoke,
    jsonl,
    summary,
    tree,
    untsv,
    write,
)

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
    # A floor of 1.0 keeps only the kept lines that are certain: the same as the API, and less than no floor.
    strict = label_page(PAGE, options=CleanOptions(min_confidence=1.0))
    text = invoke(runner, "clean", str(path), "--min-confidence", "1.0").stdout
    assert text == strict.text
    assert all(line.confidence == 1.0 for line in strict if line.kept)
    assert len(text) < len(invoke(runner, "clean", str(path)).stdout)
    result = invoke(runner, "clean", str(path), "--min-confidence", "1.5", code=2)
    assert "min-confidence" in result.stderr
