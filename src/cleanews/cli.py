"""The ``cleanews`` command: a thin typer layer over the Python API (no logic here).

Exit codes: 0 all went well; 1 one or more inputs failed (each named on stderr);
2 bad usage (an unknown option or label, an unsafe output); 3 the model cannot be used.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cleanews import __version__
from cleanews.api import CleanOptions
from cleanews.data.labelled import LabelledFormatError
from cleanews.data.labels import parse_labels
from cleanews.files import STDIN
from cleanews.model.store import ModelError, load_model, save_model
from cleanews.run.plan import PlanError, is_batch, plan
from cleanews.run.pool import Outcome, default_jobs, run
from cleanews.run.writers import FORMATS
from cleanews.training.evaluate import format_scores
from cleanews.training.train import TrainOptions, evaluate_model, train_model

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_MODEL = 3

EXIT_CODES = (
    "\b\nExit codes: 0 success; 1 one or more inputs failed (each is named on standard error,\n"
    "the rest is still written); 2 bad usage (an unknown option or label, an output that\n"
    "would overwrite an input); 3 the model cannot be loaded."
)

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

ModelOpt = Annotated[Path | None, typer.Option("--model", "-m", help="Model file (default: the shipped model).")]


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


@app.command(epilog=EXIT_CODES)
def clean(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Page files, folders (searched recursively), or - for stdin.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file, or folder for several inputs or a folder.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, jsonl (every line's decision) or tsv.")] = "text",
    keep: Annotated[str, typer.Option("--keep", "-k", help="Labels to keep, comma-separated.")] = "body,title",
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop kept lines below this confidence.")
    ] = 0.0,
    keep_spans: Annotated[
        bool, typer.Option("--keep-spans", help="Leave spam spans found inside kept lines in the text.")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core this process may use).")
    ] = 0,
    glob: Annotated[str, typer.Option("--glob", help="Which files to take from folders.")] = "*.txt",
    model: ModelOpt = None,
    engine: Annotated[str, typer.Option("--engine", help="local (processes here) or ray (a Ray cluster).")] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster address (default: start a local one).")
    ] = None,
) -> None:
    """Clean pages: keep the article (body and title lines), drop menus, link walls, footers and spam.

    One input and no -o: the result goes to standard output. Several inputs or a folder
    need -o DIR, under which the input tree is mirrored, with the format's extension
    (.txt, .jsonl or .tsv). Outputs are written atomically and never over an input.

    \b
    Examples:
      cleanews clean page.txt                         # the article, to standard output
      cat page.txt | cleanews clean -                 # from standard input
      cleanews clean crawl/ -o cleaned/ --jobs 4      # crawl/a/b.txt -> cleaned/crawl/a/b.txt
      cleanews clean page.txt --format jsonl          # every line: label, confidence, kept, spans
      cleanews clean page.txt --keep-spans            # leave spam found inside lines in the text
      cleanews clean page.txt --format tsv > p.tsv    # correct the labels, then cleanews train
      cleanews clean page.txt --keep body,title,meta --min-confidence 0.6
      cleanews clean crawl/ -o cleaned/ --engine ray --address ray://head:10001
    """
    if engine not in ("local", "ray"):
        raise _fail(f"unknown engine {engine!r}; choose local or ray", EXIT_USAGE)
    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", EXIT_USAGE)
    try:
        options = CleanOptions(keep=parse_labels(keep), min_confidence=min_confidence, keep_spans=keep_spans)
        planned = plan(paths, output, fmt, glob)
        first = next(planned, None)  # planning errors surface here, before any work
    except (ValueError, PlanError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    loaded = _load(model)
    batch = is_batch(paths)
    workers = (jobs or default_jobs()) if batch else 1
    progress = Progress(enabled=batch and sys.stderr.isatty())
    jobs_iter = itertools.chain([first] if first else [], planned)
    try:
        if engine == "ray":
            summary = _run_on_ray(jobs_iter, output, fmt, options, model, address, jobs, progress)
        else:
            summary = run(jobs_iter, loaded, options, fmt, workers, progress.done)
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (cleanews ... | head): stop quietly, like other tools
        raise typer.Exit(code=EXIT_FAILED) from None
    progress.close()
    if batch or summary.failed:
        typer.echo(summary.line(), err=True)
    if summary.failed:
        raise typer.Exit(code=EXIT_FAILED)


def _run_on_ray(jobs, output, fmt, options, model, address, n_jobs, progress):  # type: ignore[no-untyped-def]
    from cleanews.run.ray import RayEngineError, RayNotInstalled, run_clean_on_ray

    try:
        return run_clean_on_ray(
            jobs, output, fmt, options, model, address, num_workers=n_jobs or None, on_done=progress.done
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


class Progress:
    """A one-line counter on stderr for batch runs at a terminal; failures always get a line."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if not outcome.ok:
            if self.enabled:
                sys.stderr.write("\r\x1b[K")
            name = "standard input" if outcome.source == STDIN else outcome.source
            typer.echo(f"cleanews: {name}: {outcome.error}", err=True)
        if self.enabled:
            sys.stderr.write(f"\rcleaned {self.count} files")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@app.command(epilog=EXIT_CODES)
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
) -> None:
    """Train a model on labelled pages and save it with its model card.

    Labelled pages are the format of LABELS.md (label, a tab, the line as it was), as
    'cleanews clean --format tsv' writes them. Every label needs examples.

    \b
    Examples:
      cleanews train training_data -o models/cleanews.joblib
      cleanews train training_data mine/ -o my-model.joblib --folds 3
    """
    try:
        model = train_model(paths, TrainOptions(folds=folds, random_state=seed))
    except (LabelledFormatError, FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    try:
        save_model(model, output)
    except OSError as exc:
        raise _fail(f"cannot write {output} ({exc.strerror or exc})", EXIT_FAILED) from None
    cv = model.card["cross_validated"]
    typer.echo(f"saved {output} (cross-validated macro-F1 {cv['macro_f1']:.3f}, ECE {cv['ece']:.3f})")


@app.command(epilog=EXIT_CODES)
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, metavar="PAGES", help="Folders or files of labelled pages to score against."),
    ],
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score a model on labelled pages: per-label F1, body-character F1, calibration, spam kept.

    \b
    Examples:
      cleanews evaluate held-out/                               # the shipped model
      cleanews evaluate held-out/ --model my-model.joblib --json
    """
    loaded = _load(model)
    try:
        scores = evaluate_model(loaded, paths)
    except (LabelledFormatError, FileNotFoundError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    typer.echo(json.dumps(scores.as_dict(), indent=1) if as_json else format_scores(scores))


@app.command(epilog=EXIT_CODES)
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
