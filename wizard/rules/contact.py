"""Phone and mobile numbers, postal codes and e-mail addresses as typed, in any digit script, made canonical."""

import re

from .text import to_ascii_digits

_SEPARATORS = re.compile(r"[\s\-\u200e\u200f\u061c()]")
_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)
_POSTAL = re.compile(r"[0-9]{10}", re.ASCII)
_PHONE = re.compile(r"0[0-9]{10}", re.ASCII)  # a landline with its area code
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
EMAIL_MAX = 254


def normalize_mobile(text: str) -> str:
    """'+98 912 123 4567', '00989121234567', '۹۱۲۱۲۳۴۵۶۷' → '09121234567'; ValueError otherwise."""
    digits = _SEPARATORS.sub("", to_ascii_digits(text))
    for prefix in ("+98", "0098", "98"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = "0" + digits[len(prefix):]
    if len(digits) == 10 and digits.startswith("9"):
        digits = "0" + digits
    if not _MOBILE.fullmatch(digits):
        raise ValueError("شماره همراه باید مانند ۰۹۱۲۱۲۳۴۵۶۷ باشد.")
    return digits


def normalize_postal_code(text: str) -> str:
    """Ten digits, separators dropped; ValueError otherwise."""
    digits = _SEPARATORS.sub("", to_ascii_digits(text))
    if not _POSTAL.fullmatch(digits):
        raise ValueError("کد پستی باید ۱۰ رقم باشد.")
    return digits


def normalize_phone(text: str) -> str:
    """'021 1234 5678', '۰۲۱-۱۲۳۴۵۶۷۸' → '02112345678' (11 digits, area code first); ValueError otherwise."""
    digits = _SEPARATORS.sub("", to_ascii_digits(text))
    if not _PHONE.fullmatch(digits):
        raise ValueError("شماره تلفن باید با پیش‌شماره و مانند ۰۲۱۱۲۳۴۵۶۷۸ باشد.")
    return digits


def normalize_email(text: str) -> str:
    """An address like name@example.ir, lower-cased; ValueError otherwise."""
    if len(text) > EMAIL_MAX or not _EMAIL.fullmatch(text):
        raise ValueError("نشانی رایانامه باید مانند name@example.ir باشد.")
    return text.lower()
