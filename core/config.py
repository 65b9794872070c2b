"""Configuration: one TOML file in the user config directory plus SCL_* overrides.

Precedence, highest first: SCL_* environment variables, the TOML file, defaults.
`SCL_CONFIG` names another file (tests and several installs on one host use it).
Secrets never live here: they are in the OS keyring (core.adapters.secrets).

The models (AppConfig and its parts) live in core.config_schema and are imported from
here on first use: paths and `scl --help` do not pay for pydantic.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError

if TYPE_CHECKING:  # for type checkers; at run time `__getattr__` below serves them
    from core.config_schema import (  # noqa: F401
        AppConfig,
        DialerConfig,
        NotificationsConfig,
        OpenAIConfig,
        SecretsConfig,
        SmsConfig,
        SmtpConfig,
        WorkerConfig,
    )


def __getattr__(name: str) -> Any:
    """`from core.config import AppConfig` (or any model of core.config_schema) loads
    the models on demand."""
    if not name.startswith("_"):
        from core import config_schema

        found = getattr(config_schema, name, None)
        if getattr(found, "__module__", None) == config_schema.__name__:
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


APP_NAME = "scl-tui"


def config_path() -> Path:
    """Where the TOML config file is (it need not exist)."""
    override = os.environ.get("SCL_CONFIG")
    if override:
        return Path(override).expanduser()
    import platformdirs  # here, not at the top: `scl --help` needs no directories

    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Where the embedded database and caches live by default."""
    override = os.environ.get("SCL_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def export_dir() -> Path:
    """Where exports (reports, recordings) go: SCL_EXPORT_DIR, else the user's Downloads
    folder when there is one (not on many shared hosts), else `exports` in the data dir."""
    override = os.environ.get("SCL_EXPORT_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    downloads = Path(platformdirs.user_downloads_dir())
    return downloads if downloads.is_dir() else data_dir() / "exports"


def read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text") from None


def load_config(**overrides: Any) -> AppConfig:
    """Read the config, turning every problem into a ConfigError naming file and field."""
    from pydantic import ValidationError

    from core.config_schema import AppConfig

    try:
        return AppConfig(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"{config_path()}: setting {where!r}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from None


def save_config_value(key: str, value: str) -> None:
    """Remember one top-level string setting (the theme) in the TOML file; tomlkit keeps
    the user's comments, order and layout, and puts a new key before the first table."""
    import tomlkit  # here: only a saved change pays for it

    path = config_path()
    read_toml(path)  # never touch a file that does not parse
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
        document[key] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot save {key}: {error.strerror}") from None
