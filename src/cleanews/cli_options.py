"""The choices and options of ``cleanews clean``, named once so that its signature reads as a list."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    text = "text"
    jsonl = "jsonl"
    tsv = "tsv"
    parquet = "parquet"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class InputFormat(StrEnum):
    auto = "auto"
    page = "page"
    html = "html"
    jsonl = "jsonl"
    parquet = "parquet"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH", help="Pages, folders (searched recursively), JSON Lines or Parquet files, or - for stdin."
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Output file, or folder for several inputs or a folder.")
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="Pages: text, jsonl (every line's decision) or tsv. Records: jsonl or parquet."
    ),
]
KeepOpt = Annotated[str, typer.Option("--keep", "-k", help="Labels to keep, comma-separated.")]
MinConfidenceOpt = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop kept lines below this confidence.")
]
KeepSpansOpt = Annotated[
    bool, typer.Option("--keep-spans", help="Leave spam spans found inside kept lines in the text.")
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes (0: one, or one per core for a batch big enough to repay their start).",
    ),
]
GlobOpt = Annotated[
    str | None, typer.Option("--glob", help="Which files to take from folders [default: *.txt, *.htm* for html].")
]
InputFormatOpt = Annotated[
    InputFormat, typer.Option("--input-format", help="What the inputs are (auto: by extension).")
]
TextFieldOpt = Annotated[str, typer.Option("--text-field", help="Records: the field holding the page.")]
IdFieldOpt = Annotated[
    str | None, typer.Option("--id-field", help="Records: a field that names each record in messages.")
]
KeepDirsOpt = Annotated[bool, typer.Option("--keep-dirs", help="Mirror each input folder under its own name in -o.")]
UncertainOpt = Annotated[
    int, typer.Option("--uncertain", min=0, help="With --format tsv: also write the N least sure lines to a side file.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary (errors still).")]
EngineOpt = Annotated[Engine, typer.Option("--engine", help="Run here, or on a Ray cluster.")]
AddressOpt = Annotated[str | None, typer.Option("--address", help="Ray cluster address (default: start a local one).")]
