"""Validate the span pages on their own terms and print what they hold.

    python compose/spans/check.py            # all span pages of the repository
    python compose/spans/check.py FILE...    # only these labelled pages

Standalone on purpose: the project's reader does not know ``+spam:`` yet, and a checker that shared the
generator's parser would share its mistakes. It parses each file by the rules of ``shared/LABELS.md``
(label column up to the first tab, split on ``+spam:``; one of the eight labels or ``-``; every span
non-empty and found in its line), checks that a span of a page is marked in every non-spam line that
holds it, that no held-out span occurs in any training page, and that the manifests match the files.
Exit status 1 on any fault.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "training_data"
HELDOUT = ROOT / "benchmarks" / "data" / "spans_heldout"
MANIFESTS = (Path(__file__).resolve().parent / "manifest_train.jsonl", HELDOUT / "manifest.jsonl")
SEED_PAGE = TRAINING / "000_19e93c5fe74daeee.tsv"
LABELS = {"body", "title", "meta", "nav", "region", "links", "spam", "chrome"}
MARK = "+spam:"
SENSITIVE = re.compile(r"成人票|儿童票|性价比|彩票|双色球|开奖|赌博|博彩|发票|贷款|性健康|娱乐场|成人高考|减肥")

Line = tuple[str, list[str], str]  # label, spans, text


def parse(path: Path, faults: list[str]) -> list[Line]:
    """The lines of one labelled page; every format fault is appended to ``faults``."""
    out: list[Line] = []
    raw = path.read_bytes().decode("utf-8")
    for n, piece in enumerate(raw.split("\n"), 1):
        if piece == "" and n == raw.count("\n") + 1:
            break
        piece = piece[:-1] if piece.endswith("\r") else piece
        column, tab, text = piece.partition("\t")
        where = f"{path.relative_to(ROOT)}:{n}"
        if not tab:
            faults.append(f"{where}: no tab")
            continue
        label, *spans = column.split(MARK)
        if label not in LABELS and label != "-":
            faults.append(f"{where}: unknown label {label!r}")
        if label == "-" and (spans or text.strip("\u3000\u200b\ufeff \t")):
            faults.append(f"{where}: blank label on a line with spans or visible text")
        for s in spans:
            if not s or s not in text:
                faults.append(f"{where}: span {s!r} not found in its line")
        if len(set(spans)) != len(spans):
            faults.append(f"{where}: a span is marked twice")
        out.append((label, spans, text))
    return out


def covered(text: str, spans: list[str]) -> int:
    """Characters of the line inside some occurrence of some span."""
    hit = [False] * len(text)
    for s in spans:
        for m in re.finditer(re.escape(s), text):
            hit[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sum(hit)


def consistency(path: Path, lines: list[Line], faults: list[str]) -> None:
    """A span of a page must be marked in every non-spam line that holds it, or the page contradicts itself."""
    page_spans = {s for _, spans, _ in lines for s in spans}
    for n, (label, spans, text) in enumerate(lines, 1):
        if label in ("spam", "-"):
            continue
        for s in sorted(page_spans - set(spans)):
            if s in text:
                faults.append(f"{path.relative_to(ROOT)}:{n}: span {s!r} of this page is in the line but not marked")


def against_base(path: Path, lines: list[Line], faults: list[str]) -> None:
    """A generated page differs from its base page only where it says so.

    Lines the injector changed must keep their label and carry a span; lines it added must be unmarked
    body lines (innocent snippets) or blank lines; nothing may be lost.
    """
    base_path = TRAINING / (path.name.split("_", 2)[2])
    if not base_path.exists():
        faults.append(f"{path.name}: base page {base_path.name} is missing")
        return
    base = parse(base_path, faults)
    matcher = difflib.SequenceMatcher(None, [b[2] for b in base], [ln[2] for ln in lines], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete":
            faults.append(f"{path.name}: base lines {i1 + 1}-{i2} were deleted")
        elif op != "equal":
            _align_block(path.name, base[i1:i2], lines[j1:j2], faults)


def _align_block(name: str, old: list[Line], new: list[Line], faults: list[str]) -> None:
    """Walk a differing block in order: a line with a span is the next base line, changed; a line without
    one is the next base line unchanged, or else an inserted innocent line (inserts never carry spans)."""
    k = 0
    for ln in new:
        if ln[1]:
            if k >= len(old) or old[k][0] != ln[0]:
                faults.append(f"{name}: marked line {ln[2][:40]!r} does not keep a base line's label")
            k += 1
        elif k < len(old) and old[k][2] == ln[2] and old[k][0] == ln[0]:
            k += 1
        elif ln[0] not in ("body", "-"):
            faults.append(f"{name}: line {ln[2][:40]!r} is neither a base line nor an innocent insert")
    if k != len(old):
        faults.append(f"{name}: {len(old) - k} base line(s) from {old[min(k, len(old) - 1)][2][:40]!r} were lost")


def span_files() -> list[Path]:
    """Every file with span marks: generated pages, hand-written hijacked pages, the marked seed page."""
    return (
        sorted(TRAINING.glob("inj_*.tsv"))
        + sorted(TRAINING.glob("hand_hijack_*.tsv"))
        + [SEED_PAGE]
        + sorted(HELDOUT.glob("*.tsv"))
    )


def check_manifests(parsed: dict[Path, list[Line]], faults: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Each manifest record names a line that carries its span; returns span lines per mode and per family."""
    by_name = {p.name: lines for p, lines in parsed.items()}
    modes: Counter[str] = Counter()
    families: Counter[str] = Counter()
    for manifest in MANIFESTS:
        if not manifest.exists():
            faults.append(f"missing manifest {manifest.relative_to(ROOT)}")
            continue
        split = "heldout" if manifest.parent == HELDOUT else "train"
        for rec in map(json.loads, manifest.read_text(encoding="utf-8").splitlines()):
            if "innocent" in rec:
                modes[f"{split}:innocent snippet pages"] += 1
                continue
            lines = by_name.get(rec["file"])
            if lines is None or rec["span"] not in lines[rec["line"] - 1][1]:
                faults.append(f"manifest record does not match its file: {rec}")
                continue
            for m in rec["modes"]:
                modes[f"{split}:{m}"] += 1
            families[f"{split}:{rec['family']}"] += 1
    return modes, families


