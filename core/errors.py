"""Errors that carry a message fit to show a person, and a title for it.

Anything raised that is not an SclError is a bug: it is logged with its
traceback, and the person sees a plain one-line message.
"""

from __future__ import annotations


class SclError(Exception):
    title = "Error"
    exit_code = 1

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class SetupError(SclError):
    """The program cannot start: bad config, database or data directory."""

    title = "Cannot start"
    exit_code = 2


class ConfigError(SetupError):
    title = "Bad configuration"


class DatabaseError(SetupError):
    title = "Database unavailable"
