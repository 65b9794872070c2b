"""Which calls the automatic review decides on."""

from __future__ import annotations

from core.domain.review_rules import why_not_reviewed


def test_an_unbooked_inbound_call_is_reviewed():
    assert why_not_reviewed("inbound", job_booked=False) is None


def test_an_outbound_call_is_never_a_lead():
    assert "outbound" in (why_not_reviewed("outbound", job_booked=False) or "")


def test_a_call_that_booked_the_job_is_never_a_lead():
    assert "booked on the call" in (why_not_reviewed("inbound", job_booked=True) or "")
