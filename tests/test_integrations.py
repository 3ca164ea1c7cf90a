"""cleanews inside datatrove (its own local runner) and Hugging Face datasets: the in-process API's results."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import cleanews
from cleanews.integrations.hf import clean_batch
from cleanews.run.rows import OUTPUT_COLUMNS, PageRow

from .conftest import SEEDS

PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
OPTIONS = cleanews.CleanOptions(keep=frozenset({"body", "title", "meta"}))


def test_clean_batch_gives_the_api_rows() -> None:
    out = clean_batch({"text": [*PAGES, None], "id": [1, 2, 3, 4]}, keep="body,title,meta")
    assert list(out) == list(OUTPUT_COLUMNS)
    model = cleanews.load_model()
    for i, page in enumerate(PAGES):
        want = PageRow.of(cleanews.label_page(page, model, OPTIONS)).columns()
        assert {k: out[k][i] for k in OUTPUT_COLUMNS} == want
    assert out["error"][-1] and out["cleaned"][-1] is None
    with pytest.raises(KeyError, match="text_column"):
        clean_batch({"content": PAGES})


def test_datasets_map_recipe() -> None:
    datasets = pytest.importorskip("datasets", reason="the datasets recipe needs Hugging Face datasets")
    ds = datasets.Dataset.from_dict({"doc": ["a", "b", "c"], "text": PAGES})
    mapped = ds.map(clean_batch, batched=True, batch_size=2, fn_kwargs={"keep": "body,title,meta"})
    assert mapped.column_names == ["doc", "text", *OUTPUT_COLUMNS]
    model = cleanews.load_model()
    for row, page in zip(mapped, PAGES):
        result = cleanews.label_page(page, model, OPTIONS)
        assert row["cleaned"] == result.text
        assert row["labels"] == [line.label for line in result]
        assert row["confidences"] == [line.confidence for line in result]


def test_datatrove_step_in_datatrove_s_own_local_runner(tmp_path: Path) -> None:
    pytest.importorskip("datatrove", reason="the datatrove step needs the datatrove extra")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleanews.integrations.datatrove import CleanewsStep

    src = tmp_path / "in"
    src.mkdir()
    records = [{"id": f"d{i}", "text": t} for i, t in enumerate(PAGES)] + [{"id": "empty", "text": "首页 国内 国际\n"}]
    (src / "docs.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(src)),
            CleanewsStep(keep="body,title,meta"),
            JsonlWriter(str(tmp_path / "out"), compression="gzip"),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    rows = []
    for f in sorted((tmp_path / "out").glob("*.jsonl.gz")):
        rows += [json.loads(line) for line in gzip.decompress(f.read_bytes()).decode("utf-8").splitlines()]
    model = cleanews.load_model()
    wanted = {r["id"]: cleanews.label_page(r["text"], model, OPTIONS) for r in records}
    kept = {r["id"]: r for r in rows}
    assert "empty" not in kept or kept["empty"]["text"].strip()  # a document left with no text is dropped
    for i in range(len(PAGES)):
        got, want = kept[f"d{i}"], wanted[f"d{i}"]
        assert got["text"] == want.text
        decisions = got["metadata"]["cleanews"]
        assert decisions["labels"] == [line.label for line in want]
        assert decisions["confidences"] == [line.confidence for line in want]
