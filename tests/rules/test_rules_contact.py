"""wizard.rules.contact: mobiles, phones, postal codes and e-mail addresses as people type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.rules.contact import normalize_email
from wizard.rules.contact import normalize_insurance_number
from wizard.rules.contact import normalize_mobile
from wizard.rules.contact import normalize_phone
from wizard.rules.contact import normalize_postal_code
from wizard.rules.text import INVISIBLE
from wizard.rules.text import InputError

RLM, LRM, ZWNJ, NBSP, BOM = "\u200f", "\u200e", "\u200c", "\u00a0", "\ufeff"


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
    (f"{ZWNJ}۰۹۱۲{NBSP}۱۲۳{NBSP}۴۵۶۷{BOM}", "09121234567"),
    ("\u2066+98\u2009912\u2009123\u20094567\u2069", "09121234567"),
    ("0912\u2013123\u20134567", "09121234567"),  # en dashes
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
    (f"{BOM}۰۲۱\u202f۸۸۷۷\u202f۶۶۵۵{ZWNJ} ", "02188776655"),
    ("+98 21 8877 6655", "02188776655"),  # with the country code, as on letterheads
    ("0098-31-3123-4567", "03131234567"),
    ("(+۹۸) ۲۱ ۸۸۷۷۶۶۵۵", "02188776655"),
])
def test_a_phone_is_stored_with_its_area_code(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345678", "2112345678", "021123456789", "021-1234-567x", "", "+98 21 8877 665",
                                   "+1 212 555 0100"])
def test_a_phone_without_its_area_code_or_of_the_wrong_length_is_refused(typed):
    with pytest.raises(ValueError, match="شماره تلفن"):
        normalize_phone(typed)


@pytest.mark.parametrize(("typed", "stored"), [
    ("1435678901", "1435678901"),
    ("۱۴۳۵۶-۷۸۹۰۱", "1435678901"),
    ("14356 78901", "1435678901"),
    (f"{RLM}۱۴۳۵۶۷۸۹۰۱{LRM}", "1435678901"),
    (f"{BOM}14356{NBSP}78901 ", "1435678901"),
    (f"۱۴۳۵۶{ZWNJ}۷۸۹۰۱", "1435678901"),
    ("\u2066١٤٣٥٦٧٨٩٠١\u2069", "1435678901"),
    ("5951412749", "5951412749"),  # real codes the widely copied stricter pattern refuses: a 2 in the last five
    ("1416932790", "1416932790"),
    ("8155555555", "8155555555"),  # a 5 in fifth place
    ("3139958111", "3139958111"),
    ("1113400000", "1113400000"),  # three equal leading digits are fine; the last five may be anything
])
def test_a_postal_code_is_ten_digits(typed, stored):
    assert normalize_postal_code(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "14356789012", "14356abcde", "", "1435-678-9O1", "۱۴۳۵۶٬۷۸۹۰۱"])
def test_a_postal_code_of_another_length_is_refused(typed):
    with pytest.raises(InputError, match="کد پستی") as refused:
        normalize_postal_code(typed)
    assert refused.value.reason == "length"


@pytest.mark.parametrize(("typed", "reason"), [
    ("0000000000", "district"), ("۰۰۰۰۰۰۰۰۰۰", "district"), ("2222222222", "district"), ("1234567890", "district"),
    ("0123456789", "district"), ("2143567890", "district"), ("1435078901", "district"), ("1435278901", "district"),
    ("1111111111", "repeated"), ("9999999999", "repeated"), ("4444356789", "repeated"), ("۷۷۷۷۷۱۳۴۵۶", "repeated"),
])
def test_a_postal_code_that_cannot_exist_is_refused(typed, reason):
    with pytest.raises(InputError, match="کد پستی") as refused:
        normalize_postal_code(typed)
    assert refused.value.reason == reason


@given(st.text(alphabet="13456789", min_size=5, max_size=5), st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_every_code_of_the_rule_is_accepted(district, rest):
    code = district + rest
    if len(set(code[:4])) > 1:
        assert normalize_postal_code(code) == code
    else:
        with pytest.raises(InputError):
            normalize_postal_code(code)


@pytest.mark.parametrize(("typed", "stored"), [
    ("1234567", "1234567"), ("۱۲۳ ۴۵۶۷", "1234567"), (f"{RLM}۱۲۳۴۵۶۷{LRM}", "1234567"), ("12-345-678", "12345678"),
    ("12345", "12345"), ("1" * 15, "1" * 15),
])
def test_an_insurance_number_is_its_digits(typed, stored):
    assert normalize_insurance_number(typed) == stored


@pytest.mark.parametrize("typed", ["1234", "1" * 16, "12345a", "۱۲٫۳۴۵", ""])
def test_an_insurance_number_of_another_shape_is_refused(typed):
    with pytest.raises(InputError, match="بیمه"):
        normalize_insurance_number(typed)


DIGIT_SCRIPTS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")


@given(st.sampled_from(["1435678901", "09121234567", "02188776655", "1234567"]), st.data())
def test_numbers_read_any_mixture_of_digit_scripts_and_invisible_marks(number, data):
    marks = st.lists(st.sampled_from(sorted(INVISIBLE)), max_size=2).map("".join)
    typed = "".join(DIGIT_SCRIPTS[data.draw(st.integers(0, 2))][int(d)] + data.draw(marks) for d in number)
    typed = data.draw(st.sampled_from(["", " ", NBSP, "\u3000"])) + typed + data.draw(st.sampled_from(["", " ", "\t"]))
    normalize = {10: normalize_postal_code, 7: normalize_insurance_number}.get(len(number)) or (
        normalize_mobile if number.startswith("09") else normalize_phone)
    assert normalize(typed) == number


@pytest.mark.parametrize(("typed", "stored"), [
    ("name@example.ir", "name@example.ir"),
    ("Name.Family@Example.IR", "name.family@example.ir"),
    ("a+b@mail.co.ir", "a+b@mail.co.ir"),
    (f"{LRM}name@example.ir{LRM} ", "name@example.ir"),
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
    for normalize in (normalize_mobile, normalize_phone, normalize_postal_code, normalize_insurance_number,
                      normalize_email):
        try:
            stored = normalize(text)
        except ValueError:
            continue
        assert normalize(stored) == stored  # canonical: normalising again changes nothing
        if normalize is not normalize_email:
            assert stored.isascii() and stored.isdigit()
