#!/usr/bin/env python3
"""Write labelled training pages rendered from HTML by real renderers.

Every template (templates/) writes a page as HTML with each element's role in
`data-label`; each renderer (renderers/) turns it into text as scrapers do; the aligner
(align.py) gives every rendered line the label of the elements its characters came
from.  Seeds are fixed and iteration is sorted, so the output is the same on every run.

    python compose/html/build.py            # rewrite benchmarks/data/rendered/html_*.tsv
    python compose/html/build.py --check    # exit 1 if the committed pages differ
    python compose/html/build.py --html /tmp/pages   # also keep each page's HTML

Alignment coverage is reported per renderer; the build fails when more than a small
share of non-blank lines cannot be aligned, rather than guessing their labels.
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from align import LineResult, align, build_stream  # noqa: E402
from content import Pools, articles  # noqa: E402
from renderers import RENDERERS, available  # noqa: E402
from templates import Entry, load_all  # noqa: E402
from templates.common import Ctx  # noqa: E402

from cleanews.data.labelled import parse_labelled  # noqa: E402
from cleanews.text.lines import split_lines  # noqa: E402

OUT = HERE.parent.parent / "benchmarks" / "data" / "rendered"
SEED = 20261207
PAGES_PER_RENDERER = 2
MIN_LINES, MAX_LINES = 40, 300
MAX_UNALIGNED = 0.01  # share of non-blank lines per renderer
MAX_PAGE_UNALIGNED = 0.05
MIN_CHAR_COVERAGE = 0.98
MIN_TEXT_USED = 0.95  # per page


@dataclass
class Tally:
    """Alignment figures of one renderer over all its pages."""

    pages: int = 0
    lines: int = 0
    artefact: int = 0
    unaligned: int = 0
    matched: int = 0
    failed: int = 0
    used: float = 0.0  # sum over pages of the share of page text found in the rendered lines
    labels: Counter[str] = field(default_factory=Counter)

    def add(self, results: list[LineResult], used: float) -> None:
        self.pages += 1
        self.used += used
        for r in results:
            if r.kind == "blank":
                continue
            self.lines += 1
            self.artefact += r.kind == "artefact"
            self.unaligned += r.kind == "unaligned"
            self.matched += r.matched
            self.failed += r.failed
            self.labels[r.label or "?"] += 1


def seed_of(*parts: object) -> int:
    """A stable seed (not Python's salted hash) from the page's coordinates."""
    return zlib.crc32("|".join(map(str, (SEED, *parts))).encode("utf-8"))


def make_ctx(entry: Entry, renderer: str, nn: int, size: int, used: set[str]) -> Ctx:
    rng = random.Random(seed_of(entry.name, renderer, nn))
    kind = entry.kind
    site_rng = random.Random(seed_of(entry.name, "site", nn % 2))  # a template keeps a couple of site identities
    trad = kind == "trad"  # kind: the article kinds a template draws from, '|'-separated
    names = Pools(site_rng, "", "", trad).items("nav.site_names")
    site = site_rng.choice(names)
    domain = f"www.{site_rng.choice(['xw', 'news', 'daily', 'zx', 'info', 'web'])}{site_rng.randint(10, 999)}.com"
    pools = Pools(rng, site, domain, trad)
    kinds = [k for k in sorted(kind.split("|")) if k in articles()] or ["news"]
    ctx = Ctx(rng, pools, pools.article(rng.choice(kinds), used), size, used)
    return ctx


def labelled_text(rendered: str, results: list[LineResult]) -> str:
    lines = split_lines(rendered)
    return "".join(f"{r.label or '-'}\t{ln.text}{ln.end}" for ln, r in zip(lines, results))


def unlabelled_text(html: str) -> int:
    """Visible characters of the page owned by no labelled element (a template bug)."""
    st = build_stream(html)
    return sum(1 for e in st.owner if e == 0)


def one_page(entry: Entry, renderer: str, nn: int, used: set[str]) -> tuple[str, str, list[LineResult], float]:
    """Write, render and align one page, shrinking or growing it into the line range."""
    size, tried = 2, set()
    while True:
        tried.add(size)
        ctx = make_ctx(entry, renderer, nn, size, set(used))
        html = entry.make(ctx)
        orphans = unlabelled_text(html)
        if orphans:
            raise SystemExit(f"{entry.name}: {orphans} visible characters carry no data-label")
        rendered = RENDERERS[renderer](html, nn)
        results, text_used = align(html, rendered, renderer)
        n = len(results)
        nxt = size - 1 if n > MAX_LINES else size + 1 if n < MIN_LINES else size
        if nxt == size or nxt in tried or not 0 <= nxt <= 4:
            used.update(ctx.used)
            return html, labelled_text(rendered, results), results, text_used
        size = nxt


def build_all(html_dir: Path | None) -> tuple[dict[str, str], dict[str, Tally]]:
    pages: dict[str, str] = {}
    tallies: dict[str, Tally] = {r: Tally() for r in available()}
    for entry in load_all().values():
        used: set[str] = set()
        for renderer in available():
            for nn in range(PAGES_PER_RENDERER):
                name = f"html_{entry.name}_{renderer}_{nn:02d}.tsv"
                html, text, results, text_used = one_page(entry, renderer, nn, used)
                bad = sum(r.kind == "unaligned" for r in results)
                nonblank = sum(r.kind != "blank" for r in results)
                if bad > MAX_PAGE_UNALIGNED * max(nonblank, 1):
                    raise SystemExit(f"{name}: {bad} of {nonblank} lines could not be aligned")
                if text_used < MIN_TEXT_USED:  # the renderer dropped text, or lines were placed wrongly
                    raise SystemExit(f"{name}: only {text_used:.3f} of the page text was found in the rendering")
                parse_labelled(text, name)  # the project's reader must accept the page
                pages[name] = text
                tallies[renderer].add(results, text_used)
                if html_dir:
                    html_dir.mkdir(parents=True, exist_ok=True)
                    (html_dir / name.replace(".tsv", ".html")).write_text(html, encoding="utf-8")
    return pages, tallies


def report(tallies: dict[str, Tally]) -> bool:
    """Print coverage per renderer; False when a renderer has too many unaligned lines."""
    ok = True
    total: Counter[str] = Counter()
    print("char cov.: share of rendered word characters aligned; text used: share of page text found")
    print(f"{'renderer':<11}{'pages':>6}{'lines':>7}{'artef.':>7}{'unalig.':>8}{'char cov.':>10}{'text used':>10}")
    for name, ta in tallies.items():
        cov = ta.matched / max(ta.matched + ta.failed, 1)
        used = ta.used / max(ta.pages, 1)
        print(f"{name:<11}{ta.pages:>6}{ta.lines:>7}{ta.artefact:>7}{ta.unaligned:>8}{cov:>10.4f}{used:>10.4f}")
        total.update(ta.labels)
        if ta.unaligned > MAX_UNALIGNED * max(ta.lines, 1):
            print(f"  FAIL: {name} leaves {ta.unaligned} of {ta.lines} non-blank lines unaligned", file=sys.stderr)
            ok = False
        if cov < MIN_CHAR_COVERAGE:
            print(f"  FAIL: {name} aligns only {cov:.4f} of its word characters", file=sys.stderr)
            ok = False
    print("labels:", ", ".join(f"{k} {v}" for k, v in sorted(total.items(), key=lambda kv: -kv[1])))
    return ok


def _same(path: Path, text: str) -> bool:
    return path.exists() and path.read_bytes() == text.encode("utf-8")


def versions_md() -> str:
    """RENDERERS.md: which renderer versions produced the committed pages."""
    from renderers import VERSIONS

    rows = "\n".join(f"| {name} | {VERSIONS[name]()} |" for name in available())
    return (
        "# Renderer versions of the committed `benchmarks/data/rendered/html_*.tsv`\n\n"
        "Written by `python compose/html/build.py`; `--check` compares it too. Other versions may wrap or\n"
        "space lines differently, so `--check` can fail on a machine with other versions while the\n"
        "labels stay right.\n\n| renderer | version |\n|---|---|\n" + rows + "\n"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed pages differ")
    ap.add_argument("--html", type=Path, help="also write each page's HTML into this folder")
    args = ap.parse_args()
    pages, tallies = build_all(args.html)
    ok = report(tallies)
    old = {p.name for p in OUT.glob("html_*.tsv")}
    if args.check:
        differ = sorted(n for n, text in pages.items() if not _same(OUT / n, text))
        stale = sorted(old - set(pages))
        if (HERE / "RENDERERS.md").read_text(encoding="utf-8") != versions_md():
            stale.append("compose/html/RENDERERS.md")
        for n in differ + stale:
            print(f"differs: {n}", file=sys.stderr)
        return 0 if ok and not differ and not stale else 1
    for stale_name in sorted(old - set(pages)):
        (OUT / stale_name).unlink()
    for n, text in pages.items():
        (OUT / n).write_bytes(text.encode("utf-8"))
    (HERE / "RENDERERS.md").write_text(versions_md(), encoding="utf-8")
    print(f"wrote {len(pages)} pages to {OUT}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
