"""wizard.rules.provinces: the 31 provinces, their English names and the Persian dropdown order."""

import pytest

from wizard.rules.provinces import ENGLISH_NAMES
from wizard.rules.provinces import PROVINCE_NAMES
from wizard.rules.provinces import PROVINCES
from wizard.rules.text import normalize_persian

# The Persian alphabet's order, with the letters Unicode places elsewhere (چ ک گ ی) where Persian puts them.
ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def _persian_key(name: str) -> list[int]:
    return [ALPHABET.index(letter) if letter in ALPHABET else -1 for letter in name if letter != " "]


def test_there_are_31_distinct_provinces():
    assert len(PROVINCES) == len(PROVINCE_NAMES) == len(set(ENGLISH_NAMES.values())) == 31


def test_they_are_in_persian_alphabetical_order_not_code_point_order():
    names = [fa for fa, _en in PROVINCES]
    assert names == sorted(names, key=_persian_key)
    assert names != sorted(names)  # code points put چ ک گ ی after the others


@pytest.mark.parametrize(("fa", "en"), [("تهران", "Tehran"), ("اصفهان", "Isfahan"), ("چهارمحال و بختیاری",
                                        "Chaharmahal and Bakhtiari"), ("کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
                                        ("یزد", "Yazd"), ("آذربایجان شرقی", "East Azerbaijan")])
def test_english_names(fa, en):
    assert ENGLISH_NAMES[fa] == en


@pytest.mark.parametrize("fa", sorted(PROVINCE_NAMES))
def test_names_are_already_in_normal_persian_form(fa):
    """Imported rows are normalised (Arabic ي/ك to Persian): the stored names must match them."""
    assert normalize_persian(fa) == fa
