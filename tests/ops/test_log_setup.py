"""Where `scl` logs and what a log line may hold (core.log_setup)."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from core import log_setup
from core.config import OpenAIConfig
from core.db.engine import open_database
from core.db.models import TranscriptSegment
from core.log_setup import LogfmtFormatter, configure, log_path, os_user
from core.services.context import ServiceContext
from core.services.settings import set_setting
from core.workers.review_worker import ReviewWorker
from tests.builders import add_call, seed_people
from tests.classify.fake_openai import http_error, running_fake_openai

SCL = Path(sys.executable).with_name("scl")
PHRASE = "my marmalade boiler whistles like a kettle"
KEY = "sk-test-0123456789-DO-NOT-LOG"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def own_logging() -> Iterator[None]:
    """The test configures logging for real; the root logger is put back after."""
    root = logging.getLogger()
    kept = (root.handlers[:], root.level)
    quiet = {name: logging.getLogger(name).level for name in log_setup.QUIET_LIBRARIES}
    yield
    for handler in root.handlers[:]:
        if handler not in kept[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(kept[1])
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def test_the_log_file_is_named_after_the_os_user_in_the_data_directory(tmp_path):
    assert log_path() == tmp_path / "data" / f"scl-{os_user()}.log"


def test_on_a_terminal_events_go_to_the_users_own_file_not_the_screen(own_logging, monkeypatch):
    monkeypatch.delenv("SCL_LOG", raising=False)
    screen = Terminal()
    where = configure(stream=screen)
    logging.getLogger("scl").warning("lead 12 refused: already booked")
    assert where == str(log_path())
    assert screen.getvalue() == ""
    assert 'event="lead 12 refused: already booked"' in log_path().read_text()
    assert oct(log_path().stat().st_mode & 0o777) == "0o600"


def test_the_users_log_file_rotates_and_keeps_three_old_files(own_logging, monkeypatch):
    monkeypatch.delenv("SCL_LOG", raising=False)
    monkeypatch.setattr(log_setup, "MAX_BYTES", 2_000)
    configure(stream=Terminal())
    for number in range(200):
        logging.getLogger("scl").warning("event number %d", number)
    files = sorted(path.name for path in log_path().parent.glob("scl-*.log*"))
    name = log_path().name
    assert files == [name, f"{name}.1", f"{name}.2", f"{name}.3"]
    assert all(path.stat().st_size <= 2_000 for path in log_path().parent.glob("scl-*.log*"))


def test_under_a_service_each_event_is_one_logfmt_line_on_stderr(own_logging, monkeypatch):
    monkeypatch.delenv("SCL_LOG", raising=False)
    journal = io.StringIO()  # not a terminal: a pipe to journald
    configure(stream=journal)
    log = logging.getLogger("core.workers.review_worker")
    log.warning("review delayed", extra={"fields": {"call": "PBX-1", "why": "HTTP 503"}})
    try:
        raise RuntimeError("two\nlines")
    except RuntimeError:
        log.exception("unexpected error in worker")
    lines = journal.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        'level=warning logger=core.workers.review_worker event="review delayed" '
        'call=PBX-1 why="HTTP 503"'
    )
    assert lines[0].startswith("time=20")
    assert "Traceback" in lines[1] and "\\n" in lines[1]


def test_an_escape_in_a_logged_message_is_written_as_an_escape_code_not_raw():
    record = logging.LogRecord("scl", logging.INFO, __file__, 1, "name \x1b[2J %s", ("x",), None)
    line = LogfmtFormatter().format(record)
    assert "\x1b" not in line and "\\u001b[2J" in line


def test_under_systemd_journal_lines_carry_the_syslog_priority(own_logging, tmp_path, monkeypatch):
    out = (tmp_path / "journal").open("w")
    found = os.fstat(out.fileno())
    monkeypatch.setenv("JOURNAL_STREAM", f"{found.st_dev}:{found.st_ino}")
    monkeypatch.delenv("SCL_LOG", raising=False)
    configure(stream=out)  # type: ignore[arg-type]
    logging.getLogger("scl").warning("the database is full")
    logging.getLogger("scl").info("calls reviewed")
    out.close()
    lines = (tmp_path / "journal").read_text().splitlines()
    assert [line[:3] for line in lines] == ["<4>", "<6>"]


def test_migrations_leave_no_set_up_chatter_in_the_log(own_logging, tmp_path, monkeypatch):
    monkeypatch.delenv("SCL_LOG", raising=False)
    configure(stream=Terminal())
    open_database(f"sqlite:///{tmp_path / 'fresh.db'}").dispose()
    logging.getLogger("scl").info("opened")  # the file exists whatever the libraries said
    text = log_path().read_text()
    assert "Context impl" not in text and "Will assume" not in text
    assert "Running upgrade" not in text


def test_scl_worker_under_a_service_logs_its_work_to_stderr(tmp_path, ctx_for_cli):
    url = ctx_for_cli
    done = subprocess.run(
        [str(SCL), "--db", url, "worker", "--once"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "SCL_LOG": ""},
    )
    assert done.returncode == 0, done.stderr
    events = [line for line in done.stderr.splitlines() if line.startswith("time=")]
    assert any('event="calls reviewed"' in line and "reviewed=1" in line for line in events), (
        done.stderr
    )
    assert not any("Context impl" in line or "Will assume" in line for line in events)


@pytest.fixture
def ctx_for_cli(tmp_path) -> Iterator[str]:
    """A SQLite file with SCL enabled and one call due, on the real clock."""
    from core.clock import SystemClock

    url = f"sqlite:///{tmp_path / 'worker.db'}"
    database = open_database(url)
    ctx = ServiceContext(database, SystemClock())
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    add_call(ctx, ended=ctx.clock.now() - timedelta(minutes=30))
    database.dispose()
    yield url


def test_no_call_text_or_api_key_reaches_the_log_from_a_worker_run(own_logging, ctx, monkeypatch):
    """The OpenAI endpoint answers with an error that quotes the call and the key."""
    monkeypatch.delenv("SCL_LOG", raising=False)
    configure(stream=Terminal())
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    call_id = add_call(ctx)
    with ctx.db.transaction() as session:
        session.add(
            TranscriptSegment(
                call_id=call_id, idx=0, speaker="customer", start=0, end=3, text=PHRASE
            )
        )
    from core.classify.openai_classifier import OpenAIClassifier

    with running_fake_openai() as fake:
        fake.script(http_error(400, f"cannot parse '{PHRASE}' sent with key {KEY}"))
        config = OpenAIConfig(model="gpt-test", base_url=fake.base_url, max_retries=0)
        stats = ReviewWorker(ctx, OpenAIClassifier(config, KEY)).run_once()
    assert stats.delayed == 1
    text = log_path().read_text()
    assert 'event="review delayed"' in text and "HTTP 400" in text
    assert PHRASE not in text and "marmalade" not in text
    assert KEY not in text


def test_a_refusal_is_kept_in_the_log_file_and_said_once_on_stderr(tmp_path):
    env = {**os.environ, "SCL_LOG": "file"}
    done = subprocess.run(
        [str(SCL), "--as", "ghost", "leads"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 1
    assert "event=\"leads refused: No employee has the login 'ghost'" in log_path().read_text()
    env["SCL_LOG"] = "stderr"
    done = subprocess.run(
        [str(SCL), "--as", "ghost", "leads"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.stderr == "scl: No employee has the login 'ghost' (given with --as).\n"


def test_a_database_error_logged_whole_carries_no_value_it_was_given(own_logging, ctx, monkeypatch):
    """An unexpected error's traceback goes to the log: the statement's values (call
    text here) are not in it."""
    from sqlalchemy.exc import IntegrityError

    monkeypatch.delenv("SCL_LOG", raising=False)
    configure(stream=Terminal())
    seed_people(ctx)
    call_id = add_call(ctx)
    with pytest.raises(IntegrityError) as raised, ctx.db.transaction() as session:
        for _ in range(2):  # the same line twice: refused by (call_id, idx)
            session.add(
                TranscriptSegment(
                    call_id=call_id, idx=0, speaker="customer", start=0, end=3, text=PHRASE
                )
            )
            session.flush()
    logging.getLogger("scl").error("unexpected error in import", exc_info=raised.value)
    text = log_path().read_text()
    assert "IntegrityError" in text
    assert PHRASE not in text and "marmalade" not in text


def test_an_app_session_of_scl_serve_logs_to_the_file_not_its_unread_stderr(
    own_logging, monkeypatch
):
    monkeypatch.delenv("SCL_LOG", raising=False)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    pipe = io.StringIO()  # textual-serve's stderr pipe
    assert configure(stream=pipe) == str(log_path())
    logging.getLogger("scl").warning("browser session refused")
    assert pipe.getvalue() == ""
    assert "browser session refused" in log_path().read_text()


def test_scl_worker_under_a_service_writes_no_call_text_or_key_to_its_stderr(tmp_path, ctx_for_cli):
    """Under systemd stderr is the journal: the worker's own summary lines obey the
    log's rule too (the full reason stays on the call, for `scl status`)."""
    from core.db.models import Call

    database = open_database(ctx_for_cli)
    with database.transaction() as session:
        call_id = session.query(Call.id).scalar()
        session.add(
            TranscriptSegment(
                call_id=call_id, idx=0, speaker="customer", start=0, end=3, text=PHRASE
            )
        )
    database.dispose()
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "openai").write_text(KEY)
    with running_fake_openai() as fake:
        fake.script(http_error(400, f"cannot parse '{PHRASE}' sent with key {KEY}"))
        config = Path(os.environ["SCL_CONFIG"])
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            f'classifier = "openai"\n[openai]\nbase_url = "{fake.base_url}"\nmax_retries = 0\n'
        )
        done = subprocess.run(
            [str(SCL), "--db", ctx_for_cli, "worker", "--once"],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "CREDENTIALS_DIRECTORY": str(credentials), "SCL_LOG": ""},
        )
    assert done.returncode == 0, done.stderr
    assert "HTTP 400" in done.stderr
    assert PHRASE not in done.stderr + done.stdout and KEY not in done.stderr + done.stdout
