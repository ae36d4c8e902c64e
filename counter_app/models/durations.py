"""Whole seconds between two timestamps of a row, as SQL each database can compute in a generated column.

The reports sum and compare waits and service times over a year of tickets; parsing two timestamps per
row per measure costs seconds on SQLite. A generated column holds the difference once, and an index on
it lets the breach report read a year without touching the ticket rows (docs/reports.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class SecondsBetween(ColumnElement):
    """`end - start` in whole seconds; NULL while either is NULL."""

    inherit_cache = True
    type = sa.Integer()

    def __init__(self, end: str, start: str) -> None:
        self.end = end
        self.start = start


@compiles(SecondsBetween, "sqlite")
def _sqlite(element: SecondsBetween, _compiler, **_kw) -> str:
    return f"CAST(round((julianday({element.end}) - julianday({element.start})) * 86400) AS INTEGER)"


@compiles(SecondsBetween)
def _standard(element: SecondsBetween, _compiler, **_kw) -> str:  # PostgreSQL
    return f"CAST(round(extract(epoch from ({element.end} - {element.start}))) AS INTEGER)"


class Generated(sa.Computed):
    """VIRTUAL on SQLite (a migration adds it without copying the table), STORED on PostgreSQL, which
    indexes only stored generated columns (and would make them virtual from version 18 on)."""

    inherit_cache = True


@compiles(Generated, "postgresql")
def _stored(element: Generated, compiler, **_kw) -> str:
    expression = compiler.sql_compiler.process(element.sqltext, include_table=False, literal_binds=True)
    return f"GENERATED ALWAYS AS ({expression}) STORED"


def seconds_column(end: str, start: str) -> sa.Column:
    """A generated column of whole seconds between two timestamp columns of the row."""
    return sa.Column(sa.Integer, Generated(SecondsBetween(end, start)), nullable=True)
