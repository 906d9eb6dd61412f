"""Persian text and digit normalisation for everything users type or paste."""

import re
import sys
import unicodedata

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "\u0640"  # kashida: stretches a joined letter, never part of a word's spelling

# LRM, RLM, ALM, embeddings/overrides (LRE..RLO), isolates (LRI..PDI).
BIDI_MARKS = frozenset(
    "\u200e\u200f\u061c" + "".join(map(chr, range(0x202A, 0x202F))) + "".join(map(chr, range(0x2066, 0x206A)))
)
# Zero-width characters that carry no meaning in identifiers or numbers.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Every format character (Unicode category Cf): the bidi marks and zero-width characters above, the soft
# hyphen, invisible operators, tags... None of them is visible; pasted text from web pages, PDFs and
# messengers carries them. (163 characters in Unicode 14; read off unicodedata once, at import.)
INVISIBLE = frozenset(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
# What free text loses outright: every invisible character but ZWNJ and ZWJ, and the kashida. ZWNJ is then
# kept only inside a word, ZWJ only between two emoji or other symbols (see normalize_persian).
TEXT_DROPPED = (INVISIBLE - {ZWNJ, ZWJ}) | {TATWEEL}

_DIGITS_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_DIGITS_TO_PERSIAN = str.maketrans("0123456789" + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_DROP_BIDI = dict.fromkeys(map(ord, BIDI_MARKS))
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE | BIDI_MARKS | ZERO_WIDTH))

# Control characters (C0, DEL, C1) that are not whitespace; whitespace ones are collapsed instead.
_CONTROLS = [c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]
# Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF: the shaped letters and ligatures PDFs and old
# software produce) fold to their letters, as NFKC folds them; NFKC is not applied to anything else, so
# Persian digits, superscripts, fullwidth forms and the like are left as typed.
# (U+FE71 and others fold to a kashida and a mark: the kashida goes, as everywhere.)
_PRESENTATION_FORMS = {
    c: unicodedata.normalize("NFKC", chr(c)).replace(TATWEEL, "")
    for c in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)] if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}
_FOLD_TABLE = {
    **_PRESENTATION_FORMS,
    **dict.fromkeys(map(ord, TEXT_DROPPED), None),
    **dict.fromkeys(_CONTROLS, None),
}
_LETTER_TABLE = {
    0x064A: "ی",  # Arabic yeh
    0x0649: "ی",  # Arabic alef maksura, typed for final yeh by Arabic keyboards
    0x0643: "ک",  # Arabic kaf
}
# A run of whitespace and ZWNJ; \s matches exactly what str.isspace() does.
_SPACE_RUN = re.compile(r"[\s\u200c]+")
_SPACES = re.compile(r"\s+")
_ZWJ_RUN = re.compile(ZWJ + "+")
_INT = re.compile(r"-?[0-9]+")  # explicit [0-9]: \d would accept any script's digits
# Thousands separators: ASCII comma, Arabic thousands separator U+066C, or a space (any Unicode space,
# made " " first); one kind throughout, every group after the first exactly three digits.
_GROUPED = re.compile(r"-?[0-9]{1,3}([,\u066c ])[0-9]{3}(?:\1[0-9]{3})*")
# A decimal mark: full stop, Arabic decimal separator U+066B, or the slash Persian handwriting uses.
_DECIMAL = re.compile(r"-?[0-9,\u066c ]*[.\u066b/][0-9]*")
_SEPARATED = re.compile(r"-?[0-9,\u066c\u060c. ]+")  # digits and separators, grouped wrongly
# Numbers typed into forms stay below 10**18: inside a 64-bit integer and a float's exact range.
MAX_DIGITS = 18
# Ids and versions from outside fit PostgreSQL's integer, the type of every id and version column.
MAX_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")
_INT_ERROR = "مقدار باید یک عدد صحیح باشد."
INT_ERRORS = {
    "not_a_number": _INT_ERROR,
    "decimal": "مقدار باید یک عدد صحیح باشد، بدون ممیز.",
    "grouping": "عدد را بی‌جداکننده بنویسید، یا هر سه رقم را با ٬ یا , جدا کنید، مانند ۲٬۵۰۰.",
    "too_long": "این عدد بیش از اندازه بزرگ است.",
}


