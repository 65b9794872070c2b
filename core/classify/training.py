"""Fitting the embedded classifier's model on labelled calls (scikit-learn).

Each example is a call with its label, the company profile it is judged against,
and its writer (who wrote or recorded it). The model is a regularised logistic
regression; its calibration (Platt scaling) is fitted on scores of calls from
writers held out of the fit (grouped cross-validation), so confidence is honest on a
writer the model has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.classify.base import CallForReview
from core.classify.model import Model, features
from core.classify.profile import CompanyProfile
from core.classify.reading import Reader

C = 2.0  # inverse regularisation; with WORD_VALUE, chosen by leave-one-writer-out
KEEP_ABOVE = 0.002  # weights closer to zero than this are left out of the file
FOLDS = 5  # writer groups held out in turn to calibrate


@dataclass(frozen=True)
class Example:
    call: CallForReview
    lead: bool
    profile: CompanyProfile
    writer: str


def featurise(examples: Sequence[Example]) -> list[dict[str, float]]:
    readers: dict[int, Reader] = {}
    found = []
    for example in examples:
        reader = readers.get(id(example.profile))
        if reader is None:
            reader = readers[id(example.profile)] = Reader(example.profile)
        found.append(features(reader.read(example.call)))
    return found


def fit_weights(found: Sequence[dict[str, float]], labels: Sequence[bool]) -> Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(found)
    fitted = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
    fitted.fit(matrix, list(labels))
    weights = {
        name: float(w)
        for name, w in zip(vectoriser.get_feature_names_out(), fitted.coef_[0], strict=True)
        if abs(w) >= KEEP_ABOVE
    }
    return Model(float(fitted.intercept_[0]), weights)


def held_out_scores(
    found: Sequence[dict[str, float]],
    labels: Sequence[bool],
    writers: Sequence[str],
    progress: Callable[[str], None] | None = None,
) -> list[float]:
    """Each call's score from a model fitted without its writer's calls: the writers
    are dealt into at most FOLDS groups (GroupKFold), each held out in turn."""
    from sklearn.model_selection import GroupKFold

    scores = [0.0] * len(found)
    folds = GroupKFold(n_splits=min(FOLDS, len(set(writers))))
    for number, (inside, outside) in enumerate(folds.split(found, labels, writers), 1):
        if progress:
            progress(f"calibration fold {number}")
        model = fit_weights([found[i] for i in inside], [labels[i] for i in inside])
        for i in outside:
            scores[i] = model.score(found[i])
    return scores


def calibrate(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """Platt scaling: the (scale, shift) that turn held-out scores into probabilities."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    platt = LogisticRegression(C=1e6, solver="lbfgs")
    platt.fit(np.asarray(scores).reshape(-1, 1), list(labels))
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def train(
    examples: Sequence[Example],
    version: str,
    progress: Callable[[str], None] | None = None,
) -> Model:
    found = featurise(examples)
    labels = [e.lead for e in examples]
    writers = [e.writer for e in examples]
    scale, shift = calibrate(held_out_scores(found, labels, writers, progress), labels)
    model = fit_weights(found, labels)
    return Model(model.bias, model.weights, scale, shift, version)
