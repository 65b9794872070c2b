"""One hand-counted month of calls, leads and jobs for the metrics and reports tests.

NOW is 2026-11-20 18:00 UTC. Calls start 4 minutes before they end; a lead's call
ends 5 minutes before it is flagged.

| call / lead                 | CSR     | started   | booked | lead, status now          |
| --------------------------- | ------- | --------- | ------ | ------------------------- |
| L1 +15125550101             | csr     | 2 d ago   | no     | Job booked by SCL (1)     |
| L2 +15125550102             | csr     | 3 d ago   | no     | Job booked elsewhere (2)  |
| L3 +15125550103             | csr     | 10 d ago  | no     | New, Cold                 |
| L4 +15125550104             | agent2  | 40 d ago  | no     | Reviewed - Not a Lead     |
| L5 +15125550105             | agent2  | 1 h ago   | no     | New, Open                 |
| C150 inbound                | csr     | 1 d ago   | yes    | —                         |
| C151 inbound                | csr     | 20 d ago  | no     | —                         |
| C152 outbound               | csr     | 1 d ago   | no     | —                         |
| C153 inbound                | agent2  | 1 d ago   | yes    | —                         |
| C154 inbound                | nobody  | 5 d ago   | no     | —                         |
| C155 inbound                | csr     | 50 d ago  | no     | —                         |

(1) agent called back 2 d ago + 1 h, then agent booked the job 1 d ago.
(2) no call back; csr booked the job 1 d ago.

Last 30 days by hand: 8 inbound calls (L1 L2 L3 L5 C150 C151 C153 C154), 1 SCL booked
(L1) → % Increase 100 × 1 / 9; 4 leads flagged (L1 L2 L3 L5); Open 1 (L5), Cold 1 (L3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.domain.statuses import DismissReason
from core.services import booking, review
from core.services.context import ServiceContext
from tests.builders import add_call, add_lead, seed_people


@dataclass(frozen=True)
class Month:
    l1: int
    l2: int
    l3: int
    l4: int
    l5: int


def build_month(ctx: ServiceContext, clock) -> Month:  # type: ignore[no-untyped-def]
    seed_people(ctx)
    now = clock.now()
    day = timedelta(days=1)
    l1 = add_lead(ctx, phone="+15125550101", flagged=now - 2 * day)
    l2 = add_lead(ctx, phone="+15125550102", flagged=now - 3 * day)
    l3 = add_lead(ctx, phone="+15125550103", flagged=now - 10 * day)
    l4 = add_lead(ctx, phone="+15125550104", flagged=now - 40 * day, csr_login="agent2")
    l5 = add_lead(ctx, phone="+15125550105", flagged=now - timedelta(hours=1), csr_login="agent2")
    add_call(ctx, phone="+15125550150", ended=now - day, booked=True)
    add_call(ctx, phone="+15125550151", ended=now - 20 * day)
    add_call(ctx, phone="+15125550152", ended=now - day, direction="outbound")
    add_call(ctx, phone="+15125550153", ended=now - day, booked=True, csr_login="agent2")
    add_call(ctx, phone="+15125550154", ended=now - 5 * day, csr_login=None)
    add_call(ctx, phone="+15125550155", ended=now - 50 * day)

    clock.set(now - 40 * day + timedelta(hours=1))
    review.dismiss(ctx, "agent", l4, DismissReason.NOT_A_LEAD)
    clock.set(now - 2 * day + timedelta(hours=1))
    review.call_back(ctx, "agent", l1)
    clock.set(now - day)
    booking.record_job(ctx, "agent", "+15125550101")
    booking.record_job(ctx, "csr", "+15125550102")
    clock.set(now)
    return Month(l1, l2, l3, l4, l5)
