"""The composition root: config → database → dialer → a ServiceContext."""

from __future__ import annotations

from core.adapters.dialer import CommandDialer, Dialer, ManualDialer
from core.clock import Clock, SystemClock
from core.config import AppConfig, load_config
from core.db.engine import open_database, resolve_url
from core.services.context import ServiceContext


def build_context(
    db_url: str | None = None,
    *,
    config: AppConfig | None = None,
    clock: Clock | None = None,
    dialer: Dialer | None = None,
) -> ServiceContext:
    config = config or load_config()
    database = open_database(resolve_url(config, db_url))
    return ServiceContext(
        db=database,
        clock=clock or SystemClock(),
        dialer=dialer or _dialer(config),
    )


def _dialer(config: AppConfig) -> Dialer:
    if config.dialer.command:
        return CommandDialer(config.dialer.command)
    return ManualDialer()
