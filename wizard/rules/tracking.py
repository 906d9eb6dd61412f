"""Tracking codes (کد رهگیری): ten digits, the last a Luhn check digit, so a mistyped code is caught."""

import re

from .text import numeric_text

_SEPARATORS = re.compile(r"[ \-\u2010-\u2015\u2212]")


def luhn_digit(body: str) -> str:
    """The Luhn check digit of a string of ASCII digits."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def make_code(random_digits: str) -> str:
    """A tracking code from nine random digits (the caller draws them: rules hold no randomness)."""
    if len(random_digits) != 9 or not random_digits.isascii() or not random_digits.isdigit():
        raise ValueError("nine ASCII digits are needed")
    return random_digits + luhn_digit(random_digits)


def normalize(typed: str) -> str:
    """Digits of any script, spaces, dashes and invisible marks dropped: '۱۲۳۴-۵۶۷۸-۹۰' → '1234567890'."""
    return _SEPARATORS.sub("", numeric_text(typed or ""))


def is_valid(typed: str) -> bool:
    code = normalize(typed)
    return len(code) == 10 and code.isascii() and code.isdigit() and luhn_digit(code[:9]) == code[9]


def grouped(code: str) -> str:
    """'1234567890' → '1234-5678-90', easier to read aloud over the phone."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
