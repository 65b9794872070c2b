"""Embedded classifier throughput on one core: 10,000 generated calls against 200, all of
them calls the review worker would classify (inbound, unbooked).

Each size is timed three times and the fastest run counts (as timeit does): a slower run
measures the machine's other work, not the classifier.

Run: .venv/bin/python -m bench.classifier
"""

from __future__ import annotations

import time

from bench.calls import generate, reviewable
from core.classify.embedded import EmbeddedClassifier
from core.services.classify_file import as_call
from core.services.ingest import parse_call

RUNS = 3


def calls_per_second(n: int) -> float:
    # What a review worker classifies: inbound calls that ended unbooked.
    rows = reviewable(n, seed=n)
    calls = [as_call(parse_call(row)) for row in rows]
    classifier = EmbeddedClassifier()
    fastest = float("inf")
    for _ in range(RUNS):
        start = time.process_time()  # this process's time on its one core
        for call in calls:
            classifier.classify(call)
        fastest = min(fastest, time.process_time() - start)
    return n / fastest


def main() -> None:
    EmbeddedClassifier().classify(as_call(parse_call(next(generate(1)))))  # warm up
    small = calls_per_second(200)
    large = calls_per_second(10_000)
    print(
        f"embedded classifier, one core: {small:,.0f} calls/s on 200 calls, "
        f"{large:,.0f} calls/s on 10,000 (ratio {large / small:.2f}; target >= 1,000/s)"
    )


if __name__ == "__main__":
    main()
