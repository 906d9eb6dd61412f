"""Tracking codes (کد رهگیری): ten digits, the last a Luhn check digit, so a mistyped code is caught."""

from .text import strip_invisible
from .text import to_ascii_digits


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
    """Digits of any script, spaces and dashes dropped: '۱۲۳۴-۵۶۷۸-۹۰' → '1234567890'."""
    text = strip_invisible(to_ascii_digits(typed or ""))
    return "".join(char for char in text if char not in " -")


def is_valid(typed: str) -> bool:
    code = normalize(typed)
    return len(code) == 10 and code.isascii() and code.isdigit() and luhn_digit(code[:9]) == code[9]


def grouped(code: str) -> str:
    """'1234567890' → '1234-5678-90', easier to read aloud over the phone."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
