"""What the Ray helpers read and write: folders and JSON Lines files in, one JSONL or Parquet file out.

The output file is written by the driver through :func:`cleanews.files.atomic_path`: it
appears only when every row is in it.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanews.run.plan import walk_pages
from cleanews.run.ray.cluster import BLOCKS_PER_ACTOR
from cleanews.run.ray.rows import OUTPUT_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import ray.data

JSONL_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz")
OUTPUT_FORMATS = ("jsonl", "parquet")

# --------------------------------------------------------------------------- inputs


def is_jsonl(path: str | Path) -> bool:
    return str(path).lower().endswith(JSONL_SUFFIXES)


def split_inputs(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], pattern: str
) -> tuple[list[str], list[str]]:
    """(page files, JSONL files) named by the inputs; folders are walked for ``pattern``, sorted."""
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    pages: list[str] = []
    jsonl: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in (f for f, error in walk_pages(p, pattern) if error is None):
                pages.append(str(f.resolve()))
        elif is_jsonl(p):
            if not p.is_file():
                raise FileNotFoundError(f"no such file: {p}")
            jsonl.append(str(p.resolve()))
        elif p.is_file():
            pages.append(str(p.resolve()))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    if pages and jsonl:
        raise ValueError("give either pages (files or folders) or JSON Lines files, not both in one run")
    return pages, jsonl


def read_jsonl(ray: Any, files: list[str], text_column: str, workers: int) -> ray.data.Dataset:
    """JSON Lines files as a dataset, split into enough blocks for every actor to get some."""
    import pyarrow as pa
    import pyarrow.json as pajson

    # The page column is read as text whatever it looks like (pyarrow would make dates of
    # date-like strings); the other fields keep the types pyarrow infers.
    parse = pajson.ParseOptions(
        explicit_schema=pa.schema([(text_column, pa.large_string())]), unexpected_field_behavior="infer"
    )
    # Read tasks ask for no CPU: the actors may hold every CPU of the cluster, and a read
    # waiting for one of them would wait forever. For the same reason the blocks are split
    # by the read itself (more blocks than files), not by a repartition step, whose tasks
    # would wait for a CPU too. Ray 2.40 takes remote arguments as ray_remote_args only;
    # later ones name them and deprecate ray_remote_args.
    named = "num_cpus" in inspect.signature(ray.data.read_json).parameters
    zero_cpu: dict[str, Any] = {"num_cpus": 0} if named else {"ray_remote_args": {"num_cpus": 0}}
    blocks = max(len(files), workers * BLOCKS_PER_ACTOR)
    return ray.data.read_json(files, parse_options=parse, override_num_blocks=blocks, **zero_cpu)


def check_columns(ds: ray.data.Dataset, text_column: str | None) -> None:
    """Refuse JSONL records that already carry a column the cleaner would overwrite."""
    if text_column is None:
        return
    schema = ds.schema()
    names = set(schema.names) if schema is not None else set()
    clash = sorted(names & set(OUTPUT_COLUMNS) - {text_column})
    if clash:
        raise ValueError(
            f"the records already have field(s) {', '.join(clash)}, which cleanews writes; rename them first"
        )


# --------------------------------------------------------------------------- outputs


def check_format(fmt: str) -> None:
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")
