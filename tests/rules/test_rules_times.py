"""wizard.rules.times: a time of day as people type it, stored as HH:MM."""

import re

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules import vocabulary
from wizard.rules.text import INVISIBLE
from wizard.rules.text import InputError
from wizard.rules.times import ERR_FORMAT
from wizard.rules.times import ERR_RANGE
from wizard.rules.times import TIME_SEPARATORS
from wizard.rules.times import parse_time_of_day

PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, database=None)
DIGIT_SCRIPTS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(("typed", "stored"), [
    ("8:00", "08:00"), ("08:00", "08:00"), ("۸:۰۰", "08:00"), ("٨:٠٠", "08:00"), ("۰۸:۰۰", "08:00"),
    ("0۸:٠0", "08:00"), ("8.00", "08:00"), ("۸٫۰۰", "08:00"), ("8\uff1a00", "08:00"), ("8\u223600", "08:00"),
    ("8\ua78900", "08:00"), ("8 : 00", "08:00"), ("8: 00", "08:00"), (" 8:00 ", "08:00"), ("\u200f۸:۳۰\u200e", "08:30"),
    ("\u00a016:30\u00a0", "16:30"), ("\ufeff1\u200c6:3\u200d0", "16:30"), ("\u20667:05\u2069", "07:05"),
    ("0:00", "00:00"), ("00:00", "00:00"), ("23:59", "23:59"), ("۲۳:۵۹", "23:59"), ("12:00", "12:00"),
])
def test_a_time_typed_any_way_is_stored_as_hh_mm(typed, stored):
    assert parse_time_of_day(typed) == stored


@pytest.mark.parametrize("typed", [
    "", " ", "\u200f", "8", "۸", "800", "0800", "8:5", "8:0", "8:000", "108:00", "8:00:00", "-8:00", "+8:00",
    "8:00 صبح", "8am", "هشت", "8,00", "8::00", "8:0 0", "8 00", "8-00", "8/00", "8؛00", "８:００", "²:00",
])
def test_a_time_of_another_shape_is_refused(typed):
    with pytest.raises(InputError) as refused:
        parse_time_of_day(typed)
    assert (refused.value.reason, str(refused.value)) == ("format", ERR_FORMAT)


@pytest.mark.parametrize("typed", ["24:00", "۲۴:۰۰", "25:30", "99:99", "8:60", "۸:۷۵", "23:60", "00:99"])
def test_an_hour_or_minute_out_of_range_is_refused(typed):
    with pytest.raises(InputError) as refused:
        parse_time_of_day(typed)
    assert (refused.value.reason, str(refused.value)) == ("range", ERR_RANGE)


@pytest.mark.parametrize("value", [None, 800, 8.0])
def test_only_text_is_read(value):
    with pytest.raises(InputError):
        parse_time_of_day(value)


@PROPERTY
@given(st.integers(0, 23), st.integers(0, 59), st.data())
def test_every_time_reads_back_in_any_digits_separator_and_marks(hour, minute, data):
    hour_text = f"{hour:02d}" if data.draw(st.booleans()) else str(hour)
    marks = st.lists(st.sampled_from(sorted(INVISIBLE)), max_size=2).map("".join)
    digits = "".join(DIGIT_SCRIPTS[data.draw(st.integers(0, 2))][int(d)] + data.draw(marks) for d in hour_text)
    minutes = "".join(DIGIT_SCRIPTS[data.draw(st.integers(0, 2))][int(d)] for d in f"{minute:02d}")
    typed = digits + data.draw(st.sampled_from(TIME_SEPARATORS)) + minutes
    stored = parse_time_of_day(data.draw(st.sampled_from(["", " ", "\u00a0"])) + typed)
    assert stored == f"{hour:02d}:{minute:02d}"
    assert re.fullmatch(vocabulary.TIME_OF_DAY, stored)  # the stored form the vocabulary names
    assert parse_time_of_day(stored) == stored


@PROPERTY
@given(st.integers(0, 99), st.integers(0, 99))
def test_a_time_is_refused_exactly_when_it_is_not_on_the_clock(hour, minute):
    typed = f"{hour}:{minute:02d}"
    if hour <= 23 and minute <= 59:
        assert parse_time_of_day(typed) == f"{hour:02d}:{minute:02d}"
    else:
        with pytest.raises(InputError, match="ساعت"):
            parse_time_of_day(typed)
