"""Quality of cleanews beside the tools a user would pick instead, on the same text.

Two test sets:

- ``../shared/corpus/dev/`` (skipped with a note when absent): the shipped model,
  scored with ``cleanews.training.evaluate.score_lines`` and, on predictions written as
  ``<name>.jsonl``, with the shared scorer ``../shared/bench/score.py`` itself;
- the held-out split of ``training_data/`` (``cleanews.training.train.held_out_split``): a model
  trained here on the other pages only (cached under /tmp, keyed by the training data
  and the model code), since the shipped model has seen every page of training_data.

Spam spans inside lines: on ``benchmarks/data/spans_heldout/`` (pages with injected spam
strings built only from held-out parts of ``compose/spans``, so never seen in training),
span-character P/R/F1 and the share of clean body/title characters cut; on the dev
corpus (no injected spam), the share of body and title characters cut.

Peers (jusText, trafilatura, the line rule; see ``common.py``) answer keep/drop per line;
a kept line counts as predicted ``body``. Body-character F1 for all; the full per-label
table, macro-F1, ECE and spam kept for cleanews.

    python benchmarks/quality.py [--model PATH] [--fraction 0.2] [--retrain] [--no-dev] [--no-held-out] [--no-spans]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import common

import cleanews
from cleanews.data.labelled import LabelledPage, find_labelled, read_labelled
from cleanews.features.measures import FEATURE_VERSION
from cleanews.spans.span import Span
from cleanews.text.lines import split_lines
from cleanews.training.evaluate import Scores, format_scores, score_lines
from cleanews.training.spans import SpanScores
from cleanews.training.train import TrainOptions, data_hash, held_out_split

# The files whose code decides what a trained model is: a change retrains the cached model.
MODEL_CODE = (
    "model.py",
    "decisions.py",
    "features.py",
    "chars.py",
    "ngrams.py",
    "context.py",
    "lexicon.py",
    "linear.py",
    "trees.py",
    "sequence.py",
    "page.py",
    "train.py",
    "labels.py",
)


@dataclass
class Item:
    """One scored page: its bytes as a user would feed them, and its gold labels (None: blank)."""

    name: str
    data: bytes
    gold: tuple[str | None, ...]
    texts: tuple[str, ...]
    marks: tuple[tuple[str, ...], ...] = ()  # gold span texts of each line


@dataclass
class Prediction:
    labels: list[str | None]
    confidences: list[float | None]
    spans: list[tuple[Span, ...]] | None = None


def dev_items() -> tuple[list[Item], list[str]] | None:
    pages = common.dev_pages()
    if pages is None:
        return None
    items, notes = [], []
    for p in pages:
        gold = read_labelled(p.gold_path)
        lines = split_lines(cleanews.decode_bytes(p.data).text)
        if [line.text for line in lines] != [line.text for line in gold.lines]:
            notes.append(
                f"{p.name}: the page text and its gold labels differ in lines ({len(lines)} vs {len(gold.lines)})"
            )
        items.append(Item(p.name, p.data, gold.labels, tuple(line.text for line in gold.lines), gold.spans))
    return items, notes


def page_item(page: LabelledPage) -> Item:
    return Item(
        page.name, page.text.encode("utf-8"), page.labels, tuple(line.text for line in page.lines), page.spans
    )


def predict_cleanews(model: cleanews.Model, item: Item) -> tuple[Prediction, list[str]]:
    result = cleanews.label_page(item.data, model)
    lines = [line.text for line in result]
    pred = Prediction([line.label for line in result], [line.confidence for line in result], [x.spans for x in result])
    return pred, lines


def predict_peer(peer: common.Peer, lines: Sequence[str]) -> Prediction:
    keep = peer.keep(lines)
    return Prediction(["body" if k else None for k in keep], [None] * len(keep))


def score(items: Sequence[Item], preds: Sequence[Prediction]) -> Scores:
    return score_lines((it.gold, p.labels, p.confidences, it.texts) for it, p in zip(items, preds))


def write_jsonl(folder: Path, items: Sequence[Item], preds: Sequence[Prediction]) -> None:
    """Predictions in the shared scorer's format: one object per page line, blank lines included."""
    folder.mkdir(parents=True, exist_ok=True)
    for it, p in zip(items, preds):
        with open(folder / f"{it.name}.jsonl", "w", encoding="utf-8") as fh:
            spans = p.spans or [()] * len(p.labels)
            for n, (label, conf, text, found) in enumerate(zip(p.labels, p.confidences, it.texts, spans), 1):
                row = {"line": n, "text": text, "label": label, "confidence": conf}
                row["spans"] = [{"start": x.start, "end": x.end} for x in found]
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_scorer(gold_dir: Path, pred_dir: Path, quiet: bool) -> tuple[str, dict, list[str]]:
    """Run ../shared/bench/score.py itself; return its printed report and its JSON."""
    out_json = pred_dir.with_suffix(".json")
    cmd = [sys.executable, str(common.SCORER), str(gold_dir), str(pred_dir), "--json", str(out_json)]
    if quiet:
        cmd.append("--quiet")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    near = common.ROOT.parent.resolve()
    shown = [os.path.relpath(c) if Path(c).resolve().is_relative_to(near) else c for c in cmd]
    return proc.stdout, json.loads(out_json.read_text()), ["python", *shown[1:]]


