"""ORM models. Plain data: the rules that govern them live in core.domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from core.db.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[int]: JSON}


# --- people and permissions -------------------------------------------------


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    permissions: Mapped[list[RolePermission]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )


class RolePermission(Base):
    __tablename__ = "role_permissions"

    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(100), primary_key=True)

    role: Mapped[Role] = relationship(back_populates="permissions")


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    notify_in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_email: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]

    role: Mapped[Role | None] = relationship()
    permission_overrides: Mapped[list[EmployeePermission]] = relationship(
        back_populates="employee", cascade="all, delete-orphan"
    )


class EmployeePermission(Base):
    """An individual grant (True) or revocation (False) that beats the role."""

    __tablename__ = "employee_permissions"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(100), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)

    employee: Mapped[Employee] = relationship(back_populates="permission_overrides")


# --- customers --------------------------------------------------------------


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )
    locations: Mapped[list[Location]] = relationship(back_populates="customer")


class CustomerPhone(Base):
    __tablename__ = "customer_phones"

    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)

    customer: Mapped[Customer] = relationship(back_populates="phones")


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]

    customer: Mapped[Customer] = relationship(back_populates="locations")

    __table_args__ = (UniqueConstraint("customer_id", "address"),)


class CustomerNote(Base):
    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))


class LocationNote(Base):
    __tablename__ = "location_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))


# --- calls ------------------------------------------------------------------


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    customer_phone: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    call_type: Mapped[str | None] = mapped_column(String(100))
    # The brand the call came in on, as the phone system named it (the export's `brand`).
    brand: Mapped[str | None] = mapped_column(String(200))
    csr_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    csr_notes: Mapped[str | None] = mapped_column(Text)
    recording: Mapped[str | None] = mapped_column(String(2000))
    job_booked: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime]

    # Automatic review: claimed with a lease, written once. A lead or not, the
    # verdict is kept so a supervisor can see why a call was not flagged.
    reviewed_at: Mapped[datetime | None]
    review_claimed_by: Mapped[str | None] = mapped_column(String(200))
    review_lease_until: Mapped[datetime | None]
    review_attempts: Mapped[int] = mapped_column(Integer, default=0)
    review_error: Mapped[str | None] = mapped_column(Text)
    review_is_lead: Mapped[bool | None] = mapped_column(Boolean)
    review_reason: Mapped[str | None] = mapped_column(Text)
    review_confidence: Mapped[float | None] = mapped_column(Float)
    # Which classifier and version decided, so agents' decisions can be scored against it.
    review_classifier: Mapped[str | None] = mapped_column(String(100))

    customer: Mapped[Customer | None] = relationship()
    location: Mapped[Location | None] = relationship()
    csr: Mapped[Employee | None] = relationship()
    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="call", order_by="TranscriptSegment.idx", cascade="all, delete-orphan"
    )
    lead: Mapped[Lead | None] = relationship(back_populates="call")

    __table_args__ = (
        # Finding due calls: inbound, unbooked, unreviewed, by end time.
        Index("ix_calls_due", "direction", "job_booked", "reviewed_at", "ended_at"),
        Index("ix_calls_started", "started_at"),
        # Metrics count inbound calls by start time.
        Index("ix_calls_direction_started", "direction", "started_at"),
    )


class TranscriptSegment(Base):
    __tablename__ = "transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(50))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="segments")

    __table_args__ = (UniqueConstraint("call_id", "idx"),)


# --- jobs and leads ---------------------------------------------------------


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_phone: Mapped[str] = mapped_column(String(32), index=True)
    booked_at: Mapped[datetime] = mapped_column(index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    created_at: Mapped[datetime]

    booked_by: Mapped[Employee | None] = relationship()
    call: Mapped[Call | None] = relationship()


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    # Copied from the call: the banner and the phone filter look leads up by it.
    customer_phone: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(32))
    # When the lead entered its status; the Cold rule counts from here.
    status_since: Mapped[datetime]
    flagged_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[int]] = mapped_column(default=list)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    # Who touched the lead last, so a refused stale action can name them.
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    version: Mapped[int] = mapped_column(Integer)

    call: Mapped[Call] = relationship(back_populates="lead")
    job: Mapped[Job | None] = relationship()
    updated_by: Mapped[Employee | None] = relationship()
    notes: Mapped[list[LeadNote]] = relationship(
        back_populates="lead", order_by="LeadNote.id", cascade="all, delete-orphan"
    )
    history: Mapped[list[LeadHistory]] = relationship(
        back_populates="lead", order_by="LeadHistory.id", cascade="all, delete-orphan"
    )
    callbacks: Mapped[list[CallbackAttempt]] = relationship(
        back_populates="lead", order_by="CallbackAttempt.id", cascade="all, delete-orphan"
    )

    # Optimistic locking: every UPDATE checks the version it read.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_leads_status_flagged", "status", "flagged_at", "id"),
        Index("ix_leads_status_since", "status", "status_since"),
        Index("ix_leads_flagged", "flagged_at", "id"),
    )


class LeadNote(Base):
    __tablename__ = "lead_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    copied_to: Mapped[str | None] = mapped_column(String(20))

    lead: Mapped[Lead] = relationship(back_populates="notes")
    author: Mapped[Employee | None] = relationship()


class LeadHistory(Base):
    """One status change: who or what made it, from, to, when and why."""

    __tablename__ = "lead_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    why: Mapped[str | None] = mapped_column(Text)

    lead: Mapped[Lead] = relationship(back_populates="history")
    actor: Mapped[Employee | None] = relationship()


class CallbackAttempt(Base):
    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    at: Mapped[datetime]
    phone: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(Text)

    lead: Mapped[Lead] = relationship(back_populates="callbacks")
    employee: Mapped[Employee] = relationship()


# --- settings, audit, notifications, events -----------------------------------


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))


class AuditEntry(Base):
    """A change to settings or permissions: who, when, what, from, to.

    `actor_id` is the employee acted as; `os_user` the OS account of the process
    that did it (they differ under `--as`)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    os_user: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """One message to one employee on one channel, delivered from this outbox."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]

    lead: Mapped[Lead] = relationship()
    employee: Mapped[Employee] = relationship()

    __table_args__ = (
        UniqueConstraint("lead_id", "employee_id", "channel"),
        Index("ix_notifications_outbox", "state", "next_attempt_at"),
    )


class Event(Base):
    """What happened, for every open app to pick up (polled on SQLite)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(50))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)

    lead: Mapped[Lead | None] = relationship()


class WorkerHeartbeat(Base):
    """A running worker, refreshed every few seconds; an old last_seen_at means it died."""

    __tablename__ = "worker_heartbeats"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    os_user: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
    calls_done: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="service", server_default="service")


from core.db import intake_models, transcription_models  # noqa: E402, F401  (their tables join this metadata)
