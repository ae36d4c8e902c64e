"""Reading one value of a scenario: each field checked against its spec in the vocabulary, and the error
that names the line where the offending event starts (scenario.py reads the whole file with these)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.workflows.core import bounds
from counter_app.workflows.customers.records import normalise_ref
from counter_app.workflows.replay.vocabulary import ITEM_FIELDS, LINE_FIELDS, FieldSpec

_TIME = re.compile(r"^([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_WS = re.compile(r"[ \t\n\r]*")
_PHONE = re.compile(r"^[0-9]{11}$")


class ScenarioError(AppError):
    """A scenario refused at `line`: the reason is a msgid of its own, translated when shown."""

    def __init__(self, line: int, reason: str, **params: Any) -> None:
        self.line = line
        self.reason = reason
        self.reason_params = params
        english = reason.format(**params) if params else reason
        super().__init__(N_("line {line}: {reason}"), line=line, reason=english)

    @classmethod
    def wrap(cls, line: int, error: AppError) -> ScenarioError:
        """A workflow's refusal while running the event on `line`."""
        return cls(line, error.message, **error.params)

    def text(self) -> str:
        reason = _(self.reason)
        if self.reason_params:
            # As AppError does: text parameters marked with N_() (a state, say) are translated too.
            reason = reason.format(**{k: _(v) if isinstance(v, str) else v for k, v in self.reason_params.items()})
        return _(self.message).format(line=self.line, reason=reason)



def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fields(raw: dict[str, Any], spec: dict[str, FieldSpec], line: int, *, verb: str) -> dict[str, Any]:
    """The fields of an event (or of an order's item), each checked against its spec."""
    fields: dict[str, Any] = {}
    for name, wanted in spec.items():
        if name not in raw:
            if wanted.required:
                raise ScenarioError(line, N_("\"{verb}\" needs the field \"{name}\"."), verb=verb, name=name)
            continue
        fields[name] = _value(wanted, name, raw[name], line)
    return fields


def _value(wanted: FieldSpec, name: str, value: Any, line: int) -> Any:
    if wanted.kind is int:
        whole = not isinstance(value, bool) and isinstance(value, int)
        if wanted.high is None and not (whole and wanted.low <= value <= bounds.MAX_COUNTER):
            raise ScenarioError(line, N_("\"{name}\" must be a counter number (1, 2, …), not {value}."),
                                name=name, value=_shown(value))
        if wanted.high is not None and not (whole and wanted.low <= value <= wanted.high):
            raise ScenarioError(line, N_("\"{name}\" must be a whole number from {low} to {high}, not {value}."),
                                name=name, low=wanted.low, high=wanted.high, value=_shown(value))
        return value
    if wanted.kind is bool:
        if not isinstance(value, bool):
            raise ScenarioError(line, N_("\"{name}\" must be true or false, not {value}."), name=name,
                                value=_shown(value))
        return value
    if wanted.kind is list:
        return _items(value, line) if wanted.check == "items" else _lines(value, line, name)
    if wanted.kind is dict:
        return _object(wanted, name, value, line)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(line, N_("\"{name}\" must be a text, not {value}."), name=name, value=_shown(value))
    value = value.strip()
    try:
        bounds.text(value, field=name, limit=bounds.NOTE)
    except AppError as exc:
        raise ScenarioError(line, N_("\"{name}\": {problem}"), name=name, problem=exc.text()) from exc
    _check_text(wanted, name, value, line)
    return value


def _items(value: Any, line: int) -> list[dict[str, Any]]:
    """The lines of an order: each with a description, an amount of yuan and, if not 1, a quantity."""
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        raise ScenarioError(line, N_("\"items\" must be a list of at least one item, each an object with "
                                     "\"description\" and \"amount\"."))
    items = []
    for item in value:
        unknown = sorted(set(item) - set(ITEM_FIELDS))
        if unknown:
            raise ScenarioError(line, N_("An item has no field \"{name}\"."), name=unknown[0])
        items.append(_fields(item, ITEM_FIELDS, line, verb="items"))
    return items


def _lines(value: Any, line: int, name: str) -> list[dict[str, Any]]:
    """The lines of a sales order: each a product's code, a quantity and, if not the order's, a requested date."""
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        raise ScenarioError(line, N_("\"{name}\" must be a list of at least one line, each an object with "
                                     "\"product\" and \"quantity\"."), name=name)
    lines = []
    for item in value:
        unknown = sorted(set(item) - set(LINE_FIELDS))
        if unknown:
            raise ScenarioError(line, N_("A line has no field \"{name}\"."), name=unknown[0])
        lines.append(_fields(item, LINE_FIELDS, line, verb=name))
    return lines


def _object(wanted: FieldSpec, name: str, value: Any, line: int) -> dict[str, Any]:
    """"quantities": names (a product, an order) → whole numbers; "details": a review form's fields, each a text, a
    whole number or true/false (the form itself checks which it has)."""
    if not isinstance(value, dict) or not value or not all(isinstance(key, str) and key for key in value):
        raise ScenarioError(line, N_("\"{name}\" must be an object with at least one field."), name=name)
    for key, item in value.items():
        if wanted.check == "quantities":
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 1_000_000:
                raise ScenarioError(line, N_("\"{name}\": {key} must be a whole number from 0 to 1000000, not "
                                             "{value}."), name=name, key=key, value=_shown(item))
        elif not isinstance(item, (str, int, bool)):
            raise ScenarioError(line, N_("\"{name}\": {key} must be a text, a whole number or true/false, not "
                                         "{value}."), name=name, key=key, value=_shown(item))
    return dict(value)


def _check_text(wanted: FieldSpec, name: str, value: str, line: int) -> None:
    if wanted.choices and value not in wanted.choices:
        raise ScenarioError(line, N_("\"{name}\" must be one of {choices}, not {value}."),
                            name=name, choices=", ".join(wanted.choices), value=_shown(value))
    if wanted.check == "customer":
        try:
            normalise_ref(value)
        except AppError as exc:
            raise ScenarioError.wrap(line, exc) from None
    elif wanted.check == "amount" and not _AMOUNT.match(value):
        raise ScenarioError(line, N_("\"{name}\" must be an amount of yuan such as \"120.00\", not {value}."),
                            name=name, value=_shown(value))
    elif wanted.check == "date":
        _date(value, line, name)
    elif wanted.check == "phone" and not _PHONE.match(value):
        raise ScenarioError(line, N_("The mobile number must have 11 digits, e.g. 13812341234."))


def _date(value: Any, line: int, name: str) -> dt.date:
    try:
        if not isinstance(value, str) or not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(line, N_("\"{name}\" must be a date written YYYY-MM-DD, not {value}."),
                            name=name, value=_shown(value)) from None