def evaluate_set(items: Sequence[Item], model: cleanews.Model | None, model_name: str) -> dict[str, list[Prediction]]:
    """Predictions of cleanews (when a model is given) and of every available peer, page by page."""
    systems: dict[str, list[Prediction]] = {}
    available = [p for p in common.peers() if p.available]
    if model is not None:
        systems[model_name] = []
    for p in available:
        systems[p.name] = []
    for it in items:
        if model is not None:
            pred, lines = predict_cleanews(model, it)
            systems[model_name].append(pred)
        else:
            lines = [line.text for line in split_lines(cleanews.decode_bytes(it.data).text)]
        for p in available:
            systems[p.name].append(predict_peer(p, lines))
    return systems


def summary_table(items: Sequence[Item], systems: dict[str, list[Prediction]], cleanews_name: str | None) -> str:
    rows = []
    for name, preds in systems.items():
        s = score(items, preds)
        b = s.body_char
        kept = sum(label == "body" for p in preds for label in p.labels)
        is_model = name == cleanews_name
        rows.append(
            [
                name,
                b["p"],
                b["r"],
                b["f1"],
                kept,
                f"{s.spam_kept}/{s.spam_lines}",
                s.macro_f1 if is_model else None,
                s.ece if is_model else None,
            ]
        )
    return common.table(["system", "body P", "body R", "body F1", "lines kept", "spam kept", "macro-F1", "ECE"], rows)


def source_of(name: str) -> str:
    """The public source a dev page comes from: the part of its name before ``__``."""
    return name.split("__", 1)[0] if "__" in name else "other"


def by_source_table(items: Sequence[Item], preds: Sequence[Prediction]) -> str:
    """The dev figures of one system per source and together.

    The two sources differ in age, sites and renderers; together their calibration
    errors cancel (one is over-, the other under-confident), so a change is judged on
    each source, not on the sum.
    """
    groups: dict[str, list[int]] = {"all": list(range(len(items)))}
    for k, it in enumerate(items):
        groups.setdefault(source_of(it.name), []).append(k)
    rows = []
    for source, at in groups.items():
        s = score([items[k] for k in at], [preds[k] for k in at])
        pages = [score([items[k]], [preds[k]]) for k in at]
        worst = min((p.body_char["f1"] for p in pages if p.per_label.get("body", {}).get("support")), default=None)
        rows.append(
            [source, len(at), s.macro_f1, s.body_char["f1"], s.ece, f"{s.spam_kept}/{s.spam_lines}", worst]
            + [s.per_label.get(label, {}).get("f1") for label in ("title", "meta", "links", "spam", "chrome")]
        )
    head = ["source", "pages", "macro-F1", "body F1", "ECE", "spam kept", "worst page body F1"]
    return common.table(head + ["title", "meta", "links", "spam", "chrome"], rows)


def section(title: str) -> None:
    print()
    print("=" * len(title))
    print(title)
    print("=" * len(title))


