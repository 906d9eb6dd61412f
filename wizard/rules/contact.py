"""Iranian mobile numbers and postal codes, typed in any digit script."""

import re

from .text import to_ascii_digits

_SEPARATORS = re.compile(r"[\s\-\u200e\u200f\u061c()]")
_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)
_POSTAL = re.compile(r"[0-9]{10}", re.ASCII)


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
