"""Iranian national code (کد ملی): normalisation and checksum (SPEC §2)."""

import re

from .text import InputError
from .text import numeric_text
from .text import to_ascii_digits

# Whitespace, hyphen-minus, U+2010-U+2015 hyphens and dashes, U+2212 minus.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_DIGITS = re.compile(r"[0-9]+")  # explicit [0-9]: \d would accept any script's digits

ERR_EMPTY = "کد ملی وارد نشده است."
ERR_DIGITS = "کد ملی فقط می‌تواند رقم داشته باشد."
ERR_LENGTH = "کد ملی باید ۱۰ رقم باشد."
ERR_INVALID = "کد ملی معتبر نیست."


def normalize(s: str) -> str:
    """The 10 ASCII digits of a national code as typed or pasted (SPEC §2).

    Persian and Arabic-Indic digits become ASCII; whitespace of any kind, dashes
    and invisible characters (bidi marks, zero-width characters, BOM…) are removed
    (text.numeric_text, as for every number typed); 8 or 9 digits are left-padded
    with zeros (spreadsheets drop leading zeros). The checksum is NOT checked.
    Raises InputError (a ValueError with a Persian message; reason "empty", "digits" or "length"),
    also for non-str input.
    """
    if not isinstance(s, str):
        raise InputError("digits", ERR_DIGITS)
    code = _SEPARATORS.sub("", numeric_text(s))
    if not code:
        raise InputError("empty", ERR_EMPTY)
    if not _DIGITS.fullmatch(code):
        raise InputError("digits", ERR_DIGITS)
    if not 8 <= len(code) <= 10:
        raise InputError("length", ERR_LENGTH)
    return code.zfill(10)


def _remainder(first9: str) -> int:
    # Weights 10, 9, ..., 2 from the left, modulo 11.
    return sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11


def check_digit(first9: str) -> str:
    """Check digit for nine digits: r = Σ dᵢ·(11−i) mod 11; r if r < 2, else 11 − r.

    Nine identical digits always yield the same tenth digit, and such codes
    are still invalid (see is_valid). Raises ValueError unless given 9 digits.
    """
    digits = to_ascii_digits(first9) if isinstance(first9, str) else ""
    if len(digits) != 9 or not _DIGITS.fullmatch(digits):
        raise ValueError("first9 must be exactly nine digits")
    r = _remainder(digits)
    return str(r if r < 2 else 11 - r)


def _checksum_ok(code: str) -> bool:
    # Ten identical digits all pass the bare checksum, so they are rejected explicitly.
    return len(set(code)) > 1 and check_digit(code[:9]) == code[9]


def is_valid(s) -> bool:
    """SPEC §2: True iff s normalises to 10 digits with a correct check digit and not all identical.

    Never raises, whatever the input type.
    """
    try:
        return _checksum_ok(normalize(s))
    except (ValueError, TypeError):
        return False


def validate(s: str) -> str:
    """Normalised national code, or ValueError with a Persian message (format or checksum)."""
    code = normalize(s)
    if not _checksum_ok(code):
        raise InputError("invalid", ERR_INVALID)
    return code
