"""Importing customers from a CSV or XLSX file: every bad row reported with its line and why, the good rows
imported in the caller's one transaction, nothing half-written; a re-import updates each customer by account.

The first row names the columns (English or Chinese, any order; docs/customers.md "Import"): `account` is
required on every row (several accounts separated by `;`, the first one the key), the rest optional:
`name`, `phones` (`;`), `id_number` (the whole number: only its last 4 and a salted hash are kept) or `id_last4`,
`monthly_spend` (whole yuan), `customer_since` (YYYY-MM-DD), `need`, `language`, `consent_contact`,
`consent_marketing` (yes/no, 1/0, 是/否), `notes`. A column left out leaves that field as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models.customers import ACCOUNT, CUSTOMER_LIMITS, LANGUAGE, NOTES, CustomerAccount
from counter_app.models.oversight import Customer
from counter_app.workflows.core import bounds, events, lookup
from counter_app.workflows.customers import identity, records, segments

MAX_ROWS = 100_000  # a branch's customers in one file; a bigger one is split
MAX_BYTES = 50 * 1024 * 1024
LANGUAGES = ("", "zh", "en")
COLUMNS: dict[str, tuple[str, ...]] = {  # the column, and the headings that name it (lower case)
    "account": ("account", "accounts", "account_no", "账号", "账户", "客户账号"),
    "name": ("name", "姓名", "客户姓名"),
    "phones": ("phones", "phone", "mobile", "手机", "手机号", "电话"),
    "id_number": ("id_number", "id card", "身份证", "身份证号"),
    "id_last4": ("id_last4", "身份证后四位"),
    "monthly_spend": ("monthly_spend", "月消费", "月均消费"),
    "customer_since": ("customer_since", "since", "入网日期"),
    "need": ("need", "需求"),
    "language": ("language", "语言"),
    "consent_contact": ("consent_contact", "同意回访"),
    "consent_marketing": ("consent_marketing", "同意营销"),
    "notes": ("notes", "备注"),
}
YES = {"1", "yes", "y", "true", "是", "同意"}
NO = {"", "0", "no", "n", "false", "否", "不同意"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RowProblem:
    line: int  # the file's line (CSV) or row (XLSX), counting the heading as 1
    reason: str  # in the user's language


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class CustomerRow:
    """One row, checked: every value within its bounds."""

    line: int
    accounts: tuple[str, ...]
    values: dict  # the record's fields the file gives
    phones: tuple[str, ...]
    id_number: str | None


# -- reading the file ------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed into a spreadsheet becomes 13800138000.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_rows(path: Path | str) -> Iterator[tuple[int, list[str]]]:
    """The file's rows as (line, cells), the heading first; a file that cannot be read raises AppError."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AppError(N_("The file cannot be read: {path}."), path=str(path)) from exc
    if size > MAX_BYTES:
        raise AppError(N_("The file is too large to import: at most {limit} MB."), limit=MAX_BYTES // 1024 // 1024)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
    else:
        yield from csv_rows(path.read_bytes())


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only an import from a spreadsheet needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or mis-named file: openpyxl raises many kinds
        raise AppError(N_("The file is not a readable XLSX workbook: {path}."), path=str(path)) from exc
    try:
        for line, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield line, [_cell(value) for value in row]
    finally:
        book.close()


def csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """CSV rows from bytes in UTF-8 (with or without its mark) or, failing that, GB18030 (Excel in China)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise AppError(N_("The file is neither UTF-8 nor GB18030 text.")) from exc
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise AppError(N_("The file is not readable as CSV after line {line}."), line=reader.line_num) from exc
        yield reader.line_num, row


# -- checking a row ---------------------------------------------------------------------------


def _columns(heading: list[str]) -> dict[str, int]:
    names = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, title in enumerate(heading):
        column = names.get(title.strip().lower())
        if column is not None and column not in found:
            found[column] = index
    if "account" not in found:
        raise AppError(N_("The first row must name the columns, with an \"account\" column."))
    return found


def _plain(value: str, *, field: str, limit: int) -> str:
    cleaned = bounds.text(value, field=field, limit=limit)
    if _CONTROL.search(cleaned):
        raise AppError(N_("{field} holds a character that cannot be stored."), field=field)
    return cleaned


def _flag(value: str, *, field: str) -> bool:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise AppError(N_("{field} must be yes or no."), field=field)


def check_row(line: int, cells: list[str], columns: dict[str, int], today: dt.date) -> CustomerRow:
    """A row's values within their bounds, or the refusal saying why."""
    def get(column: str) -> str | None:
        index = columns.get(column)
        return None if index is None else (cells[index] if index < len(cells) else "")

    accounts = []
    for part in (get("account") or "").split(";"):
        if part.strip():
            try:
                ref = records.normalise_ref(part)
            except AppError:
                ref = None
            if ref is None or records.PHONE.match(ref) or len(ref) > ACCOUNT:
                raise AppError(N_("\"{value}\" is not an account number."), value=part.strip()[:40])
            accounts.append(ref)
    if not accounts:
        raise AppError(N_("Fill in {field}."), field=N_("The account number"))
    values: dict = {}
    if (name := get("name")) is not None:
        values["name"] = _plain(name, field=N_("The customer's name"), limit=bounds.NAME)
    phones = []
    for part in (get("phones") or "").split(";"):
        if part.strip():
            try:
                phone = records.normalise_ref(part)
            except AppError:
                phone = None
            if phone is None or not records.PHONE.match(phone):
                raise AppError(N_("\"{value}\" is not an 11-digit mobile number."), value=part.strip()[:40])
            phones.append(phone)
    id_number = get("id_number")
    id_number = identity.normalise_id_number(id_number) if id_number and id_number.strip() else None
    last4 = (get("id_last4") or "").strip().upper()
    if last4:
        if not identity.LAST4.match(last4):
            raise AppError(N_("The ID card's last 4 are 4 digits (the last may be X)."))
        if id_number and id_number[-4:] != last4:
            raise AppError(N_("The ID card's last 4 do not match its number."))
        values["id_last4"] = last4
    if (spend := get("monthly_spend")) is not None and spend.strip():
        low, high = CUSTOMER_LIMITS["monthly_spend"]
        values["monthly_spend"] = bounds.whole(spend.strip().split(".")[0] if re.fullmatch(r"\d+\.0*", spend.strip())
                                               else spend, field=N_("The monthly spend"), low=low, high=high)
    if (since := get("customer_since")) is not None and since.strip():
        try:
            day = dt.date.fromisoformat(since.strip()[:10])
        except ValueError:
            raise AppError(N_("Give {field} as a date, e.g. 2020-03-01."), field=N_("The customer's first day")) from None
        if not dt.date(1950, 1, 1) <= day <= today:
            raise AppError(N_("{field} must be between {first} and {last}."), field=N_("The customer's first day"),
                           first="1950-01-01", last=today.isoformat())
        values["customer_since"] = day
    if (need := get("need")) is not None:
        need = need.strip().lower()
        if need and need not in segments.NEEDS:
            raise AppError(N_("Unknown need: {need}."), need=need[:40])
        values["need"] = need
    if (language := get("language")) is not None:
        language = language.strip().lower()[:LANGUAGE + 1]
        if language not in LANGUAGES:
            raise AppError(N_("The language must be zh or en."))
        values["language"] = language
    for column, title in (("consent_contact", N_("Consent to a follow-up call")),
                          ("consent_marketing", N_("Consent to marketing"))):
        if (value := get(column)) is not None:
            values[column] = _flag(value, field=title)
    if (notes := get("notes")) is not None:
        values["notes"] = _plain(notes, field=N_("The notes"), limit=NOTES)
    return CustomerRow(line, tuple(dict.fromkeys(accounts)), values, tuple(dict.fromkeys(phones)), id_number)


# -- importing --------------------------------------------------------------------------------


def import_rows(session: Session, clock: Clock, *, rows: Iterable[tuple[int, list[str]]], staff_id: int,
                source: str = "", check_only: bool = False) -> ImportResult:
    """Import checked rows (the heading first); every bad row is reported, the good ones written in the caller's
    transaction (or, with `check_only`, nothing is written)."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    result = ImportResult()
    checked: list[CustomerRow] = []
    rows = iter(rows)
    try:
        heading_line, heading = next(rows)
    except StopIteration:
        raise AppError(N_("The file is empty.")) from None
    columns = _columns(heading)
    seen: dict[str, int] = {}
    # A file that breaks off (unreadable CSV past some line) raises here: nothing of it is imported.
    for line, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue  # a blank line between blocks is not a customer
        if len(checked) + len(result.problems) >= MAX_ROWS:
            raise AppError(N_("The file has more than {limit} customers: split it."), limit=MAX_ROWS)
        try:
            row = check_row(line, cells, columns, now.date())
            again = next((a for a in row.accounts if a in seen), None)
            if again is not None:
                raise AppError(N_("Account {account} is already on line {line}."), account=again, line=seen[again])
        except AppError as refusal:
            result.problems.append(RowProblem(line, refusal.text()))
            continue
        for account in row.accounts:
            seen[account] = line
        checked.append(row)
    written: list[int] = []
    for row in checked:
        owners: set[int | None] = set()
        for account in row.accounts:
            owner = session.exec(select(CustomerAccount.customer_id).where(CustomerAccount.account_no == account)).first()
            if owner is not None:
                alive = records.live(session, session.get(Customer, owner))
                owners.add(alive.id if alive else None)
        if None in owners or len(owners) > 1:
            result.problems.append(RowProblem(row.line, AppError(
                N_("These accounts belong to different customers (or an erased one): merge them first.")).text()))
            continue
        if check_only:
            result.updated += bool(owners)
            result.created += not owners
            continue
        customer = session.get(Customer, owners.pop()) if owners else None
        if customer is None:
            customer = Customer(created_at=now)
            result.created += 1
        else:
            result.updated += 1
        for name, value in row.values.items():
            setattr(customer, name, value)
        if row.id_number:
            customer.id_last4, customer.id_hash = identity.kept(session, row.id_number)
        session.add(customer)
        session.flush()
        for ref in (*row.accounts, *row.phones):
            records.attach(session, customer, ref, now)
        written.append(customer.id)
    if written:
        segments.resegment(session, today=now.date(), customer_ids=written)
    if not check_only:
        events.record(session, at=now, kind="customers_imported", staff_id=staff_id, source=source[:200],
                      created=result.created, updated=result.updated, problems=len(result.problems))
    result.problems.sort(key=lambda p: p.line)
    return result


def import_customers(session: Session, clock: Clock, *, path: Path | str, staff_id: int,
                     check_only: bool = False) -> ImportResult:
    """Import a CSV or XLSX file (see the module's docstring for its columns)."""
    return import_rows(session, clock, rows=read_rows(path), staff_id=staff_id, source=Path(path).name,
                       check_only=check_only)
