"""What an employee record may hold: a login an OS user can have, a name, an email
address mail can be sent to. (Phone numbers: core.domain.phones.)"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

MAX_LOGIN = 100
MAX_NAME = 200
# An SSH login is the employee: no spaces or control characters, and no leading "-" (it
# would read as an option to `scl --as`). Domain logins ("CORP\\mlopez", "ml@corp") pass.
_LOGIN = re.compile(r"[^\s\x00-\x1f\x7f-\x9f-][^\s\x00-\x1f\x7f-\x9f]*")


class InvalidDetail(ValueError):
    """A value an employee record cannot hold; the message says why."""


def check_login(text: str) -> str:
    login = text.strip()
    if not _LOGIN.fullmatch(login) or len(login) > MAX_LOGIN:
        raise InvalidDetail(
            f"{text!r} is not a login: use the employee's OS user name (no spaces, "
            f"at most {MAX_LOGIN} characters, not starting with '-')"
        )
    return login


def check_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME:
        raise InvalidDetail(f"a name is needed, at most {MAX_NAME} characters")
    return name


def normalise_email(text: str) -> str:
    """'Maria@Example.COM ' → 'Maria@example.com'; only the form is checked (no DNS)."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidDetail(f"{text!r} is not an email address: {error}") from None
