"""Tests for wizard.rules.text: digits, Persian normalisation, integer parsing."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.text import (
    BIDI_MARKS,
    normalize_persian,
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
]
# NASTY holds multi-character pieces such as "\r\n", so join pieces rather than use text(alphabet=...).
NASTY_TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=40).map("".join)
# What normalize_persian deletes outright (whitespace is collapsed, not deleted).
DROPPED = BIDI_MARKS | {"\u200b", "\u2060", "\ufeff"}


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
        ("a\u200db", "a\u200db"),  # ZWJ kept
        ("a\u200bb", "ab"),
        ("۱۲۳ ٤٥", "۱۲۳ ٤٥"),  # digits left alone
        (None, ""),
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
    [("\u200e۱۲\u200f", "۱۲"), ("a\u200cb\u200dc", "abc"), ("\ufeff12\u200b3\u2060", "123"), (" a ", " a ")],
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
    "raw",
    [
        "", "   ", "-", "+5", "--1", "1-", "1,000", "۱٬۰۰۰", "1 000", "1.5", "۱٫۵", "12a", "१२३",
        "５", "²", "9" * 5000, "1" + "0" * 18, "9" * 309, "-" + "9" * 19, None, 12, 1.0,
    ],
)
def test_parse_int_rejects_with_persian_message(raw):
    with pytest.raises(ValueError, match="عدد صحیح"):
        parse_int(raw)


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
    # Apart from the documented mappings and deletions, nothing is lost or added.
    def visible(text):
        mapped = text.translate({ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک"})
        return [ch for ch in mapped if not (ch.isspace() or ch == ZWNJ or ch in DROPPED or _control(ch))]

    assert visible(normalize_persian(raw)) == visible(raw)


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