def show_set(
    title: str, items: Sequence[Item], systems: dict[str, list[Prediction]], cleanews_name: str | None
) -> dict[str, Scores]:
    n_lines = sum(g is not None for it in items for g in it.gold)
    section(f"{title}: {len(items)} pages, {n_lines} labelled lines")
    print("Body-character P/R/F1 (characters of stripped lines, as score.py counts); a peer's kept line is")
    print("predicted body. 'spam kept' = spam lines predicted body or title. macro-F1 and ECE for cleanews only.")
    print()
    print(summary_table(items, systems, cleanews_name))
    scores = {name: score(items, preds) for name, preds in systems.items()}
    if cleanews_name in scores:
        print()
        print(f"{cleanews_name}: per-label scores (cleanews.training.evaluate.score_lines)")
        print(format_scores(scores[cleanews_name]))
    return scores


def scorer_check(items: Sequence[Item], systems: dict[str, list[Prediction]], scores: dict[str, Scores]) -> None:
    """Write every system's dev predictions as <name>.jsonl and score them with ../shared/bench/score.py."""
    with tempfile.TemporaryDirectory(prefix="cleanews-quality-") as tmp:
        print()
        print("The shared scorer itself on the same predictions, written as <name>.jsonl to a temporary folder:")
        for name, preds in systems.items():
            folder = Path(tmp) / name.replace(" ", "_")
            write_jsonl(folder, items, preds)
            is_model = name == "cleanews"
            out, res, cmd = run_scorer(common.DEV / "labels", folder, quiet=not is_model)
            mine = scores[name]
            agree = abs(res["body_char"]["f1"] - mine.body_char["f1"]) < 1e-9 and (
                not is_model or abs(res["macro_f1"] - mine.macro_f1) < 1e-9
            )
            print(f"$ {shlex.join(cmd)}")
            print(
                f"  [{name}: body F1 {res['body_char']['f1']:.3f}; "
                f"{'agrees with' if agree else 'DIFFERS from'} score_lines]"
            )
            if is_model:
                print("  " + out.rstrip().replace("\n", "\n  "))


# -- spam spans -------------------------------------------------------------------
SPANS_HELDOUT = common.ROOT / "benchmarks" / "data" / "spans_heldout"


def span_scores(items: Sequence[Item], preds: Sequence[Prediction]) -> SpanScores:
    out = SpanScores()
    for it, p in zip(items, preds):
        spans = p.spans or [()] * len(it.gold)
        marks = it.marks or [()] * len(it.gold)
        for label, text, gold, found in zip(it.gold, it.texts, marks, spans):
            out.add_line(label, text, gold, found)
    return out


def span_line(s: SpanScores) -> str:
    d = s.as_dict()
    return (
        f"span characters P {d['p']:.3f}  R {d['r']:.3f}  F1 {d['f1']:.3f}  (gold {int(d['gold_chars'])})   "
        f"clean body/title characters cut {d['clean_cut_frac']:.4%} ({s.clean_cut} of {s.clean_chars})"
    )


def show_spans(model: cleanews.Model, dev: tuple[Sequence[Item], Sequence[Prediction]] | None) -> None:
    section("spam spans inside lines")
    if model.spans is None:
        print("skipped: the model has no span model")
        return
    if dev is not None:
        print(f"dev corpus (no injected spam): {span_line(span_scores(*dev))}")
    files = find_labelled([SPANS_HELDOUT]) if SPANS_HELDOUT.is_dir() else []
    if not files:
        print(f"held-out span pages: skipped, {SPANS_HELDOUT} is absent")
        return
    items = [page_item(read_labelled(f)) for f in files]
    preds = [predict_cleanews(model, it)[0] for it in items]
    scores = span_line(span_scores(items, preds))
    print(f"benchmarks/data/spans_heldout ({len(items)} pages, held-out strings): {scores}")
    with tempfile.TemporaryDirectory(prefix="cleanews-spans-") as tmp:
        write_jsonl(Path(tmp) / "pred", items, preds)
        out, _, cmd = run_scorer(SPANS_HELDOUT, Path(tmp) / "pred", quiet=False)
        print(f"$ {shlex.join(cmd)}")
        print("  " + "\n  ".join(line for line in out.splitlines() if "spam spans" in line))


