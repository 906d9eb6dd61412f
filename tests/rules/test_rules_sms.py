"""SMS part counting (wizard/rules/sms.py): GSM-7 160/153, UCS-2 70/67, extension characters count twice."""

import pytest

from wizard.rules.sms import fits
from wizard.rules.sms import is_gsm7
from wizard.rules.sms import parts
from wizard.rules.sms import units


@pytest.mark.parametrize("text, expected", [
    ("", 0),
    ("a", 1),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("€" * 80, 1),  # an extension character is two septets
    ("€" * 81, 2),
    ("س", 1),
    ("س" * 70, 1),
    ("س" * 71, 2),
    ("س" * 134, 2),
    ("س" * 135, 3),
    ("a" * 69 + "۱", 1),  # one Persian digit makes the whole text UCS-2
    ("a" * 70 + "۱", 2),
    ("😀" * 35, 1),  # outside the BMP: two UTF-16 units each
    ("😀" * 36, 2),
])
def test_parts(text, expected):
    assert parts(text) == expected


@pytest.mark.parametrize("text, gsm", [("Hello @ £ é", True), ("^{}[]~|\\€", True), ("سلام", False),
                                       ("`", False), ("ç", False), ("Ç", True)])
def test_alphabet(text, gsm):
    assert is_gsm7(text) is gsm


def test_units():
    assert units("ab{") == ("gsm7", 4)
    assert units("سلام") == ("ucs2", 4)


@pytest.mark.parametrize("text, ok", [("", False), ("س" * 134, True), ("س" * 135, False)])
def test_fits_two_parts(text, ok):
    assert fits(text) is ok
