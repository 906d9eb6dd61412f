"""New-password rules (SPEC §2, ASVS 6.2): length, common passwords and personal data, as problem codes."""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .text import strip_invisible
from .text import to_ascii_digits

MIN_LENGTH = 8
MAX_LENGTH = 128
# A personal number (national code, mobile) this long is refused anywhere inside a password;
# shorter digit strings are too likely to occur by chance.
MIN_EMBEDDED_DIGITS = 8

_SEPARATORS = re.compile(r"[\s\-+()]+")
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def password_problems(password: str, *, common: frozenset[str] | set[str],
                      forbidden: Iterable[str] = ()) -> list[str]:
    """Codes of what is wrong with a new password: too_short, too_long, common, personal; [] if fine.

    Length is counted in code points after NFC; nothing is stripped, truncated or
    case-changed, and any Unicode is allowed (no composition rules). `common` holds
    lower-case entries; `forbidden` holds the user's national code, username, mobile.
    """
    if not isinstance(password, str):
        raise TypeError("password_problems needs a str")
    text = unicodedata.normalize("NFC", password)
    problems = []
    if len(text) < MIN_LENGTH:
        problems.append("too_short")
    elif len(text) > MAX_LENGTH:
        problems.append("too_long")
    if _is_common(text, common):
        problems.append("common")
    if _is_personal(text, forbidden):
        problems.append("personal")
    return problems


def _is_common(text: str, common) -> bool:
    key = to_ascii_digits(text).lower()
    return (key in common or key.strip() in common
            or len(set(text)) == 1
            or _is_digit_run(key))


def _is_digit_run(key: str) -> bool:
    """12345678, 87654321, 7890123…: every step +1 or every step -1, wrapping 9↔0."""
    if len(key) < 2 or not _ASCII_DIGITS.fullmatch(key):
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in zip(key, key[1:], strict=False)}
    return steps == {1} or steps == {9}


def _squash(s: str) -> str:
    # Compare what the user would consider "the same": any digit script, any case,
    # separators and invisible marks ignored.
    s = unicodedata.normalize("NFC", to_ascii_digits(s))
    return _SEPARATORS.sub("", strip_invisible(s)).casefold()


def _is_personal(text: str, forbidden: Iterable[str]) -> bool:
    squashed = _squash(text)
    for value in forbidden:
        personal = _squash(value or "")
        if not personal:
            continue
        if squashed == personal:
            return True
        if _ASCII_DIGITS.fullmatch(personal):
            # Also without leading zeros: 09121234567 is typed as 9121234567 after +98.
            for digits in {personal, personal.lstrip("0")}:
                if len(digits) >= MIN_EMBEDDED_DIGITS and digits in squashed:
                    return True
    return False


def estimated_entropy_bits(text: str) -> float:
    """A cautious estimate of the randomness in a machine secret (a SECRET_KEY), in bits.

    The characters' Shannon entropy times the string's length, scaled down by how much of it repeats:
    the share of distinct three-character runs in the text, and in the steps between neighbouring
    code points (so "abcdef…" counts as little as "aaaaaa…"). Random keys score near their true value;
    "abcde" × 10, a repeated phrase or an alphabet score a fraction of it."""
    if len(text) < 4:
        return 0.0
    counts = Counter(text)
    shannon = sum(n * math.log2(len(text) / n) for n in counts.values())
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)]
    return shannon * min(_distinct_share(text), _distinct_share(steps))


def _distinct_share(sequence) -> float:
    runs = [tuple(sequence[i:i + 3]) for i in range(len(sequence) - 2)]
    return len(set(runs)) / len(runs)
