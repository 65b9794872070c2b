"""What every use case needs: the database, the clock, the dialer."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.adapters.dialer import Dialer, ManualDialer
from core.clock import Clock, SystemClock
from core.db.engine import Database


@dataclass
class ServiceContext:
    """The composition root's product; tests build one with a frozen clock."""

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    dialer: Dialer = field(default_factory=ManualDialer)