# -- the held-out model ------------------------------------------------------------
def code_hash() -> str:
    src = Path(cleanews.__file__).parent
    h = hashlib.sha256()
    for name in MODEL_CODE:
        f = src / name
        if f.is_file():
            h.update(name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def held_out_model(train_files: Sequence[Path], train_pages: Sequence[LabelledPage], retrain: bool) -> cleanews.Model:
    """A model trained on the train split only, cached under /tmp by data, code and options."""
    options = TrainOptions()
    key = hashlib.sha256(
        f"{data_hash(train_pages)}|{FEATURE_VERSION}|{code_hash()}|{sorted(options.__dict__.items())}".encode()
    ).hexdigest()[:20]
    path = common.CACHE / f"heldout-{key}.joblib"
    if path.is_file() and not retrain:
        try:
            model = cleanews.load_model(path)
            print(f"held-out model: cached {path}")
            return model
        except cleanews.ModelError as exc:
            print(f"held-out model: cache unusable ({exc}); retraining")
    print(f"held-out model: training on {len(train_files)} pages (takes minutes; cached as {path}) ...", flush=True)
    t0 = time.perf_counter()
    model = cleanews.train_model(train_files, options)
    cleanews.save_model(model, path)
    print(f"held-out model: trained in {time.perf_counter() - t0:.0f} s")
    return model


# -- main --------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model file to score on the dev corpus (default: the shipped model)")
    ap.add_argument("--fraction", type=float, default=0.2, help="share of training_data held out (default 0.2)")
    ap.add_argument("--retrain", action="store_true", help="retrain the held-out model even when cached")
    ap.add_argument("--no-dev", action="store_true", help="skip the dev corpus")
    ap.add_argument("--no-held-out", action="store_true", help="skip the held-out split")
    ap.add_argument("--no-spans", action="store_true", help="skip the spam-span figures")
    args = ap.parse_args(argv)
    for noisy in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)

    common.print_header("cleanews quality benchmark")
    for p in common.peers():
        if not p.available:
            print(f"note: {p.name} skipped ({p.note})")

    model: cleanews.Model | None
    try:
        model = cleanews.load_model(args.model)
        card = model.card.get("training_data", {})
        print(
            f"model: {model.path} (training data sha256 {str(card.get('sha256', '?'))[:12]}, {card.get('pages')} pages)"
        )
    except cleanews.ModelError as exc:
        model = None
        print(f"note: the model cannot be loaded, cleanews is left out of the dev table: {exc}")

    dev_spans = None
    if not args.no_dev:
        loaded = dev_items()
        if loaded is None:
            section("dev corpus")
            print(f"skipped: {common.DEV} is absent (it sits beside the project as ../shared/corpus/dev)")
        else:
            items, notes = loaded
            for n in notes:
                print("note:", n)
            systems = evaluate_set(items, model, "cleanews")
            which = "shipped model" if args.model is None else f"model {args.model}"
            scores = show_set(f"dev corpus (../shared/corpus/dev), {which}", items, systems, "cleanews")
            if "cleanews" in systems:
                print()
                print("cleanews per source (a change is kept only if neither source's macro-F1 falls by over 0.005):")
                print(by_source_table(items, systems["cleanews"]))
            if not common.SCORER.is_file():
                print(f"\nnote: {common.SCORER} is absent; the shared scorer's own figures are skipped")
            else:
                scorer_check(items, systems, scores)
            dev_spans = (items, systems["cleanews"]) if model is not None else None
    if model is not None and not args.no_spans:
        show_spans(model, dev_spans)

    if not args.no_held_out:
        files = find_labelled([common.TRAINING_DATA])
        pages = [read_labelled(f) for f in files]
        by_name = dict(zip((p.name for p in pages), files))
        train, test = held_out_split(pages, args.fraction)
        if not train or not test:
            section("held-out split")
            print(f"skipped: the split of {len(pages)} pages at fraction {args.fraction} leaves one side empty")
        else:
            section_title = (
                f"held-out split of training_data (held_out_split, fraction {args.fraction}: "
                f"{len(train)} train / {len(test)} test pages)"
            )
            print()
            held = held_out_model([by_name[p.name] for p in train], train, args.retrain)
            items = [page_item(p) for p in test]
            systems = evaluate_set(items, held, "cleanews (train split)")
            show_set(section_title, items, systems, "cleanews (train split)")
            print()
            print("note: composed pages reuse components (compose/components), so test pages share lines")
            print("with train pages; read this as a check on fit, the dev corpus as the real measure.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
