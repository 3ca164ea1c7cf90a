from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
TRAINING = ROOT / "training_data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def chinese_page() -> str:
    return (
        "每日新闻网\n网站首页 国内 国际 财经\n\n今日普京与特朗普通话 俄乌停火是否近在眼前？\n"
        "来源：央视新闻 | 时间：2025-03-18 11:30:28\n\n"
        "3月18日，俄罗斯总统将与美国总统进行通话。预计双方将讨论与冲突有关的问题。\n"
        "一个多月以来，两国首脑的第二次通话能否带来转机？\n\n相关新闻\n台湾香港澳门的经济发展\n"
        "版权所有 © 2025 每日新闻网 京ICP备2025111695号\n"
    )
