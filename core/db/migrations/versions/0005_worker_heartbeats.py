"""worker_heartbeats: one row per running worker, refreshed every few seconds

`scl status` counts the workers seen lately from here; a worker removes its row on
a clean exit, and a row whose last_seen_at is old is a worker that died.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("os_user", sa.String(length=64), nullable=False),
        sa.Column("started_at", core.db.types.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", core.db.types.UTCDateTime(), nullable=False),
        sa.Column("calls_done", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_worker_heartbeats_last_seen_at", "worker_heartbeats", ["last_seen_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_worker_heartbeats_last_seen_at", table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
