"""Spam spans: the +spam: notation, the cutter's golden cases, the CRF decoder against
crfsuite, a span model fitted on small pages, and the shipped model on the seed page."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import cleanews
from cleanews.cli import app
from cleanews.data.labelled import LabelledFormatError, format_labelled, parse_labelled, span_offsets
from cleanews.spans.crf import ChainWeights
from cleanews.spans.cut import cut_spans
from cleanews.spans.model import PageView, SpanModel

from .conftest import SEEDS, TRAINING

CASES = Path(__file__).parent / "data" / "span_cuts.tsv"
SEED = SEEDS / "000_19e93c5fe74daeee.txt"


def golden(kind: str) -> list[tuple[str, list[str], str]]:
    out = []
    for raw in CASES.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        k, text, spans, expected = raw.split("\t")
        if k == kind:
            out.append((text, [s for s in spans.split("|") if s], expected))
    return out


# -- the notation --------------------------------------------------------------
def test_span_marks_round_trip_byte_for_byte() -> None:
    content = (
        "title\t新闻标题\r\nbody+spam:金冠娱乐+spam:QQ:20938817\t协议（金冠娱乐）与QQ:20938817，金冠娱乐\r\n"
        "-\t\r\nbody\t正文"
    )
    page = parse_labelled(content, "p.tsv")
    assert page.spans[1] == ("金冠娱乐", "QQ:20938817")
    assert page.labels[1] == "body"
    assert format_labelled(page.lines, page.labels, page.spans) == content
    assert span_offsets(page.lines[1].text, page.spans[1]) == [(3, 7), (9, 20), (21, 25)]


def test_a_span_not_in_its_line_names_file_and_line() -> None:
    with pytest.raises(LabelledFormatError, match=r"x\.tsv:2: spam span '金冠娱乐' is not in the line"):
        parse_labelled("body\t第一行\nbody+spam:金冠娱乐\t第二行\n", "x.tsv")
    with pytest.raises(LabelledFormatError, match="x.tsv:1: an empty span"):
        parse_labelled("body+spam:\t第一行\n", "x.tsv")


def test_the_seed_page_marks_its_casino_name() -> None:
    page = cleanews.read_labelled(TRAINING / "000_19e93c5fe74daeee.tsv")
    marked = [t for texts in page.spans for t in texts]
    assert any("威尼斯人" in t for t in marked)


# -- the cutter ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "spans", "expected"), golden("cut"))
def test_cutter_golden_cases(text: str, spans: list[str], expected: str) -> None:
    assert cut_spans(text, span_offsets(text, spans)) == expected


# -- the CRF decoder -----------------------------------------------------------
def _toy_sequences() -> tuple[list[list[list[str]]], list[list[str]]]:
    rng = np.random.default_rng(0)
    xs, ys = [], []
    for _ in range(60):
        n = int(rng.integers(5, 15))
        tags = ["S" if rng.random() < 0.3 else "O" for _ in range(n)]
        feats = [[f"t={t if rng.random() < 0.8 else 'O'}", f"r={int(rng.integers(3))}", "b"] for t in tags]
        xs.append(feats)
        ys.append(tags)
    return xs, ys


def test_numpy_viterbi_and_marginals_match_crfsuite() -> None:
    sklearn_crfsuite = pytest.importorskip("sklearn_crfsuite")
    xs, ys = _toy_sequences()
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.01, c2=0.01, max_iterations=50, all_possible_transitions=True)
    crf.fit(xs, ys)
    weights = ChainWeights.from_crfsuite(crf)
    for feats, theirs, marg in zip(xs, crf.predict(xs), crf.predict_marginals(xs)):
        em = weights.emissions(feats)
        assert ["OS"[k] for k in weights.viterbi(em)] == theirs
        np.testing.assert_allclose(weights.marginals(em)[:, 1], [m["S"] for m in marg], atol=1e-6)


# -- a span model fitted on small pages -------------------------------------------
ARTICLE = [
    "市政府今天召开新闻发布会，介绍全市春季植树计划。",
    "今年全市计划新增绿地面积三百公顷，主要分布在城市东部。",
    "有关负责人表示，植树活动将持续到四月底，欢迎市民参与。",
    "据介绍，全市已经连续五年开展义务植树活动，参与人数逐年增加。",
]


def _page(name: str, spam: str, k: int) -> PageView:
    texts = [f"【{spam}2025年04月0{k}日讯】" + ARTICLE[0], ARTICLE[1], ARTICLE[2] + spam, ARTICLE[3]]
    gold = [(spam,), (), (spam,), ()]
    return PageView(texts, ["body"] * 4, [0.01] * 4, gold)


def test_span_model_finds_a_string_like_those_it_was_trained_on() -> None:
    pytest.importorskip("sklearn_crfsuite")
    names = ["金冠娱乐城官网", "银河娱乐平台", "鸿运棋牌官网", "金沙娱乐场", "新葡京娱乐城", "皇冠棋牌平台"]
    model = SpanModel(folds=2, min_confidence=0.0).fit([_page(f"p{k}", n, k) for k, n in enumerate(names)])
    page = _page("new", "永利娱乐城官网", 7)
    found = model.predict_page(PageView(page.texts, page.labels, page.spam))
    assert [s.text for s in found[0]] == ["永利娱乐城官网"]
    assert found[1] == ()
    assert all(0.0 <= s.confidence <= 1.0 for line in found for s in line)
    clean = PageView(ARTICLE, ["body"] * 4, [0.01] * 4)
    assert model.predict_page(clean) == [()] * 4


# -- the shipped model -----------------------------------------------------------
@pytest.fixture(scope="module")
def model() -> cleanews.Model:
    loaded = cleanews.load_model()
    if loaded.spans is None:
        pytest.skip("the shipped model has no span model; retrain it with 'cleanews train training_data'")
    return loaded


def test_the_seed_article_comes_out_without_the_casino(model: cleanews.Model) -> None:
    result = CliRunner().invoke(app, ["clean", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "威尼斯人" not in result.stdout
    for pair in ("()", "（）", "【】", "[]", "「」", "《》"):
        assert pair not in result.stdout
    assert "美东时间周二" in result.stdout
    kept = CliRunner().invoke(app, ["clean", str(SEED), "--keep-spans"])
    assert "威尼斯人" in kept.stdout


def test_jsonl_rows_carry_spans_and_tsv_writes_marks(model: cleanews.Model) -> None:
    out = CliRunner().invoke(app, ["clean", str(SEED), "--format", "jsonl"]).stdout
    rows = [json.loads(x) for x in out.splitlines()]
    assert all(isinstance(r["spans"], list) for r in rows)
    spans = [(r["text"], s) for r in rows for s in r["spans"]]
    assert spans, "the seed page has an injected casino name"
    for text, s in spans:
        assert text[s["start"] : s["end"]] == s["text"] and s["label"] == "spam" and 0 <= s["confidence"] <= 1
    tsv = CliRunner().invoke(app, ["clean", str(SEED), "--format", "tsv"]).stdout
    page = parse_labelled(tsv, "seed.tsv")  # the marks parse back, every span text is in its line
    assert any("威尼斯人" in t for texts in page.spans for t in texts)
    assert page.text == SEED.read_text(encoding="utf-8")


def test_spans_never_change_a_line_label(model: cleanews.Model) -> None:
    page = SEED.read_text(encoding="utf-8")
    with_spans = cleanews.label_page(page, model)
    without = cleanews.label_page(page, cleanews.Model(model.classifier, model.card))
    assert [(x.label, x.confidence) for x in with_spans] == [(x.label, x.confidence) for x in without]
    assert any(x.spans for x in with_spans) and not any(x.spans for x in without)


_MISS = pytest.mark.xfail(strict=True, reason="span recall on unseen spam names is low (issue 14)")
_KNOWN_MISSES = [pytest.param(*case, marks=_MISS) for case in golden("model-miss")]
_MODEL_CASES = [pytest.param(*case) for case in golden("model")] + _KNOWN_MISSES


@pytest.mark.parametrize(("text", "spans", "expected"), _MODEL_CASES)
def test_model_golden_cases(model: cleanews.Model, text: str, spans: list[str], expected: str) -> None:
    page = "\n".join(["春季植树活动启动", ARTICLE[1], text, ARTICLE[2], ARTICLE[3]]) + "\n"
    line = cleanews.label_page(page, model).lines[2]
    assert line.cut_text == expected, [s.text for s in line.spans]


def test_the_saved_span_model_holds_arrays_and_builtins_only(model: cleanews.Model) -> None:
    allowed = ("builtins", "numpy", "cleanews", "collections", "copyreg", "_codecs")

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str):  # type: ignore[no-untyped-def]
            if module.split(".")[0] not in allowed:
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
            return super().find_class(module, name)

    import io

    Restricted(io.BytesIO(pickle.dumps(model.spans))).load()


def test_labelling_imports_neither_scikit_learn_nor_crfsuite(model: cleanews.Model) -> None:
    code = (
        "import sys, cleanews; cleanews.clean_page(open(sys.argv[1], encoding='utf-8').read());"
        "bad = [m for m in ('sklearn', 'pycrfsuite', 'sklearn_crfsuite') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_page_without_candidates_never_loads_jieba(model: cleanews.Model) -> None:
    page = "\n".join(ARTICLE) + "\n"
    code = "import sys, cleanews; cleanews.clean_page(sys.argv[1]); sys.exit('jieba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code, page], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
