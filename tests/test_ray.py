"""cleanews on a real local Ray cluster: the same decisions as the in-process API, row for row.

One cluster (``ray.init(num_cpus=2)``) serves the whole module. The folder of pages holds
the three seeds, a GBK page, a UTF-16 page with CRLF line ends in a subfolder, and a PNG
saved as ``.txt``, the page that must fail without taking the others down.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")
pa = pytest.importorskip("pyarrow", reason="the ray extra is not installed (pip install -e '.[ray]')")
pq = pytest.importorskip("pyarrow.parquet", reason="the ray extra is not installed (pip install -e '.[ray]')")

import cleanews  # noqa: E402
from cleanews import CleanOptions, ModelError  # noqa: E402
from cleanews.run.plan import plan  # noqa: E402
from cleanews.run.pool import run  # noqa: E402
from cleanews.run.ray import (  # noqa: E402
    OUTPUT_COLUMNS,
    PageCleaner,
    clean_dataset,
    clean_folder_with_ray,
    run_clean_on_ray,
)

from .conftest import SEEDS  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
OPTIONS = CleanOptions(keep=frozenset({"body", "title", "meta"}), min_confidence=0.3)

GBK_PAGE = (
    "新华网\n首页 | 时政 | 国际 | 财经\n\n全国春耕生产有序推进\n来源：新华社 2025-03-18 09:12\n\n"
    "眼下正值春耕时节，各地农民抓住有利天气，抢抓农时开展春耕生产。\n"
    "农业农村部表示，今年将进一步加大对粮食生产的支持力度，确保粮食产量稳定在一点三万亿斤以上。\n\n"
    "相关阅读\n版权所有 新华网 京ICP备10000000号\n"
)
UTF16_PAGE = (
    "中央社\r\n國際 | 兩岸 | 財經\r\n\r\n颱風明晨登陸 各地加強防範\r\n\r\n"
    "中央氣象署表示，颱風將於明天清晨登陸，各地民眾應提前做好防範準備，避免前往海邊與山區活動。\r\n"
    "氣象署提醒，颱風外圍環流影響期間，北部及東北部地區有局部大雨發生的機率。\r\n"
)


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    if ray.is_initialized():  # pragma: no cover - another module left one running
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def model() -> cleanews.Model:
    return cleanews.load_model()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six pages, four encodings, one not a page at all."""
    root = tmp_path_factory.mktemp("crawl")
    for seed in sorted(SEEDS.glob("*.txt")):
        (root / seed.name).write_bytes(seed.read_bytes())
    (root / "gbk.txt").write_bytes(GBK_PAGE.encode("gbk"))
    (root / "sub").mkdir()
    (root / "sub" / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + UTF16_PAGE.encode("utf-16-le"))
    (root / "sub" / "image.txt").write_bytes(PNG)
    (root / "notes.md").write_text("not a page: only *.txt is taken", encoding="utf-8")
    return root


def _page_files(root: Path) -> list[Path]:
    """The pages in the order the helpers take them: sorted, folder by folder."""
    return sorted(root.glob("*.txt")) + sorted((root / "sub").glob("*.txt"))


def _assert_same_as_in_process(row: dict, page: str | bytes, model: cleanews.Model, options: CleanOptions) -> None:
    expected = cleanews.label_page(page, model, options)
    assert row["error"] is None
    assert row["labels"] == [line.label for line in expected]
    assert row["confidences"] == [line.confidence for line in expected]  # exact: float64 all the way
    assert row["kept"] == [line.kept for line in expected]
    assert row["cleaned"] == expected.text
    assert row["encoding"] == expected.encoding
    assert row["replaced"] == expected.replaced


def _check_rows(rows: list[dict], root: Path, model: cleanews.Model, options: CleanOptions) -> None:
    files = _page_files(root)
    assert [r["path"] for r in rows] == [str(f.resolve()) for f in files]  # every page, in order
    for row, f in zip(rows, files):
        if f.name == "image.txt":
            assert "PNG" in row["error"]
            assert row["labels"] is None and row["cleaned"] is None
        else:
            _assert_same_as_in_process(row, f.read_bytes(), model, options)


