"""Page-level features, our n-gram hash, and the numpy copies of the fitted passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier

from cleanews.features.measures import DENSE_NAMES, line_features
from cleanews.features.ngrams import NGRAM_FEATURES, grams_dot, grams_matrix, page_grams
from cleanews.model.linear import OneVsRestLinear
from cleanews.model.trees import TreeEnsemble
from cleanews.text.chars import DIGIT, HAN, LATIN, PUNCT, TRAD, char_flags
from cleanews.text.lines import normalise, split_lines

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

TRICKY = [
    "  • http://www.example.gov.cn/",
    "首页 | 新闻 | 体育 | 娱乐 | 财经",
    "版权所有 © 2019 某某网 京ICP备12345678号 电话：010-12345678",
    "记者 张三 来源：新华社 2024-05-09 10:30 阅读 1.2万",
    "[相关新闻](https://news.example.com/a/1.html) [更多](http://x.cn/b)",
    "他说：“这是一个好消息。”",
    "臺灣們這個來時會對說國與後關經",
    "abc@example.com 联系我们",
    "热门推荐...",
    "　　（本报记者 李四）",
    "x",
    "a" * 5000,
]


def _normalised(lines: list[str]) -> list[str]:
    return [normalise(t) for t in lines]


def test_page_features_equal_line_by_line_features() -> None:
    """Joining a page's lines for speed must not let one line's text leak into another's."""
    page = TRICKY + [line.text for line in split_lines((SEEDS / "002_5aacf02890d5d153.txt").read_text("utf-8"))[:60]]
    page = [t for t in page if normalise(t)]
    together = line_features(page, _normalised(page))
    for i, text in enumerate(page):
        alone = line_features([text], _normalised([text]))
        np.testing.assert_allclose(together.dense[i], alone.dense[0], rtol=1e-6, err_msg=text[:40])
        weights = np.random.default_rng(0).normal(size=(NGRAM_FEATURES, 3)).astype(np.float32)
        if i < 15:  # the n-gram part: same vector for the line alone
            np.testing.assert_allclose(
                grams_dot(together.grams, weights)[i], grams_dot(alone.grams, weights)[0], rtol=1e-5, atol=1e-6
            )


def test_named_measures_see_what_they_say() -> None:
    feats = line_features(TRICKY, _normalised(TRICKY)).dense
    col = {name: k for k, name in enumerate(DENSE_NAMES)}
    assert feats[0, col["bare_url"]] == 1 and feats[0, col["institution_url"]] == 1
    assert feats[1, col["bare_url"]] == 0 and feats[1, col["separators"]] > 0
    assert feats[2, col["icp"]] == 1 and feats[2, col["copyright"]] == 1 and feats[2, col["phone"]] == 1
    assert feats[3, col["credit"]] == 1 and feats[3, col["count"]] == 1 and feats[3, col["date"]] > 0
    assert feats[4, col["md_links"]] > 0 and feats[4, col["md_link_share"]] > 0.5
    assert feats[5, col["terminal_end"]] == 1 and feats[1, col["terminal_end"]] == 0
    assert feats[6, col["trad_share"]] > 5 and feats[5, col["trad_share"]] == 0
    assert feats[7, col["email"]] == 1
    assert feats[8, col["ellipsis_end"]] == 1
    assert feats[10, col["very_short"]] == 1 and feats[10, col["ascii_only"]] == 1


def test_char_flags() -> None:
    cps = np.array([ord(c) for c in "中a1。臺"] + [0x20001, 0x1F600], dtype=np.uint32)
    flags = char_flags(cps)
    assert flags[0] & HAN and flags[1] & LATIN and flags[2] & DIGIT and flags[3] & PUNCT
    assert flags[4] & TRAD and flags[5] & HAN and not flags[6] & HAN


def test_ngrams_fold_digits_and_case_and_stay_inside_lines() -> None:
    a = page_grams(["2019年Ab"])
    b = page_grams(["2020年aB"])
    assert all((x == y).all() for x, y in zip(a.buckets, b.buckets))
    two = page_grams(["ab", "cd"])
    ab, cd = page_grams(["ab"]), page_grams(["cd"])
    for order in range(3):
        assert sorted(two.buckets[order][two.lines[order] == 0]) == sorted(ab.buckets[order])
        assert sorted(two.buckets[order][two.lines[order] == 1]) == sorted(cd.buckets[order])
    # "\x02ab\x03": 4 unigrams, 3 bigrams, 2 trigrams
    assert [len(b) for b in ab.buckets] == [4, 3, 2]
    assert ab.scale[0] == pytest.approx(1 / 3)


def test_grams_dot_matches_a_sparse_product() -> None:
    texts = ["相关新闻", "今天天气很好。", "x", "首页 | 新闻"]
    grams = page_grams(texts)
    r, c, v = grams_matrix(grams)
    matrix = sparse.csr_matrix((v, (r, c)), shape=(len(texts), NGRAM_FEATURES))
    weights = np.random.default_rng(1).normal(size=(NGRAM_FEATURES, 4)).astype(np.float32)
    np.testing.assert_allclose(grams_dot(grams, weights), matrix @ weights, rtol=1e-5, atol=1e-6)


