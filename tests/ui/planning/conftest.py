"""The planning desk's window over the demo hall on a Monday morning: the desk's own staff (a PMC planner, sales,
a reviewer per department), two products, signed in as the PMC planner (P001, through the window's own sign-in);
dialogs and previews are kept in `window.open_dialogs`, not exec'd."""

import datetime as dt

import pytest
from helpers.fixtures import staff_id
from helpers.story import act

from counter_app.models import Role, Staff
from counter_app.ui.planning.dialogs import PlanningSignInDialog
from counter_app.ui.planning.window import PlanningWindow
from counter_app.workflows.core import auth
from counter_app.workflows.planning import orders
from counter_app.workflows.replay import demo

MONDAY = dt.datetime(2026, 9, 28, 9, 0)


PLANNING_STAFF = {"P001": ("计划员 周", Role.PMC), "X001": ("销售 林", Role.SALES),
                  "E001": ("工程 王", Role.ENGINEERING), "B001": ("采购 李", Role.PURCHASING),
                  "W001": ("仓库 赵", Role.WAREHOUSE), "R001": ("生产 刘", Role.PRODUCTION),
                  "Q001": ("品质 孙", Role.QUALITY)}


@pytest.fixture
def products(hall, clock):
    clock.set(MONDAY)
    with hall.write() as session:
        session.add_all(Staff(staff_no=no, name=name, role=role, password_hash=auth.hash_password(demo.DEMO_PASSWORD))
                        for no, (name, role) in PLANNING_STAFF.items())
    pmc = staff_id(hall, "P001")
    act(hall, clock, orders.add_product, code="P-100", name_zh="标准泵", name_en="Standard pump", lead_days=6,
        stock=50, staff_id=pmc)
    act(hall, clock, orders.add_product, code="P-200", name_zh="大型泵", name_en="Large pump", lead_days=9,
        stock=0, staff_id=pmc)


def sign_in(qtbot, backend, staff_no="P001"):
    dialog = PlanningSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText(staff_no)
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.ok_button.click()
    return dialog


def open_window(qtbot, backend, staff_no="P001"):
    dialog = sign_in(qtbot, backend, staff_no)
    assert dialog.staff is not None
    window = PlanningWindow(backend, dialog.staff)
    window.open_dialogs = []
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    return window


@pytest.fixture
def window(qtbot, backend, products):
    return open_window(qtbot, backend)


@pytest.fixture
def desk_of(qtbot, backend, products):
    """Open the desk signed in as someone else: `desk_of("B001")`."""
    return lambda staff_no: open_window(qtbot, backend, staff_no)
