"""Segments from rules that are data: spend and tenure (and a need, such as priority care) give a customer's
segment, and the segment the priority tier the kiosk and the queue give them.

The rules are read in their order; the first one a customer meets gives the segment; a customer who meets none
is `standard`, tier 0. An administrator replaces the list as a whole (`save_rules`): the change is recorded in
the event log as a setting (core/settings_record.py, audit.COVERED_SETTINGS "segment_rule") and every
customer's kept segment is worked out again. A new branch has no rules until it installs the defaults
(`install_default_rules`) or its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role
from counter_app.models.customers import SEGMENT, SEGMENT_RULE_LIMITS, SegmentRule
from counter_app.models.oversight import Customer
from counter_app.workflows.core import bounds, lookup, settings_record
from counter_app.workflows.customers import records

STANDARD = "standard"
PRIORITY_CARE = "priority_care"
NEEDS = {PRIORITY_CARE: N_("Priority care (elderly, disabled, expectant)")}
EDITING_ROLES = {Role.ADMIN}
BATCH = 2000  # customers re-segmented per read


@dataclass(frozen=True)
class Rule:
    """One rule as the workflows read and write it (a SegmentRule row without its id)."""

    code: str
    name_zh: str
    name_en: str
    min_monthly_spend: int = 0
    min_tenure_months: int = 0
    need: str = ""
    tier: int = 0
    high_value: bool = False


# A telecom hall's usual cut (CASE_STUDY part 2): VIP by spend and tenure, priority care by need, high value by
# spend, everyone else standard.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("vip", "VIP客户", "VIP", min_monthly_spend=500, min_tenure_months=24, tier=3, high_value=True),
    Rule(PRIORITY_CARE, "关爱客户", "Priority care", need=PRIORITY_CARE, tier=2),
    Rule("high_value", "高价值客户", "High value", min_monthly_spend=200, tier=1, high_value=True),
    Rule(STANDARD, "普通客户", "Standard"),
)


@dataclass(frozen=True)
class Segment:
    code: str
    name_zh: str
    name_en: str
    tier: int
    high_value: bool


STANDARD_SEGMENT = Segment(STANDARD, "普通客户", "Standard", 0, False)


def tenure_months(since: dt.date | None, today: dt.date) -> int:
    """Whole months from the customer's first day to today (0 when unknown or in the future)."""
    if since is None or since > today:
        return 0
    return (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)


def _as_segment(rule: Rule | SegmentRule) -> Segment:
    return Segment(rule.code, rule.name_zh, rule.name_en, rule.tier, rule.high_value)


def meets(customer: Customer, rule: Rule | SegmentRule, today: dt.date) -> bool:
    return (customer.monthly_spend >= rule.min_monthly_spend
            and tenure_months(customer.customer_since, today) >= rule.min_tenure_months
            and (not rule.need or customer.need == rule.need))


def segment_of(customer: Customer, rules: Sequence[Rule | SegmentRule], today: dt.date) -> Segment:
    """The segment the first rule this customer meets gives (rules in their order); standard when none does.
    Pure: reads only the customer's spend, first day and need."""
    for rule in rules:
        if meets(customer, rule, today):
            return _as_segment(rule)
    return STANDARD_SEGMENT


def rules(session: Session) -> list[SegmentRule]:
    return list(session.exec(select(SegmentRule).order_by(SegmentRule.position, SegmentRule.id)))


def segments(session: Session) -> dict[str, Segment]:
    """Per segment code, what it gives (a code several rules give: its first rule's tier and names)."""
    found: dict[str, Segment] = {STANDARD: STANDARD_SEGMENT}
    for rule in reversed(rules(session)):
        found[rule.code] = _as_segment(rule)
    return found


def high_value_codes(session: Session) -> set[str]:
    return {code for code, segment in segments(session).items() if segment.high_value}


