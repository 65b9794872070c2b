"""A model fitted to this company: the embedded classifier's learned part, refitted
on the calls agents decided (core.domain.labels).

The fit keeps what the shipped model knows: its score is one input (the prior), and
the company's own findings and words (its brands, its CSRs' habits, its callers'
jargon) are the others, regularised, so a word only counts where the company's labels
say it should. Precision and recall are measured before and after on a held-out
quarter of the company's labels (fixed seed); the model measured is the one stored.

Stored in the settings table: `classifier_model` holds the versions and which is in
use (a stack: `--apply` pushes, `--rollback` pops back to the one before); each
version's weights are a row of their own (`classifier_model:company-N`). Only
administrators change it, and each change is in the audit log. The review workers
follow it before each batch, as they follow the company profile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.classify.base import CallForReview
from core.classify.embedded import EmbeddedClassifier
from core.classify.model import Model, default_model, features
from core.classify.profile import CompanyProfile
from core.classify.reading import Reader
from core.db.models import Setting
from core.errors import SclError
from core.services import audit, permissions
from core.services.company import read_profile
from core.services.context import ServiceContext
from core.services.errors import StatusRefused
from core.services.labels import labelled_calls, load_calls
from core.services.settings import read_settings, store_row

MODEL_KEY = "classifier_model"
MIN_EACH = 50  # labels of each side before a fit is worth measuring
HELD_OUT = 0.25
SEED = 14
C = 1.0  # inverse regularisation of the company's own features
FOLDS = 5  # out-of-fold scores calibrate the fitted model
PRIOR = "prior"  # the shipped model's score, as a feature
BATCH = 500
Progress = Callable[[str, int, int], None]  # (stage, done, of)

_cache: dict[str, Model] = {}  # by digest: a version's weights are read once


class NotEnoughLabels(SclError):
    title = "Not enough decided calls"


@dataclass(frozen=True)
class Scores:
    """How a model did on the held-out calls."""

    calls: int
    precision: float | None  # None: it flagged none
    recall: float | None  # None: no lead among them


@dataclass(frozen=True)
class LearnReport:
    leads: int  # labelled calls of each side
    not_leads: int
    trained_on: int
    held_out: int
    before_version: str  # the model in use
    before: Scores
    after: Scores
    applied: str | None  # the version stored, with --apply


@dataclass(frozen=True)
class ModelState:
    in_use: str  # "company-2", or the shipped model's version
    stack: tuple[str, ...]  # applied versions, the one in use last


# --- which model is in use ------------------------------------------------------------


def stored_model(session: Session) -> Model | None:
    """The company's fitted model in use, or None for the shipped one."""
    entry = _active_entry(session)
    return None if entry is None else _load(session, entry)


def follow_model(session: Session, classifier: object) -> None:
    """Have `classifier` weigh calls with the model in use now (the review worker, before
    each batch). Nothing changes for a company that never applied one."""
    use = getattr(classifier, "use_model", None)
    row = session.get(Setting, MODEL_KEY)
    if use is None or row is None:
        return
    entry = _active_entry(session)
    wanted = default_model().version if entry is None else entry["version"]
    if getattr(classifier, "version", None) != wanted:
        use(default_model() if entry is None else _load(session, entry))


def model_state(ctx: ServiceContext) -> ModelState:
    with ctx.db.transaction() as session:
        stack = tuple(_pointer(session)["stack"])
    return ModelState(stack[-1] if stack else default_model().version, stack)


# --- fitting ----------------------------------------------------------------------------


