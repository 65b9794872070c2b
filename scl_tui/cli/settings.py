"""`scl settings` (the company's, administrators change them) and `scl config` (this
installation's config file and database)."""

from __future__ import annotations

import click

from core.config import config_path, data_dir, load_config
from core.domain.settings import SETTING_SPECS
from scl_tui.cli.common import current_session, reports_errors


# A negative VALUE ("-1") is a value to validate, not an unknown option.
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False, type=click.Choice(list(SETTING_SPECS)))
@click.argument("value", required=False)
@reports_errors
def settings(key: str | None, value: str | None) -> None:
    """Show the company settings, or set KEY to VALUE (administrators only)."""
    from datetime import datetime

    from core.domain.settings import format_setting
    from core.services.settings import get_settings, set_setting

    session = current_session()
    if key is not None and value is None:
        raise click.UsageError("give a VALUE to set, or no KEY to show them all")
    login = session.login  # employees only, even to read them
    current = (
        set_setting(session.ctx, login, key, value)
        if key and value is not None
        else get_settings(session.ctx)
    )
    # Each value as `scl settings KEY VALUE` takes it back ('""' clears the time zone).
    values = {key: format_setting(getattr(current, key)) or '""' for key in SETTING_SPECS}
    width = max(6, *map(len, values.values()))
    for spec in SETTING_SPECS.values():
        label = spec.label
        if spec.key == "timezone" and not current.timezone:
            label += f" (none set: this host's, {datetime.now().astimezone().tzname()})"
        click.echo(f"{spec.key:<24} {values[spec.key]:<{width}} {label}")
    # Saved, but the settings screen would warn about it: so does the command.
    from core.domain.settings import setting_warning

    warning = setting_warning(key, getattr(current, key)) if key else None
    if warning:
        click.echo(f"warning: {warning}", err=True)


@click.command()
@reports_errors
def config() -> None:
    """Where the config file and the database are, and what is configured."""
    from core.db.engine import parse_url, resolve_url

    loaded = load_config()
    path = config_path()
    url = parse_url(resolve_url(loaded, current_session().db_url))
    click.echo(f"config file   {path}{'' if path.exists() else '  (not created; defaults)'}")
    click.echo(f"data dir      {data_dir()}")
    click.echo(f"database      {url.render_as_string(hide_password=True)}")
    click.echo(f"classifier    {loaded.classifier}")
    click.echo(f"dialer        {loaded.dialer.command or 'manual (the agent dials)'}")
    click.echo(f"theme         {loaded.theme}")
    smtp, sms = loaded.smtp, loaded.sms
    click.echo(f"email         {f'{smtp.host}:{smtp.port}' if smtp.host else 'not configured'}")
    click.echo(f"texts         {sms.base_url if sms.account_sid else 'not configured'}")
