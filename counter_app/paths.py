"""Every file location the app uses, in one place; COUNTER_APP_DATA_DIR moves them all."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "counter_app"
PACKAGE_DIR = Path(__file__).resolve().parent


def _resources_dir() -> Path:
    """Translations, scenarios, setups, sounds and fonts.

    The top-level `resources/` of a checkout is their source; building the wheel copies it into the package
    (setup.py), where an installed app finds it through importlib.resources, and a frozen build beside its
    executable (docs/install.md). COUNTER_APP_RESOURCES points elsewhere."""
    override = os.environ.get("COUNTER_APP_RESOURCES")
    if override:
        return Path(override)
    packaged = Path(str(resources.files(__package__ or APP_NAME) / "resources"))
    if packaged.is_dir():
        return packaged
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / "resources").is_dir():
        return Path(frozen) / "resources"
    return PACKAGE_DIR.parent / "resources"  # a checkout, or an editable install of one


RESOURCES_DIR = _resources_dir()


def data_dir() -> Path:
    """The branch's data directory: the store, settings, archived documents, backups."""
    override = os.environ.get("COUNTER_APP_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    return data_dir() / "store.sqlite3"


def default_db_url() -> str:
    """`--db` wins over COUNTER_APP_DB, which wins over the SQLite file in the data directory."""
    return store_url(os.environ.get("COUNTER_APP_DB") or str(default_store_path()))


def expand_user(path: str | Path) -> Path:
    """`~/x` in the user's home; a `~name` that names no user is a plain file name, as it stands."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def store_url(value: str) -> str:
    """A database URL as given (`postgresql+psycopg://…`, `sqlite:///…`), or a plain file path taken for a
    SQLite store there (`--db /srv/hall.sqlite3`, `--db hall.sqlite3`)."""
    if "://" in value:
        return value
    return f"sqlite:///{expand_user(value).absolute()}"


def settings_file() -> Path:
    return data_dir() / "settings.json"


def translations_dir() -> Path:
    return RESOURCES_DIR / "translations"


def setup_dir() -> Path:
    """Setup files shipped with the app: the demo hall's (docs/setup.md)."""
    return RESOURCES_DIR / "setup"


def scenarios_dir() -> Path:
    return RESOURCES_DIR / "scenarios"


def sounds_dir() -> Path:
    return RESOURCES_DIR / "sounds"


def fonts_dir() -> Path:
    return RESOURCES_DIR / "fonts"


def documents_dir() -> Path:
    """The archive of issued PDFs: tickets, receipts, acceptance forms, apology notices."""
    path = data_dir() / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir() -> Path:
    """Where the store's backups go (the daily one and `counter-app backup` without --to)."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
