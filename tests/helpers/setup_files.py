"""A setup file's round trip in tests: export, check, import, and the audit's verdict."""

import pytest

from counter_app.workflows.admin import setup_file
from counter_app.workflows.core import audit


def exported(store) -> dict:
    with store.read() as session:
        return setup_file.export_setup(session)


def apply(store, clock, setup: dict, staff_id=None):
    clean = setup_file.check_setup(setup_file.dumps(setup))
    with store.write() as session:
        return setup_file.import_setup(session, setup=clean, at=clock.now(), staff_id=staff_id)


def problems(setup: dict) -> list[str]:
    with pytest.raises(setup_file.SetupProblems) as refused:
        setup_file.check_setup(setup_file.dumps(setup), language="en")
    return refused.value.problems


def verify(store):
    with store.read() as session:
        return audit.verify(session)
