"""The counters' hot statements, compiled once per database and sent straight to the driver.

Call-next, start and finish send a handful of small statements each, many times a minute on every counter; the
store answers each in a few microseconds, and going through the session (the ORM's execution, its events, the
result objects) costs ten times that. A `Prepared` statement is a Core statement compiled once per dialect by
SQLAlchemy itself (the same SQL, the same conversion of values to and from the store), then run on the session's
own connection, in its transaction: nothing about the transaction changes, only the way there.

When something listens to the engine's statements (the tests that check the plan of every query), a Prepared
statement goes the usual way through the session so that it is seen. A statement with a list parameter
(`IN :names`, compiled after the values are known) cannot be prepared: give the list as separate parameters.

Unlike the session's own statements, a prepared one does not flush the session first: a caller that changed ORM
objects in the same transaction flushes before (call-next, start and finish do). A missing parameter is a
KeyError, not a database error: the statements are the code's, their parameters never the user's.
"""

from __future__ import annotations

import enum
from collections import namedtuple
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from counter_app.models.db import WROTE, send_pending, statements_watched


class _Compiled:
    __slots__ = ("sql", "names", "defaults", "binders", "readers", "row", "positional")

    def __init__(self, statement, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError(f"a list parameter cannot be prepared: {compiled.string[:80]}")
        self.sql = compiled.string
        self.positional = compiled.positiontup is not None
        self.names = tuple(compiled.positiontup) if self.positional else tuple(compiled.bind_names.values())
        self.defaults = {}
        for name, bind in compiled.binds.items():
            if not bind.required and name in self.names:
                value = bind.effective_value
                self.defaults[name] = value.value if isinstance(value, enum.Enum) else value
        self.binders = dict(compiled._bind_processors)
        columns = compiled._result_columns or []
        self.readers = [c.type._cached_result_processor(dialect, None) for c in columns]
        if not any(self.readers):
            self.readers = None
        self.row = namedtuple("Row", [c.keyname for c in columns], rename=True) if columns else None

    def values(self, params: Mapping[str, Any] | None):
        given = params or {}
        binders, defaults = self.binders, self.defaults

        def value(name: str):
            item = given[name] if name in given else defaults[name]
            if isinstance(item, enum.Enum):
                item = item.value
            binder = binders.get(name)
            return binder(item) if binder is not None and item is not None else item

        if self.positional:
            return tuple(value(name) for name in self.names)
        return {name: value(name) for name in self.names}


class Prepared:
    """A Core statement that the hot path runs many times: compiled once per dialect (see the module's text)."""

    __slots__ = ("statement", "_by_dialect", "_writes")

    def __init__(self, statement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}
        self._writes = isinstance(statement, sa.sql.dml.UpdateBase)

    def _compiled(self, dialect) -> _Compiled:
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return compiled

    def send(self, cursor, dialect, params: Mapping[str, Any] | None = None) -> None:
        """Queue the statement on a driver cursor in pipeline mode (models/db.py: `with_commit`): no answer read."""
        compiled = self._compiled(dialect)
        cursor.execute(compiled.sql, compiled.values(params))

    def _cursor(self, session: Session, params):
        send_pending(session)  # what was left for the commit goes first: the order of statements is kept
        connection = session.connection()
        if statements_watched(connection.engine):
            return None, session.execute(self.statement, dict(params or {}))
        compiled = self._compiled(connection.dialect)
        if self._writes:
            session.info[WROTE] = True
        cursor = connection.connection.driver_connection.cursor()
        values = compiled.values(params)
        try:
            cursor.execute(compiled.sql, values)
        except connection.dialect.loaded_dbapi.Error as exc:
            # as SQLAlchemy reports it (IntegrityError, OperationalError …): the callers' handling holds
            cursor.close()
            raise sa.exc.DBAPIError.instance(compiled.sql, values, exc, connection.dialect.loaded_dbapi.Error,
                                             dialect=connection.dialect) from exc
        return compiled, cursor

    def rows(self, session: Session, params: Mapping[str, Any] | None = None) -> list:
        """Every row, each a named tuple (row.id, row.number …) with the values as the ORM would give them."""
        compiled, cursor = self._cursor(session, params)
        if compiled is None:
            return list(cursor)
        try:
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        readers, row = compiled.readers, compiled.row
        if readers is None:
            return [row._make(values) for values in fetched]
        return [row._make([read(v) if read is not None else v for read, v in zip(readers, values, strict=True)])
                for values in fetched]

    def first(self, session: Session, params: Mapping[str, Any] | None = None):
        found = self.rows(session, params)
        return found[0] if found else None

    def one(self, session: Session, params: Mapping[str, Any] | None = None):
        found = self.rows(session, params)
        if len(found) != 1:
            raise sa.exc.NoResultFound("expected one row") if not found else sa.exc.MultipleResultsFound(
                "expected one row")
        return found[0]

    def scalar(self, session: Session, params: Mapping[str, Any] | None = None):
        found = self.first(session, params)
        return found[0] if found is not None else None

    def run(self, session: Session, params: Mapping[str, Any] | None = None) -> int:
        """Run a change; how many rows it changed."""
        compiled, cursor = self._cursor(session, params)
        if compiled is None:
            return cursor.rowcount
        try:
            return cursor.rowcount
        finally:
            cursor.close()
