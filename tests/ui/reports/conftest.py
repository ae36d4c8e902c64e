"""The reports windows' shared morning: the report day built in the store before any window opens."""

import pytest
from helpers.report_day import UNTIL, build_day


@pytest.fixture
def morning(hall, clock):
    """The report day (tests/helpers/report_day.py), with the clock at its end (10:30)."""
    ids = build_day(hall, clock)
    clock.set(UNTIL)
    return ids


@pytest.fixture
def backend(morning, backend):
    """The window tests' backend (tests/ui/conftest.py), made after the morning is in the store."""
    return backend
