"""Document streams: JSON Lines or Parquet files of records, one page per record.

This is how corpora travel (a ``text`` field per record, often gzip- or zstd-compressed).
``cleanews clean docs.jsonl.zst -o cleaned.parquet`` reads the records one at a time,
cleans the page in each, and writes one record out per record in, in order: every input
field kept, plus the columns of :mod:`cleanews.run.rows` (the same columns, made by the
same code, as the Ray engine's). A record that cannot be cleaned (no text field, a line
that is not JSON) gets its reason in ``error``; it never stops the stream.

Memory stays flat in the number of records: records are read lazily, at most a few
batches per worker are in flight, and the output is written as the results come.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from cleanews.api import CleanOptions
from cleanews.files import atomic_path
from cleanews.model.store import Model
from cleanews.run.rows import OUTPUT_COLUMNS, PageRow, clean_one, import_pyarrow, output_schema

if TYPE_CHECKING:
    from concurrent.futures import Future

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

STREAM_FORMATS = ("jsonl", "parquet")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
ZSTD_HINT = "pip install 'cleanews[zstd]'"

RECORDS_PER_TASK = 16
"""Records sent to a worker at a time: enough to amortise the hand-over, few enough to keep memory flat."""
IN_FLIGHT_PER_WORKER = 4
ROWS_PER_GROUP = 256
"""Records per Parquet row group (a group is held in memory until written)."""


class StreamError(ValueError):
    """A stream that cannot be read or written at all (not one bad record); the message says why."""


@dataclass(frozen=True)
class StreamOptions:
    """Where the page is in each record, and which field names it in messages."""

    text_field: str = "text"
    id_field: str | None = None


def compression_of(path: str | Path) -> str | None:
    """``gzip`` or ``zstd`` by the file's last suffix, else None."""
    return COMPRESSIONS.get(Path(path).suffix.lower())


def stream_format_of(path: str | Path) -> str | None:
    """``jsonl`` or ``parquet`` by extension (``docs.jsonl.gz`` is jsonl), else None."""
    name = Path(path).name.lower()
    for suffix in COMPRESSIONS:
        name = name.removesuffix(suffix)
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def _zstd() -> Any:
    try:
        import zstandard
    except ImportError as exc:
        raise StreamError(f"reading or writing .zst files needs zstandard; install it with: {ZSTD_HINT}") from exc
    return zstandard


@contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    """A file's bytes, decompressed by its suffix (``.gz``, ``.zst``)."""
    kind = compression_of(path)
    with ExitStack() as stack:
        raw: Any = stack.enter_context(open(path, "rb"))
        if kind == "gzip":
            raw = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
        elif kind == "zstd":
            reader = _zstd().ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            raw = stack.enter_context(io.BufferedReader(reader))
        yield raw


# --------------------------------------------------------------------------- reading


def read_records(path: Path, fmt: str) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    """The records of a stream, lazily, as (record, None), or (None, why) for an unreadable one."""
    if fmt == "parquet":
        yield from _read_parquet(path)
    else:
        yield from _read_jsonl(path)


def _read_jsonl(path: Path) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    with open_binary(path) as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue  # a blank line is no record
            try:
                value = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield None, f"line {number} is not JSON ({exc})"
                continue
            if isinstance(value, dict):
                yield value, None
            else:
                yield None, f"line {number} is a JSON {type(value).__name__}, not an object with a text field"


def _read_parquet(path: Path) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    import_pyarrow()
    import pyarrow.parquet as pq

    with open_binary(path) as fh:
        try:
            source = pq.ParquetFile(fh if compression_of(path) is None else io.BytesIO(fh.read()))
        except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
            raise StreamError(f"{path} is not a Parquet file ({exc})") from None
        for batch in source.iter_batches(batch_size=ROWS_PER_GROUP):
            for record in batch.to_pylist():
                yield record, None


def count_records(path: Path, fmt: str) -> int | None:
    """How many records a stream holds, when that is cheap to know (for the progress bar)."""
    try:
        if fmt == "parquet" and compression_of(path) is None:
            import_pyarrow()
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if fmt == "jsonl" and compression_of(path) is None:
            with open(path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
    except Exception:  # a count is a nicety: a file that cannot be counted is read and reported later
        return None
    return None


# --------------------------------------------------------------------------- cleaning


def clean_record(
    record: dict[str, Any] | None, error: str | None, model: Model, options: CleanOptions, fields: StreamOptions
) -> dict[str, Any]:
    """One record with the added columns (a record that could not be read: the columns alone)."""
    if record is None:
        return PageRow.failed(error or "unreadable record").columns()
    if fields.text_field not in record:
        has = ", ".join(sorted(map(str, record))) or "no fields"
        row = PageRow.failed(f"no field {fields.text_field!r} in this record (it has {has}); name it with --text-field")
    else:
        row = clean_one(record[fields.text_field], model, options)
    return {**record, **row.columns()}


def record_name(record: dict[str, Any], number: int, fields: StreamOptions) -> str:
    """``record 7``, or ``record 7 (id abc)`` with an id field: how messages name a record."""
    if fields.id_field and record.get(fields.id_field) is not None:
        return f"record {number} ({fields.id_field} {record[fields.id_field]})"
    return f"record {number}"


_worker_model: Model | None = None


def _init_worker(model: Model) -> None:
    global _worker_model
    threadpool_limits(1)
    _worker_model = model


def _clean_chunk(
    chunk: list[tuple[dict[str, Any] | None, str | None]], options: CleanOptions, fields: StreamOptions
) -> list[dict[str, Any]]:
    assert _worker_model is not None
    return [clean_record(record, error, _worker_model, options, fields) for record, error in chunk]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_records(
    records: Iterable[tuple[dict[str, Any] | None, str | None]],
    model: Model,
    options: CleanOptions,
    fields: StreamOptions,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """Cleaned records in input order, in-process or in ``workers`` processes (bounded in flight)."""
    if workers <= 1:
        with threadpool_limits(1):
            for record, error in records:
                yield clean_record(record, error, model, options, fields)
        return
    import multiprocessing  # here only: it is a tenth of start-up for a run in one process
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # as the page batch: no fork after OpenMP ran
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(model,)) as pool:
        pending: deque[Future[list[dict[str, Any]]]] = deque()
        for chunk in _chunks(records, RECORDS_PER_TASK):
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
            pending.append(pool.submit(_clean_chunk, chunk, options, fields))
        while pending:
            yield from pending.popleft().result()


# --------------------------------------------------------------------------- writing


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)  # dates and times as pyarrow gave them ("2025-03-18 11:30:28"), decimals


