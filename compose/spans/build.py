"""Build the span training pages and the held-out span benchmark from our own labelled pages.

    python compose/spans/build.py           # write training_data/inj_*.tsv and benchmarks/data/spans_heldout/
    python compose/spans/build.py --check   # exit 1 when the files on disk differ from a fresh build

Base pages are the project's own ``hand_*`` and ``gen_*`` pages that carry no unmarked in-line spam
(a page with a casino name already inside a body line would teach the span finder to miss it). They are
split by a stable hash of their name, so a base page feeds either training or the benchmark, never both;
training pages get train strings and train innocent snippets only, the benchmark held-out ones only.
Everything is drawn from seeded generators in sorted order, so a rebuild is byte for byte the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import disjoint  # noqa: E402
import lexicon  # noqa: E402
import pages  # noqa: E402
from modes import MODE_FAMILIES, MODES, Page  # noqa: E402
from pages import Row  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "training_data"
HELDOUT = ROOT / "benchmarks" / "data" / "spans_heldout"
COMPONENTS = ROOT / "compose" / "components"
TRAIN_MANIFEST = Path(__file__).resolve().parent / "manifest_train.jsonl"
HELDOUT_MANIFEST = HELDOUT / "manifest.jsonl"
SEED = lexicon.SEED
COUNT = {"train": 200, "heldout": 60}
HELDOUT_SHARE = 25  # percent of base pages, by hash
NO_MODE_SHARE = 0.15  # pages left without spans, to teach restraint
MODE_COUNTS = (1, 1, 1, 2, 2, 2, 3, 3, 4)
_INJECTED = re.compile(r"赌场|赌城|娱乐城|娱乐场|威尼斯人|葡京|真人娱乐|百家乐|彩金|官方直营|电子游艺|网投")
_DATE = re.compile(r"(20\d\d|19\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})")


def known_spam_items() -> list[str]:
    """Spam items of the composer's components; found inside a non-spam line they mark unmarked in-line spam."""
    out = []
    for name in ("spam.txt", "spam2.txt"):
        for line in (COMPONENTS / name).read_text(encoding="utf-8").splitlines():
            item = re.sub(r"^[•·*\-\s]+", "", line.strip())
            if len(item) >= 5 and not item.startswith("#") and "{" not in item:
                out.append(item)
    return out


def base_pages() -> dict[str, list[Path]]:
    """Eligible base pages, split by a stable hash of the file name, each list in hash order."""
    items = re.compile("|".join(re.escape(x) for x in sorted(known_spam_items(), key=len, reverse=True)))
    split: dict[str, list[Path]] = {"train": [], "heldout": []}
    names = sorted(p for p in TRAINING.glob("*.tsv") if p.name.startswith(("hand_", "gen_")))
    for path in names:
        if path.name.startswith("hand_hijack_") or "hijacked" in path.name:
            continue
        rows = pages.read(path)
        live = [r.text for r in rows if not r.blank and r.label != "spam"]
        if any(_INJECTED.search(t) or r.spans for t, r in zip(live, rows)):
            continue
        if any(items.search(t) for t in live):
            continue
        h = int(hashlib.sha256(path.stem.encode()).hexdigest()[:8], 16)
        split["heldout" if h % 100 < HELDOUT_SHARE else "train"].append(path)
    for key in split:
        split[key].sort(key=lambda p: hashlib.sha256(p.stem.encode()).hexdigest())
    return split


class Pool:
    """The strings of one split, handed out family by family in a seeded rotation so that all get used."""

    def __init__(self, split: str) -> None:
        """Shuffle each family's strings once per split, so the order of use is seeded, not alphabetical."""
        self.queues: dict[str, list[str]] = {}
        self.family: dict[str, str] = {}
        for fam in lexicon.FAMILIES:
            texts = [s.text for s in lexicon.family_strings(fam, split)]
            random.Random(f"{SEED}:pool:{split}:{fam}").shuffle(texts)
            self.queues[fam] = texts
            self.family.update(dict.fromkeys(texts, fam))
        self.next = dict.fromkeys(lexicon.FAMILIES, 0)
        self.used: Counter[str] = Counter()

    def family_for(self, allowed: tuple[str, ...], rng: random.Random) -> str:
        """The allowed family furthest behind its share (a family listed twice gets twice the share)."""
        weight = Counter(allowed)
        low = min(self.used[f] / weight[f] for f in weight)
        choice = rng.choice(sorted(f for f in weight if self.used[f] / weight[f] == low))
        self.used[choice] += 1
        return choice

    def take(self, fam: str, ok: Callable[[str], bool]) -> str:
        """The next string of a family that the predicate accepts (skipping, not consuming, refused ones)."""
        queue = self.queues[fam]
        for k in range(len(queue)):
            text = queue[(self.next[fam] + k) % len(queue)]
            if ok(text):
                self.next[fam] = (self.next[fam] + k + 1) % len(queue)
                return text
        raise LookupError(f"no usable {fam} string")


def page_date(rows: list[Row], rng: random.Random) -> tuple[int, int, int]:
    """The page's own date (first one printed in a meta or body line), else a seeded one."""
    for r in rows:
        if r.label in ("meta", "body"):
            m = _DATE.search(r.text)
            if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28)