def checked_rule(rule: Rule) -> Rule:
    """A rule within its bounds, or the refusal naming the field."""
    code = bounds.text(rule.code, field=N_("The segment's code"), limit=SEGMENT, required=True).lower()
    if not code.replace("_", "").isalnum() or not code.isascii():
        raise AppError(N_("A segment's code is letters, digits and _ only, e.g. vip."))
    need = bounds.text(rule.need, field=N_("The need"), limit=SEGMENT)
    if need and need not in NEEDS:
        raise AppError(N_("Unknown need: {need}."), need=need)

    def whole(value, column: str, field: str) -> int:
        low, high = SEGMENT_RULE_LIMITS[column]
        return bounds.whole(value, field=field, low=low, high=high)

    return Rule(code=code,
                name_zh=bounds.text(rule.name_zh, field=N_("The segment's Chinese name"), limit=40, required=True),
                name_en=bounds.text(rule.name_en, field=N_("The segment's English name"), limit=40, required=True),
                min_monthly_spend=whole(rule.min_monthly_spend, "min_monthly_spend", N_("The lowest monthly spend")),
                min_tenure_months=whole(rule.min_tenure_months, "min_tenure_months", N_("The shortest tenure")),
                need=need, tier=whole(rule.tier, "tier", N_("The priority tier")), high_value=bool(rule.high_value))


@dataclass(frozen=True)
class RulesSaved:
    rules: int
    resegmented: int  # customers whose segment changed


def save_rules(session: Session, clock: Clock, *, staff_id: int, rules_in_order: Iterable[Rule],
               why: str = "segment_rules") -> RulesSaved:
    """Replace the branch's segment rules (an administrator); recorded as a setting; every segment recomputed."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)
    if staff.role not in EDITING_ROLES or not staff.active:
        raise AppError(N_("Only an administrator can change the segment rules."))
    checked = [checked_rule(rule) for rule in rules_in_order]
    if len(checked) > SEGMENT_RULE_LIMITS["position"][1] + 1:
        raise AppError(N_("Too many segment rules."))
    # The rows are rewritten in place: a deleted row's id may be given again, and its record must not say
    # "deleted" for a row that is there.
    old = rules(session)
    new, gone = [], old[len(checked):]
    for position, (rule, row) in enumerate(zip(checked, [*old, *[None] * len(checked)], strict=False)):
        row = row or SegmentRule(position=position, code=rule.code, name_zh=rule.name_zh, name_en=rule.name_en)
        row.position = position
        for name, value in rule.__dict__.items():
            setattr(row, name, value)
        session.add(row)
        new.append(row)
    for row in gone:
        session.delete(row)
    session.flush()
    settings_record.record(session, at=now, rows=new, deleted=gone, why=why, staff_id=staff_id)
    return RulesSaved(len(new), resegment(session, today=now.date()))


def install_default_rules(session: Session, clock: Clock, *, staff_id: int) -> RulesSaved:
    return save_rules(session, clock, staff_id=staff_id, rules_in_order=DEFAULT_RULES, why="segment_rules_default")


def resegment(session: Session, *, today: dt.date, customer_ids: Iterable[int] | None = None) -> int:
    """Work out again the segment kept on each (or these) live customers, a batch at a time; returns how many
    changed."""
    current = rules(session)
    wanted = None if customer_ids is None else sorted(set(customer_ids))
    changed, last_id = 0, 0
    while True:
        query = select(Customer).where(Customer.erased_at.is_(None)).order_by(Customer.id)
        if wanted is None:
            query = query.where(Customer.id > last_id).limit(BATCH)
        else:
            if not wanted:
                break
            query = query.where(col(Customer.id).in_(wanted[:BATCH]))
            wanted = wanted[BATCH:]
        batch = session.exec(query).all()
        if not batch and wanted is None:
            break
        for customer in batch:
            code = segment_of(customer, current, today).code
            if customer.segment != code:
                customer.segment = code
                session.add(customer)
                changed += 1
        if batch:
            last_id = batch[-1].id
        session.flush()
    return changed


def recognise(session: Session, ref: str) -> tuple[Customer, int, str] | None:
    """For the kiosk: the customer a VIP card (account) or mobile number names, the priority tier their segment
    gives and why (the segment's code); None when it names nobody, or nobody the branch still knows."""
    try:
        customer = records.find(session, ref)
    except AppError:
        return None
    if customer is None:
        return None
    segment = segments(session).get(customer.segment or STANDARD, STANDARD_SEGMENT)
    return customer, segment.tier, segment.code
