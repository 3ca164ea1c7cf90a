"""What a user gets from the repository and the wheel: the label guide, links that resolve, types."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, SHARED

LINK = re.compile(r"\]\(([^)\s]+)\)|<img[^>]+src=\"([^\"]+)\"")


def test_the_label_guide_is_in_step_with_the_shared_one() -> None:
    shared = SHARED / "LABELS.md"
    if not shared.exists():
        pytest.skip(f"no {shared} beside the repository to compare with")
    ours = ROOT / "docs" / "labels.md"
    assert ours.read_bytes() == shared.read_bytes(), "copy ../shared/LABELS.md to docs/labels.md"


def test_readme_links_stay_inside_the_repository() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = [a or b for a, b in LINK.findall(text)]
    assert "docs/labels.md" in links
    for link in links:
        if re.match(r"[a-z]+://", link) or link.startswith("#"):
            continue
        target = (ROOT / link.split("#")[0]).resolve()
        assert target.is_relative_to(ROOT), f"{link} leaves the repository"
        assert target.exists(), f"{link} names no file of the repository"


def test_the_package_says_it_is_typed() -> None:
    assert (ROOT / "src" / "cleanews" / "py.typed").exists()
