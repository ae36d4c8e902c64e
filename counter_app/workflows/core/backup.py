"""Backups of the embedded store and restoring one: consistent copies, checked before they are trusted.

A plain copy of a live SQLite file misses what is still in its write-ahead log and still passes the
integrity check; SQLite's online backup API copies a consistent snapshot while counters keep working. A
backup is written under a temporary name, checked (`PRAGMA integrity_check`, a counter_app schema), then
renamed. Restoring checks the backup first, keeps the store it replaces as a backup of its own, and copies
the backup in through the same API, so no PC holding the store open sees a half-replaced file.
A PostgreSQL store is backed up with `pg_dump` (docs/site-setup.md); these functions refuse it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.workflows.core import files

PREFIX = "counter-app-"
SUFFIX = ".sqlite3"
DEFAULT_KEEP = 14  # daily backups kept: two weeks


def _store_file(url: str) -> Path:
    path = files.sqlite_file(url)
    if path is None:
        raise AppError(N_("Only the embedded SQLite store is backed up here; back a PostgreSQL store up with "
                          "pg_dump (docs/site-setup.md)."))
    if not path.exists():
        raise AppError(N_("There is no store at {path}."), path=str(path))
    return path


def check_backup(path: Path) -> None:
    """A file worth restoring: a readable SQLite database that passes its integrity check and is a counter_app
    store (it has the schema's version and its tables)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise AppError(N_("{path} is not a store backup that can be read ({detail})."), path=str(path),
                       detail=type(exc).__name__) from exc
    if result is None or result[0] != "ok":
        raise AppError(N_("{path} fails its integrity check: it is not restored."), path=str(path))
    if not {"alembic_version", "ticket", "event", "staff"} <= tables:
        raise AppError(N_("{path} is not a counter_app store: it is not restored."), path=str(path))


def _copy(source: Path, target: Path, *, single_file: bool = False) -> None:
    """A consistent snapshot of `source` into the file `target` (SQLite's online backup). `single_file`: the
    copy keeps no write-ahead log of its own, so a backup is one file that can be carried anywhere."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            if single_file:
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def backup(url: str, to_dir: Path, now: dt.datetime, *, label: str = "") -> Path:
    """Back the store up into `to_dir` as counter-app-YYYYMMDD-HHMMSS.sqlite3; returns the file."""
    store = _store_file(url)
    target = Path(to_dir) / f"{PREFIX}{now:%Y%m%d-%H%M%S}{label}{SUFFIX}"
    if target.exists():
        raise AppError(N_("{path} exists already: nothing was written."), path=str(target))

    def write(partial: Path) -> None:
        _copy(store, partial, single_file=True)
        check_backup(partial)

    return files.write_atomically(target, write)


@dataclass(frozen=True)
class Daily:
    made: Path | None  # None: today's backup was there already
    removed: list[Path]


def backups_in(folder: Path) -> list[Path]:
    """The backups in a folder, oldest first (their names sort by time)."""
    return sorted(p for p in Path(folder).glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def daily_backup(url: str, folder: Path, now: dt.datetime, *, keep: int = DEFAULT_KEEP) -> Daily:
    """Once a day (at the first start of the app that day): a backup, and only the newest `keep` kept."""
    today = f"{PREFIX}{now:%Y%m%d}-"
    made = None if any(p.name.startswith(today) for p in backups_in(folder)) else backup(url, folder, now)
    removed = []
    for old in backups_in(folder)[:-keep] if keep > 0 else []:
        if old.name.startswith(today) or ".replaced" in old.name:
            continue
        old.unlink()
        removed.append(old)
    return Daily(made, removed)


def restore(url: str, backup_file: Path, now: dt.datetime, *, keep_dir: Path) -> Path:
    """Put a checked backup in place of the store; the store it replaces is kept in `keep_dir` first.
    Returns where the replaced store was kept."""
    store = _store_file(url)
    source = Path(backup_file)
    if not source.is_file():
        raise AppError(N_("There is no backup at {path}."), path=str(source))
    if source.resolve() == store.resolve():
        raise AppError(N_("{path} is the store itself: nothing was restored."), path=str(source))
    check_backup(source)
    kept = backup(url, keep_dir, now, label=".replaced")
    _copy(source, store)
    return kept
