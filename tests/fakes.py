"""Fakes at the edges: a classifier whose answers the test decides."""

from __future__ import annotations

import threading
from collections import Counter

from core.classify.base import CallForReview, ClassifierError, Verdict


class ScriptedClassifier:
    """Flags calls whose external id is in `leads`; fails the first `failures` tries."""

    name = "scripted"
    batch_size = 25

    def __init__(self, leads: set[str] | None = None, failures: int = 0) -> None:
        self.leads = leads
        self.failures = failures
        self.seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def classify(self, call: CallForReview) -> Verdict:
        with self._lock:
            self.seen[call.external_id] += 1
            if self.failures > 0:
                self.failures -= 1
                raise ClassifierError("the model did not answer (503)")
        lead = self.leads is None or call.external_id in self.leads
        reason = "Caller needs service" if lead else "Wrong number"
        return Verdict(lead, 0.8, reason, (0,), f"Summary of {call.external_id}")
