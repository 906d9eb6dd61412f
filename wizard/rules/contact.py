"""Phone and mobile numbers, postal codes, insurance numbers and e-mail addresses as typed, made canonical."""

import re

from .text import InputError
from .text import numeric_text
from .text import strip_invisible

# Between digit groups: whitespace, hyphen-minus, U+2010-U+2015 hyphens and dashes, U+2212 minus, parentheses.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212()]")
_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)
_TEN_DIGITS = re.compile(r"[0-9]{10}", re.ASCII)
# Iran Post's ten-digit code: the first five digits (the city and district) never use 0 or 2, which look like
# 5 and 3 in handwriting; and the first four are never one digit repeated. The last five may be any digits.
# (The widely copied pattern [13-9]{4}[1346-9][013-9]{5} is stricter and refuses real codes such as
# 1416932790 and 5951412749; the libraries that used it dropped those two extra conditions.)
_POSTAL_DISTRICT = re.compile(r"[13-9]{5}", re.ASCII)
_PHONE = re.compile(r"0[0-9]{10}", re.ASCII)  # a landline with its area code
_INSURANCE = re.compile(r"[0-9]{5,15}", re.ASCII)
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
EMAIL_MAX = 254

ERR_POSTAL_LENGTH = "کد پستی باید ۱۰ رقم باشد."
ERR_POSTAL_DISTRICT = "چنین کد پستی‌ای وجود ندارد: در پنج رقم نخست کد پستی رقم ۰ یا ۲ نمی‌آید."
ERR_POSTAL_REPEATED = "چنین کد پستی‌ای وجود ندارد: چهار رقم نخست کد پستی همه یکسان نیستند."


def _digits(text: str) -> str:
    """Any digit script to ASCII, invisible marks and separators (spaces, dashes, parentheses) dropped."""
    return _SEPARATORS.sub("", numeric_text(text))


def _national(digits: str) -> str:
    """A number written with Iran's country code (+98, 0098 or 98, then ten digits) as dialled at home: 0…"""
    for prefix in ("+98", "0098", "98"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            return "0" + digits[len(prefix):]
    return digits


def normalize_mobile(text: str) -> str:
    """'+98 912 123 4567', '00989121234567', '۹۱۲۱۲۳۴۵۶۷' → '09121234567'; ValueError otherwise."""
    digits = _national(_digits(text))
    if len(digits) == 10 and digits.startswith("9"):
        digits = "0" + digits
    if not _MOBILE.fullmatch(digits):
        raise InputError("format", "شماره همراه باید مانند ۰۹۱۲۱۲۳۴۵۶۷ باشد.")
    return digits


def normalize_postal_code(text: str) -> str:
    """Ten digits that can be an Iranian postal code, separators and invisible marks dropped.

    InputError with reason "length" unless there are exactly ten digits (and
    nothing else); "district" when the first five digits hold a 0 or a 2 (so
    '0000000000' and '1234567890' are refused); "repeated" when the first four
    digits are one digit repeated ('1111111111', '4444356789').
    """
    digits = _digits(text)
    if not _TEN_DIGITS.fullmatch(digits):
        raise InputError("length", ERR_POSTAL_LENGTH)
    if not _POSTAL_DISTRICT.fullmatch(digits[:5]):
        raise InputError("district", ERR_POSTAL_DISTRICT)
    if len(set(digits[:4])) == 1:
        raise InputError("repeated", ERR_POSTAL_REPEATED)
    return digits


def normalize_phone(text: str) -> str:
    """'021 1234 5678', '۰۲۱-۱۲۳۴۵۶۷۸', '+98 21 1234 5678' → '02112345678' (11 digits, area code first);
    ValueError otherwise."""
    digits = _national(_digits(text))
    if not _PHONE.fullmatch(digits):
        raise InputError("format", "شماره تلفن باید با پیش‌شماره و مانند ۰۲۱۱۲۳۴۵۶۷۸ باشد.")
    return digits


def normalize_insurance_number(text: str) -> str:
    """A social-security insurance number: 5 to 15 digits, separators and invisible marks dropped."""
    digits = _digits(text)
    if not _INSURANCE.fullmatch(digits):
        raise InputError("format", "شمارهٔ بیمه باید ۵ تا ۱۵ رقم باشد.")
    return digits


def normalize_email(text: str) -> str:
    """An address like name@example.ir, lower-cased, invisible marks and surrounding spaces dropped;
    ValueError otherwise."""
    text = strip_invisible(text).strip()
    if len(text) > EMAIL_MAX or not _EMAIL.fullmatch(text):
        raise InputError("format", "نشانی رایانامه باید مانند name@example.ir باشد.")
    return text.lower()
