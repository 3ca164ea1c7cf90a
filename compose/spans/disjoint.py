"""Checks that the held-out spam strings never reach a training page, so span F1 on them is F1 on unseen text."""

from __future__ import annotations

from pathlib import Path

import lexicon

# Place names also appear in ordinary news; they may occur in training text as long as no held-out string does.
COMMON_WORDS = {
    "西安",
    "郑州",
    "济南",
    "福州",
    "哈尔滨",
    "石家庄",
    "南宁",
    "昆明",
    "长沙",
    "合肥",
    "贵阳",
    "太原",
    "温州",
    "义乌",
    "佛山",
    "中山",
    "联系",
    "热线",
}


def training_texts(training: Path, generated: dict[Path, str]) -> dict[str, str]:
    """The page text of every training file: generated ones from memory, the others from disk."""
    texts = {}
    for path in sorted(training.glob("*.tsv")):
        if path not in generated:
            texts[path.name] = path.read_text(encoding="utf-8")
    for path, content in generated.items():
        if path.parent == training:
            texts[path.name] = content
    return {k: "\n".join(line.partition("\t")[2] for line in v.splitlines()) for k, v in texts.items()}


def problems(training: Path, generated: dict[Path, str]) -> list[str]:
    """Every way the held-out split leaks into training; an empty list means the split is clean."""
    out = []
    train = {s.text for s in lexicon.all_strings("train")}
    held = {s.text for s in lexicon.all_strings("heldout")}
    for h in sorted(held):
        for t in sorted(train):
            if h in t or t in h:
                out.append(f"held-out string {h!r} overlaps train string {t!r}")
    shared = lexicon.name_parts("train") & lexicon.name_parts("heldout")
    out += [f"name part {p!r} is in both splits" for p in sorted(shared)]
    texts = training_texts(training, generated)
    # Latin parts (TLDs, letter codes) are too short to mean anything in running text; the strings are checked whole
    parts = {p for p in lexicon.name_parts("heldout") - COMMON_WORDS if not p.isascii()}
    for name, text in sorted(texts.items()):
        out += [f"held-out string {h!r} occurs in training page {name}" for h in sorted(held) if h in text]
        out += [f"held-out name part {p!r} occurs in training page {name}" for p in sorted(parts) if p in text]
    return out