def learn(
    ctx: ServiceContext,
    actor_login: str,
    *,
    apply: bool = False,
    progress: Progress | None = None,
) -> LearnReport:
    """Fit on the company's decided calls and measure before and after on a held-out
    part; with `apply`, store the fitted model as a new version and use it."""
    with ctx.db.transaction() as session:
        permissions.require_admin_in(session, actor_login, "fit the classifier to the company")
        profile = read_profile(session)
        window = read_settings(session).banner_window
        labelled = [c for c in labelled_calls(session, window) if c.label is not None]
        current = stored_model(session) or default_model()
    labels = {c.call_id: bool(c.label) for c in labelled}
    leads = sum(labels.values())
    not_leads = len(labels) - leads
    if leads < MIN_EACH or not_leads < MIN_EACH:
        raise NotEnoughLabels(_short_by(leads, not_leads))
    ids = sorted(labels)
    calls = _read_calls(ctx, ids, progress)
    y = [labels[i] for i in ids]
    found = _featurise(profile, calls, progress)
    train, test = _split(y)
    fitted = fit_company_model(
        [found[i] for i in train], [y[i] for i in train], "company-?", progress
    )
    before = _scores(
        EmbeddedClassifier(profile, current), [calls[i] for i in test], [y[i] for i in test]
    )
    after = _scores(
        EmbeddedClassifier(profile, fitted), [calls[i] for i in test], [y[i] for i in test]
    )
    applied = _store(ctx, actor_login, fitted, leads, not_leads) if apply else None
    return LearnReport(
        leads, not_leads, len(train), len(test), current.version, before, after, applied
    )


def fit_company_model(
    found: Sequence[dict[str, float]],
    labels: Sequence[bool],
    version: str,
    progress: Progress | None = None,
) -> Model:
    """The shipped model's score plus the company's features, fitted on its labels and
    folded back into one linear model (so the classifier weighs it as any other):
    a·(b₀ + Σw₀x) + c + Σvx = (a·b₀ + c) + Σ(a·w₀ + v)x, then calibrated (Platt) on
    out-of-fold scores."""
    from sklearn.model_selection import StratifiedKFold

    from core.classify.training import calibrate

    shipped = default_model()
    rows = [{**f, PRIOR: shipped.score(f)} for f in found]
    scores = [0.0] * len(rows)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for number, (inside, outside) in enumerate(folds.split(rows, labels), 1):
        if progress:
            progress("fitting", number, FOLDS + 1)
        model = _fit([rows[i] for i in inside], [labels[i] for i in inside], shipped)
        for i in outside:
            scores[i] = model.score(found[i])
    if progress:
        progress("fitting", FOLDS + 1, FOLDS + 1)
    model = _fit(rows, labels, shipped)
    scale, shift = calibrate(scores, labels)
    return Model(model.bias, model.weights, scale, shift, version)


def _fit(rows: Sequence[dict[str, float]], labels: Sequence[bool], shipped: Model) -> Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(rows)
    fitted = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
    fitted.fit(matrix, list(labels))
    own = dict(zip(vectoriser.get_feature_names_out(), fitted.coef_[0], strict=True))
    a = float(own.pop(PRIOR))
    weights = {name: a * w for name, w in shipped.weights.items()}
    for name, w in own.items():
        weights[name] = weights.get(name, 0.0) + float(w)
    return Model(a * shipped.bias + float(fitted.intercept_[0]), weights)


def _read_calls(
    ctx: ServiceContext, ids: Sequence[int], progress: Progress | None
) -> list[CallForReview]:
    calls: list[CallForReview] = []
    for start in range(0, len(ids), BATCH):
        with ctx.db.transaction() as session:
            calls.extend(load_calls(session, ids[start : start + BATCH])[0])
        if progress:
            progress("reading calls", len(calls), len(ids))
    return calls


def _featurise(
    profile: CompanyProfile, calls: Sequence[CallForReview], progress: Progress | None
) -> list[dict[str, float]]:
    reader = Reader(profile)
    found = []
    for number, call in enumerate(calls, 1):
        found.append(features(reader.read(call)))
        if progress and (number % 100 == 0 or number == len(calls)):
            progress("reading transcripts", number, len(calls))
    return found


def _split(labels: Sequence[bool]) -> tuple[list[int], list[int]]:
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        list(range(len(labels))), test_size=HELD_OUT, random_state=SEED, stratify=list(labels)
    )
    return sorted(train), sorted(test)