def _toy_pass_one(n_classes: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(2)
    words = ["新闻", "首页", "广告", "北京", "评论", "记者", "相关", "登录"]
    texts = ["".join(rng.choice(words, size=rng.integers(1, 5))) for _ in range(300)]
    y = np.array([ord(t[0]) % n_classes for t in texts])
    dense = rng.normal(size=(len(texts), 3))
    return y, dense, texts


@pytest.mark.parametrize("n_classes", [2, 5])
def test_linear_copy_predicts_like_sgd(n_classes: int) -> None:
    y, dense, texts = _toy_pass_one(n_classes)
    grams = page_grams(texts)
    r, c, v = grams_matrix(grams)
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    x = sparse.hstack(
        [sparse.csr_matrix((v, (r, c)), shape=(len(texts), NGRAM_FEATURES)), sparse.csr_matrix((dense - mean) / scale)],
        format="csr",
    )
    sgd = SGDClassifier(loss="log_loss", max_iter=20, tol=None, random_state=0).fit(x, y)
    copy = OneVsRestLinear.from_sgd(sgd, n_labels=6, mean=mean, scale=scale)
    ours = copy.predict_proba(grams, dense)
    theirs = sgd.predict_proba(x)
    np.testing.assert_allclose(ours[:, sgd.classes_], theirs, rtol=1e-4, atol=1e-6)
    missing = [k for k in range(6) if k not in sgd.classes_]
    assert ours[:, missing].max() < 1e-6


def test_tree_copy_predicts_like_scikit_learn() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, 6))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] * x[:, 2] > 0.3).astype(int) + (x[:, 3] > 1.5).astype(int)
    model = HistGradientBoostingClassifier(max_iter=15, max_depth=4, max_leaf_nodes=9, random_state=0).fit(x, y)
    copy = TreeEnsemble.from_sklearn(model, depth=4)
    test = rng.normal(size=(777, 6))
    raw = copy.raw_predict(test)
    np.testing.assert_allclose(raw, model._raw_predict(test), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="deeper"):
        TreeEnsemble.from_sklearn(model, depth=2)


def test_tree_copy_keeps_the_private_contract_at_the_shipped_shape() -> None:
    """The copy reads scikit-learn's private tree arrays (``_predictors``, ``nodes``,
    ``_baseline_prediction``, ``_raw_predict``); pin them on a model shaped like the
    shipped pass two (depth 6, 31 leaves, eight classes, with a class absent from the
    data as in a fold), so a scikit-learn release that changes them fails here, not in
    users' labels."""
    from cleanews.model.options import TrainOptions

    options = TrainOptions()
    rng = np.random.default_rng(11)
    x = rng.normal(size=(4000, 12))
    y = np.digitize(x[:, 0] + 0.5 * x[:, 1] * x[:, 2] - 0.3 * x[:, 3], [-1.5, -0.8, -0.2, 0.3, 0.9, 1.6])
    assert set(np.unique(y)) == set(range(7))  # seven of eight labels: one is absent
    model = HistGradientBoostingClassifier(
        max_iter=20, max_depth=options.max_depth, max_leaf_nodes=options.max_leaf_nodes, random_state=0
    ).fit(x, y)
    copy = TreeEnsemble.from_sklearn(model, depth=options.max_depth)
    assert copy.features.shape[1] == 2**options.max_depth - 1
    test = rng.normal(size=(1500, 12))
    np.testing.assert_allclose(copy.raw_predict(test), model._raw_predict(test), rtol=1e-9, atol=1e-9)


