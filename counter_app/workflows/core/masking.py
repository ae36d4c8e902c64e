"""Masking: what a printed page (or a screen the customer can see) may show of a customer's personal data."""

from __future__ import annotations

import re


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        # Too short to keep both ends: show at most the last quarter.
        keep = len(value) // 4
        return "*" * (len(value) - keep) + value[len(value) - keep:] if value else ""
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_phone(phone: str) -> str:
    """13812341234 -> 138****1234; a country code and separators are dropped first."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return _mask_middle(digits, 2, 2) if len(digits) > 4 else "*" * len(digits)


def is_cjk(char: str) -> bool:
    return ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
            or "\U00020000" <= char <= "\U0002fa1f")


def mask_name(name: str) -> str:
    """王明 -> 王*, 王小明 -> 王**; John Smith -> J*** S****. The family name or initials stay."""
    name = (name or "").strip()
    if not name:
        return ""
    if any(is_cjk(c) for c in name):
        compact = name.replace(" ", "")
        return compact[0] + "*" * max(1, len(compact) - 1)
    return " ".join(word[0] + "*" * max(1, len(word) - 1) for word in name.split())


def mask_id_number(value: str) -> str:
    """A resident ID (18 characters) keeps its first 3 and last 4: 110***********1234."""
    value = re.sub(r"\s", "", value or "")
    return _mask_middle(value, 3, 4)


def mask_account(value: str) -> str:
    """An account or card number keeps only its last 4 characters: ********5678."""
    value = re.sub(r"\s", "", value or "")
    return _mask_middle(value, 0, 4)


def mask_ref(ref: str | None) -> str | None:
    """A customer's reference as the counter knows it, masked: a mobile as 138****1234, an account as ****5678."""
    if not ref:
        return ref
    digits = re.sub(r"\D", "", ref)
    is_mobile = len(digits) in (11, 13) and re.fullmatch(r"[\d\s+()-]+", ref) is not None
    return mask_phone(ref) if is_mobile else mask_account(ref)
