"""The ``cleanews`` command: a thin typer layer over the Python API (no logic here).

Exit codes: 0 all went well; 1 one or more inputs failed (each named on stderr);
2 bad usage (an unknown option or label, an unsafe output); 3 the model cannot be used.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cleanews import __version__
from cleanews.api import CleanOptions
from cleanews.data.labels import parse_labels
from cleanews.model.store import ModelError, load_model
from cleanews.run.plan import PlanError
from cleanews.run.progress import RunDisplay
from cleanews.run.request import CleanRequest
from cleanews.run.streams import StreamOptions

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_MODEL = 3

EXIT_CODES = (
    "\b\nExit codes: 0 success; 1 one or more inputs failed (each is named on standard error,\n"
    "the rest is still written); 2 bad usage (an unknown option or label, an output that\n"
    "would overwrite an input); 3 the model cannot be loaded."
)
TRAIN_EXIT_CODES = (
    "\b\nExit codes: 0 the model was saved; 1 it cannot be written; 2 bad usage or bad\n"
    "training pages (a malformed line, no pages, a label without examples)."
)
EVALUATE_EXIT_CODES = (
    "\b\nExit codes: 0 the scores were printed; 2 bad usage or bad labelled pages;\n"
    "3 the model cannot be loaded."
)
INFO_EXIT_CODES = "\b\nExit codes: 0 the card was printed; 3 the model cannot be loaded."

app = typer.Typer(
    name="cleanews",
    help="Separate the article from menus, link walls, footers and spam in scraped Chinese news pages.\n\n"
    "\b\nExample:\n  cleanews clean page.txt                # the article, to standard output\n"
    "  cleanews clean crawl/ -o cleaned/      # a folder, mirrored under cleaned/\n\n"
    "Run 'cleanews COMMAND --help' for each command's options and examples.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        "-m",
        help="Model file (default: the shipped model, or $CLEANEWS_MODEL). Loading runs no code from the "
        "file: only the types a cleanews model holds are admitted, anything else is refused. A model still "
        "decides what is kept, so use model files you made or trust.",
    ),
]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"cleanews: {message}", err=True)
    return typer.Exit(code=code)


def _load(model: Path | None):  # type: ignore[no-untyped-def]
    try:
        return load_model(model)
    except ModelError as exc:
        raise _fail(str(exc), EXIT_MODEL) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleanews {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False,
) -> None:
    """Separate the article from the junk in scraped Chinese news pages."""
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)


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


@app.command(epilog=EXIT_CODES)
def clean(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH", help="Pages, folders (searched recursively), JSON Lines or Parquet files, or - for stdin."
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file, or folder for several inputs or a folder.")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Pages: text, jsonl (every line's decision) or tsv. Records: jsonl or parquet."
        ),
    ] = None,
    keep: Annotated[str, typer.Option("--keep", "-k", help="Labels to keep, comma-separated.")] = "body,title",
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop kept lines below this confidence.")
    ] = 0.0,
    keep_spans: Annotated[
        bool, typer.Option("--keep-spans", help="Leave spam spans found inside kept lines in the text.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Worker processes (0: one, or one per core for a batch big enough to repay their start).",
        ),
    ] = 0,
    glob: Annotated[
        str | None, typer.Option("--glob", help="Which files to take from folders [default: *.txt, *.htm* for html].")
    ] = None,
    input_format: Annotated[
        InputFormat, typer.Option("--input-format", help="What the inputs are (auto: by extension).")
    ] = InputFormat.auto,
    text_field: Annotated[str, typer.Option("--text-field", help="Records: the field holding the page.")] = "text",
    id_field: Annotated[
        str | None, typer.Option("--id-field", help="Records: a field that names each record in messages.")
    ] = None,
    keep_dirs: Annotated[
        bool, typer.Option("--keep-dirs", help="Mirror each input folder under its own name in -o.")
    ] = False,
    uncertain: Annotated[
        int,
        typer.Option("--uncertain", min=0, help="With --format tsv: also write the N least sure lines to a side file."),
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary (errors still).")] = False,
    model: ModelOpt = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Run here, or on a Ray cluster.")] = Engine.local,
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster address (default: start a local one).")
    ] = None,
) -> None:
    """Clean pages: keep the article (body and title lines), drop menus, link walls, footers and spam.

    One input and no -o: the result goes to standard output. Several inputs or a folder
    need -o DIR: each folder's tree is mirrored under DIR (--keep-dirs: under the
    folder's name), with the format's extension (.txt, .jsonl or .tsv). Outputs are
    written atomically and never over an input.

    JSON Lines (.jsonl, .gz, .zst) and Parquet files are streams of records, one page in
    each record's text field: every record comes out with its fields and the decisions
    added (cleaned, labels, confidences, kept, spans, encoding, replaced, error).
    HTML pages (.html, .htm) are rendered to lines first (pip install 'cleanews[html]').

    \b
    Examples:
      cleanews clean page.txt                         # the article, to standard output
      cat page.txt | cleanews clean -                 # from standard input
      cleanews clean crawl/ -o cleaned/ --jobs 4      # crawl/a/b.txt -> cleaned/a/b.txt
      cleanews clean docs.jsonl.zst -o cleaned.parquet --text-field content --id-field url
      cleanews clean page.html                        # HTML, rendered to lines, then cleaned
      cleanews clean page.txt --format jsonl          # every line: label, confidence, kept, spans
      cleanews clean page.txt --keep-spans            # leave spam found inside lines in the text
      cleanews clean page.txt --format tsv > p.tsv    # correct the labels, then cleanews train
      cleanews clean crawl/ -o fix/ -f tsv --uncertain 50  # and fix/UNCERTAIN.tsv: where to look first
      cleanews clean page.txt --keep body,title,meta --min-confidence 0.6
      cleanews clean crawl/ -o cleaned/ --engine ray --address ray://head:10001
    """
    try:
        options = CleanOptions(keep=parse_labels(keep), min_confidence=min_confidence, keep_spans=keep_spans)
        request = CleanRequest(
            paths,
            output,
            fmt.value if fmt else None,
            glob,
            input_format.value,
            keep_dirs,
            uncertain,
            StreamOptions(text_field, id_field),
        )
        planned = request.plan()  # planning errors surface here, before any work
    except (ValueError, PlanError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    if engine is Engine.ray and planned.streams:
        raise _fail("the ray engine cleans pages; clean record streams here (drop --engine ray)", EXIT_USAGE)
    loaded = _load(model)
    workers = jobs if planned.batch else 1  # 0: the engine chooses from the batch's size
    bar = planned.batch and not quiet and sys.stderr.isatty()
    display = RunDisplay(bar, planned.total() if bar else None, planned.unit)
    try:
        if engine is Engine.ray:
            summary = _run_on_ray(planned.jobs, output, planned.fmt, options, model, address, jobs, display)
        else:
            summary = planned.run(loaded, options, workers, display.done)
    except BrokenPipeError:
        display.close()
        _silence_stdout()  # the reader went away (cleanews ... | head): stop quietly, like other tools
        raise typer.Exit(code=0) from None
    display.close()
    if (planned.batch or summary.failed) and not quiet:
        typer.echo(summary.line(), err=True)
    if summary.failed:
        raise typer.Exit(code=EXIT_FAILED)


def _run_on_ray(jobs, output, fmt, options, model, address, n_jobs, display):  # type: ignore[no-untyped-def]
    from cleanews.run.ray import RayEngineError, RayNotInstalled, run_clean_on_ray

    try:
        return run_clean_on_ray(
            jobs, output, fmt, options, model, address, num_workers=n_jobs or None, on_done=display.done
        )
    except RayNotInstalled as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except RayEngineError as exc:
        raise _fail(str(exc), EXIT_FAILED) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor
        pass


@app.command(epilog=EXIT_CODES)
def review(
    paths: Annotated[list[str], typer.Argument(metavar="PAGES", help="Page files or folders (searched recursively).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The report to write (one .html file).")],
    least: Annotated[int, typer.Option("--least", min=0, help="How many least sure lines to list first.")] = 50,
    glob: Annotated[str, typer.Option("--glob", help="Which files to take from folders.")] = "*.txt",
    input_format: Annotated[
        InputFormat, typer.Option("--input-format", help="page or html (auto: by extension).")
    ] = InputFormat.auto,
    keep: Annotated[str, typer.Option("--keep", "-k", help="Labels to keep, comma-separated.")] = "body,title",
    model: ModelOpt = None,
) -> None:
    """Write an HTML report of the model's decisions: one page, no network, no server.

    Every line coloured by its label with its confidence as a bar, spans highlighted,
    the least sure lines listed first with a link to each, and the count of each label.
    Open it in a browser, then correct the pages it points to ('cleanews clean --format
    tsv') and retrain.

    \b
    Examples:
      cleanews review crawl/sample/ -o report.html
      cleanews review a.txt b.html -o report.html --least 100 --model my-model.joblib
    """
    if input_format.value in ("jsonl", "parquet"):
        raise _fail("review reads pages (text or html); clean record streams with 'cleanews clean'", EXIT_USAGE)
    try:
        options = CleanOptions(keep=parse_labels(keep))
    except ValueError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}", EXIT_USAGE)
    if any(Path(p).resolve() == output.resolve() for p in paths):
        raise _fail(f"writing to {output} would overwrite an input; choose another output", EXIT_USAGE)
    from cleanews.run.review import review_inputs, review_pages, write_report

    loaded = _load(model)
    pages = list(review_pages(review_inputs(paths, glob), loaded, options, input_format.value))
    try:
        counts = write_report(pages, output, least)
    except OSError as exc:
        raise _fail(f"cannot write {output} ({exc.strerror or exc})", EXIT_FAILED) from None
    failed = [p for p in pages if p.result is None]
    for page in failed:
        typer.echo(f"cleanews: {page.name}: {page.error}", err=True)
    typer.echo(f"wrote {output}: {len(pages)} pages, {sum(counts.values())} lines, {len(failed)} failed", err=True)
    if failed or not pages:
        raise typer.Exit(code=EXIT_FAILED)


@app.command(epilog=TRAIN_EXIT_CODES)
def train(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, metavar="PAGES", help="Folders or files of labelled pages (*.tsv, see LABELS.md)."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to save the model (.joblib; a .json card goes beside it).")
    ],
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds, grouped by page.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed (training is deterministic for a seed).")] = 0,
    with_shipped: Annotated[
        bool, typer.Option("--with-shipped", help="Train on the shipped training pages too (installed with cleanews).")
    ] = False,
    weight: Annotated[
        float, typer.Option("--weight", help="How much PAGES count against shipped pages (above 0).")
    ] = 1.0,
) -> None:
    """Train a model on labelled pages and save it with its model card.

    Labelled pages are the format of docs/labels.md (label, a tab, the line as it was),
    as 'cleanews clean --format tsv' writes them. Every label needs examples.
    --with-shipped retrains on top of the pages the shipped model learned from, with
    your PAGES counting --weight times as much as a shipped page of their kind.

    \b
    Examples:
      cleanews train training_data -o models/cleanews.joblib
      cleanews train --with-shipped mine/ -o my-model.joblib --weight 3
      cleanews evaluate --compare models/cleanews.joblib my-model.joblib held-out/
    """
    # Training code (scikit-learn, scipy) is imported here only, so that cleaning starts fast.
    from cleanews.data.labelled import LabelledFormatError
    from cleanews.model.store import save_model
    from cleanews.training.train import TrainOptions, train_model

    try:
        model = train_model(
            paths, TrainOptions(folds=folds, random_state=seed), with_shipped=with_shipped, weight=weight
        )
    except (LabelledFormatError, FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    try:
        save_model(model, output)
    except OSError as exc:
        raise _fail(f"cannot write {output} ({exc.strerror or exc})", EXIT_FAILED) from None
    cv = model.card["cross_validated"]
    typer.echo(f"saved {output} (cross-validated macro-F1 {cv['macro_f1']:.3f}, ECE {cv['ece']:.3f})")


@app.command(epilog=EVALUATE_EXIT_CODES)
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, metavar="PAGES", help="Folders or files of labelled pages to score against."),
    ],
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option("--compare", metavar="A B", help="Two model files: what changed from A to B, label by label."),
    ] = None,
) -> None:
    """Score a model on labelled pages: per-label F1, body-character F1, calibration, spam kept.

    \b
    Examples:
      cleanews evaluate held-out/                               # the shipped model
      cleanews evaluate held-out/ --model my-model.joblib --json
      cleanews evaluate --compare models/cleanews.joblib my-model.joblib held-out/
    """
    from cleanews.data.labelled import LabelledFormatError
    from cleanews.training.evaluate import format_comparison, format_scores
    from cleanews.training.train import evaluate_model

    if compare is not None and model is not None:
        raise _fail("give either --model or --compare A B, not both", EXIT_USAGE)
    models = [_load(m) for m in compare] if compare else [_load(model)]
    try:
        scores = [evaluate_model(m, paths) for m in models]
    except (LabelledFormatError, FileNotFoundError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    if compare:
        names = (str(compare[0]), str(compare[1]))
        if as_json:
            typer.echo(json.dumps({name: s.as_dict() for name, s in zip(names, scores)}, indent=1))
        else:
            typer.echo(format_comparison(scores[0], scores[1], names))
        return
    typer.echo(json.dumps(scores[0].as_dict(), indent=1) if as_json else format_scores(scores[0]))


@app.command(epilog=INFO_EXIT_CODES)
def info(model: ModelOpt = None) -> None:
    """Show the model card: labels, versions, training data and cross-validated scores.

    \b
    Examples:
      cleanews info                              # the shipped model
      cleanews info --model my-model.joblib
    """
    loaded = _load(model)
    typer.echo(f"model: {loaded.path}")
    typer.echo(json.dumps(loaded.card, ensure_ascii=False, indent=2, sort_keys=True))


if __name__ == "__main__":  # pragma: no cover
    app()