def test_labelling_does_not_import_scikit_learn() -> None:
    """Start-up cost: scikit-learn (and scipy, pandas behind it) are for training only."""
    code = (
        "import sys, cleanews, cleanews.cli; "
        "cleanews.label_page('首页 | 新闻\\n今天的新闻。\\n'); "
        "heavy = [m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_label_chain_mends_an_odd_line_in_a_run_and_leaves_spam_alone() -> None:
    from cleanews.model.chain import LabelChain

    runs = [[0] * 30 + [1] * 30 + [0] * 30, [1] * 50 + [2] * 5 + [1] * 50]
    chain = LabelChain.fit(runs, n_labels=3, keep=2)
    np.testing.assert_allclose(chain.transitions.sum(axis=1), 1.0)
    assert chain.transitions[0, 0] > 0.9 and chain.transitions[0, 1] < 0.1
    probs = np.tile([0.85, 0.1, 0.05], (12, 1))
    probs[6] = [0.35, 0.55, 0.10]  # one line that pass two got wrong inside a run of label 0
    smoothed = chain.smooth(probs)
    np.testing.assert_allclose(smoothed.sum(axis=1), 1.0)
    assert smoothed[6].argmax() == 0
    np.testing.assert_allclose(smoothed[:, 2], probs[:, 2])  # the kept label is untouched
    np.testing.assert_array_equal(chain.smooth(probs[:1]), probs[:1])


def test_label_chain_scan_equals_the_forward_backward_loop() -> None:
    from cleanews.model import chain as sequence

    rng = np.random.default_rng(4)
    chain = sequence.LabelChain.fit([rng.integers(0, 4, size=200).tolist()], n_labels=4)
    probs = rng.dirichlet(np.ones(4), size=37)
    evidence = probs / chain.prior**sequence.PRIOR_POWER
    step = chain.transitions**sequence.TRANSITION_POWER
    step /= step.sum(axis=1, keepdims=True)
    fwd = [evidence[0] * chain.prior]
    for e in evidence[1:]:
        v = (fwd[-1] @ step) * e
        fwd.append(v / v.sum())
    bwd = [np.ones(4)]
    for e in evidence[:0:-1]:
        v = step @ (e * bwd[0])
        bwd.insert(0, v / v.sum())
    post = np.array(fwd) * np.array(bwd)
    np.testing.assert_allclose(chain.smooth(probs), post / post.sum(axis=1, keepdims=True), rtol=1e-8)


def test_decisions_weigh_spam_against_kept_labels_only_and_promote_a_title() -> None:
    from cleanews.data.labels import LABELS
    from cleanews.decide import SPAM_DECISION_WEIGHT, TITLE_PROMOTION, decide

    at = {label: i for i, label in enumerate(LABELS)}

    def row(**p: float) -> list[float]:
        out = [0.0] * len(LABELS)
        for label, value in p.items():
            out[at[label]] = value
        rest = (1.0 - sum(out)) / (len(LABELS) - len(p))
        return [v if v else rest for v in out]

    spam_share = 0.9 / (1 + SPAM_DECISION_WEIGHT)  # just above the break-even with body
    probs = np.array(
        [
            row(body=0.9 - spam_share, spam=spam_share + 0.01),  # body would keep spam: spam wins
            row(links=0.5, spam=0.4),  # links is dropped anyway: plain argmax
            row(title=0.6, body=0.1),
            row(body=0.7),
        ]
    )
    got = [LABELS[k] for k in decide(probs)]
    assert got == ["spam", "links", "title", "body"]
    no_title = np.array([row(body=0.8, title=TITLE_PROMOTION + 0.05), row(body=0.9, title=0.02)])
    assert [LABELS[k] for k in decide(no_title)] == ["title", "body"]
    assert [LABELS[k] for k in decide(no_title, whole_page=False)] == ["body", "body"]


def test_repeats_of_the_title_are_title_with_the_title_confidence() -> None:
    from cleanews.data.labels import LABELS
    from cleanews.decide import echo_titles

    at = {label: i for i, label in enumerate(LABELS)}
    texts = [
        "首页 > 新闻 > 正文",
        "  **某市地铁三号线今日试运行**",
        "记者 张三 2021-05-01",
        "正在阅读：某市地铁三号线今日试运行",  # holds the title but is more: left alone
        "  - [某市地铁三号线今日试运行](https://example.com/a.html)",
        "### 某市地铁三号线 今日试运行",
        "短标题",
        "短标题",
    ]
    labels = ["nav", "title", "meta", "chrome", "links", "nav", "title", "nav"]
    best = np.array([at[label] for label in labels])
    confidence = np.array([0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.45])
    echo_titles(best, confidence, texts)
    got = [LABELS[k] for k in best]
    assert got == ["nav", "title", "meta", "chrome", "title", "title", "title", "nav"]  # 短标题: too short to tell
    assert confidence.tolist() == [0.9, 0.8, 0.7, 0.6, 0.8, 0.8, 0.4, 0.45]


def test_lines_giving_the_original_headline_are_meta() -> None:
    from cleanews.data.labels import LABELS
    from cleanews.decide import ORIGINAL_TITLE_CONFIDENCE, original_titles_are_meta

    at = {label: i for i, label in enumerate(LABELS)}
    texts = [
        "（原标题：某市地铁三号线今日试运行）",
        "    原題為《老街改造記》",
        "他说，原标题：这不是新闻的开头。",  # not at the start: an article sentence
        "原标题党的说法并不准确。",  # no colon: an article sentence
    ]
    best = np.array([at["body"]] * len(texts))
    confidence = np.array([0.9, 0.8, 0.95, 0.7])
    original_titles_are_meta(best, confidence, texts)
    assert [LABELS[k] for k in best] == ["meta", "meta", "body", "body"]
    assert confidence.tolist() == [ORIGINAL_TITLE_CONFIDENCE, ORIGINAL_TITLE_CONFIDENCE, 0.95, 0.7]


def test_calibration_error_is_the_weighted_gap_per_bin() -> None:
    from cleanews.training.evaluate import calibration_error

    assert calibration_error([], []) is None
    # bin 0.9-1.0: confidence 0.95, accuracy 1/2 -> gap 0.45 on 2 of 4 decisions;
    # bin 0.5-0.6: confidence 0.5, accuracy 1/2 -> no gap.
    got = calibration_error([0.95, 0.95, 0.5, 0.5], [True, False, True, False])
    assert got == pytest.approx(0.45 * 2 / 4)
    assert calibration_error([1.0], [True]) == pytest.approx(0.0)  # 1.0 falls in the last bin
