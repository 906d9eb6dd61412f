from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from wizard.rules import recovery

KEY = b"k" * 32
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("drawn", "code"), [(0, "000000"), (42, "000042"), (999_999, "999999"), (123456, "123456")])
def test_codes_have_six_digits_with_leading_zeros(drawn, code):
    assert recovery.new_code(lambda bound: drawn if bound == 10 ** 6 else pytest.fail("wrong bound")) == code


def test_a_code_matches_only_itself_and_is_not_kept_plain():
    stored = recovery.code_digest(KEY, "012345")
    assert "012345" not in stored and len(stored) == 64
    assert recovery.code_matches(KEY, stored, "012345")
    assert not recovery.code_matches(KEY, stored, "012346")
    assert not recovery.code_matches(b"other-key" * 4, stored, "012345")


@pytest.mark.parametrize(("mobile", "masked"), [("09121234567", "0912***4567"), ("09901112233", "0990***2233")])
def test_masks_show_the_operator_and_last_four(mobile, masked):
    assert recovery.mask_mobile(mobile) == masked


@pytest.mark.parametrize("typed", ["someone", "0012345678", "x" * 64, ""])
def test_a_decoy_is_a_plausible_mobile_and_the_same_each_time(typed):
    decoy = recovery.decoy_mobile(KEY, typed)
    assert len(decoy) == 11 and decoy.isdigit() and decoy.startswith("09")
    assert decoy == recovery.decoy_mobile(KEY, typed)


def test_decoys_differ_between_names():
    assert len({recovery.decoy_mobile(KEY, f"user{n}") for n in range(50)}) > 45


@pytest.mark.parametrize(("minutes_left", "attempts", "used", "usable", "reason"), [
    (10, 0, False, True, None),
    (1, 4, False, True, None),
    (0, 0, False, False, "expired"),
    (-5, 0, False, False, "expired"),
    (5, 5, False, False, "exhausted"),
    (5, 0, True, False, "used"),
    (-5, 9, True, False, "used"),
])
def test_code_state(minutes_left, attempts, used, usable, reason):
    state = recovery.code_state(NOW, NOW + timedelta(minutes=minutes_left), attempts, used)
    assert (state.usable, state.reason) == (usable, reason)


@pytest.mark.parametrize(("minutes_ago", "still"), [(0, True), (14, True), (15, False), (60, False)])
def test_a_verified_code_allows_the_new_password_for_fifteen_minutes(minutes_ago, still):
    assert recovery.verified_still(NOW, NOW - timedelta(minutes=minutes_ago)) is still

