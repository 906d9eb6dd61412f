"""Persian text and digit normalisation for everything users type or paste."""

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ZWNJ = "\u200c"

# LRM, RLM, ALM, embeddings/overrides (LRE..RLO), isolates (LRI..PDI).
BIDI_MARKS = frozenset(
    "\u200e\u200f\u061c" + "".join(map(chr, range(0x202A, 0x202F))) + "".join(map(chr, range(0x2066, 0x206A)))
)
# Zero-width characters that carry no meaning in identifiers or numbers.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

_DIGITS_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_DIGITS_TO_PERSIAN = str.maketrans("0123456789" + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_DROP_BIDI = dict.fromkeys(map(ord, BIDI_MARKS))
_DROP_INVISIBLE = dict.fromkeys(map(ord, BIDI_MARKS | ZERO_WIDTH))

# Control characters (C0, DEL, C1) that are not whitespace; whitespace ones are collapsed instead.
_CONTROLS = [c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]
_TEXT_TABLE = {
    0x064A: "ی",  # Arabic yeh
    0x0649: "ی",  # Arabic alef maksura, typed for final yeh by Arabic keyboards
    0x0643: "ک",  # Arabic kaf
    **dict.fromkeys(map(ord, BIDI_MARKS), None),
    **dict.fromkeys([0x200B, 0x2060, 0xFEFF], None),  # ZWSP, word joiner, BOM: invisible junk
    **dict.fromkeys(_CONTROLS, None),
}
# A run of whitespace and ZWNJ; \s matches exactly what str.isspace() does.
_SPACE_RUN = re.compile(r"[\s\u200c]+")
_INT = re.compile(r"-?[0-9]+")  # explicit [0-9]: \d would accept any script's digits
# Numbers typed into forms stay below 10**18: inside a 64-bit integer and a float's exact range.
MAX_DIGITS = 18
# Ids and versions from outside fit PostgreSQL's integer, the type of every id and version column.
MAX_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")
_INT_ERROR = "مقدار باید یک عدد صحیح باشد."


def to_ascii_digits(s: str) -> str:
    """Persian and Arabic-Indic digits to ASCII 0-9; every other character is kept."""
    if not isinstance(s, str):
        raise TypeError("to_ascii_digits needs a str")
    return s.translate(_DIGITS_TO_ASCII)


def to_persian_digits(s) -> str:
    """ASCII and Arabic-Indic digits of str(s) to Persian ۰-۹; None gives ''."""
    return "" if s is None else str(s).translate(_DIGITS_TO_PERSIAN)


def strip_bidi(s: str) -> str:
    """Remove bidi control marks (LRM, RLM, ALM, embeddings, overrides, isolates)."""
    return s.translate(_DROP_BIDI)


def strip_invisible(s: str) -> str:
    """Remove bidi marks and zero-width characters (ZWSP, ZWNJ, ZWJ, WJ, BOM), for identifiers."""
    return s.translate(_DROP_INVISIBLE)


def _squeeze(match: re.Match) -> str:
    # Any whitespace in the run wins: a ZWNJ touching a space joins nothing.
    run = match.group()
    return ZWNJ if run.strip(ZWNJ) == "" else " "


def normalize_persian(s: str | None) -> str:
    """Canonical form of free Persian text (SPEC §4: Arabic ي/ك are stored as ی/ک).

    Arabic yeh/alef maksura/kaf become Persian ی/ک; bidi marks, ZWSP, word
    joiner, BOM and non-whitespace control characters are dropped; runs of any
    Unicode whitespace become one space; the ends are trimmed. A ZWNJ survives
    only inside a word (between two non-space characters; repeated ZWNJs become
    one); a ZWNJ touching whitespace or an end of the string is dropped, so
    "کتاب<ZWNJ> ها" becomes "کتاب ها". ZWJ is kept. Digits are left alone.
    None gives "". Idempotent.
    """
    if s is None:
        return ""
    return _SPACE_RUN.sub(_squeeze, s.translate(_TEXT_TABLE)).strip(" " + ZWNJ)


def parse_int(s: str) -> int:
    """Integer typed in any of Persian, Arabic-Indic or ASCII digits.

    Surrounding whitespace and invisible marks are ignored and U+2212 counts as
    a minus; otherwise only an optional leading '-' and digits are accepted (no
    '+', no thousands separators), at most MAX_DIGITS of them after leading zeros.
    Raises ValueError with a Persian message.
    """
    if not isinstance(s, str):
        raise ValueError(_INT_ERROR)
    text = strip_invisible(to_ascii_digits(s)).strip().replace("\u2212", "-")
    if not _INT.fullmatch(text) or len(text.lstrip("-").lstrip("0")) > MAX_DIGITS:
        raise ValueError(_INT_ERROR)
    return int(text)


def parse_id(s: str | None) -> int | None:
    """A non-negative id, version or page number from a URL, query or hidden field: ASCII digits only, at
    most MAX_ID; anything else (None, '²', a sign, 2**31, 4,300 digits) is None."""
    return int(s) if isinstance(s, str) and _ID.fullmatch(s) and int(s) <= MAX_ID else None


# A word of Latin letters, digits (any script) and code punctuation ("TEH21059", "P-1038", "a3f9…"), or an HTML
# character reference in escaped text ("&#39;"), which is left whole.
_LATIN_WORD = re.compile(r"&#?[A-Za-z0-9]+;|[A-Za-z0-9۰-۹٠-٩][A-Za-z0-9۰-۹٠-٩._\-/:@]*")


def localize_digits(text: str) -> str:
    """Persian digits for a Persian page, except inside a code that also has Latin letters: that keeps Latin ones.

    "نسخهٔ 2" → "نسخهٔ ۲", "09121234567" → "۰۹۱۲۱۲۳۴۵۶۷", but "TEH21059" and "P-۱۰۳۹" → "TEH21059", "P-1039":
    a code written in two scripts ("TEH۲۱۰۵۹") reads badly and is copied wrongly."""
    return _LATIN_WORD.sub(_localize_word, text)


def _localize_word(match: re.Match) -> str:
    word = match.group()
    if word[0] == "&":
        return word
    if any("A" <= c <= "Z" or "a" <= c <= "z" for c in word):
        return to_ascii_digits(word)
    return to_persian_digits(word)
