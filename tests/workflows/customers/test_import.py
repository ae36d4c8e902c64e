"""Importing customers from CSV or XLSX: bad rows reported by line and reason, good rows imported at once, a
re-import updates by account; generated phones, names and broken rows never crash the import or the lookup."""

import datetime as dt

import openpyxl
import pytest
from helpers.fixtures import staff_id
from helpers.story import act, events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Customer
from counter_app.workflows.customers import importing, records

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD_AND_BAD = (
    "account,name,phones,id_number,monthly_spend,customer_since,need,language,consent_contact,notes\n"
    "BB20260001,王小明,13800138000;13900139000,11010519491231002X,600,2015-03-01,,zh,yes,VIP since 2015\n"
    "BB20260002,John Smith,,,,,,en,no,\n"
    "BB20260003,Bad Phone,12345,,,,,,,\n"
    ",No Account,13700137000,,,,,,,\n"
    "BB20260004,Bad ID,,110105194912310021,,,,,,\n"
    "BB20260001,Again,,,,,,,,\n"
    "BB20260005,Bad Spend,,,-3,,,,,\n"
    "BB20260006,Bad date,,,,2099-01-01,,,,\n"
    "BB20260007,𠀋😀,,,,,priority_care,,1,\n"
)


def _import(hall, clock, tmp_path, text, name="c.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return act(hall, clock, importing.import_customers, path=path, staff_id=staff_id(hall, "A001"))


def test_good_rows_are_imported_and_every_bad_row_is_reported_with_its_line(hall, clock, tmp_path):
    result = _import(hall, clock, tmp_path, GOOD_AND_BAD)
    assert (result.created, result.updated) == (3, 0)
    assert [(p.line, p.reason) for p in result.problems] == [
        (4, "\"12345\" is not an 11-digit mobile number."),
        (5, "Fill in The account number."),
        (6, "Enter the 18-character resident ID number (its last character may be X)."),
        (7, "Account BB20260001 is already on line 2."),
        (8, "The monthly spend must be a whole number from 0 to 10000000."),
        (9, "The customer's first day must be between 1950-01-01 and 2026-03-02."),
    ]
    with hall.read() as session:
        wang = records.find(session, "13900139000")
        assert (wang.name, wang.account_no, wang.monthly_spend, wang.customer_since, wang.consent_contact) == \
            ("王小明", "BB20260001", 600, dt.date(2015, 3, 1), True)
        assert records.find_by_id_number(session, "11010519491231002X").id == wang.id
        assert records.find(session, "BB20260007").name == "𠀋😀"
    [imported] = events(hall, "customers_imported")
    assert '"problems": 6' in imported.data


def test_a_reimport_updates_by_account_and_leaves_out_columns_alone(hall, clock, tmp_path):
    _import(hall, clock, tmp_path, GOOD_AND_BAD)
    result = _import(hall, clock, tmp_path, "账号,月消费\nBB20260001,900\nBB20269999,10\n", "again.csv")
    assert (result.created, result.updated, result.problems) == (1, 1, [])
    with hall.read() as session:
        wang = records.find(session, "BB20260001")
        assert (wang.name, wang.monthly_spend, wang.phone) == ("王小明", 900, "13800138000")
        assert len(session.exec(select(Customer)).all()) == 4


def test_an_xlsx_file_is_read_like_a_csv(hall, clock, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["account", "name", "phones", "customer_since", "monthly_spend"])
    sheet.append(["BB20260001", "王小明", 13800138000, dt.datetime(2015, 3, 1), 250.0])
    sheet.append(["BB20260002", "x" * 41, None, None, None])
    path = tmp_path / "c.xlsx"
    book.save(path)
    result = act(hall, clock, importing.import_customers, path=path, staff_id=staff_id(hall, "A001"))
    assert result.created == 1
    assert [(p.line, p.reason) for p in result.problems] == \
        [(3, "The customer's name is too long: at most 40 characters.")]
    with hall.read() as session:
        assert records.find(session, "13800138000").monthly_spend == 250


def test_a_file_without_an_account_column_or_not_a_workbook_is_refused_whole(hall, clock, tmp_path):
    with pytest.raises(AppError):
        _import(hall, clock, tmp_path, "name\nx\n")
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(AppError):
        act(hall, clock, importing.import_customers, path=tmp_path / "bad.xlsx", staff_id=staff_id(hall, "A001"))
    with hall.read() as session:
        assert session.exec(select(Customer)).all() == []


PHONES = st.one_of(st.from_regex(r"1\d{10}", fullmatch=True), st.text(max_size=25))
NAMES = st.one_of(st.text(max_size=50), st.sampled_from(["𠀋", "😀" * 41, "王" * 40, "\x00", "\ud800", "a\nb"]),
                  st.text(alphabet=st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF), max_size=45))
CELLS = st.lists(st.one_of(st.text(max_size=30), PHONES, NAMES), max_size=12)


@FAST
@given(rows=st.lists(st.tuples(st.from_regex(r"[A-Z]{2}\d{4,8}", fullmatch=True) | st.text(max_size=12),
                               NAMES, PHONES), max_size=8),
       junk=st.lists(CELLS, max_size=4))
def test_generated_rows_never_crash_the_import(hall, clock, rows, junk):
    table = [(1, ["account", "name", "phones", "monthly_spend", "notes"])]
    table += [(i + 2, [a, n, p]) for i, (a, n, p) in enumerate(rows)]
    table += [(len(table) + 1 + i, cells) for i, cells in enumerate(junk)]
    try:
        with hall.write() as session:
            result = importing.import_rows(session, clock, rows=table, staff_id=staff_id(hall, "A001"))
            assert result.imported + len(result.problems) <= len(table) - 1
            assert all(p.reason for p in result.problems)
            session.rollback()
    except AppError as refusal:
        assert refusal.text()


@FAST
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("account,name\n" + t).encode("utf-8",
                                                                                                      "surrogatepass")))
def test_generated_files_never_crash_the_import(hall, clock, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("in") / "c.csv"
    path.write_bytes(data)
    try:
        with hall.write() as session:
            importing.import_customers(session, clock, path=path, staff_id=staff_id(hall, "A001"))
            session.rollback()
    except AppError as refusal:
        assert refusal.text()


@FAST
@given(text=st.one_of(PHONES, NAMES, st.text(max_size=100)))
def test_generated_lookups_never_crash(hall, clock, text):
    with hall.read() as session:
        for found in records.search(session, clock, text):
            assert found.customer.id is not None
        try:
            records.find(session, text)
        except AppError as refusal:
            assert refusal.text()
