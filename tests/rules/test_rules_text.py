"""Tests for wizard.rules.text: digits, Persian normalisation, integer parsing."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.text import (
    BIDI_MARKS,
    INT_ERRORS,
    INVISIBLE,
    TEXT_DROPPED,
    InputError,
    has_letter,
    has_letter_or_digit,
    is_person_name,
    normalize_identifier,
    normalize_persian,
    numeric_text,
    parse_int,
    parse_id,
    strip_bidi,
    strip_invisible,
    to_ascii_digits,
    to_persian_digits,
)

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
ZWNJ = "\u200c"
NASTY = [
    *"۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩",
    ZWNJ, "\u200d", "\u200b", "\u2060", "\ufeff",  # zero-width characters
    *sorted(BIDI_MARKS),  # LRM, RLM, ALM, LRE..RLO, LRI..PDI
    "ي", "ك", "ى", "ی", "ک",
    "\x00", "\x1f", "\x7f", "\x9b", "\r\n", "\r", "\n", "\t", "\x0b", "\x85",
    "\u00a0", "\u2028", "\u3000", " ", "  ", "a", "ب", "-",
    "\u0640", "\u00ad", "\u2061", "\U000e0041",  # kashida, soft hyphen, invisible times, a tag character
    "\u0653", "\u0654", "\u0655", "\u0301", "\u064b", "\u0651", "e\u0301", "\u0627\u0653",  # marks, decomposed
    "\ufe8d", "\ufee3", "\ufbfe", "\ufef5", "\ufdf2", "\ufdfa", "\ufe71", "\ufc5e", "\ufd3e",  # presentation forms
]
# NASTY holds multi-character pieces such as "\r\n", so join pieces rather than use text(alphabet=...).
NASTY_TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=40).map("".join)
# What normalize_persian deletes outright (whitespace is collapsed, not deleted).
DROPPED = TEXT_DROPPED


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("a۱b٢c3", "a1b2c3"),
        ("", ""),
        ("१२३", "१२३"),  # Devanagari is not ours to convert
        ("０１", "０１"),  # neither are fullwidth digits
        ("۱٬۰۰۰٫۵", "1٬000٫5"),  # separators untouched
        ("کد ۱۲", "کد 12"),
    ],
)
def test_to_ascii_digits(raw, expected):
    assert to_ascii_digits(raw) == expected


@pytest.mark.parametrize("value", [None, 12, b"12"])
def test_to_ascii_digits_needs_text(value):
    with pytest.raises(TypeError):
        to_ascii_digits(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1399, "۱۳۹۹"),
        (0, "۰"),
        (-5, "-۵"),
        (3.5, "۳.۵"),
        ("2020-09-22", "۲۰۲۰-۰۹-۲۲"),
        ("٤٥٦", "۴۵۶"),
        ("۱۲", "۱۲"),
        ("abc", "abc"),
        ("", ""),
        (None, ""),
    ],
)
def test_to_persian_digits(value, expected):
    assert to_persian_digits(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("سلام", "سلام"),
        ("علي", "علی"),
        ("كريم", "کریم"),
        ("موسى", "موسی"),
        ("  سلام   دنیا  ", "سلام دنیا"),
        ("a\t\tb\r\nc\u00a0d\u2028e\u3000f", "a b c d e f"),
        ("\u200fسلام\u200e", "سلام"),
        ("\u202eabc\u202c", "abc"),
        ("\u2066x\u2069\u2067y\u2068z", "xyz"),
        ("ab\u061ccd", "abcd"),
        ("\ufeffنام", "نام"),
        ("a\x00b\x07c\x7fd\x9be", "abcde"),
        ("a\x1fb", "a b"),  # unit separator is whitespace to Python
        ("می\u200cروم", "می\u200cروم"),  # ZWNJ inside a word is kept
        ("می\u200c\u200c\u200cروم", "می\u200cروم"),  # repeated ZWNJ squeezed
        ("کتاب\u200c ها", "کتاب ها"),  # ZWNJ touching a space is dropped
        ("کتاب \u200cها", "کتاب ها"),
        ("کتاب\u200c \u200c\u200cها", "کتاب ها"),
        ("\u200cکتاب\u200c", "کتاب"),  # ZWNJ at the ends is dropped
        ("\u200c", ""),
        (" \u200c \u200f ", ""),
        ("a\u200db", "ab"),  # ZWJ next to a letter changes no word: dropped
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # kept in emoji
        ("\U0001f3f3\ufe0f\u200d\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),
        ("\u0647\u200d ", "\u0647"), ("\u200d\U0001f600", "\U0001f600"),
        ("\u0627\u200d\u0653", "آ"),  # dropped first, then composed
        ("a\u200bb", "ab"),
        ("۱۲۳ ٤٥", "۱۲۳ ٤٥"),  # digits left alone
        (None, ""),
        # NFC: decomposed letters are composed
        ("\u0627\u0653زادی", "آزادی"),
        ("\u064a\u0654", "ئ"),
        ("\u0648\u0654", "ؤ"),
        ("Jose\u0301", "José"),
        # kashida is dropped, presentation forms fold to letters (as PDFs give them)
        ("مـــريـم", "مریم"),
        ("ـــ", ""),
        ("\ufee3\ufeae\ufbfe\ufee2 \ufe8d\ufea3\ufee4\ufeaa\ufbfc", "مریم احمدی"),
        ("\ufef5", "لآ"),  # lam-alef ligature
        ("\ufdf2", "الله"),
        ("\ufdfa", "صلی الله علیه وسلم"),  # its yeh and alef maksura become ی
        ("\ufe71", "\u064b"),  # tatweel with fathatan: the mark stays, the kashida goes
        ("\ufb8f\ufee8\ufe8e\ufead", "کنار"),
        ("\ufd3e۱\ufd3f", "\ufd3e۱\ufd3f"),  # ornate parentheses have no letters to fold to
        # not NFKC outside the presentation forms: digits and other compatibility characters stay
        ("x² ①", "x² ①"),
        ("\uff11\uff12", "\uff11\uff12"),
        ("\u00adنام\u2061", "نام"),  # soft hyphen, invisible times
    ],
)
def test_normalize_persian(raw, expected):
    assert normalize_persian(raw) == expected


def test_normalize_persian_rejects_non_text():
    with pytest.raises((TypeError, AttributeError)):
        normalize_persian(12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("\u200e۱۲\u200f", "۱۲"), ("\u202bx\u202c", "x"), ("a\u200cb", "a\u200cb"), ("\u2066\u2069", "")],
)
def test_strip_bidi(raw, expected):
    assert strip_bidi(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("\u200e۱۲\u200f", "۱۲"), ("a\u200cb\u200dc", "abc"), ("\ufeff12\u200b3\u2060", "123"), (" a ", " a "),
     ("1\u00ad2\u2062\u2063", "12"), ("\u2066\u2069\u202a\u202c", "")],
)
def test_strip_invisible(raw, expected):
    assert strip_invisible(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("۴۲", 42),
        ("٤٢", 42),
        ("۴2٢", 422),
        ("007", 7),
        ("-5", -5),
        ("-۵", -5),
        ("\u22123", -3),
        ("-0", 0),
        ("  ۱۲\t", 12),
        ("\u200f۴۲\u200e", 42),
        ("\u00a0\ufeff1\u200c2 ", 12),
        ("9" * 18, 10**18 - 1),  # the largest accepted: inside a 64-bit integer and a float's exact range
        ("-" + "9" * 18, 1 - 10**18),
        ("0" * 40 + "7", 7),
    ],
)
def test_parse_int_accepts(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,000", 1000), ("۱٬۰۰۰", 1000), ("١٬٠٠٠", 1000), ("1 000", 1000), ("1\u00a0000", 1000),
        ("1\u202f000\u202f000", 1_000_000), ("1\u2009000", 1000), ("12,345,678", 12_345_678), ("-2,500", -2500),
        ("\u200f۲٬۵۰۰\u200f", 2500), ("۲\u200c٬۵۰۰", 2500), ("999,999", 999_999), ("0,001", 1),
        ("1\u00ad2", 12), ("\u20661\u2069", 1), ("\u202a7\u202c", 7), ("2  500", 2500),
    ],
)
def test_parse_int_reads_thousands_separators_in_groups_of_three(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "not_a_number"), ("   ", "not_a_number"), ("\u200f", "not_a_number"), ("-", "not_a_number"),
        ("+5", "not_a_number"), ("--1", "not_a_number"), ("1-", "not_a_number"), ("12a", "not_a_number"),
        ("१२३", "not_a_number"), ("５", "not_a_number"), ("²", "not_a_number"), (".", "not_a_number"),
        ("twelve", "not_a_number"), ("1e3", "not_a_number"), ("0x10", "not_a_number"),
        ("1.5", "decimal"), ("۱٫۵", "decimal"), ("١٫٥", "decimal"), (".5", "decimal"), ("2.", "decimal"),
        ("۲/۵", "decimal"), ("1,234.5", "decimal"), ("-0.5", "decimal"),
        ("2,50", "grouping"), ("1,2345", "grouping"), (",250", "grouping"), ("250,", "grouping"),
        ("2,,500", "grouping"), ("2, 500", "grouping"), ("1,000٬000", "grouping"), ("1 000,000", "grouping"),
        ("۲،۵۰۰", "grouping"), ("1.000.000", "grouping"), ("1234,567", "grouping"),
        ("9" * 5000, "too_long"), ("1" + "0" * 18, "too_long"), ("9" * 309, "too_long"), ("-" + "9" * 19, "too_long"),
        ("1,000,000,000,000,000,000", "too_long"),
        (None, "not_a_number"), (12, "not_a_number"), (1.0, "not_a_number"),
    ],
)
def test_parse_int_refuses_with_a_reason_and_a_persian_message(raw, reason):
    with pytest.raises(InputError) as refused:
        parse_int(raw)
    assert refused.value.reason == reason
    assert str(refused.value) == INT_ERRORS[reason]
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize(("raw", "expected"), [
    ("0", 0), ("42", 42), (str(2**31 - 1), 2**31 - 1), ("007", 7), ("0000000001", 1),
    (None, None), ("", None), ("-1", None), ("+1", None), ("1.5", None), (" 1", None), ("1\n", None), ("²", None),
    ("۱۲", None), ("٣", None), (str(2**31), None), ("9" * 18, None), ("9" * 4301, None), ("0x10", None),
])
def test_parse_id_takes_only_short_ascii_digit_strings(raw, expected):
    assert parse_id(raw) == expected


@PROPERTY
@given(NASTY_TEXT)
def test_normalize_persian_is_idempotent(raw):
    once = normalize_persian(raw)
    assert normalize_persian(once) == once


@PROPERTY
@given(NASTY_TEXT)
def test_normalize_persian_output_is_clean(raw):
    out = normalize_persian(raw)
    assert not set(out) & ({"ي", "ك", "ى"} | DROPPED)
    assert "  " not in out
    assert out == out.strip(" " + ZWNJ)
    assert all(ch == " " or not ch.isspace() for ch in out)
    assert all(ch.isspace() or ord(ch) >= 0x20 and not 0x7F <= ord(ch) < 0xA0 for ch in out)
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out and ZWNJ * 2 not in out


@PROPERTY
@given(NASTY_TEXT)
def test_normalize_persian_keeps_every_visible_character(raw):
    # Apart from the documented folding, mappings and deletions, nothing is lost or added.
    def folded(text):
        text = "".join(unicodedata.normalize("NFKC", ch) if _presentation_form(ch) else ch for ch in text)
        text = "".join(ch for ch in text if ch not in DROPPED and not _control(ch))
        return unicodedata.normalize("NFC", text).translate({ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک"})

    def visible(text):  # ZWNJ and ZWJ are kept or dropped by their neighbours; tested apart
        return [ch for ch in text if not (ch.isspace() or ch in (ZWNJ, "\u200d"))]

    assert visible(normalize_persian(raw)) == visible(folded(raw))


def _presentation_form(ch):
    return 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF


def _control(ch):
    return ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0


@PROPERTY
@given(NASTY_TEXT)
def test_digit_conversions_agree(raw):
    assert to_ascii_digits(to_persian_digits(raw)) == to_ascii_digits(raw)
    assert not set(to_ascii_digits(raw)) & set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
    assert not set(to_persian_digits(raw)) & set("0123456789٠١٢٣٤٥٦٧٨٩")
    assert len(to_ascii_digits(raw)) == len(to_persian_digits(raw)) == len(raw)


@PROPERTY
@given(st.integers(min_value=1 - 10**18, max_value=10**18 - 1), st.sampled_from(["{}", " {} ", "\u200f{}\u200e"]))
def test_parse_int_reads_every_rendering(number, template):
    assert parse_int(template.format(to_persian_digits(number))) == number
    assert parse_int(template.format(number)) == number


# --- plain text for numbers and identifiers ---------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("\u200f۱۲\u200e", "12"), ("\u00a0١٢ ", "12"), ("1\u202f000", "1 000"), ("1\u2009\u2009000", "1 000"),
    ("\ufeff1\u200c2\u200d3\u200b", "123"), ("\u2066۰۹۱۲\u2069", "0912"), ("a\tb\nc", "a b c"), ("", ""),
    ("1,5", "1,5"),  # separators stay for the parser to judge
])
def test_numeric_text(raw, expected):
    assert numeric_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("\u200fAli.Rezaei\u200e ", "Ali.Rezaei"), ("ａｌｉ", "ali"), ("a\x00b", "ab"), ("۰۰۱۲", "0012"),
    ("\u00a0x\u00a0", "x"), ("ABCD-2345", "ABCD-2345"),
])
def test_normalize_identifier(raw, expected):
    assert normalize_identifier(raw) == expected


@pytest.mark.parametrize(("text", "letter", "letter_or_digit"), [
    ("تهران", True, True), ("Tehran 12", True, True), ("۱۲۳", False, True), ("😀😀", False, False),
    ("!!! ،،، ؟", False, False), ("★☆ ♥", False, False), ("\u0651\u064b", False, False), ("", False, False),
    ("😀 کوچه", True, True), ("①②", False, False), ("٣", False, True),
])
def test_has_letter(text, letter, letter_or_digit):
    assert has_letter(text) is letter
    assert has_letter_or_digit(text) is letter_or_digit


@pytest.mark.parametrize(("name", "ok"), [
    ("مریم احمدی", True), ("محمد\u200cعلی کریمی", True), ("سیّد علی", True), ("O'Brien", True),
    ("Jean-Luc Picard", True), ("ع. رضایی", True), ("علی (پدرام) راد", True), ("José", True), ("x", True),
    ("علی ۲", False), ("😀😀", False), ("...", False), ("---", False), ("۱۲۳۴", False), ("علی@", False),
    ("مریم ⭐", False), ("", False),
])
def test_is_person_name(name, ok):
    assert is_person_name(name) is ok


# --- properties: one spelling, any digits -----------------------------------------------------------

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئأؤۀ"
# Every Arabic presentation form that folds to a single letter, by letter: a PDF may give any of them.
FORMS = {}
for _code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
    _folded = unicodedata.normalize("NFKC", chr(_code))
    if len(_folded) == 1 and _folded != chr(_code):
        FORMS.setdefault(_folded, []).append(chr(_code))
ARABIC_SPELLING = {"ی": ["ي", "ى"], "ک": ["ك"]}
INVISIBLE_MARKS = sorted(INVISIBLE - {ZWNJ}) + ["\u200d"]
NAMES = st.lists(st.text(alphabet=PERSIAN_LETTERS, min_size=2, max_size=8), min_size=1, max_size=3).map(" ".join)


def _variant(data, letter):
    """One way a letter reaches us: as typed, Arabic-keyboard spelling, a presentation form, decomposed,
    stretched with kashida, or with an invisible mark or two pasted after it."""
    choices = [letter, unicodedata.normalize("NFD", letter), *ARABIC_SPELLING.get(letter, [])]
    choices += FORMS.get(letter, []) + FORMS.get(ARABIC_SPELLING.get(letter, [""])[0], [])
    spelled = data.draw(st.sampled_from(choices))
    if letter != " ":
        spelled += data.draw(st.sampled_from(["", "", "\u0640", "\u0640\u0640", *INVISIBLE_MARKS]))
    else:
        spelled = data.draw(st.sampled_from([" ", "  ", "\u00a0", "\u2009", " \u200c", "\t"]))
    return spelled


@PROPERTY
@given(NAMES, st.data())
def test_the_same_name_in_any_spelling_normalises_to_one(name, data):
    canonical = normalize_persian(name)
    spelled = "".join(_variant(data, letter) for letter in name)
    assert normalize_persian(spelled) == canonical
    assert normalize_persian(f"\u200f {spelled} \u200e") == canonical


@PROPERTY
@given(st.integers(min_value=-10**15, max_value=10**15), st.data())
def test_parse_int_reads_any_mixture_of_digit_scripts_and_invisible_marks(number, data):
    scripts = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
    digits = str(abs(number))
    if data.draw(st.booleans()):  # grouped in threes with one separator throughout
        separator = data.draw(st.sampled_from([",", "\u066c", " ", "\u00a0", "\u202f", "\u2009"]))
        digits = f"{abs(number):,}".replace(",", separator)
    typed = "".join(scripts[data.draw(st.integers(0, 2))][int(ch)] if ch.isdigit() else ch for ch in digits)
    marks = st.lists(st.sampled_from(INVISIBLE_MARKS), max_size=2).map("".join)
    typed = "".join(ch + data.draw(marks) for ch in typed)
    typed = ("-" if number < 0 else "") + typed
    padding = st.sampled_from(["", " ", "\u00a0", "\u200f", "\ufeff", "\t", "\u3000"])
    assert parse_int(data.draw(padding) + typed + data.draw(padding)) == number
