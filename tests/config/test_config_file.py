"""The config file as a user keeps it: a setting the app saves changes that setting only."""

from __future__ import annotations

import tomllib

import pytest

from core.config import AppConfig, config_path, load_config, save_config_value
from core.errors import ConfigError

COMMENTED = """\
# scl settings for the front desk (ask Dana before changing)
theme = "nord"   # dark, for the night shift
region = "US"

# The mail relay on the office network
[smtp]
host = "mail.example.com"  # the relay
port = 25
"""


def write_config(text: str) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text, encoding="utf-8")


def test_a_saved_theme_keeps_every_comment_and_the_layout_of_a_commented_config_file():
    write_config(COMMENTED)
    save_config_value("theme", "gruvbox")
    expected = COMMENTED.replace('theme = "nord"  ', 'theme = "gruvbox"  ')
    assert config_path().read_text(encoding="utf-8") == expected
    assert load_config().theme == "gruvbox"


def test_a_new_setting_goes_before_the_first_table_with_the_comments_kept():
    write_config(COMMENTED.replace('theme = "nord"   # dark, for the night shift\n', ""))
    save_config_value("theme", "gruvbox")
    saved = config_path().read_text(encoding="utf-8")
    assert saved.index('theme = "gruvbox"') < saved.index("[smtp]")
    assert "# The mail relay on the office network" in saved and "# the relay" in saved
    assert load_config().theme == "gruvbox" and load_config().smtp.port == 25


def test_a_setting_saved_to_a_file_without_a_final_newline_leaves_it_valid():
    write_config('region = "US"')
    save_config_value("theme", "gruvbox")
    assert tomllib.loads(config_path().read_text(encoding="utf-8")) == {
        "region": "US",
        "theme": "gruvbox",
    }


def test_a_setting_written_with_a_quoted_key_is_replaced_not_written_twice():
    write_config('"theme" = "nord"\n')
    save_config_value("theme", "gruvbox")
    assert load_config().theme == "gruvbox"


def test_a_value_with_quotes_and_backslashes_is_saved_as_itself():
    save_config_value("theme", 'my "odd" \\ theme')
    assert load_config().theme == 'my "odd" \\ theme'


def test_a_config_file_with_a_syntax_error_is_a_config_error_naming_the_file_and_line():
    write_config('theme = "nord"\n\n[smtp\n')
    with pytest.raises(ConfigError) as raised:
        AppConfig()  # as the app builds it, not only through load_config
    assert str(raised.value).startswith(f"{config_path()}: not valid TOML")
    assert "line 3" in str(raised.value)


def test_a_config_path_that_is_a_directory_is_a_config_error_not_an_empty_config():
    config_path().mkdir(parents=True)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config()


def test_an_environment_variable_overrides_one_setting_of_a_table_and_keeps_the_rest(
    monkeypatch,
):
    write_config('[openai]\nmodel = "from-file"\nbase_url = "http://127.0.0.1:9/v1"\n')
    monkeypatch.setenv("SCL_OPENAI__MODEL", "from-env")
    config = load_config()
    assert (config.openai.model, config.openai.base_url) == ("from-env", "http://127.0.0.1:9/v1")


def test_a_config_file_with_a_setting_of_the_wrong_type_names_the_file_and_setting():
    write_config('[smtp]\nport = "twenty-five"\n')
    with pytest.raises(ConfigError) as raised:
        load_config()
    assert str(raised.value).startswith(f"{config_path()}: setting 'smtp.port'")


def test_a_config_file_that_is_not_utf8_is_one_config_error_naming_it():
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes('theme = "caf\xe9"\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config()
    with pytest.raises(ConfigError, match="not UTF-8"):
        save_config_value("theme", "nord")
