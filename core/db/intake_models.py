"""ORM models of the intake's Twilio bookkeeping (core.services.twilio_calls).

Kept apart from core.db.models, which imports this module at its end so that one
metadata (Alembic's) holds every table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base


class RecordingFetch(Base):
    """A Twilio recording not fetched at once (pending, then failed), or saved (kept to
    remember a voicemail's source for its call)."""

    __tablename__ = "recording_fetches"
    __table_args__ = (Index("ix_recording_fetches_state_next_try_at", "state", "next_try_at"),)

    call_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text)
    account_sid: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    next_try_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class UnansweredCall(Base):
    """A Twilio call that rang and was never answered: counted, not reviewed."""

    __tablename__ = "unanswered_calls"

    call_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(index=True)
