"""transcriptions: a call's machine transcription (engine, model, durations, state)

One row per call whose recording was sent for transcription: done (its segments are in
transcript_segments, machine-made by this engine and model), delayed (the server failed;
tried again after retry_at) or unreadable (reported once; reviewed without a transcript).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transcriptions",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("engine", sa.String(length=200), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("channels", sa.Integer(), nullable=True),
        sa.Column("recording_seconds", sa.Float(), nullable=True),
        sa.Column("billed_seconds", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("retry_at", core.db.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", core.db.types.UTCDateTime(), nullable=False),
        sa.Column("done_at", core.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("call_id"),
    )
    # The month's minutes and the latest failures are read by time.
    op.create_index("ix_transcriptions_done_at", "transcriptions", ["done_at"], unique=False)
    op.create_index(
        "ix_transcriptions_state_updated", "transcriptions", ["state", "updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_transcriptions_state_updated", table_name="transcriptions")
    op.drop_index("ix_transcriptions_done_at", table_name="transcriptions")
    op.drop_table("transcriptions")
