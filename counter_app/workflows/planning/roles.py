"""Who may do what at the planning desk: one check (`require`) every planning action calls first.

| action | roles |
|---|---|
| enter an order, record a payment, a later requested date, a change request | sales, PMC |
| answer a department's review, acknowledge a change for it | that department's role, PMC |
| confirm or override the date, sign off a rush order | PMC |
| products, materials, production load, capacity, the factory's days (master data) | PMC, admin |
| record a delivery | warehouse, PMC |
| mark a slip flag seen | its sales owner, PMC |

PMC may answer for a department: the desk is where a review is chased, and a planner sometimes types in what
a department said on the phone; the answer still records who typed it.
"""

from __future__ import annotations

from sqlmodel import Session

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role, Staff
from counter_app.models.planning import Department
from counter_app.workflows.core import lookup

# The role that answers each department's review and acknowledges its changes.
DEPARTMENT_ROLE = {Department.ENGINEERING: Role.ENGINEERING, Department.PURCHASING: Role.PURCHASING,
                   Department.WAREHOUSE: Role.WAREHOUSE, Department.PRODUCTION: Role.PRODUCTION,
                   Department.QUALITY: Role.QUALITY}
ROLE_DEPARTMENT = {role: department for department, role in DEPARTMENT_ROLE.items()}
PLANNING_ROLES = frozenset({Role.PMC, Role.SALES, *DEPARTMENT_ROLE.values()})
ROLE_TEXT = {Role.PMC: N_("PMC planner"), Role.SALES: N_("Sales"), Role.ENGINEERING: N_("Engineering"),
             Role.PURCHASING: N_("Purchasing"), Role.WAREHOUSE: N_("Warehouse"), Role.PRODUCTION: N_("Production"),
             Role.QUALITY: N_("Quality"), Role.CLERK: N_("Clerk"), Role.TRAINEE: N_("Trainee"),
             Role.SENIOR: N_("Senior clerk"), Role.MANAGER: N_("Manager"), Role.ADMIN: N_("Administrator")}

SALES_OR_PMC = (Role.SALES, Role.PMC)
MASTER_DATA = (Role.PMC, Role.ADMIN)
# The refusals, each naming who may do it.
ENTER = N_("Only sales or PMC can enter an order.")
PAY = N_("Only sales or PMC can record a payment.")
REVISE = N_("Only sales or PMC can record the customer's later date.")
CHANGE = N_("Only sales or PMC can record a change request.")
COMMIT = N_("Only PMC can commit a delivery date.")
RUSH = N_("Only PMC can sign off a rush order.")
MASTER = N_("Only PMC or an administrator can change the factory's products, materials, capacity and days.")
DELIVER = N_("Only the warehouse or PMC can record a delivery.")
ANSWER = N_("Only {department} or PMC can answer {department}'s review; you are signed in as {role}.")
ACKNOWLEDGE = N_("Only {department} or PMC can acknowledge a change for {department}; you are signed in as "
                 "{role}.")
FLAG = N_("Only the order's sales owner or PMC can mark this flag seen.")


def role_text(role: str) -> str:
    """The role's name, marked for translation (an unknown role as it is)."""
    return ROLE_TEXT.get(role, role)


def _signed_in(session: Session, staff_id: int) -> Staff:
    """The active staff member; one whose password an administrator has just set (a leak, a forgotten one)
    acts again only after signing in with their own."""
    staff = lookup.staff_by_id(session, staff_id)
    if staff.password_must_change:
        raise AppError(N_("Your password was set by an administrator: sign in again and choose your own first."))
    return staff


def require(session: Session, staff_id: int, *roles: str, refusal: str = COMMIT, **facts: object) -> Staff:
    """The active staff member, provided their role is one of `roles`; otherwise `refusal` (its {role} is
    theirs), and the action stops before it writes anything."""
    staff = _signed_in(session, staff_id)
    if staff.role not in roles:
        raise AppError(refusal, **facts, role=role_text(staff.role))
    return staff


def require_self_or(session: Session, staff_id: int, owner: int | None, *roles: str, refusal: str) -> Staff:
    """The staff member `owner` themself, or one whose role is one of `roles`."""
    staff = _signed_in(session, staff_id)
    if staff.id != owner and staff.role not in roles:
        raise AppError(refusal, role=role_text(staff.role))
    return staff


def require_department(session: Session, staff_id: int, department: str, *, refusal: str = ANSWER) -> Staff:
    """Staff of the department's role, or PMC: a reviewer of another department is refused."""
    from counter_app.workflows.planning.review import DEPARTMENT_TEXT

    return require(session, staff_id, DEPARTMENT_ROLE.get(department, ""), Role.PMC, refusal=refusal,
                   department=DEPARTMENT_TEXT.get(department, str(department)))
