"""Tests for wizard.rules.national_code: normalisation and checksum (SPEC §2)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.national_code import check_digit, is_valid, normalize, validate
from wizard.rules.text import InputError

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
VALID = [
    "0012345679", "1234567891", "9876543210", "0076229645", "1583250689",
    "4111111114", "1234567881", "2914177763", "11537027", "۰۰۷۶۲۲۹۶۴۵", "٠٠٧٦٢٢٩٦٤٥",
]
INVALID = ["1234567890", "0076229646", "1111111111", "0000000000", "12345", "123456789a"]
SCRIPTS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
JUNK = ["", " ", "-", "\u2013", "\u2212", "\u200e", "\u200f", "\u00a0", "\t"]
NINE_DIGITS = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1)


def remainder(first9):
    """Independent reference: weights 10..2 from the left, modulo 11."""
    return sum(int(d) * w for d, w in zip(first9, range(10, 1, -1), strict=True)) % 11


@pytest.mark.parametrize("code", VALID)
def test_known_valid(code):
    assert is_valid(code)
    assert validate(code) == normalize(code)


@pytest.mark.parametrize("code", INVALID)
def test_known_invalid(code):
    assert not is_valid(code)
    with pytest.raises(ValueError):
        validate(code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0076229645", "0076229645"),
        ("  0076229645\n", "0076229645"),
        ("007-622964-5", "0076229645"),
        ("007\u2013622\u20149645", "0076229645"),
        ("007\u2010622\u2212964\u20155", "0076229645"),
        ("\u200e0076229645\u200f", "0076229645"),
        ("\u202b۰۰۷ ۶۲۲ ۹۶۴۵\u202c", "0076229645"),
        ("\u2067٠٠٧٦٢٢٩٦٤٥\u2069", "0076229645"),
        ("00\u00a076229645", "0076229645"),
        ("\ufeff0076229645", "0076229645"),
        ("11537027", "0011537027"),
        ("123456789", "0123456789"),
        ("۷۶۲۲۹۶۴۵", "0076229645"),
        ("1234567890", "1234567890"),  # format only: the checksum is validate()'s job
        ("1111111111", "1111111111"),
        ("\u200c۰۰۷۶۲۲\u200d۹۶۴۵\u200b", "0076229645"),  # ZWNJ, ZWJ, ZWSP pasted along
        ("007\u202f622\u2009964\u20075", "0076229645"),  # narrow, thin and figure spaces
        ("\u00ad0076229645\u2060", "0076229645"),  # soft hyphen, word joiner
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "وارد نشده"),
        (" \u200f- ", "وارد نشده"),
        ("123456789a", "فقط می‌تواند رقم"),
        ("۱۲۳۴۵۶۷۸۹ب", "فقط می‌تواند رقم"),
        ("१२३४५६७८९०", "فقط می‌تواند رقم"),  # Devanagari digits pass int() but not here
        ("０１２３４５６７８９", "فقط می‌تواند رقم"),
        ("007_622_9645", "فقط می‌تواند رقم"),
        ("0076229645\u0640", "فقط می‌تواند رقم"),  # tatweel is not a dash
        ("+0076229645", "فقط می‌تواند رقم"),
        ("12345", "۱۰ رقم"),
        ("1234567", "۱۰ رقم"),
        ("12345678901", "۱۰ رقم"),
        (None, "کد ملی"),
        (76229645, "کد ملی"),
        (b"0076229645", "کد ملی"),
    ],
)
def test_normalize_rejects_with_persian_message(raw, message):
    with pytest.raises(ValueError, match=message):
        normalize(raw)


@pytest.mark.parametrize("value", [None, 76229645, 1.5, b"0076229645", [], {}, object(), "", "\x00"])
def test_is_valid_is_false_for_junk(value):
    assert is_valid(value) is False


def test_validate_messages():
    with pytest.raises(ValueError, match="کد ملی معتبر نیست"):
        validate("1234567890")
    with pytest.raises(ValueError, match="کد ملی معتبر نیست"):
        validate("0000000000")
    with pytest.raises(ValueError, match="۱۰ رقم"):
        validate("12345")
    assert validate(" ۱۱۵۳۷۰۲۷ ") == "0011537027"


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"), ("12a", "digits"), ("12345", "length"), ("1234567890", "invalid"), ("0000000000", "invalid"),
])
def test_refusals_carry_a_reason_for_the_form(raw, reason):
    with pytest.raises(InputError) as refused:
        validate(raw)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("first9", "expected"),
    [
        ("001234567", "9"), ("007622964", "5"), ("123456789", "1"), ("987654321", "0"),
        ("۱۵۸۳۲۵۰۶۸", "9"), ("100000000", "1"),
    ],
)
def test_check_digit(first9, expected):
    assert check_digit(first9) == expected


@pytest.mark.parametrize("first9", ["", "12345678", "1234567890", "12345678a", None, 123456789])
def test_check_digit_rejects(first9):
    with pytest.raises(ValueError):
        check_digit(first9)


def test_checksum_collision_between_remainders_1_and_10():
    # r = 10 and r = 1 share check digit 1, so this single-digit change goes undetected.
    assert remainder("100000000") == 10 and remainder("103000000") == 1
    assert is_valid("1000000001") and is_valid("1030000001")


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(SCRIPTS), st.sampled_from(JUNK)), min_size=1, max_size=12))
def test_every_digit_script_gives_the_same_answer(parts):
    ascii_code = "".join(str(d) for d, _, _ in parts)
    mixed = "".join(script[d] + junk for d, script, junk in parts)
    assert is_valid(mixed) == is_valid(ascii_code)
    try:
        expected = normalize(ascii_code)
    except ValueError:
        with pytest.raises(ValueError):
            normalize(mixed)
    else:
        assert normalize(mixed) == expected


@PROPERTY
@given(st.one_of(st.text(), st.lists(st.sampled_from(JUNK + list("0123456789۱۲٣a")), max_size=14).map("".join)))
def test_is_valid_never_raises_on_text(raw):
    assert is_valid(raw) in (True, False)


@PROPERTY
@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.integers())))
def test_is_valid_never_raises_on_other_types(value):
    assert is_valid(value) is False


@PROPERTY
@given(NINE_DIGITS)
def test_generated_codes_are_valid(first9):
    code = first9 + check_digit(first9)
    assert is_valid(code)
    assert validate(code) == code
    assert code[9] == str(remainder(first9) if remainder(first9) < 2 else 11 - remainder(first9))


@PROPERTY
@given(NINE_DIGITS, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_invalidates_except_the_known_collision(first9, position, shift):
    code = first9 + check_digit(first9)
    changed = code[:position] + str((int(code[position]) + shift) % 10) + code[position + 1 :]
    # Only a first-nine change that moves the remainder between 1 and 10 keeps the check digit.
    collision = position < 9 and {remainder(code[:9]), remainder(changed[:9])} == {1, 10}
    assert is_valid(changed) == (collision and len(set(changed)) > 1)


@PROPERTY
@given(NINE_DIGITS)
def test_changing_the_check_digit_always_invalidates(first9):
    good = check_digit(first9)
    for digit in "0123456789".replace(good, ""):
        assert not is_valid(first9 + digit)


@PROPERTY
@given(st.integers(0, 9))
def test_ten_identical_digits_pass_the_bare_checksum_but_are_invalid(digit):
    code = str(digit) * 10
    assert check_digit(code[:9]) == code[9]
    assert not is_valid(code)


@PROPERTY
@given(st.integers(1, 2), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_dropped_leading_zeros_are_restored(zeros, rest):
    first9 = ("0" * zeros + rest)[:9]
    code = first9 + check_digit(first9)
    shortened = code[zeros:]  # what a spreadsheet makes of it
    assert normalize(shortened) == code
    assert is_valid(shortened) == is_valid(code)