def test_folder_to_jsonl_equals_in_process(cluster, model, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cleaned.jsonl"
    seen: list[str] = []
    summary = clean_folder_with_ray(
        pages,
        out,
        fmt="jsonl",
        num_workers=2,
        model_path=model.path,
        options=OPTIONS,
        on_done=lambda o: seen.append(o.source),
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6
    _check_rows(rows, pages, model, OPTIONS)
    assert summary.files == 6 and len(seen) == 6
    assert [(Path(o.source).name, "PNG" in (o.error or "")) for o in summary.failed] == [("image.txt", True)]
    assert summary.lines == sum(sum(lab is not None for lab in r["labels"]) for r in rows if r["labels"])
    assert not list(tmp_path.glob(".*.part"))  # the temporary file became the output


def test_folder_to_parquet_has_every_row(cluster, model, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cleaned.parquet"
    summary = clean_folder_with_ray(str(pages), out, fmt="parquet", num_workers=1, model_path=str(model.path))
    table = pq.read_table(out)
    assert table.num_rows == 6
    assert table.column_names == ["path", *OUTPUT_COLUMNS]
    assert table.schema.field("confidences").type == pa.list_(pa.float64())
    _check_rows(table.to_pylist(), pages, model, CleanOptions())
    assert summary.files == 6 and len(summary.failed) == 1


def test_jsonl_records_keep_their_fields(cluster, model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    records = [{"id": i, "url": f"https://example.com/{i}", "text": t} for i, t in enumerate(seeds)]
    records.insert(1, {"id": 10, "url": "https://example.com/none", "text": None})
    records.append({"id": 11, "url": "https://example.com/date", "text": "2025-03-18 11:30:28"})
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "cleaned.jsonl"
    summary = clean_folder_with_ray([src], out, fmt="jsonl", num_workers=1, model_path=model.path)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["url"], r["text"]) for r in rows] == [(r["id"], r["url"], r["text"]) for r in records]
    for row in rows:
        if row["text"] is None:
            assert row["error"] == "no page text (the value is null)"
        else:
            _assert_same_as_in_process(row, row["text"], model, CleanOptions())
    assert [o.source for o in summary.failed] == ["row 2"]


def test_page_cleaner_in_your_own_pipeline(cluster, model) -> None:  # type: ignore[no-untyped-def]
    seed = sorted(SEEDS.glob("*.txt"))[0].read_bytes()
    docs = [seed, PNG, GBK_PAGE.encode("gb18030"), b""]
    ds = ray.data.from_items([{"id": i, "doc": d} for i, d in enumerate(docs)], override_num_blocks=2)
    cleaned = clean_dataset(ds, text_column="doc", model_path=model.path, num_workers=1, batch_size=1)
    rows = sorted(cleaned.take_all(), key=lambda r: r["id"])  # Ray Data keeps no order unless told to
    assert [r["id"] for r in rows] == [0, 1, 2, 3]
    assert rows[1]["error"] and "PNG" in rows[1]["error"]
    for row in (rows[0], rows[2], rows[3]):
        _assert_same_as_in_process(row, row["doc"], model, CleanOptions())


def test_run_clean_on_ray_writes_what_the_in_process_batch_writes(cluster, model, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    on_ray, in_process = tmp_path / "ray", tmp_path / "local"
    ray_summary = run_clean_on_ray([str(pages)], on_ray, "jsonl", OPTIONS, model.path, None, num_workers=2)
    local_summary = run(plan([str(pages)], in_process, "jsonl"), model, OPTIONS, "jsonl")
    assert ray_summary.line() == local_summary.line()
    assert ray_summary.files == 6
    assert [(o.source, o.error) for o in ray_summary.failed] == [(o.source, o.error) for o in local_summary.failed]
    written = sorted(p.relative_to(on_ray) for p in on_ray.rglob("*.jsonl"))
    assert written == sorted(p.relative_to(in_process) for p in in_process.rglob("*.jsonl"))
    assert len(written) == 5
    for rel in written:
        assert (on_ray / rel).read_bytes() == (in_process / rel).read_bytes()


def test_cli_engine_ray_writes_what_the_local_engine_writes(cluster, model, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cleanews.cli import app

    runner = CliRunner()
    args = ["clean", str(pages), "--format", "jsonl", "--model", str(model.path)]
    on_ray = runner.invoke(app, [*args, "-o", str(tmp_path / "ray"), "--engine", "ray", "--jobs", "2"])
    local = runner.invoke(app, [*args, "-o", str(tmp_path / "local"), "--jobs", "1"])
    assert on_ray.exit_code == local.exit_code == 1  # the PNG page fails on both, the rest are written
    written = sorted(p.relative_to(tmp_path / "ray") for p in (tmp_path / "ray").rglob("*.jsonl"))
    assert len(written) == 5
    for rel in written:
        assert (tmp_path / "ray" / rel).read_bytes() == (tmp_path / "local" / rel).read_bytes()


def test_bad_model_fails_before_any_work(cluster, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "never.jsonl"
    with pytest.raises(ModelError):
        clean_folder_with_ray(pages, out, model_path=tmp_path / "missing.joblib")
    assert not out.exists() and not list(tmp_path.iterdir())


def test_page_cleaner_without_a_cluster(model) -> None:  # type: ignore[no-untyped-def]
    """The actor's class is plain Python: called on a table, it fails bad rows, not the batch."""
    cleaner = PageCleaner(model_path=str(model.path), keep="body,title,meta", min_confidence=0.3)
    table = pa.table(
        {
            "text": pa.array(["标题\n\n正文第一句。", None, "x"], type=pa.string()),
            "error": pa.array([None, None, "failed upstream"], type=pa.string()),
        }
    )
    out = cleaner(table)
    assert out.num_rows == 3
    assert out.column_names == ["text", "error", *OUTPUT_COLUMNS[:-1]]  # error replaced where it was
    rows = out.to_pylist()
    _assert_same_as_in_process(rows[0], rows[0]["text"], model, OPTIONS)
    assert rows[1]["error"] == "no page text (the value is null)"
    assert rows[2]["error"] == "failed upstream" and rows[2]["labels"] is None
    with pytest.raises(TypeError, match='batch_format="pyarrow"'):
        cleaner({"text": ["a"]})  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="text_column"):
        cleaner(pa.table({"body": ["a"]}))
