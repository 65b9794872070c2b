"""`scl company`: the company profile — the brands, what each sells, and where.

Anyone may read it; only an administrator imports a new one (exit 1 otherwise, one
line saying who can). A bad file is refused whole with FILE:LINE: what is wrong.
"""

from __future__ import annotations

from pathlib import Path

import click

from scl_tui.cli.common import current_session, echo, reports_errors


@click.group()
def company() -> None:
    """The company profile: brands, their trades, what they turn away, their area."""


@company.command("show")
@click.option("--toml", "as_toml", is_flag=True, help="The profile as TOML, as imported.")
@reports_errors
def show(as_toml: bool) -> None:
    """Print the stored company profile (or the built-in one when none is stored)."""
    from core.services.company import get_profile, profile_is_stored

    session = current_session()
    session.login  # noqa: B018  (employees only: an OS user who is none is refused here)
    profile = get_profile(session.ctx)
    if as_toml:
        click.echo(profile.to_toml(), nl=False)
        return
    if not profile_is_stored(session.ctx):
        echo("No company profile stored: one brand that does every trade, anywhere.")
        echo("Import one with: scl company import FILE (see README, 'The company profile').")
        echo("")
    names = {trade.id: trade.name for trade in profile.catalog.trades}
    for number, brand in enumerate(profile.brands, 1):
        echo(f"{number}. {brand.name}")
        echo(f"   sells      {', '.join(names[t] for t in brand.trades) or '-'}")
        if brand.also:
            echo(f"   also       {', '.join(brand.also)}")
        if brand.not_:
            echo(f"   turns away {', '.join(brand.not_)}")
        echo(f"   area       {', '.join(brand.area) if brand.area else 'anywhere'}")


@company.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def import_(file: Path) -> None:
    """Store the company profile in FILE (TOML), replacing the one stored; administrators."""
    from core.services.company import import_profile

    text = read_profile_file(file)
    session = current_session()
    profile = import_profile(session.ctx, session.login, text, str(file))
    brands = ", ".join(brand.name for brand in profile.brands)
    count = len(profile.brands)
    echo(f"Stored the company profile: {count} brand{'s' if count != 1 else ''} ({brands}).")


def read_profile_file(file: Path, given_as: str = "FILE") -> str:
    """The text of a profile file, or one line saying why it cannot be read (a usage
    error naming the argument or option `given_as`)."""
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.BadParameter(f"{file}: no such file", param_hint=f"'{given_as}'") from None
    except UnicodeDecodeError as error:
        raise click.BadParameter(
            f"{file}: not UTF-8 text (byte {error.start}); save it as UTF-8",
            param_hint=f"'{given_as}'",
        ) from None
    except OSError as error:
        raise click.BadParameter(f"{file}: {error.strerror}", param_hint=f"'{given_as}'") from None
