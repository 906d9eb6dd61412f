"""Tests for wizard.rules.passwords: length in code points, common and personal passwords."""

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wizard.rules.passwords import MAX_LENGTH, MIN_LENGTH, password_problems
from wizard.rules.text import to_ascii_digits
from wizard.security import load_common_passwords

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
COMMON = frozenset({"password", "qwertyuiop", "iloveyou"})
NATIONAL_CODE = "0076229645"
MOBILE = "09121234567"
USERNAME = "ali.rezaei"
FORBIDDEN = (NATIONAL_CODE, USERNAME, MOBILE)
GOOD = "Kq7#vLp2"  # 8 characters, on no list


def problems(password, forbidden=FORBIDDEN, common=COMMON):
    return password_problems(password, common=common, forbidden=forbidden)


def test_limits():
    assert (MIN_LENGTH, MAX_LENGTH) == (8, 128)


@pytest.mark.parametrize(
    "password, expected",
    [
        (GOOD[:7], ["too_short"]),
        (GOOD, []),
        (GOOD * 16, []),  # 128
        (GOOD * 16 + "x", ["too_long"]),  # 129
        ("", ["too_short"]),
        ("Kq7#vLp ", []),  # a trailing space counts and is kept
        ("caf" + "e\u0301" + "xyz", ["too_short"]),  # 8 code points typed, 7 after NFC
        ("رمز عبور من امن است", []),  # Persian only, with spaces
        ("گلهایزیبا", []),
        ("🦁🐯🐻🐼🐨🐸🐵🐔", []),  # 8 emoji = 8 code points
        ("\u200cپاییز\u200cسرد", []),  # ZWNJ is an ordinary character here
    ],
)
def test_length_and_any_unicode(password, expected):
    assert problems(password) == expected


@pytest.mark.parametrize(
    "password",
    [
        "password", "PASSWORD", "PassWord", "iloveyou",
        "aaaaaaaa", "۱۱۱۱۱۱۱۱", "😀" * 8, "        ",  # one repeated character
        "12345678", "23456789", "98765432", "1234567890", "0987654321", "7890123456",  # digit runs
        "۱۲۳۴۵۶۷۸", "٨٧٦٥٤٣٢١",  # the same in Persian and Arabic-Indic digits
    ],
)
def test_common(password):
    assert problems(password) == ["common"]


@pytest.mark.parametrize("password", ["12345679", "11223344", "13579135", "aaaaaaab"])
def test_near_misses_are_not_common(password):
    assert problems(password) == []


@pytest.mark.parametrize(
    "password",
    [
        NATIONAL_CODE,
        "۰۰۷۶۲۲۹۶۴۵",  # the national code in Persian digits
        "٠٠٧٦٢٢٩٦٤٥",  # and in Arabic-Indic digits
        "007-622964-5",
        "\u200e0076229645\u200f",  # pasted with bidi marks
        "76229645xyz",  # without its leading zeros
        "my0076229645!",  # inside a longer password
        MOBILE, "+98 912 123 4567", "9121234567ab", "۰۹۱۲۱۲۳۴۵۶۷",
        USERNAME, "ALI.REZAEI", "Ali.Rezaei",
    ],
)
def test_personal(password):
    assert "personal" in problems(password)


def test_personal_values_in_persian_digits_are_normalised_too():
    assert problems("0076229645xyz", forbidden=["۰۰۷۶۲۲۹۶۴۵"]) == ["personal"]


@pytest.mark.parametrize(
    "password",
    [
        "ali.rezaei-1403",  # a username is refused only when it is the whole password
        "Kq7#1234567",  # a short digit string from the mobile is chance, not personal data
    ],
)
def test_not_personal(password):
    assert problems(password) == []


def test_missing_personal_values_are_ignored():
    assert problems(GOOD, forbidden=[None, "", "   "]) == []


def test_forbidden_may_be_any_iterable():
    assert problems(NATIONAL_CODE, forbidden=iter([NATIONAL_CODE])) == ["personal"]


def test_several_problems_at_once():
    assert problems("ali", forbidden=["ali"]) == ["too_short", "personal"]


def test_needs_a_str():
    with pytest.raises(TypeError):
        password_problems(b"password", common=COMMON)


def test_real_list_entries_are_refused():
    common = load_common_passwords()
    assert len(common) >= 3000
    for password in ["password", "qwerty123", "iloveyou", "1q2w3e4r"]:
        assert "common" in password_problems(password, common=common)


@PROPERTY
@given(st.text(min_size=MIN_LENGTH, max_size=MAX_LENGTH))
def test_any_unicode_password_off_the_lists_passes(password):
    common = load_common_passwords()
    nfc = unicodedata.normalize("NFC", password)
    key = to_ascii_digits(nfc).lower()
    assume(MIN_LENGTH <= len(nfc) <= MAX_LENGTH)
    assume(key not in common and key.strip() not in common and len(set(nfc)) > 1)
    assume(not key.isascii() or not key.isdigit())  # digit runs are tested above
    assume(all(value[-8:] not in key for value in FORBIDDEN if value.isdigit()))
    assume(USERNAME not in key)
    assert password_problems(password, common=common, forbidden=FORBIDDEN) == []


@PROPERTY
@given(st.text(max_size=MAX_LENGTH + 20))
def test_length_codes_follow_the_nfc_length(password):
    length = len(unicodedata.normalize("NFC", password))
    found = set(problems(password)) & {"too_short", "too_long"}
    assert found == ({"too_short"} if length < MIN_LENGTH else {"too_long"} if length > MAX_LENGTH else set())
