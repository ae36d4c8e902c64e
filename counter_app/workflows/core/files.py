"""Writing files the user asked for without ever losing one: a temporary name first, then a rename, and
never over the store itself or, unless asked to, over a file that is already there."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models.db import sqlite_file
from counter_app.paths import expand_user

# The store's companions: SQLite's write-ahead log and shared memory, a rollback journal.
STORE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_target(path: Path, *, force: bool = False, store_url: str | None = None) -> Path:
    """The file a report or a backup may be written to: not a folder, not the store (nor its log), and not an
    existing file unless `force`. Returns the path made absolute."""
    target = expand_user(path).absolute()
    if target.is_dir():
        raise AppError(N_("{path} is a folder: give the name of the file to write."), path=str(target))
    store = sqlite_file(store_url) if store_url else None
    if store is not None:
        protected = {Path(str(store) + suffix).resolve() for suffix in STORE_COMPANIONS}
        if target.resolve() in protected:
            raise AppError(N_("{path} is the store itself: nothing was written. Choose another file."),
                           path=str(target))
    if target.exists() and not force:
        raise AppError(N_("{path} exists already: nothing was written. Choose another name, or add --force to "
                          "replace it."), path=str(target))
    return target


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Let `write` fill a temporary file beside `path`, then put it in place in one rename: a reader sees the old
    file or the whole new one, and a failure leaves no half-written file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    return write_atomically(path, lambda partial: partial.write_bytes(data))
