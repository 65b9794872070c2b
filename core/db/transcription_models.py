"""The transcriptions table (migration 0006), in a module of its own beside models.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base

DONE = "done"
DELAYED = "delayed"
UNREADABLE = "unreadable"


class Transcription(Base):
    """A call's machine transcription: how it went, by which engine and model.

    A row in state `done` marks the call's transcript segments as machine-made."""

    __tablename__ = "transcriptions"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20))
    engine: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    channels: Mapped[int | None] = mapped_column(Integer)
    recording_seconds: Mapped[float | None] = mapped_column(Float)
    # Audio sent to the engine: the recording's length once per channel transcribed.
    billed_seconds: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    retry_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_transcriptions_done_at", "done_at"),
        Index("ix_transcriptions_state_updated", "state", "updated_at"),
    )
