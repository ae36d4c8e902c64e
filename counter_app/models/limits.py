"""The ranges a branch's targets and rules may take: one place, enforced by the store (CHECK constraints,
revision 0010) and checked with a clear message by the workflows that write them (core/bounds.py).

A target of a million minutes or a negative queue limit is a typing slip or an attack, never a rule: the
display, the estimates and the reports are built for these ranges.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint

# column: (lowest, highest), both allowed
SERVICE_LIMITS: dict[str, tuple[float, float]] = {
    "priority": (0, 9),
    "target_wait_min": (1, 24 * 60),
    "target_service_min": (1, 24 * 60),
    "target_wrapup_min": (0, 240),
    "typical_service_min": (0.1, 24 * 60),
    "wait_warning_min": (0, 24 * 60),
    "service_warning_min": (0, 24 * 60),
    "idle_warning_min": (0, 240),
    "idle_breach_min": (0, 240),
    "queue_warning_len": (0, 10_000),
    "queue_breach_len": (0, 10_000),
}
BRANCH_LIMITS: dict[str, tuple[float, float]] = {
    "pre_open_minutes": (0, 12 * 60),
    "recalls_before_no_show": (0, 10),
    "eta_sample_size": (1, 500),
    "warning_share": (0.05, 1.0),
    "idle_alert_minutes": (1, 240),
    "max_queue_length": (0, 10_000),
    "counter_silent_seconds": (15, 3600),
    "priority_ageing_minutes": (0, 240),
    "display_columns": (1, 12),
    "display_font_percent": (50, 200),
    # at least the loyalty view's 90 days (a shorter period would blind it); at most ten years
    "customer_retention_days": (90, 3660),
}
COUNTER_LIMITS: dict[str, tuple[float, float]] = {
    "display_order": (0, 999),
}


def checks(table: str, limits: dict[str, tuple[float, float]]) -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{column} >= {low} AND {column} <= {high}", name=f"ck_{table}_{column}")
                 for column, (low, high) in limits.items())
