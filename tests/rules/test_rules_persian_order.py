"""Persian alphabetical order by code-point keys, and name matching that ignores how a name was typed."""

import random

import pytest

from wizard.rules.persian_order import match_key
from wizard.rules.persian_order import sort_key

ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def test_every_letter_sorts_in_alphabet_order():
    assert sorted(ALPHABET, key=sort_key) == list(ALPHABET)


@pytest.mark.parametrize("names", [
    ["بابک", "بهرام", "پروین", "تینا"],
    ["جواد", "جهانگیر", "چنگیز", "حسن"],
    ["زهرا", "ژاله", "سارا"],
    ["قاسم", "کاظم", "کیوان", "گلاره", "گیتی", "لیلا"],
    ["نرگس", "وحید", "هادی", "هومن", "یاسمن"],
    ["علی", "علی اکبر", "علیرضا", "غلامرضا"],
])
def test_names_sort_in_persian_order(names):
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == names


@pytest.mark.parametrize(("stored", "typed"), [
    ("محمدرضا کریمی", "محمد رضا"),
    ("محمد‌رضا کریمی", "محمدرضا"),
    ("محمدرضا کریمی", "محمد‌رضا  کریمی"),
    ("مریم احمدی", "مريم"),
    ("کاظم یگانه", "كاظم يگانه"),
    ("علی رضایی", "  عـلـی\u200c رضایی "),
    ("یحیی", "يحيى"),
])
def test_a_name_is_found_however_it_is_typed(stored, typed):
    assert match_key(typed) in match_key(stored)


@pytest.mark.parametrize(("stored", "typed"), [("مریم احمدی", "مرتضی"), ("کاظم", "گاظم")])
def test_different_names_stay_different(stored, typed):
    assert match_key(typed) not in match_key(stored)
