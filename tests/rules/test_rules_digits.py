"""How numbers are shown on Persian pages: Persian digits, but a code with Latin letters is never split."""

import re

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules.text import localize_digits


@pytest.mark.parametrize(("text", "shown"), [
    ("نسخهٔ 2", "نسخهٔ ۲"),
    ("09121234567", "۰۹۱۲۱۲۳۴۵۶۷"),
    ("1404/07/01 09:30", "۱۴۰۴/۰۷/۰۱ ۰۹:۳۰"),
    ("TEH21059", "TEH21059"),  # a code with Latin letters keeps its own script, whole
    ("P-1038 و 12", "P-1038 و ۱۲"),
    ("P-۱۰۳۹", "P-1039"),  # typed in Persian digits, a code still reads in one script
    ("پلاک ١٢، واحد 3B", "پلاک ۱۲، واحد 3B"),  # Arabic-Indic digits become Persian too
    ("don&#39;t 5", "don&#39;t ۵"),  # a character reference in escaped text is left whole
    ("&#39;42&#39;", "&#39;۴۲&#39;"),
    ("", ""),
])
def test_localize_digits_turns_numbers_persian_but_never_splits_a_code(text, shown):
    assert localize_digits(text) == shown


@given(st.text())
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_localize_digits_leaves_no_latin_digit_outside_a_latin_word(text):
    shown = localize_digits(text)
    assert len(shown) == len(text)
    for word in re.findall(r"[A-Za-z0-9۰-۹٠-٩][A-Za-z0-9۰-۹٠-٩._\-/:@]*", shown):
        latin = re.search("[A-Za-z]", word)
        assert not re.search("[0-9]" if not latin else "[۰-۹٠-٩]", word), word  # one script per word
