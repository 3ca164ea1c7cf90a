"""Which span tagger: a CRF, or a per-character classifier with smoothing? Measured.

Both read the same windows and the same character features (``cleanews.spans``). The
pages of ``training_data/`` that carry ``+spam:`` marks, plus every other training page as
negatives, are split by ``held_out_split``; each tagger is fitted on the train side and
scored on the test side and on ``benchmarks/data/spans_heldout/`` (strings never seen in
training), in span characters, as ``shared/bench/score.py`` counts them. The line
labels and spam probabilities the span model reads come from the given line model (the
shipped one by default; it has seen the training pages, the same for both taggers).

    python benchmarks/spans_choice.py [--model PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import common
import numpy as np

import cleanews
from cleanews.data.labelled import find_labelled, read_labelled
from cleanews.spans.model import MIN_SPAN_CHARS, PageView, SpanModel, _runs, _tags, _trim
from cleanews.spans.span import Span
from cleanews.training.spans import SpanScores, view_of
from cleanews.training.train import held_out_split

HASH_FEATURES = 2**20


class TokenTagger(SpanModel):
    """Logistic regression on each character's features (hashed), then smoothing: the
    probabilities averaged over three characters, runs above one half, one-character gaps
    between runs filled. The same gate, prefilter and features as the CRF (fitted by
    :meth:`SpanModel.fit` first)."""

    def fit(self, pages: Sequence[PageView]) -> TokenTagger:
        from sklearn.linear_model import LogisticRegression

        super().fit(pages)
        feats, tags = [], []
        for p in pages:
            for w in self._passing(p, self._windows(p, self.learned_)):
                feats += w.features or []
                tags.append(_tags(p, w))
        self.clf_ = LogisticRegression(C=1.0, max_iter=300).fit(self._hash(feats), np.concatenate(tags))
        return self

    @staticmethod
    def _hash(feats: list[list[str]]):  # type: ignore[no-untyped-def]
        from sklearn.feature_extraction import FeatureHasher

        return FeatureHasher(n_features=HASH_FEATURES, input_type="string", alternate_sign=False).transform(feats)

    def predict_page(self, page: PageView) -> list[tuple[Span, ...]]:
        out: list[list[Span]] = [[] for _ in page.texts]
        for w in self._passing(page, self._windows(page, self.learned_)):
            p = self.clf_.predict_proba(self._hash(w.features or []))[:, 1]
            smooth = np.convolve(np.pad(p, 1, mode="edge"), np.ones(3) / 3, mode="valid")
            path = (smooth > 0.5).astype(int)
            gaps = (path[:-2] == 1) & (path[1:-1] == 0) & (path[2:] == 1)
            path[1:-1][gaps] = 1
            for s, e in _runs(path):
                s, e = _trim(page.texts[w.row], w.start + s, w.start + e)
                if e - s >= MIN_SPAN_CHARS:
                    out[w.row].append(Span(s, e, float(p[s - w.start : e - w.start].mean()), page.texts[w.row][s:e]))
        return [tuple(x) for x in out]


def views(model: cleanews.Model, paths: Sequence[str]) -> list[tuple[str, PageView]]:
    out = []
    for f in find_labelled(paths):
        page = read_labelled(f)
        out.append((page.name, view_of(page, *model.classifier.predict_proba_page(page.lines))))
    return out


def score(tagger: SpanModel, pages: Sequence[PageView]) -> str:
    s = SpanScores()
    for v in pages:
        found = tagger.predict_page(PageView(v.texts, v.labels, v.spam))
        for label, text, gold, spans in zip(v.labels, v.texts, v.gold, found):
            s.add_line(label, text, gold, spans)
    d = s.as_dict()
    return f"P {d['p']:.3f} R {d['r']:.3f} F1 {d['f1']:.3f}  clean cut {d['clean_cut_frac']:.4%}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="line model whose decisions the span model reads (default: the shipped one)")
    args = ap.parse_args(argv)
    model = cleanews.load_model(args.model)
    every = views(model, [str(common.TRAINING_DATA)])
    held = [v for _, v in views(model, [str(common.ROOT / "benchmarks" / "data" / "spans_heldout")])]

    class Named:
        def __init__(self, name: str) -> None:
            self.name = name

    train_names, _ = held_out_split([Named(n) for n, _ in every])  # type: ignore[arg-type]
    on_train = {n.name for n in train_names}
    train = [v for n, v in every if n in on_train]
    test = [v for n, v in every if n not in on_train]
    print(f"{len(train)} train / {len(test)} test pages of training_data; {len(held)} held-out span pages")
    for name, tagger in (("CRF", SpanModel(folds=0)), ("token classifier + smoothing", TokenTagger(folds=0))):
        t0 = time.perf_counter()
        tagger.fit(train)
        print(f"{name}: fitted in {time.perf_counter() - t0:.0f} s")
        print(f"  test split      {score(tagger, test)}")
        print(f"  held-out spans  {score(tagger, held)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
