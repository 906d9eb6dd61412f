"""Tracking codes: the check digit catches every single-digit typo and adjacent swaps."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules import tracking

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(("body", "code"), [
    ("000000000", "0000000000"),
    ("123456789", "1234567897"),
    ("799273987", "7992739875"),
])
def test_make_code(body, code):
    assert tracking.make_code(body) == code


@pytest.mark.parametrize("typed", ["7992739875", "۷۹۹۲-۷۳۹۸-۷۵", "٧٩٩٢ ٧٣٩٨ ٧٥", "\u200e7992-7398-75"])
def test_valid_in_any_digit_script(typed):
    assert tracking.is_valid(typed)


@pytest.mark.parametrize("typed", ["7992739871", "799273987", "79927398711", "", "abcdefghij", None])
def test_invalid(typed):
    assert not tracking.is_valid(typed)


@pytest.mark.parametrize("body", ["12345678", "1234567890", "12345678a", "۱۲۳۴۵۶۷۸۹"])
def test_make_code_needs_nine_ascii_digits(body):
    with pytest.raises(ValueError):
        tracking.make_code(body)


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_typo_is_caught(body, position, shift):
    code = tracking.make_code(body)
    typo = code[:position] + str((int(code[position]) + shift) % 10) + code[position + 1:]
    assert tracking.is_valid(code) and not tracking.is_valid(typo)


def test_grouped():
    assert tracking.grouped("1234567890") == "1234-5678-90"