class InputError(ValueError):
    """A typed value a rule refuses: str() is a Persian message, `reason` a short code a form turns into its own
    (translated) message."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


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
    """Remove every invisible character (INVISIBLE: bidi marks, ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen…),
    for identifiers and numbers."""
    return s.translate(_DROP_INVISIBLE)


def numeric_text(s: str) -> str:
    """What was typed or pasted into a number or code box, made plain for parsing.

    Persian and Arabic-Indic digits become ASCII, every invisible character is
    dropped (wherever it is), every run of Unicode whitespace (NBSP, thin and
    narrow spaces…) becomes one ASCII space, and the ends are trimmed. Nothing
    else changes, so a parser still sees separators and stray letters.
    """
    return _SPACES.sub(" ", strip_invisible(to_ascii_digits(s))).strip()


def normalize_identifier(s: str) -> str:
    """A username, activation code or similar identifier as typed: NFKC (fullwidth and other compatibility
    forms become plain letters), any digit script to ASCII, invisible and control characters dropped, runs of
    whitespace made one space and the ends trimmed. Case is kept; the caller lower-cases usernames."""
    text = unicodedata.normalize("NFKC", s).translate(dict.fromkeys(_CONTROLS))
    return numeric_text(text)


def _squeeze(match: re.Match) -> str:
    # Any whitespace in the run wins: a ZWNJ touching a space joins nothing.
    run = match.group()
    return ZWNJ if run.strip(ZWNJ) == "" else " "


def normalize_persian(s: str | None) -> str:
    """Canonical form of free Persian text (SPEC §4: Arabic ي/ك are stored as ی/ک), so that one name or
    address is stored in one spelling however it was typed or pasted.

    In order: Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF, as PDFs
    give them) fold to their letters as NFKC folds them, and nothing else is
    NFKC-folded (digits stay as typed); the kashida U+0640, every invisible
    character but ZWNJ and ZWJ (bidi marks, ZWSP, word joiner, BOM, soft hyphen…)
    and non-whitespace control characters are dropped; ZWJ is dropped unless
    between two symbols (below); the text is put in
    Unicode NFC (alef + combining madda is آ, e + combining acute is é); Arabic
    yeh/alef maksura/kaf become Persian ی/ک; runs of any Unicode whitespace
    become one space; the ends are trimmed. A ZWNJ survives only inside a word
    (between two non-space characters; repeated ZWNJs become one); a ZWNJ
    touching whitespace or an end of the string is dropped, so "کتاب<ZWNJ> ها"
    becomes "کتاب ها". A ZWJ survives only between two symbols (it joins emoji:
    👨‍👩‍👧); next to a letter it changes no word, only a glyph, and is dropped. Digits
    are left alone. None gives "". Idempotent.
    """
    if s is None:
        return ""
    text = _ZWJ_RUN.sub(_joiner, s.translate(_FOLD_TABLE))
    text = unicodedata.normalize("NFC", text).translate(_LETTER_TABLE)
    return _SPACE_RUN.sub(_squeeze, text).strip(" " + ZWNJ)


def _joiner(match: re.Match) -> str:
    # A ZWJ joins emoji into one (👨‍👩‍👧, 🏳️‍🌈): kept, once, between two symbols (past any marks such as
    # variation selectors). Next to a letter it only changes the shape a font draws, never the word: dropped.
    text, before = match.string, match.start() - 1
    while before >= 0 and unicodedata.category(text[before])[0] == "M":
        before -= 1
    after = match.end()
    symbols = before >= 0 and after < len(text) and unicodedata.category(text[before])[0] == "S" == (
        unicodedata.category(text[after])[0])
    return ZWJ if symbols else ""


def has_letter(s: str) -> bool:
    """Whether the text has at least one letter (of any script): an address or a name of only emoji,
    punctuation, symbols or digits has none."""
    return any(unicodedata.category(char).startswith("L") for char in s)


def has_letter_or_digit(s: str) -> bool:
    """Whether the text has at least one letter or decimal digit (of any script)."""
    return any(unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd" for char in s)


# What a person's name may hold besides letters, combining marks (harakat), spaces, ZWNJ and ZWJ.
_NAME_PUNCTUATION = frozenset(".-'’‘ʼ()")


def is_person_name(s: str) -> bool:
    """Whether normalised text can be a person's name: at least one letter, and otherwise only combining marks,
    spaces, ZWNJ/ZWJ and the punctuation . - ' ’ ( ) found in names; no digit, emoji or other symbol."""
    return has_letter(s) and all(
        unicodedata.category(char)[0] in "LM" or char in _NAME_PUNCTUATION or char in (" ", ZWNJ, ZWJ) for char in s)


def parse_int(s: str) -> int:
    """Integer typed or pasted in any of Persian, Arabic-Indic or ASCII digits, or a mixture.

    Invisible marks anywhere (bidi marks, ZWNJ, ZWSP, BOM…) are ignored, as is
    surrounding whitespace of any kind; U+2212 counts as a minus. Thousands may
    be separated by ',' or the Arabic thousands separator '٬' (U+066C) or a
    space (NBSP, thin space… too), one kind throughout, and only in correct
    groups: 1-3 digits, then groups of exactly three ('۲٬۵۰۰', '1,000,000' and
    '2 500' are read; '2,50', '1,2345', ',250' and '2, 500' are not, as they may
    be a mistyped number or a decimal comma). The Arabic comma '،' separates
    list items, not digits, and is refused. At most MAX_DIGITS digits after
    leading zeros; no '+'.

    Raises InputError (a ValueError with a Persian message) whose reason is
    "decimal" for a decimal mark ('1.5', '۱٫۵' with U+066B, '۲/۵' as Persian
    handwriting writes it), "grouping" for digits with separators in the wrong
    places, "too_long" past MAX_DIGITS, and "not_a_number" for anything else.
    """
    if not isinstance(s, str):
        raise InputError("not_a_number", _INT_ERROR)
    text = numeric_text(s).replace("\u2212", "-")
    if _GROUPED.fullmatch(text):
        text = text.translate(dict.fromkeys(map(ord, ", \u066c")))
    elif not _INT.fullmatch(text):
        reason = _why_not_a_whole_number(text)
        raise InputError(reason, INT_ERRORS[reason])
    if len(text.lstrip("-").lstrip("0")) > MAX_DIGITS:
        raise InputError("too_long", INT_ERRORS["too_long"])
    return int(text)


def _why_not_a_whole_number(text: str) -> str:
    if not any(char in "0123456789" for char in text):
        return "not_a_number"
    if _DECIMAL.fullmatch(text):
        return "decimal"
    return "grouping" if _SEPARATED.fullmatch(text) else "not_a_number"


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
