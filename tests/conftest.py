from __future__ import annotations

from pathlib import Path

import pytest

from cleanews.data.labels import LABELS

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


LABELLED_BLOCKS = {
    "nav": ["每日新闻网", "网站首页 国内 国际 财经 体育", "首页 > 新闻中心 > 正文", "登录 注册 会员中心"],
    "region": ["北京 上海 天津 重庆", "  • 浙江", "  • 江苏", "广东 广西 海南"],
    "title": ["第{n}号台风登陆沿海地区 多地停课停工"],
    "meta": ["来源：新华社 | 时间：2025-03-{d} 11:30:28", "责任编辑：张{n}", "阅读 {n}万"],
    "body": [
        "新华社北京3月{d}日电 第{n}号台风今天凌晨在沿海地区登陆，中心附近最大风力十二级。",
        "气象部门表示，受台风影响，未来三天沿海地区将有大到暴雨，局部地区有特大暴雨。",
        "当地政府已经启动应急响应，转移安置群众{n}万余人，学校全部停课。",
        "专家提醒，市民应尽量减少外出，远离海边和低洼地区，注意防范次生灾害。",
    ],
    "links": ["相关新闻", "暴雨导致多地交通中断 铁路部门发布通知", "国务院召开常务会议 部署防汛工作", "友情链接"],
    "spam": ["澳门赌场官网 注册送{n}元彩金", "少妇等你来 [21P]", "大屁股不要太诱人[24P]"],
    "chrome": ["版权所有 © 2025 每日新闻网 京ICP备2025{n}号", "评论", "大字号", "联系我们 | 关于我们 | 广告服务"],
}


def labelled_page(n: int) -> str:
    """A tiny labelled page with every label (twice, so that each training fold sees them all)."""
    out = []
    for rep in range(2):
        for label in LABELS:
            out += [f"{label}\t{t.format(n=n + rep, d=10 + n)}\n" for t in LABELLED_BLOCKS[label]]
            out.append("-\t\n")
    return "".join(out)
