"""wizard.rules.contact: mobiles, phones, postal codes and e-mail addresses as people type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.rules.contact import normalize_email
from wizard.rules.contact import normalize_mobile
from wizard.rules.contact import normalize_phone
from wizard.rules.contact import normalize_postal_code

RLM, LRM = "\u200f", "\u200e"


@pytest.mark.parametrize(("typed", "stored"), [
    ("09121234567", "09121234567"),
    ("۰۹۱۲۱۲۳۴۵۶۷", "09121234567"),
    ("٠٩١٢١٢٣٤٥٦٧", "09121234567"),
    ("+98 912 123 4567", "09121234567"),
    ("00989121234567", "09121234567"),
    ("989121234567", "09121234567"),
    ("9121234567", "09121234567"),
    ("0912-123-4567", "09121234567"),
    (f"{RLM}0912 123 4567{LRM}", "09121234567"),
    ("(0912) 1234567", "09121234567"),
])
def test_a_mobile_is_stored_as_eleven_ascii_digits(typed, stored):
    assert normalize_mobile(typed) == stored


@pytest.mark.parametrize("typed", ["", "0912123456", "091212345678", "08121234567", "+1 912 123 4567",
                                   "0912123456x", "²9121234567", "0912 123 45 67 8"])
def test_a_mobile_that_is_not_one_is_refused(typed):
    with pytest.raises(ValueError, match="شماره همراه"):
        normalize_mobile(typed)


@pytest.mark.parametrize(("typed", "stored"), [
    ("02112345678", "02112345678"),
    ("۰۲۱-۱۲۳۴۵۶۷۸", "02112345678"),
    ("(031) 3123 4567", "03131234567"),
    (f"021{RLM}12345678", "02112345678"),
])
def test_a_phone_is_stored_with_its_area_code(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345678", "2112345678", "021123456789", "021-1234-567x", ""])
def test_a_phone_without_its_area_code_or_of_the_wrong_length_is_refused(typed):
    with pytest.raises(ValueError, match="شماره تلفن"):
        normalize_phone(typed)


@pytest.mark.parametrize(("typed", "stored"), [
    ("1234567890", "1234567890"),
    ("۱۲۳۴۵-۶۷۸۹۰", "1234567890"),
    ("12345 67890", "1234567890"),
])
def test_a_postal_code_is_ten_digits(typed, stored):
    assert normalize_postal_code(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "12345678901", "12345abcde", ""])
def test_a_postal_code_of_another_length_is_refused(typed):
    with pytest.raises(ValueError, match="کد پستی"):
        normalize_postal_code(typed)


@pytest.mark.parametrize(("typed", "stored"), [
    ("name@example.ir", "name@example.ir"),
    ("Name.Family@Example.IR", "name.family@example.ir"),
    ("a+b@mail.co.ir", "a+b@mail.co.ir"),
])
def test_an_email_address_is_lower_cased(typed, stored):
    assert normalize_email(typed) == stored


@pytest.mark.parametrize("typed", ["name", "name@", "@example.ir", "name@example", "name@example.i",
                                   "a b@example.ir", "a@@example.ir", f"{'a' * 65}@example.ir",
                                   f"a@{'b' * 250}.ir"])
def test_an_email_address_that_is_not_one_is_refused(typed):
    with pytest.raises(ValueError, match="رایانامه"):
        normalize_email(typed)


@given(st.text(max_size=30))
def test_every_normaliser_returns_canonical_text_or_refuses(text):
    for normalize in (normalize_mobile, normalize_phone, normalize_postal_code, normalize_email):
        try:
            stored = normalize(text)
        except ValueError:
            continue
        assert normalize(stored) == stored  # canonical: normalising again changes nothing
        if normalize is not normalize_email:
            assert stored.isascii() and stored.isdigit()