def _scores(
    classifier: EmbeddedClassifier, calls: Sequence[CallForReview], labels: Sequence[bool]
) -> Scores:
    said = [classifier.classify(call).lead for call in calls]
    hits = sum(s and y for s, y in zip(said, labels, strict=True))
    flagged, leads = sum(said), sum(labels)
    return Scores(len(calls), hits / flagged if flagged else None, hits / leads if leads else None)


def _short_by(leads: int, not_leads: int) -> str:
    more = [
        f"{MIN_EACH - n} more {what}"
        for n, what in ((leads, "decided as leads"), (not_leads, "decided as not leads"))
        if n < MIN_EACH
    ]
    return (
        f"Too few decided calls to learn from: {leads} leads and {not_leads} not leads; "
        f"it needs at least {MIN_EACH} of each — {' and '.join(more)}. Nothing was changed."
    )


# --- storing, rolling back ----------------------------------------------------------------


def rollback(ctx: ServiceContext, actor_login: str) -> ModelState:
    """Go back to the version in use before the current one (or the shipped model)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        person = permissions.require_admin_in(session, actor_login, "change the classifier model")
        pointer = _pointer(session)
        stack = list(pointer["stack"])
        if not stack:
            raise StatusRefused(
                f"The shipped model ({default_model().version}) is in use: there is no "
                "fitted model to roll back."
            )
        left = stack.pop()
        back = stack[-1] if stack else default_model().version
        store_row(session, MODEL_KEY, {**pointer, "stack": stack}, now, person)
        audit.record(session, now, person, "classifier model", left, back)
    return ModelState(back, tuple(stack))


def _store(ctx: ServiceContext, actor_login: str, model: Model, leads: int, not_leads: int) -> str:
    try:
        return _store_once(ctx, actor_login, model, leads, not_leads)
    except IntegrityError:  # another administrator stored the same version number first
        raise StatusRefused(
            "Another administrator applied a fitted model at the same moment; nothing of "
            "yours was stored. Look at `scl accuracy` and run `scl learn --apply` again."
        ) from None


def _store_once(
    ctx: ServiceContext, actor_login: str, model: Model, leads: int, not_leads: int
) -> str:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        person = permissions.require_admin_in(session, actor_login, "change the classifier model")
        pointer = _pointer(session)
        version = f"company-{len(pointer['versions']) + 1}"
        text = Model(model.bias, model.weights, model.scale, model.shift, version).to_json()
        digest = hashlib.sha256(text.encode()).hexdigest()
        # Added, never overwritten: the same version stored at the same moment fails here.
        session.add(
            Setting(
                key=f"{MODEL_KEY}:{version}",
                value={"model": text},
                updated_at=now,
                updated_by_id=person.id,
            )
        )
        entry = {
            "version": version,
            "digest": digest,
            "at": now.isoformat(),
            "by": person.login,
            "leads": leads,
            "not_leads": not_leads,
            "shipped": default_model().version,
        }
        before = pointer["stack"][-1] if pointer["stack"] else default_model().version
        store_row(
            session,
            MODEL_KEY,
            {"versions": [*pointer["versions"], entry], "stack": [*pointer["stack"], version]},
            now,
            person,
        )
        audit.record(session, now, person, "classifier model", before, version)
    return version


def _pointer(session: Session) -> dict[str, Any]:
    row = session.get(Setting, MODEL_KEY)
    return dict(row.value) if row is not None else {"versions": [], "stack": []}


def _active_entry(session: Session) -> dict[str, Any] | None:
    pointer = _pointer(session)
    if not pointer["stack"]:
        return None
    return next(v for v in pointer["versions"] if v["version"] == pointer["stack"][-1])


def _load(session: Session, entry: dict[str, Any]) -> Model:
    digest = entry["digest"]
    if digest not in _cache:
        row = session.get(Setting, f"{MODEL_KEY}:{entry['version']}")
        if row is None:
            raise StatusRefused(f"The stored classifier model {entry['version']} is missing.")
        _cache[digest] = Model.from_json(row.value["model"])
    return _cache[digest]
