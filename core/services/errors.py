"""The refusals a use case can give; each message is fit to show an agent as is."""

from __future__ import annotations

from core.errors import SclError


class NotFound(SclError):
    title = "Not found"


class PermissionDenied(SclError):
    title = "Not allowed"


class StaleLead(SclError):
    """The lead changed since the caller read it; nothing was written."""

    title = "Changed by someone else"


class StatusRefused(SclError):
    """A status change the rules do not allow (final, automatic-only, unchanged)."""

    title = "Status not changed"


class InvalidInput(SclError):
    title = "Invalid input"
