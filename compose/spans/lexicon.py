"""Our own spam strings, expanded from the part lists in ``lexicon/<family>.txt``.

The strings are combinations of parts under a fixed seed, so hundreds of distinct strings come from a
few dozen hand-written parts. Every slot has a ``train.`` and a ``heldout.`` list; the held-out strings
are built only from held-out parts, so the benchmark measures spans the span finder has never seen.
Digits and letters are drawn from split-specific pools for the same reason.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
FAMILIES = ("casino", "lottery", "adult", "pharmacy", "invoice", "loan", "seo", "contact")
SPLITS = ("train", "heldout")
SEED = 20251218
# How many distinct strings each family gets per split.
TARGET = {"train": 70, "heldout": 30}

# Letter pools and phone/QQ number ranges that do not overlap between the splits.
LETTERS = {"train": "abcdefghjk", "heldout": "mnpqrstwxz"}
PHONE_HEADS = {
    "train": ("133", "135", "136", "138", "150", "152", "158"),
    "heldout": ("171", "173", "177", "191", "199"),
}
QQ_HEADS = {"train": "12345", "heldout": "6789"}
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SpamString:
    """One spam string and where it comes from (the family is reported per mode and per family)."""

    text: str
    family: str
    split: str


def read_sections(path: Path) -> dict[str, list[str]]:
    """Read ``## name`` sections of one item per line; ``#`` comment lines and blank lines are skipped."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif line and not line.startswith("#") and current is not None:
            current.append(line)
    return sections


def _digits(rng: random.Random, n: int) -> str:
    """Digits for codes and numbers; drawn, not listed, so a held-out string cannot repeat a training number."""
    return "".join(rng.choice("0123456789") for _ in range(n))


def _builtin(slot: str, split: str, rng: random.Random) -> str | None:
    """Slots that are drawn rather than listed: digits, letters, phone numbers, QQ numbers, WeChat ids."""
    if slot in ("d2", "d3", "d4"):
        return _digits(rng, int(slot[1]))
    letters = LETTERS[split]
    if slot == "ab":
        return "".join(rng.choice(letters) for _ in range(rng.randint(2, 3)))
    if slot == "phone":
        return rng.choice(PHONE_HEADS[split]) + _digits(rng, 8)
    if slot == "qq":
        return rng.choice(QQ_HEADS[split]) + _digits(rng, rng.randint(7, 9))
    if slot == "wx":
        return "".join(rng.choice(letters) for _ in range(rng.randint(3, 6))) + _digits(rng, rng.randint(2, 4))
    return None


def _fill(template: str, parts: dict[str, list[str]], split: str, rng: random.Random) -> str:
    """Fill one template; a slot missing from the split's lists is an error in the lexicon file."""

    def one(m: re.Match[str]) -> str:
        """The value of one slot, drawn from the split's own list."""
        slot = m.group(1)
        drawn = _builtin(slot, split, rng)
        if drawn is not None:
            return drawn
        values = parts.get(f"{split}.{slot}")
        if not values:
            raise KeyError(f"lexicon has no {split}.{slot} list for template {template!r}")
        # a listed slot may itself hold drawn slots ({ab}{d4} as a casino code)
        return _SLOT.sub(one, rng.choice(values))

    return _SLOT.sub(one, template)


def _usable(text: str) -> bool:
    """A span never holds a tab or the marker, and is long enough to be a name rather than a word."""
    return "\t" not in text and "+spam:" not in text and len(text) >= 4


def family_strings(family: str, split: str) -> list[SpamString]:
    """The distinct strings of one family in one split, in generation order (fixed seed)."""
    parts = read_sections(LEXICON_DIR / f"{family}.txt")
    templates = parts["templates"]
    rng = random.Random(f"{SEED}:{family}:{split}")
    seen: dict[str, None] = {}
    for _ in range(TARGET[split] * 40):
        if len(seen) >= TARGET[split]:
            break
        text = _fill(rng.choice(templates), parts, split, rng)
        if _usable(text):
            seen.setdefault(text, None)
    return [SpamString(t, family, split) for t in seen]


def all_strings(split: str) -> list[SpamString]:
    """Every string of a split, family by family; no string is a substring of another in the other split."""
    return [s for fam in FAMILIES for s in family_strings(fam, split)]


def name_parts(split: str) -> set[str]:
    """The listed parts of a split (places, brands, slogans ...), for the disjointness check."""
    out: set[str] = set()
    for fam in FAMILIES:
        for name, values in read_sections(LEXICON_DIR / f"{fam}.txt").items():
            if name.startswith(f"{split}."):
                out.update(_SLOT.sub("", v) for v in values)
    return {p for p in out if len(p) >= 2}


def innocent_snippets(split: str) -> list[tuple[str, list[str]]]:
    """The innocent article snippets of a split: (name, paragraphs), sorted by name."""
    sections = read_sections(LEXICON_DIR / "innocent.txt")
    return sorted((k, v) for k, v in sections.items() if k.startswith(f"{split}."))
