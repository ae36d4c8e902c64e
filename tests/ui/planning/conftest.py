"""The planning desk's window over the demo hall on a Monday morning: two products, signed in as the PMC planner
(M001, through the window's own sign-in); dialogs and previews are kept in `window.open_dialogs`, not exec'd."""

import datetime as dt

import pytest
from helpers.fixtures import staff_id
from helpers.story import act

from counter_app.ui.planning.dialogs import PlanningSignInDialog
from counter_app.ui.planning.window import PlanningWindow
from counter_app.workflows.planning import orders
from counter_app.workflows.replay import demo

MONDAY = dt.datetime(2026, 9, 28, 9, 0)


@pytest.fixture
def products(hall, clock):
    clock.set(MONDAY)
    pmc = staff_id(hall, "M001")
    act(hall, clock, orders.add_product, code="P-100", name_zh="标准泵", name_en="Standard pump", lead_days=6,
        stock=50, staff_id=pmc)
    act(hall, clock, orders.add_product, code="P-200", name_zh="大型泵", name_en="Large pump", lead_days=9,
        stock=0, staff_id=pmc)


def sign_in(qtbot, backend, staff_no="M001"):
    dialog = PlanningSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText(staff_no)
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.ok_button.click()
    return dialog


@pytest.fixture
def window(qtbot, backend, products):
    dialog = sign_in(qtbot, backend)
    assert dialog.staff is not None
    window = PlanningWindow(backend, dialog.staff)
    window.open_dialogs = []
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    return window
