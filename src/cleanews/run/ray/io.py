"""What the Ray helpers read and write: folders and JSON Lines files in, one JSONL or Parquet file out.

The output file is written by the driver through :func:`cleanews.files.atomic_path`: it
appears only when every row is in it.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanews.files import atomic_path
from cleanews.run.plan import walk_pages
from cleanews.run.ray.cluster import BLOCKS_PER_ACTOR, RayEngineError
from cleanews.run.ray.rows import OUTPUT_COLUMNS, output_schema

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
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


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)  # dates and times as pyarrow gave them ("2025-03-18 11:30:28"), decimals


def check_format(fmt: str) -> None:
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")


class RowWriter:
    """Tables of rows into one JSONL or Parquet file at ``path`` (a temporary file: see :func:`row_writer`)."""

    def __init__(self, path: Path, fmt: str) -> None:
        check_format(fmt)
        self.path = path
        self.fmt = fmt
        self._fh: Any = open(path, "w", encoding="utf-8") if fmt == "jsonl" else None  # noqa: SIM115
        self._pq: Any = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if self.fmt == "jsonl":
            for row in table.to_pylist():
                self._fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        else:
            import pyarrow.parquet as pq

            if self._pq is None:
                self.schema = _settled(table.schema)
                self._pq = pq.ParquetWriter(self.path, self.schema)
            self._pq.write_table(_conform(table, self.schema))
        self.rows += table.num_rows

    def close(self, complete: bool = True) -> None:
        """Close the file; when ``complete`` and no rows came, still a valid, empty Parquet file."""
        if self._fh is not None:
            self._fh.close()
        if self._pq is not None:
            self._pq.close()
        elif complete and self.fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(output_schema().empty_table(), self.path)


@contextmanager
def row_writer(path: Path, fmt: str) -> Iterator[RowWriter]:
    """A :class:`RowWriter` whose file replaces ``path`` only when the block ends normally."""
    check_format(fmt)
    with atomic_path(path) as tmp:
        writer = RowWriter(tmp, fmt)
        try:
            yield writer
        except BaseException:
            writer.close(complete=False)
            raise
        writer.close()


def _settled(schema: pa.Schema) -> pa.Schema:
    """The first batch's schema, with columns of unknown type (all null so far) made text."""
    import pyarrow as pa

    return pa.schema([f.with_type(pa.large_string()) if pa.types.is_null(f.type) else f for f in schema])


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in the Parquet file's schema: columns in its order, nulls for missing ones."""
    import pyarrow as pa

    extra = set(table.column_names) - set(schema.names)
    if extra:
        raise RayEngineError(
            f"column(s) {', '.join(sorted(extra))} appear only after the first rows; Parquet needs one "
            "schema for the whole file: write JSONL instead, or give every record the same fields"
        )
    columns = []
    for f in schema:
        if f.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, type=f.type))
            continue
        col = table.column(f.name)
        try:
            columns.append(col if col.type == f.type else col.cast(f.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise RayEngineError(
                f"column {f.name!r} is {f.type} in the first rows and {col.type} later; Parquet needs one type: "
                f"write JSONL instead, or make the field's type the same in every record ({exc})"
            ) from None
    return pa.Table.from_arrays(columns, schema=schema)
