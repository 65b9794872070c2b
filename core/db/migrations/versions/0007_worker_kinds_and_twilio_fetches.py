"""worker_heartbeats.kind; recording_fetches; unanswered_calls

- worker_heartbeats.kind: which reviewer beats — a service worker (`scl worker`), a
  one-shot (`scl worker --once`, from cron or a timer) or an app reviewing in a thread.
- recording_fetches: one row per Twilio recording the intake could not fetch at once:
  tried again with backoff (pending), then given up (failed); `scl status` names them.
  A saved row remembers a voicemail's recording (source RecordVerb) for its call.
- unanswered_calls: Twilio calls that rang and were never answered (busy, no-answer,
  canceled, failed): counted, not calls to review.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 00:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("worker_heartbeats") as table:
        table.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="service")
        )
    op.create_table(
        "recording_fetches",
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("account_sid", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("next_try_at", core.db.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", core.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_sid"),
    )
    op.create_index(
        "ix_recording_fetches_state_next_try_at",
        "recording_fetches",
        ["state", "next_try_at"],
        unique=False,
    )
    op.create_table(
        "unanswered_calls",
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("at", core.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_sid"),
    )
    op.create_index("ix_unanswered_calls_at", "unanswered_calls", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_unanswered_calls_at", table_name="unanswered_calls")
    op.drop_table("unanswered_calls")
    op.drop_index("ix_recording_fetches_state_next_try_at", table_name="recording_fetches")
    op.drop_table("recording_fetches")
    with op.batch_alter_table("worker_heartbeats") as table:
        table.drop_column("kind")
