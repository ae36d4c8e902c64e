"""The administrator's command line: a branch's first start, its setup file in and out, a person's password.

    counter-app setup new --branch-zh NAME --branch-en NAME --admin STAFF_NO --admin-name NAME [--db URL]
    counter-app setup export FILE [--db URL]
    counter-app setup import FILE --admin STAFF_NO [--db URL]
    counter-app staff password STAFF_NO --admin STAFF_NO [--db URL]

Passwords are asked for (or read from standard input, a line each); they are never arguments, which other
users of the PC could see. docs/setup.md describes the setup file.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from counter_app.errors import AppError
from counter_app.i18n import N_, _


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    setup = sub.add_parser("setup", parents=[common], help=_("the branch's setup: first start, export, import"))
    setup.add_argument("action", choices=("new", "export", "import"))
    setup.add_argument("file", nargs="?", type=Path, help=_("the setup file (export, import)"))
    setup.add_argument("--admin", help=_("the administrator's staff number (new: the first one's)"))
    setup.add_argument("--admin-name", help=_("new: the first administrator's name"))
    setup.add_argument("--branch-zh", help=_("new: the branch's name in Chinese"))
    setup.add_argument("--branch-en", help=_("new: the branch's name in English"))
    setup.add_argument("--force", action="store_true", help=_("export: write over an existing file"))


def secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def setup_command(url: str, args: argparse.Namespace) -> int:
    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store
    from counter_app.workflows.admin import setup_file, staff
    from counter_app.workflows.core import auth, files

    clock = SystemClock()
    try:
        if args.action == "new":
            missing = [name for name in ("admin", "admin_name", "branch_zh", "branch_en") if not getattr(args, name)]
            if missing:
                raise AppError(N_("setup new needs --admin, --admin-name, --branch-zh and --branch-en."))
            password = secret(_("Password of {staff}: ").format(staff=args.admin))
            store = open_store(url, create=True)
            try:
                with store.write() as session:
                    staff.new_branch(session, at=clock.now(), name_zh=args.branch_zh, name_en=args.branch_en,
                                     admin_no=args.admin, admin_name=args.admin_name, password=password)
            finally:
                store.dispose()
            print(_("The branch is set up with its administrator {staff}: import its setup file next.").format(
                staff=args.admin))
            return 0
        if args.file is None:
            raise AppError(N_("Give the setup file."))
        store = open_store(url, upgrade=False, create=False)
        try:
            if args.action == "export":
                target = files.check_target(args.file, force=args.force, store_url=url)
                with store.read() as session:
                    text = setup_file.dumps(setup_file.export_setup(session))
                files.write_bytes_atomically(target, text.encode("utf-8"))
                print(_("The setup is written to {file}.").format(file=target))
                return 0
            if not args.admin:
                raise AppError(N_("setup import needs --admin: an administrator's staff number."))
            try:
                raw = args.file.read_bytes()
            except OSError as exc:
                raise AppError(N_("{file} cannot be read ({detail})."), file=str(args.file),
                               detail=exc.strerror or type(exc).__name__) from exc
            checked = setup_file.check_setup(raw)
            password = secret(_("Password of {staff}: ").format(staff=args.admin))
            with store.write() as session:
                admin = auth.authenticate(session, staff_no=args.admin, password=password, clock=clock,
                                          where="setup import")
                if admin.role != "admin":
                    raise AppError(N_("Only an administrator can import a setup."))
                result = setup_file.import_setup(session, setup=checked, at=clock.now(), staff_id=admin.id)
        finally:
            store.dispose()
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    print(_("The setup is imported: {count} records changed.").format(count=result.changed))
    return 0


def _in_store(url: str, work, done: str) -> int:
    """One action on an existing store, in one transaction: `done` printed, or the refusal and exit code 2."""
    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store

    try:
        store = open_store(url, upgrade=False, create=False)
        try:
            with store.write() as session:
                work(session, SystemClock())
        finally:
            store.dispose()
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    print(done)
    return 0


def password_command(url: str, staff_no: str, admin_no: str) -> int:
    from counter_app.workflows.admin import staff

    admin_password = secret(_("Password of {staff}: ").format(staff=admin_no))
    new_password = secret(_("New password of {staff}: ").format(staff=staff_no))
    return _in_store(url, lambda session, clock: staff.set_password(
        session, clock, staff_no=staff_no, password=new_password, admin_no=admin_no, admin_password=admin_password),
        _("{staff} signs in with this password once and then chooses their own.").format(staff=staff_no))


def unlock_command(url: str, staff_no: str, manager_no: str) -> int:
    """A duty manager or an administrator lets a locked-out person sign in again."""
    from counter_app.workflows.core import auth

    password = secret(_("Password of {staff}: ").format(staff=manager_no))
    return _in_store(url, lambda session, clock: auth.unlock(
        session, clock, staff_no=staff_no, manager_no=manager_no, manager_password=password),
        _("{staff} can sign in again.").format(staff=staff_no))
