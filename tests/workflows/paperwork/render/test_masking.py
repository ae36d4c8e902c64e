"""What a printed page may show of a customer's personal data."""

from __future__ import annotations

import pytest

from counter_app.workflows.paperwork.render.layout import mask_account, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(("phone", "printed"), [
    ("13812341234", "138****1234"),
    ("138 1234 1234", "138****1234"),
    ("+86 138-1234-1234", "138****1234"),
    ("0571-88886666", "05********66"),  # a landline keeps two digits at each end
    ("1234", "****"),
    ("", ""),
])
def test_a_phone_number_keeps_its_first_three_and_last_four_digits(phone, printed):
    assert mask_phone(phone) == printed


@pytest.mark.parametrize(("name", "printed"), [
    ("王明", "王*"),
    ("王建国", "王**"),
    ("欧阳娜娜", "欧***"),
    ("王", "王*"),
    ("Wang Jianguo", "W*** J******"),
    ("  ", ""),
])
def test_a_name_keeps_only_the_family_name_or_initials(name, printed):
    assert mask_name(name) == printed


def test_an_id_number_keeps_its_region_prefix_and_last_four():
    assert mask_id_number("110101198001011234") == "110***********1234"
    assert mask_id_number("11010119800101123X") == "110***********123X"


def test_an_account_number_keeps_its_last_four():
    assert mask_account("6222 0212 3456 7890") == "************7890"
    assert mask_account("12") == "**"


def test_masking_never_prints_the_full_value():
    for value in ("13812341234", "110101198001011234", "6222021234567890", "88886666"):
        for mask in (mask_phone, mask_id_number, mask_account):
            assert mask(value) != value
            assert "*" in mask(value)
