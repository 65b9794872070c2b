"""`scl learn` on 20,000 labelled calls against 1,000, measured in the same run.

Each size gets a SQLite database of its own: generated calls (bench/calls.py, every
one inbound and unbooked, with its transcript) are imported and reviewed by the
review worker with the embedded classifier; then every call is decided, as agents
would: each lead the classifier flagged is worked (one of the five confirming
statuses) or ruled out (Reviewed - Not a Lead), and each call it passed over is
flagged by hand and kept or ruled out. Agents side with the classifier on nine calls
in ten. The learning service then fits and measures (nothing applied), with the
CLI's progress bar, and the time of each of its stages is printed.

Run: .venv/bin/python -m bench.learn [--calls N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import literal, select, update

from bench.calls import reviewable, write_jsonl
from bench.worker_drain import seed
from core.classify.embedded import EmbeddedClassifier
from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import Call, Lead
from core.domain.labels import CONFIRMING
from core.domain.statuses import LeadStatus
from core.services import learning
from core.services.context import ServiceContext
from core.workers.review_worker import ReviewWorker

SMALL = 1_000
DISAGREE = 10  # agents overrule the classifier on every tenth call (by id)


def prepare(n: int, workdir: Path) -> ServiceContext:
    """A database of `n` reviewed calls, every one of them decided."""
    url = f"sqlite:///{workdir / f'learn-{n}.db'}"
    source = workdir / f"calls-{n}.jsonl"
    ended = datetime.now(UTC) - timedelta(hours=1)
    write_jsonl(source, reviewable(n, seed=n, end=ended, prefix=f"LRN{n}"))
    seed(url, source)  # an administrator "admin", the review enabled, the calls imported
    ctx = ServiceContext(open_database(url, migrate=False), SystemClock())
    stats = ReviewWorker(ctx, EmbeddedClassifier()).run_once()
    assert stats.reviewed == n, f"{stats.reviewed} of {n} reviewed"
    decide(ctx)
    return ctx


def decide(ctx: ServiceContext) -> None:
    now = datetime.now(UTC)
    overruled = Call.id % DISAGREE == 0
    confirming = sorted(s.value for s in CONFIRMING)
    with ctx.db.transaction() as session:
        # Calls the classifier passed over: flagged by hand, most then ruled out.
        passed = select(
            Call.id,
            Call.customer_phone,
            literal(LeadStatus.NOT_A_LEAD.value),
            Call.ended_at,
            Call.ended_at,
            literal("[]"),
            Call.ended_at,
            literal(1),
        ).where(Call.review_is_lead.is_(False))
        session.execute(
            Lead.__table__.insert().from_select(
                [
                    "call_id",
                    "customer_phone",
                    "status",
                    "status_since",
                    "flagged_at",
                    "evidence",
                    "updated_at",
                    "version",
                ],
                passed,
            )
        )
        said_lead = select(Call.id).where(Call.review_is_lead.is_(True))
        # Where agents agree with the classifier's flag, or overrule its pass, the lead
        # is worked: its status cycles through the confirming ones.
        kept = ((Call.review_is_lead.is_(True)) & ~overruled) | (
            Call.review_is_lead.is_(False) & overruled
        )
        for k, status in enumerate(confirming):
            session.execute(
                update(Lead)
                .where(
                    Lead.call_id.in_(select(Call.id).where(kept, Call.id % len(confirming) == k))
                )
                .values(status=status, status_since=now)
                .execution_options(synchronize_session=False)
            )
        # Flags agents overrule are ruled out.
        session.execute(
            update(Lead)
            .where(Lead.call_id.in_(said_lead.where(overruled)))
            .values(status=LeadStatus.NOT_A_LEAD.value, status_since=now)
            .execution_options(synchronize_session=False)
        )
        assert session.scalar(select(Lead.id).where(Lead.status == LeadStatus.NEW.value)) is None


def timed_learn(ctx: ServiceContext) -> tuple[learning.LearnReport, float, dict[str, float]]:
    from scl_tui.cli.learning import _Progress

    stages: dict[str, list[float]] = defaultdict(list)
    with _Progress("Learning") as bar:

        def progress(stage: str, done: int, of: int) -> None:
            stages[stage].append(time.perf_counter())
            bar.stages(stage, done, of)

        began = time.perf_counter()
        report = learning.learn(ctx, "admin", progress=progress)
        seconds = time.perf_counter() - began
    # A stage runs from the previous stage's last report to its own last one.
    spans, last = {}, began
    for stage, times in stages.items():
        spans[stage], last = times[-1] - last, times[-1]
    spans["measuring before and after"] = began + seconds - last
    return report, seconds, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="the large case's calls")
    args = parser.parse_args()
    # Imported before the clock runs, so neither case pays for it.
    import sklearn.feature_extraction
    import sklearn.linear_model
    import sklearn.model_selection  # noqa: F401

    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (SMALL, args.calls):
            began = time.perf_counter()
            ctx = prepare(n, Path(tmp))
            took = time.perf_counter() - began
            print(f"prepared {n:,} decided calls in {took:.0f} s", flush=True)
            before_mb = _peak_mb()
            report, seconds, spans = timed_learn(ctx)
            after_mb = _peak_mb()
            ctx.db.dispose()
            assert report.leads + report.not_leads == n, (report.leads, report.not_leads)
            timings.append(seconds)
            print(
                f"{n:>7,} labelled calls ({report.leads:,} leads, {report.not_leads:,} not): "
                f"learn in {seconds:.1f} s; held-out precision "
                f"{_pct(report.before.precision)} -> {_pct(report.after.precision)}, recall "
                f"{_pct(report.before.recall)} -> {_pct(report.after.recall)}",
                flush=True,
            )
            print("    " + "; ".join(f"{name} {s:.1f} s" for name, s in spans.items()))
            print(
                f"    peak RSS of the process {before_mb:.0f} MB before learn, {after_mb:.0f} after"
            )
    small, large = timings
    print(
        f"wall time ratio {args.calls:,} vs {SMALL:,}: {large / small:.1f} for "
        f"{args.calls / SMALL:g}x the labels; {args.calls:,} in {large / 60:.1f} minutes "
        f"(target: minutes)"
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


if __name__ == "__main__":
    main()