class RecordWriter:
    """Records to one JSON Lines (optionally compressed) or Parquet file, or JSON Lines to a
    binary stream. A file appears only when every record is written (:func:`~cleanews.files.atomic_path`).
    Use as a context manager; :meth:`write` takes dicts, :meth:`write_table` pyarrow tables."""

    def __init__(self, path: Path | None, fmt: str, stream: IO[bytes] | None = None) -> None:
        if fmt not in STREAM_FORMATS:
            raise StreamError(f"unknown stream format {fmt!r}; choose from {', '.join(STREAM_FORMATS)}")
        self.path, self.fmt, self.stream = path, fmt, stream
        self.rows = 0
        self._stack = ExitStack()
        self._out: IO[bytes] | None = None
        self._pq: Any = None
        self._schema: Any = None
        self._group: list[dict[str, Any]] = []

    def __enter__(self) -> RecordWriter:
        out: Any = self.stream
        if self.path is not None:
            tmp = self._stack.enter_context(atomic_path(self.path))
            out = self._stack.enter_context(open(tmp, "wb"))
        kind = None if self.path is None else compression_of(self.path)
        if kind == "gzip":
            out = self._stack.enter_context(gzip.GzipFile(fileobj=out, mode="wb", mtime=0))
        elif kind == "zstd":
            out = self._stack.enter_context(_zstd().ZstdCompressor().stream_writer(out, closefd=False))
        self._out = out
        return self

    def write(self, record: dict[str, Any]) -> None:
        self.rows += 1
        if self.fmt == "jsonl":
            assert self._out is not None
            self._out.write((json.dumps(record, ensure_ascii=False, default=_json_default) + "\n").encode("utf-8"))
            return
        self._group.append(record)
        if len(self._group) >= ROWS_PER_GROUP:
            self._flush()

    def write_table(self, table: Any) -> None:
        """A pyarrow table of records (the Ray engine's batches)."""
        if self.fmt == "jsonl":
            for record in table.to_pylist():
                self.write(record)
            return
        self._flush()
        self._write_arrow(table)
        self.rows += table.num_rows

    def _flush(self) -> None:
        if self._group:
            pa = import_pyarrow()
            schema = self._schema_for(self._group)
            late = {key for record in self._group for key in record} - set(schema.names)
            if late:  # from_pylist would drop them without a word
                raise StreamError(
                    f"field(s) {', '.join(sorted(map(str, late)))} appear only after the first records; Parquet "
                    "needs one schema for the whole file: write JSON Lines, or give every record the same fields"
                )
            self._write_arrow(pa.Table.from_pylist(self._group, schema=schema))
            self._group = []

    def _schema_for(self, records: list[dict[str, Any]]) -> Any:
        if self._schema is not None:
            return self._schema
        pa = import_pyarrow()
        added = output_schema()
        own = [k for k in records[0] if k not in OUTPUT_COLUMNS]
        inferred = pa.Table.from_pylist([{k: r.get(k) for k in own} for r in records]).schema
        return pa.schema(list(inferred) + list(added))

    def _write_arrow(self, table: Any) -> None:
        import pyarrow.parquet as pq

        if self._pq is None:
            self._schema = _settled(table.schema)
            self._pq = pq.ParquetWriter(self._out, self._schema)
        self._pq.write_table(_conform(table, self._schema))

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        try:
            if kind is None and self.fmt == "parquet":
                self._flush()
                if self._pq is None:  # no records at all: still a valid, empty Parquet file
                    import pyarrow.parquet as pq

                    pq.write_table(output_schema().empty_table(), self._out)
                else:
                    self._pq.close()
            elif self._pq is not None:
                self._pq.close()
        finally:
            self._stack.__exit__(kind, exc, tb)


def _settled(schema: Any) -> Any:
    """The first batch's schema, with columns of unknown type (all null so far) made text."""
    pa = import_pyarrow()
    return pa.schema([f.with_type(pa.large_string()) if pa.types.is_null(f.type) else f for f in schema])


def _conform(table: Any, schema: Any) -> Any:
    """``table`` in the Parquet file's schema: columns in its order, nulls for missing ones."""
    pa = import_pyarrow()
    extra = set(table.column_names) - set(schema.names)
    if extra:
        raise StreamError(
            f"field(s) {', '.join(sorted(extra))} appear only after the first records; Parquet needs one "
            "schema for the whole file: write JSON Lines instead, or give every record the same fields"
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
            raise StreamError(
                f"field {f.name!r} is {f.type} in the first records and {col.type} later; Parquet needs one type: "
                f"write JSON Lines instead, or make the field's type the same in every record ({exc})"
            ) from None
    return pa.Table.from_arrays(columns, schema=schema)
