"""calls: the brand a call came in on, and which classifier reviewed it

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 16:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("brand", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("review_classifier", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("review_classifier")
        batch_op.drop_column("brand")
