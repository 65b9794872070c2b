"""Every command opens the database: when its schema is at head, that is seen without
loading Alembic (a third of a short command's start-up)."""

from __future__ import annotations

import subprocess
import sys

from core.db.engine import open_database
from core.db.migrate import head_revision, quick_head_revision


def test_the_head_read_from_the_migration_files_is_alembics_head():
    assert quick_head_revision() == head_revision()


def test_opening_a_database_already_at_head_does_not_load_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'at-head.db'}"
    open_database(url).dispose()
    code = (
        "import sys\n"
        "from core.db.engine import open_database\n"
        f"open_database({url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"
