"""What most window tests share: the backend a window runs on, over the demo hall and the virtual clock."""

import pytest

from counter_app.ui.common.backend import Backend


@pytest.fixture
def backend(hall, clock):
    """Polls the store every 50 ms; alerts are not evaluated on a timer (the tests evaluate them when they mean to)."""
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    yield backend
    backend.stop()