def leaks(parsed: dict[Path, list[Line]], faults: list[str]) -> None:
    """No held-out span may occur anywhere in the text of a training page."""
    held = sorted({s for p, lines in parsed.items() if p.parent == HELDOUT for _, spans, _ in lines for s in spans})
    for path in sorted(TRAINING.glob("*.tsv")):
        text = "\n".join(t.partition("\t")[2] for t in path.read_text(encoding="utf-8").splitlines())
        faults.extend(f"held-out span {s!r} occurs in training page {path.name}" for s in held if s in text)


def report(parsed: dict[Path, list[Line]], modes: Counter[str], families: Counter[str]) -> None:
    """Print pages, lines, span lines, span characters and innocent sensitive lines, per split."""
    groups = {
        "train:inj": [p for p in parsed if p.name.startswith("inj_")],
        "train:hand": [p for p in parsed if p.name.startswith("hand_hijack_") or p == SEED_PAGE],
        "heldout": [p for p in parsed if p.parent == HELDOUT],
    }
    for name, paths in groups.items():
        lines = [ln for p in paths for ln in parsed[p]]
        span_lines = [ln for ln in lines if ln[1]]
        innocent = [ln for ln in lines if ln[0] == "body" and not ln[1] and SENSITIVE.search(ln[2])]
        distinct = {s for ln in span_lines for s in ln[1]}
        print(
            f"{name:10} pages {len(paths):4}  lines {len(lines):6}  non-blank {sum(ln[0] != '-' for ln in lines):6}"
            f"  span lines {len(span_lines):5}  distinct spans {len(distinct):4}"
            f"  span chars {sum(covered(ln[2], ln[1]) for ln in span_lines):6}"
            f"  pages without spans {sum(not any(ln[1] for ln in parsed[p]) for p in paths):3}"
            f"  innocent sensitive body lines {len(innocent):4}"
        )
        labels = Counter(ln[0] for ln in span_lines)
        print(f"{'':10} span lines by label: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    for title, counts in (("span lines per mode (generated pages)", modes), ("span lines per family", families)):
        print(title + ":")
        for key in sorted(counts):
            print(f"  {key:24} {counts[key]:5}")


def main(argv: list[str]) -> int:
    """Check the given files, or all span files with the manifests and the held-out leak test."""
    paths = [Path(a).resolve() for a in argv] or span_files()
    faults: list[str] = []
    parsed = {p: parse(p, faults) for p in paths}
    for p, lines in parsed.items():
        consistency(p, lines, faults)
        if p.name.startswith(("inj_", "ho_")):
            against_base(p, lines, faults)
    modes, families = check_manifests(parsed, faults) if not argv else (Counter(), Counter())
    if not argv:
        leaks(parsed, faults)
    report(parsed, modes, families)
    for f in faults[:50]:
        print("FAULT", f)
    print(f"{len(faults)} faults")
    return 1 if faults else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
