"""Bad set-up gets one clear line and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path


def one_clear_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_a_database_in_a_directory_that_does_not_exist_is_one_line_and_exit_2(scl):
    ran = scl("--db", "sqlite:////nonexistent/dir/x.db", "leads")
    assert ran.code == 2
    line = one_clear_line(ran.err)
    assert "/nonexistent/dir" in line and "does not exist" in line


def test_something_that_is_not_a_database_url_is_one_line_and_exit_2(scl):
    ran = scl("--db", "not a url", "leads")
    assert ran.code == 2
    assert "not a database URL" in one_clear_line(ran.err)


def test_an_unreachable_postgresql_server_is_one_line_and_exit_2(scl):
    ran = scl("--db", "postgresql://scl:secret@127.0.0.1:1/scl", "leads")
    assert ran.code == 2
    line = one_clear_line(ran.err)
    assert "cannot open the database" in line
    assert "secret" not in line  # the password is masked


def test_a_config_file_with_a_syntax_error_is_one_line_naming_it_and_exit_2(scl, tmp_path):
    config = Path(tmp_path / "config" / "config.toml")
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord"\ndatabase_url = \n', encoding="utf-8")
    ran = scl("leads")
    assert ran.code == 2
    line = one_clear_line(ran.err)
    assert str(config) in line and "line 2" in line


def test_a_config_file_with_an_unknown_setting_names_the_setting(scl, tmp_path):
    config = Path(tmp_path / "config" / "config.toml")
    config.parent.mkdir(parents=True)
    config.write_text('colour = "red"\n', encoding="utf-8")
    ran = scl("leads")
    assert ran.code == 2
    assert "'colour'" in one_clear_line(ran.err)


def test_an_unwritable_data_directory_is_one_line_and_exit_2(scl, tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("SCL_DATA_DIR", str(blocked / "scl"))
    ran = scl("leads")
    assert ran.code == 2
    assert "data directory" in one_clear_line(ran.err)


def test_a_usage_error_exits_2(scl):
    ran = scl("dismiss", "12", "--reason", "bored")
    assert ran.code == 2
    assert "Traceback" not in ran.err


def test_scl_config_says_where_the_config_and_database_are(scl, tmp_path):
    ran = scl("config")
    assert ran.code == 0
    assert str(tmp_path / "config" / "config.toml") in ran.out
    assert str(tmp_path / "data" / "scl.db") in ran.out


def test_scl_demo_no_open_twice_loads_the_same_counts(scl, tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = scl("--db", url, "demo", "--no-open")
    second = scl("--db", url, "demo", "--no-open")
    assert first.code == second.code == 0, first.err + second.err
    counts = first.out.split(": ", 1)[1].split(" (")[0]
    assert counts in second.out
    assert "(0 calls new this time)" in second.out


def test_the_app_without_a_terminal_says_so_instead_of_spinning(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "open", "1")  # stdin and stdout are pipes here
    assert ran.code == 2
    assert "the app needs a terminal" in ran.err and "scl leads --json" in ran.err
    assert "Traceback" not in ran.err


def test_opening_an_unknown_lead_is_one_line_and_exit_1(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "open", "9999")
    assert ran.code == 1 and "9999" in ran.err and "Traceback" not in ran.err