def insert_innocent(rows: list[Row], paras: list[str], rng: random.Random) -> int:
    """Insert an innocent snippet after a body paragraph, in the page's paragraph style; returns lines added."""
    spots = [i for i, r in enumerate(rows[:-1]) if r.label == "body" and len(r.text.strip()) >= 15 and not r.spans]
    if not spots:
        return 0
    i = rng.choice(spots[1:] or spots)
    gap = rows[i + 1] if rows[i + 1].blank else None
    new: list[Row] = []
    for text in paras:
        if gap is not None:
            new.append(pages.new_row_like(rows[i], pages.BLANK, gap.text))
        new.append(pages.new_row_like(rows[i], "body", text))
    rows[i + 1 : i + 1] = new
    return len(paras)


def hijack(page: Page, pool: Pool, rng: random.Random) -> list[tuple[int, str, str]]:
    """Apply 1 to 4 modes (or none) to a page; returns (line index, mode, span) for every marked line."""
    if rng.random() < NO_MODE_SHARE:
        return []
    wanted = rng.choice(MODE_COUNTS)
    names = sorted(MODES)
    rng.shuffle(names)
    done: list[tuple[int, str, str]] = []
    used: list[str] = []
    lead_span = ""
    text = "\n".join(r.text for r in page.rows)
    for name in names:
        if len({m for _, m, _ in done}) >= wanted:
            break
        fam = pool.family_for(MODE_FAMILIES[name], rng)

        def fits(s: str) -> bool:
            """A fresh string must not already be on the page (it would mark innocent text) nor nest in another."""
            return s not in text and not any(s in u or u in s for u in used if u != s)

        if name in ("dateline", "reporter") and lead_span:
            span = lead_span  # 【XX2025年03月18日讯】(XX记者张婷综合报导): one outlet name, used twice
        elif used and rng.random() < 0.4 and fits(used[0]) and pool.family[used[0]] in MODE_FAMILIES[name]:
            span = used[0]
        else:
            span = pool.take(fam, fits)
        got = MODES[name](page, span, rng)
        if got:
            if name in ("dateline", "reporter"):
                lead_span = span
            done += [(i, name, span) for i in got]
            if span not in used:
                used.append(span)
    for i in page.live():
        for span in used:
            if span in page.rows[i].text:
                page.rows[i].mark(span)
    return done


Snippets = list[tuple[str, list[str]]]
Record = dict[str, object]


def build_page(path: Path, split: str, n: int, pool: Pool, snippets: Snippets) -> tuple[str, str, list[Record]]:
    """One output page: (file name, content, manifest records of its spans and its innocent snippet)."""
    rng = random.Random(f"{SEED}:{split}:{n}:{path.stem}")
    rows = pages.read(path)
    year, month, day = page_date(rows, rng)
    page = Page(rows, year, month, day)
    done = hijack(page, pool, rng)
    # rows, not indices: the innocent lines shift every index after them
    modes_of: dict[tuple[int, str], set[str]] = {}
    for i, mode, span in done:
        modes_of.setdefault((id(rows[i]), span), set()).add(mode)
    innocent = ""
    if rng.random() < (0.7 if not done else 0.35):
        innocent, paras = rng.choice(snippets)
        insert_innocent(rows, paras, rng)
    name = f"{'inj' if split == 'train' else 'ho'}_{n:04d}_{path.stem}.tsv"
    records: list[Record] = []
    for idx, row in enumerate(rows, 1):
        for span in row.spans:
            modes = sorted(modes_of.get((id(row), span), {"repeated"}))
            records.append(
                {
                    "file": name,
                    "line": idx,
                    "label": row.label,
                    "span": span,
                    "family": pool.family[span],
                    "modes": modes,
                }
            )
    if innocent:
        records.append({"file": name, "innocent": innocent})
    return name, pages.render(rows), records


def build_all() -> dict[Path, str]:
    """Every generated file and its content, in a fixed order."""
    bases = base_pages()
    out: dict[Path, str] = {}
    for split, folder, manifest in (("train", TRAINING, TRAIN_MANIFEST), ("heldout", HELDOUT, HELDOUT_MANIFEST)):
        pool = Pool(split)
        snippets = lexicon.innocent_snippets(split)
        chosen = bases[split][: COUNT[split]]
        if len(chosen) < COUNT[split]:
            raise SystemExit(f"only {len(chosen)} {split} base pages")
        lines = []
        for n, path in enumerate(chosen):
            name, content, records = build_page(path, split, n, pool, snippets)
            out[folder / name] = content
            lines += [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
        out[manifest] = "\n".join(lines) + "\n"
    return out


def generated_on_disk() -> list[Path]:
    """Files a previous build wrote; those a fresh build would not write are stale and go."""
    return sorted(TRAINING.glob("inj_*.tsv")) + sorted(HELDOUT.glob("*.tsv"))


def main() -> int:
    """Write (or with --check compare) every generated file, then run the disjointness check either way."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the files on disk; exit 1 when they differ")
    args = ap.parse_args()
    out = build_all()
    stale = [p for p in generated_on_disk() if p not in out]
    if args.check:
        bad = [p for p, c in out.items() if not p.exists() or p.read_bytes() != c.encode("utf-8")]
        for p in bad + stale:
            print(f"differs: {p.relative_to(ROOT)}")
        problems = disjoint.problems(TRAINING, out)
        for msg in problems:
            print(msg)
        return 1 if bad or stale or problems else 0
    for p in stale:
        p.unlink()
    for p, c in out.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(c.encode("utf-8"))
    problems = disjoint.problems(TRAINING, out)
    for msg in problems:
        print(msg)
    print(f"wrote {len(out)} files ({len(stale)} stale removed)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
