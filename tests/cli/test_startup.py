"""`scl` starts fast: what a command imports is held down here (not timed; see
bench/startup.py for the times), so the gain cannot quietly regress."""

from __future__ import annotations

import subprocess
import sys

from scl_tui.cli import cli

HEAVY = ("sqlalchemy", "alembic", "pydantic", "textual", "openai", "sklearn", "numpy")


def loaded_by(*args: str) -> set[str]:
    """The top-level packages a fresh `scl ARGS…` process has imported when it ends."""
    code = (
        "import sys\n"
        f"sys.argv = ['scl', *{list(args)!r}]\n"
        "from scl_tui.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(done.stderr.splitlines()[-1].split())


def test_scl_help_imports_no_database_config_ui_or_model_library():
    assert loaded_by("--help") & set(HEAVY) == set()


def test_listing_leads_imports_neither_the_app_nor_alembic_nor_a_model_library(seeded):
    url, _ = seeded
    loaded = loaded_by("--db", url, "--as", "agent", "leads", "--json")
    assert "sqlalchemy" in loaded  # it did reach the database
    assert loaded & {"alembic", "textual", "rich", "openai", "sklearn", "numpy"} == set()


def test_every_verb_registered_by_name_loads_as_that_verb():
    import click

    with click.Context(cli) as context:
        for name in cli.lazy_commands:
            command = cli.get_command(context, name)
            assert isinstance(command, click.Command) and command.name == name, name
