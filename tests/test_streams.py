"""Document streams: JSON Lines (plain, gzip, zstd) and Parquet files of records through ``cleanews clean``."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleanews import CleanOptions, label_page
from cleanews.cli import app
from cleanews.run.rows import OUTPUT_COLUMNS, PageRow, clean_one
from cleanews.run.streams import StreamOptions, clean_records, read_records

from .conftest import SEEDS

pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (the parquet or ray extra)")
pq = pytest.importorskip("pyarrow.parquet")

PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"id": f"d{i}", "url": f"https://example.org/{i}", "text": t} for i, t in enumerate(PAGES)
    ]
    out.append({"id": "no-text", "body": "正文"})
    out.append({"id": "null", "text": None})
    return out


def write_jsonl(path: Path, recs: list[dict[str, Any]], tail: str = "") -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs) + tail
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data.encode("utf-8")))
    elif path.suffix == ".zst":
        zstandard = pytest.importorskip("zstandard", reason="zstd needs the zstd extra")
        path.write_bytes(zstandard.ZstdCompressor().compress(data.encode("utf-8")))
    else:
        path.write_text(data, encoding="utf-8")
    return path


def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def expected(text: str) -> dict[str, Any]:
    return PageRow.of(label_page(text)).columns()


def test_jsonl_records_keep_their_fields_and_get_the_decisions(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "docs.jsonl", records(), tail="\nnot json\n[1, 2]\n")
    result = invoke("clean", str(src), "--id-field", "id", code=1)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(PAGES) + 4  # one out per record in (the blank line is no record)
    for i, text in enumerate(PAGES):
        assert rows[i]["id"] == f"d{i}" and rows[i]["url"].endswith(str(i)) and rows[i]["text"] == text
        assert {k: rows[i][k] for k in OUTPUT_COLUMNS} == expected(text)
        assert list(rows[i])[-len(OUTPUT_COLUMNS) :] == list(OUTPUT_COLUMNS)
    assert "--text-field" in rows[-4]["error"] and rows[-4]["body"] == "正文" and rows[-4]["labels"] is None
    assert "null" in rows[-3]["error"]
    assert "not JSON" in rows[-2]["error"] and "not an object" in rows[-1]["error"]
    assert "record 4 (id no-text)" in result.stderr
    assert f"{len(PAGES) + 4} records," in result.stderr and "4 failed" in result.stderr


@pytest.mark.parametrize("name", ["docs.jsonl.gz", "docs.jsonl.zst"])
def test_compressed_streams_in_and_out(tmp_path: Path, name: str) -> None:
    recs = records()[: len(PAGES)]
    src = write_jsonl(tmp_path / name, recs)
    out = tmp_path / "out"
    invoke("clean", str(src), "-o", str(out), "--quiet")
    (written,) = list(out.iterdir())
    assert written.name == name  # the same name and compression, under the folder
    rows = [r for r, _ in read_records(written, "jsonl")]
    assert [r["cleaned"] for r in rows] == [label_page(t).text for t in PAGES]  # type: ignore[index]


def test_parquet_in_and_out_with_a_text_field(tmp_path: Path) -> None:
    recs = [{"doc": f"d{i}", "content": t, "n": i} for i, t in enumerate(PAGES)]
    src = tmp_path / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(recs), src)
    invoke("clean", str(src), "-o", str(tmp_path / "clean.parquet"), "--text-field", "content", "-j", "2")
    table = pq.read_table(tmp_path / "clean.parquet")
    assert table.column_names == ["doc", "content", "n", *OUTPUT_COLUMNS]
    assert table.column("n").to_pylist() == list(range(len(PAGES)))  # input order, types kept
    assert table.column("labels").to_pylist() == [expected(t)["labels"] for t in PAGES]
    assert table.column("confidences").to_pylist() == [expected(t)["confidences"] for t in PAGES]
    # and back to JSON Lines: the same decisions
    result = invoke("clean", str(tmp_path / "clean.parquet"), "--text-field", "content", "--format", "jsonl")
    assert [json.loads(line)["cleaned"] for line in result.stdout.splitlines()] == [label_page(t).text for t in PAGES]


def test_the_columns_are_the_ray_engines(tmp_path: Path) -> None:
    """The streams and :class:`PageCleaner` make their rows with the same code and types."""
    from cleanews.run.rows import add_columns, output_schema

    model_rows = [clean_one(t, __import__("cleanews").load_model(), CleanOptions()) for t in PAGES]
    table = add_columns(pa.table({"text": PAGES}), model_rows)
    src = tmp_path / "docs.parquet"
    pq.write_table(pa.table({"text": PAGES}), src)
    invoke("clean", str(src), "-o", str(tmp_path / "out.parquet"))
    ours = pq.read_table(tmp_path / "out.parquet")
    assert ours.schema == table.schema and ours.schema.field("spans").type == output_schema().field("spans").type
    assert ours.to_pylist() == table.to_pylist()


def test_records_are_streamed_not_loaded(tmp_path: Path) -> None:
    """Results come out before the rest of the input is read (memory flat in the number of records)."""
    seen: list[int] = []

    def endless() -> Iterator[tuple[dict[str, Any] | None, str | None]]:
        for i in range(10**9):
            seen.append(i)
            yield {"text": "今天天气很好，我们去公园散步。\n"}, None

    model = __import__("cleanews").load_model()
    cleaned = clean_records(endless(), model, CleanOptions(), StreamOptions())
    first = [next(cleaned) for _ in range(3)]
    assert all(r["error"] is None for r in first) and len(seen) <= 4
    # and reading: the first records arrive though the file is cut short later
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(gzip.compress(b'{"text": "a"}\n' * 100)[:-20])
    it = read_records(src, "jsonl")
    assert next(it)[0] == {"text": "a"}


def test_streams_refuse_unsafe_or_impossible_outputs(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "docs.jsonl", records()[:1])
    assert "overwrite" in invoke("clean", str(src), "-o", str(src), code=2).stderr
    assert "standard output" in invoke("clean", str(src), "--format", "parquet", code=2).stderr
    assert "jsonl or parquet" in invoke("clean", str(src), "--format", "tsv", code=2).stderr
    page = tmp_path / "p.txt"
    page.write_text(PAGES[0], encoding="utf-8")
    assert "not both" in invoke("clean", str(src), str(page), "-o", str(tmp_path / "o"), code=2).stderr
    assert "nothing" not in invoke("clean", str(src), "--input-format", "jsonl", "--quiet").stderr


def test_forced_input_format_and_an_unreadable_stream(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "docs.txt", records()[:1])  # JSON Lines with another name
    result = invoke("clean", str(src), "--input-format", "jsonl")
    assert json.loads(result.stdout)["cleaned"] == label_page(PAGES[0]).text
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    result = invoke("clean", str(bad), "-o", str(tmp_path / "o.jsonl"), code=1)
    assert "not a Parquet file" in result.stderr and not (tmp_path / "o.jsonl").exists()
