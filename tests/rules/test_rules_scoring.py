"""wizard.rules.rubric and .scoring: rubric validation, every measure, band and threshold edges, next-rank advice."""

import copy
import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.rubric import Band
from wizard.rules.rubric import Criterion
from wizard.rules.rubric import RubricError
from wizard.rules.rubric import parse_rubric
from wizard.rules.rubric import rubric_to_dict
from wizard.rules.scoring import Outside
from wizard.rules.scoring import next_rank_needs
from wizard.rules.scoring import points_for
from wizard.rules.scoring import rank
from wizard.rules.scoring import score

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
ON = date(2025, 3, 20)  # the reference day: 1 Farvardin 1404 is the next day


def _bands(*pairs):
    return [{"min": low, "points": points} for low, points in pairs]


def _criterion(key, label_fa, label_en, measure, weight, bands, **own):
    return {"key": key, "label_fa": label_fa, "label_en": label_en, "measure": measure, **own,
            "weight": weight, "bands": _bands(*bands)}


# The shipped wizard/rubrics/default.toml as a dict literal, so these tests read no file;
# tests/test_rubric.py checks that the file parses to exactly this.
DEFAULT_RUBRIC = {
    "format": 1,
    "version": "default-1",
    "title_fa": "جدول پیش‌فرض امتیازدهی دفاتر پیشخوان",
    "title_en": "Default scoring table for pishkhan offices",
    "thresholds": {"rank1_min": 65, "rank2_min": 40},
    "criteria": [
        _criterion("floor_area", "مساحت دفتر", "Floor area", "value", 3,
                   [(30, 1), (50, 2), (80, 3), (120, 4), (150, 5)],
                   unit_fa="متر مربع", unit_en="m²", source="premises.floor_area"),
        _criterion("counters", "تعداد باجه", "Service counters", "value", 2,
                   [(2, 1), (3, 2), (4, 3), (6, 4), (8, 5)],
                   unit_fa="باجه", unit_en="counters", source="premises.counters"),
        _criterion("equipment", "تجهیزات (رایانه، چاپگر، اسکنر، کارت‌خوان)",
                   "Equipment (computers, printers, scanners, card readers)", "sum", 2,
                   [(4, 1), (8, 2), (12, 3), (16, 4), (20, 5)], unit_fa="دستگاه", unit_en="devices",
                   sources=["premises.computers", "premises.printers", "premises.scanners", "premises.card_readers"]),
        _criterion("staff_count", "تعداد کارکنان", "Staff", "count", 2,
                   [(2, 1), (3, 2), (4, 3), (6, 4), (8, 5)],
                   unit_fa="نفر", unit_en="people", source="staff.staff"),
        _criterion("staff_education", "کارکنان با مدرک کارشناسی یا بالاتر", "Staff with a bachelor's degree or higher",
                   "share_where", 2, [(25, 1), (50, 3), (75, 5)], unit_fa="درصد", unit_en="%",
                   source="staff.staff", field="education", values=["bachelor", "master", "doctorate"]),
        _criterion("staff_insured", "کارکنان بیمه‌شده", "Insured staff", "share_where", 3,
                   [(50, 1), (75, 3), (100, 5)], unit_fa="درصد", unit_en="%",
                   source="staff.staff", field="insured", values=["yes"]),
        _criterion("staff_disability", "کارکنان دارای معلولیت", "Staff with disabilities", "count_where", 5,
                   [(1, 1)], unit_fa="نفر", unit_en="people",
                   source="staff.staff", field="disability", values=["yes"]),
        _criterion("weekly_hours", "ساعات کار در هفته", "Working hours a week", "weekly_hours", 2,
                   [(36, 1), (40, 2), (44, 3), (48, 4), (56, 5)], unit_fa="ساعت", unit_en="hours"),
        _criterion("years_active", "سابقهٔ فعالیت", "Years of activity", "years_since", 1,
                   [(1, 1), (3, 2), (5, 3), (8, 4), (10, 5)],
                   unit_fa="سال", unit_en="years", source="license.activity_start"),
        _criterion("inspection", "نمرهٔ بازرسی", "Inspection score", "reviewer", 1,
                   [(50, 1), (60, 2), (70, 3), (80, 4), (90, 5)],
                   unit_fa="از ۱۰۰", unit_en="out of 100", source="inspection"),
        _criterion("agency_rating", "ارزیابی دستگاه‌های اجرایی", "Agencies' rating", "reviewer", 1,
                   [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)],
                   unit_fa="از ۵", unit_en="out of 5", source="agency_rating"),
        _criterion("violations", "تخلفات ثبت‌شده", "Recorded violations", "reviewer", 1,
                   [(1, -5), (3, -10), (5, -20)],
                   unit_fa="مورد", unit_en="violations", source="violations", default=0),
    ],
}
DEFAULT = parse_rubric(DEFAULT_RUBRIC)


def person(education="bachelor", insured="yes", disability="no", role="operator"):
    return {"national_code": "0012345679", "full_name": "مریم احمدی", "role": role, "education": education,
            "insured": insured, "insurance_number": "1234567" if insured == "yes" else "", "disability": disability,
            "start_date": {"year": 1398, "month": 7, "day": 1}}


def example_snapshot():
    """The example office of the brief: 80 m², 4 counters, 11 devices, 4 staff, 48 hours a week, since 1395."""
    return {
        "round_id": 1,
        "office": {"license_number": "P-1038", "office_code": "TEH21059", "office_type": "pishkhan",
                   "province": "تهران", "license_date": "2015-01-18", "holder_national_code": "0012345679",
                   "holder_name": "مریم احمدی"},
        "steps": {
            "license": {"office_phone": "02188776655", "mobile": "09121234567", "email": "office@example.ir",
                        "activity_start": {"year": 1395, "month": 7, "day": 1}},
            "address": {"area": "3", "postal_code": "1435678901", "address": "تهران، خیابان آزادی، پلاک ۱۲"},
            "premises": {"floor_area": 80, "ownership": "leased", "counters": 4, "computers": 6, "printers": 2,
                         "scanners": 1, "card_readers": 2, "bandwidth_mbps": 50, "accessible": "yes",
                         "waiting_seats": 12},
            "staff": {"staff": [person("master", role="manager"), person("bachelor"), person("bachelor"),
                                person("diploma")]},
            "hours": {"working_days": 6, "opens_at": "07:30", "closes_at": "15:30", "shifts": 1,
                      "services_offered": 120, "monthly_transactions": 2500},
        },
    }


def bare_minimum_snapshot():
    """What the wizard's forms still accept: 5 m², one counter, no devices, one uninsured person, 1 day a week."""
    return {"round_id": 1, "office": {}, "steps": {
        "license": {"activity_start": {"year": 1403, "month": 10, "day": 1}},
        "premises": {"floor_area": 5, "ownership": "leased", "counters": 1, "computers": 0, "printers": 0,
                     "scanners": 0, "card_readers": 0, "bandwidth_mbps": 0, "accessible": "no", "waiting_seats": 0},
        "staff": {"staff": [person("below_diploma", insured="no")]},
        "hours": {"working_days": 1, "opens_at": "08:00", "closes_at": "09:00", "shifts": 1,
                  "services_offered": 0, "monthly_transactions": 0},
    }}


def one(measure, bands=((10, 1), (20, 3), (30, 6)), weight=1, thresholds=None, **own):
    """A rubric of a single criterion `c`."""
    criterion = _criterion("c", "معیار", "Criterion", measure, weight, bands, **own)
    top = max(0, max(points for _, points in bands)) * weight
    return parse_rubric({"version": "t", "title_fa": "آزمون", "title_en": "Test", "criteria": [criterion],
                         "thresholds": thresholds or {"rank1_min": top, "rank2_min": top - 1}})


def measured(rubric, steps=None, reviewer=None, on=ON):
    return score({"steps": steps if steps is not None else {}}, rubric, Outside(reviewer or {}), on=on).items[0].value


# ---------------------------------------------------------------- measures

STAFF_4 = {"staff": {"staff": [person("master", "yes", "yes"), person("bachelor", "yes"),
                               person("diploma", "no"), person("below_diploma", "yes", "yes")]}}
STAFF_3 = {"staff": {"staff": [person("master"), person("bachelor"), person("diploma")]}}


@pytest.mark.parametrize(("own", "steps", "expected"), [
    ({"source": "premises.floor_area"}, {"premises": {"floor_area": 80}}, 80),
    ({"source": "premises.floor_area"}, {"premises": {"floor_area": 0}}, 0),
    ({"source": "premises.floor_area"}, {"premises": {}}, 0),  # unanswered earns nothing
    ({"source": "premises.floor_area"}, {}, 0),
    ({"source": "hours.monthly_transactions"}, {"hours": {"monthly_transactions": 2500}}, 2500),
])
def test_value(own, steps, expected):
    assert measured(one("value", **own), steps) == expected


@pytest.mark.parametrize(("premises", "expected"), [
    ({"computers": 6, "printers": 2, "scanners": 1, "card_readers": 2}, 11),
    ({"computers": 6, "printers": 2}, 8),
    ({"computers": 0, "printers": 0, "scanners": 0, "card_readers": 0}, 0),
    ({}, 0),
])
def test_sum(premises, expected):
    rubric = one("sum", sources=["premises.computers", "premises.printers", "premises.scanners",
                                 "premises.card_readers"])
    assert measured(rubric, {"premises": premises}) == expected


@pytest.mark.parametrize(("steps", "expected"), [
    (STAFF_4, 4), (STAFF_3, 3), ({"staff": {"staff": []}}, 0), ({"staff": {}}, 0), ({}, 0),
])
def test_count(steps, expected):
    assert measured(one("count", source="staff.staff"), steps) == expected


@pytest.mark.parametrize(("field", "values", "steps", "expected"), [
    ("insured", ["yes"], STAFF_4, 3),
    ("insured", ["no"], STAFF_4, 1),
    ("disability", ["yes"], STAFF_4, 2),
    ("disability", ["yes"], STAFF_3, 0),
    ("education", ["bachelor", "master", "doctorate"], STAFF_4, 2),
    ("education", ["doctorate"], STAFF_4, 0),
    ("role", ["manager"], STAFF_3, 0),
    ("insured", ["yes"], {}, 0),
])
def test_count_where(field, values, steps, expected):
    assert measured(one("count_where", source="staff.staff", field=field, values=values), steps) == expected


@pytest.mark.parametrize(("field", "values", "steps", "expected"), [
    ("insured", ["yes"], STAFF_4, 75),
    ("education", ["bachelor", "master", "doctorate"], STAFF_4, 50),
    ("education", ["bachelor", "master", "doctorate"], STAFF_3, 66),  # 66.67 % rounds down
    ("education", ["master"], STAFF_3, 33),
    ("insured", ["yes"], STAFF_3, 100),
    ("insured", ["no"], STAFF_3, 0),
    ("insured", ["yes"], {"staff": {"staff": []}}, 0),  # no staff: 0, not a division by zero
    ("insured", ["yes"], {}, 0),
])
def test_share_where(field, values, steps, expected):
    assert measured(one("share_where", source="staff.staff", field=field, values=values), steps) == expected


@pytest.mark.parametrize(("values", "premises", "expected"), [
    (["yes"], {"accessible": "yes"}, 1), (["yes"], {"accessible": "no"}, 0), (["yes"], {}, 0),
    (["owned"], {"ownership": "owned"}, 1), (["owned", "leased"], {"ownership": "leased"}, 1),
])
def test_matches(values, premises, expected):
    source = "premises.accessible" if values == ["yes"] else "premises.ownership"
    assert measured(one("matches", source=source, values=values), {"premises": premises}) == expected


@pytest.mark.parametrize(("hours", "expected"), [
    ({"working_days": 6, "opens_at": "07:30", "closes_at": "15:30"}, 48),
    ({"working_days": 6, "opens_at": "08:00", "closes_at": "15:30"}, 45),  # 6 × 7½, not 6 × 7
    ({"working_days": 5, "opens_at": "08:00", "closes_at": "16:59"}, 44),  # 44.9 rounds down
    ({"working_days": 7, "opens_at": "00:00", "closes_at": "23:59"}, 167),
    ({"working_days": 1, "opens_at": "08:00", "closes_at": "08:00"}, 0),
    ({"working_days": 6, "opens_at": "16:00", "closes_at": "08:00"}, 0),  # never negative
    ({"working_days": 6, "opens_at": "08:00"}, 0),
    ({"opens_at": "08:00", "closes_at": "16:00"}, 0),
    ({}, 0),
])
def test_weekly_hours(hours, expected):
    assert measured(one("weekly_hours"), {"hours": hours}) == expected


START = {"license": {"activity_start": {"year": 1395, "month": 7, "day": 1}}}  # = 2016-09-22


@pytest.mark.parametrize(("on", "expected"), [
    (date(2025, 9, 21), 8), (date(2025, 9, 22), 9), (date(2017, 9, 21), 0), (date(2017, 9, 22), 1),
    (date(2016, 9, 22), 0), (date(2016, 9, 21), 0), (date(2000, 1, 1), 0),  # a start after `on` is never negative
])
def test_years_since(on, expected):
    assert measured(one("years_since", source="license.activity_start"), START, on=on) == expected


def test_years_since_unanswered():
    assert measured(one("years_since", source="license.activity_start"), {"license": {}}) == 0


def test_years_since_leap_day():
    # 1399/12/30 is 2021-03-20; 1403/12/30 is 2025-03-20: four whole years on the day, three the day before.
    rubric = one("years_since", source="license.activity_start")
    steps = {"license": {"activity_start": {"year": 1399, "month": 12, "day": 30}}}
    assert measured(rubric, steps, on=date(2025, 3, 20)) == 4
    assert measured(rubric, steps, on=date(2025, 3, 19)) == 3


@pytest.mark.parametrize(("reviewer", "default", "expected"), [
    ({"violations": 2}, None, 2), ({"violations": 0}, None, 0), ({}, None, 0), (None, None, 0),
    ({"violations": None}, None, 0), ({}, 3, 3), ({"violations": 1}, 3, 1), ({"other": 5}, None, 0),
])
def test_reviewer(reviewer, default, expected):
    own = {"source": "violations"} | ({} if default is None else {"default": default})
    assert measured(one("reviewer", **own), reviewer=reviewer) == expected


@pytest.mark.parametrize(("rubric", "steps", "reviewer", "fragment"), [
    (one("value", source="premises.floor_area"), {"premises": {"floor_area": "80"}}, None, "premises.floor_area"),
    (one("value", source="premises.floor_area"), {"premises": {"floor_area": 80.5}}, None, "premises.floor_area"),
    (one("value", source="premises.floor_area"), {"premises": {"floor_area": True}}, None, "premises.floor_area"),
    (one("value", source="premises.floor_area"), {"premises": [80]}, None, "steps.premises"),
    (one("count", source="staff.staff"), {"staff": {"staff": "many"}}, None, "staff.staff"),
    (one("count", source="staff.staff"), {"staff": {"staff": [1, 2]}}, None, "staff.staff"),
    (one("weekly_hours"), {"hours": {"working_days": 5, "opens_at": "7:30", "closes_at": "15:00"}}, None,
     "hours.opens_at"),
    (one("weekly_hours"), {"hours": {"working_days": 5, "opens_at": "07:30", "closes_at": "24:00"}}, None,
     "hours.closes_at"),
    (one("years_since", source="license.activity_start"),
     {"license": {"activity_start": {"year": 1404, "month": 12, "day": 30}}}, None, "license.activity_start"),
    (one("years_since", source="license.activity_start"), {"license": {"activity_start": "1395/07/01"}}, None,
     "license.activity_start"),
    (one("years_since", source="license.activity_start"),
     {"license": {"activity_start": {"year": [1395], "month": 7, "day": 1}}}, None, "license.activity_start"),
    (one("reviewer", source="violations"), {}, {"violations": "2"}, "violations"),
    (one("reviewer", source="violations"), {}, {"violations": 2.0}, "violations"),
    (one("reviewer", source="violations"), {}, [("violations", 2)], "Outside"),
])
def test_malformed_snapshot_or_reviewer_is_refused(rubric, steps, reviewer, fragment):
    with pytest.raises(ValueError, match=fragment):
        score({"steps": steps}, rubric, Outside({} if reviewer is None else reviewer), on=ON)


@pytest.mark.parametrize("snapshot", [None, {}, {"steps": None}, {"steps": []}, []])
def test_no_snapshot_is_not_scored(snapshot):
    with pytest.raises(ValueError):
        score(snapshot, DEFAULT, on=ON)


@pytest.mark.parametrize("on", [None, "2025-03-20", datetime(2025, 3, 20, 12, 0)])
def test_reference_day_must_be_a_date(on):
    with pytest.raises(ValueError, match="on must be a date"):
        score(example_snapshot(), DEFAULT, on=on)


# ---------------------------------------------------------------- bands and weights

EDGES = [(-5, 0), (0, 0), (9, 0), (10, 1), (11, 1), (19, 1), (20, 3), (29, 3), (30, 6), (31, 6), (10**9, 6)]


@pytest.mark.parametrize(("value", "expected"), EDGES)
def test_band_edges(value, expected):
    rubric = one("value", source="premises.floor_area")
    assert points_for(rubric.criteria[0], value) == expected
    item = score({"steps": {"premises": {"floor_area": value}}}, rubric, on=ON).items[0]
    assert (item.value, item.points, item.contribution) == (value, expected, expected)


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (1, -5), (2, -5), (3, -10), (4, -10), (5, -20), (99, -20)])
def test_negative_points_subtract(value, expected):
    rubric = one("reviewer", bands=((1, -5), (3, -10), (5, -20)), source="violations")
    breakdown = score({"steps": {}}, rubric, Outside({"violations": value}), on=ON)
    assert (breakdown.items[0].points, breakdown.total) == (expected, expected)
    assert breakdown.items[0].max_contribution == 0


@pytest.mark.parametrize(("value", "weight", "expected"), [(9, 4, 0), (10, 4, 4), (25, 4, 12), (30, 4, 24), (30, 1, 6)])
def test_weight_multiplies_points(value, weight, expected):
    rubric = one("value", weight=weight, source="premises.floor_area")
    item = score({"steps": {"premises": {"floor_area": value}}}, rubric, on=ON).items[0]
    assert (item.weight, item.contribution, item.max_contribution) == (weight, expected, 6 * weight)


def test_single_band_and_band_starting_below_zero():
    rubric = one("value", bands=((-10, 2),), source="premises.floor_area")
    assert [points_for(rubric.criteria[0], v) for v in (-11, -10, 0, 50)] == [0, 2, 2, 2]


# ---------------------------------------------------------------- rank

@pytest.mark.parametrize(("total", "expected"), [
    (-100, 3), (0, 3), (39, 3), (40, 2), (41, 2), (64, 2), (65, 1), (66, 1), (100, 1), (10**6, 1),
])
def test_rank_at_threshold_edges(total, expected):
    assert rank(total, DEFAULT) == expected


@pytest.mark.parametrize("total", [40.0, "40", True, None])
def test_rank_needs_an_integer(total):
    with pytest.raises(ValueError):
        rank(total, DEFAULT)


# ---------------------------------------------------------------- the default rubric

EXAMPLE_REVIEWER = {"violations": 2, "inspection": 80, "agency_rating": 4}
# key: (value, points, contribution) for the example office, without then with reviewer indicators.
EXAMPLE = {
    "floor_area": (80, 3, 9), "counters": (4, 3, 6), "equipment": (11, 2, 4), "staff_count": (4, 3, 6),
    "staff_education": (75, 5, 10), "staff_insured": (100, 5, 15), "staff_disability": (0, 0, 0),
    "weekly_hours": (48, 4, 8), "years_active": (8, 4, 4),
    "inspection": (0, 0, 0), "agency_rating": (0, 0, 0), "violations": (0, 0, 0),
}
REVIEWED = EXAMPLE | {"inspection": (80, 4, 4), "agency_rating": (4, 4, 4), "violations": (2, -5, -5)}


def lines(breakdown):
    return {item.key: (item.value, item.points, item.contribution) for item in breakdown.items}


def test_default_rubric_shape():
    assert DEFAULT.max_total == 100
    assert DEFAULT.indicators == ("inspection", "agency_rating", "violations")
    assert (DEFAULT.rank1_min, DEFAULT.rank2_min) == (65, 40)


def test_example_office_before_reviewer_indicators():
    breakdown = score(example_snapshot(), DEFAULT, on=ON)
    assert lines(breakdown) == EXAMPLE
    assert breakdown.total == 62 and rank(breakdown.total, DEFAULT) == 2
    assert breakdown.rubric_version == "default-1" and breakdown.max_total == 100
    assert breakdown.items[0].label_fa == "مساحت دفتر" and breakdown.items[0].unit_en == "m²"


def test_example_office_with_reviewer_indicators():
    breakdown = score(example_snapshot(), DEFAULT, Outside(EXAMPLE_REVIEWER), on=ON)
    assert lines(breakdown) == REVIEWED
    assert breakdown.total == 65 and rank(breakdown.total, DEFAULT) == 1
    assert next_rank_needs(breakdown, DEFAULT) is None


def test_bare_minimum_office_is_rank_3():
    breakdown = score(bare_minimum_snapshot(), DEFAULT, on=ON)
    assert breakdown.total == 0 and rank(breakdown.total, DEFAULT) == 3
    with_violations = score(bare_minimum_snapshot(), DEFAULT, Outside({"violations": 5}), on=ON)
    assert with_violations.total == -20 and rank(with_violations.total, DEFAULT) == 3


def test_score_does_not_change_its_inputs():
    snapshot, reviewer = example_snapshot(), dict(EXAMPLE_REVIEWER)
    score(snapshot, DEFAULT, Outside(reviewer), on=ON)
    assert snapshot == example_snapshot() and reviewer == EXAMPLE_REVIEWER


# ---------------------------------------------------------------- next rank

def gains(needs):
    return [(g.key, g.value, g.target, g.more, g.points) for g in needs.gains]


def test_next_rank_from_rank_2():
    needs = next_rank_needs(score(example_snapshot(), DEFAULT, on=ON), DEFAULT)
    assert (needs.rank, needs.needed) == (1, 3)
    # Largest gain first; equal gains keep rubric order; violations (bands that subtract) offer nothing.
    assert gains(needs) == [
        ("staff_disability", 0, 1, 1, 5), ("floor_area", 80, 120, 40, 3), ("counters", 4, 6, 2, 2),
        ("equipment", 11, 12, 1, 2), ("staff_count", 4, 6, 2, 2), ("weekly_hours", 48, 56, 8, 2),
        ("years_active", 8, 10, 2, 1), ("inspection", 0, 50, 50, 1), ("agency_rating", 0, 1, 1, 1),
    ]
    assert needs.gains[0].label_en == "Staff with disabilities" and needs.gains[0].unit_fa == "نفر"


def test_next_rank_from_rank_3():
    needs = next_rank_needs(score(bare_minimum_snapshot(), DEFAULT, Outside({"violations": 1}), on=ON), DEFAULT)
    assert (needs.rank, needs.needed) == (2, 45)  # 40 − (−5)
    assert gains(needs)[:3] == [("staff_disability", 0, 1, 1, 5), ("floor_area", 5, 30, 25, 3),
                                ("staff_insured", 0, 50, 50, 3)]
    assert "violations" not in [g.key for g in needs.gains]


def test_next_rank_gain_is_the_difference_to_the_next_band():
    rubric = one("value", weight=2, source="premises.floor_area", thresholds={"rank1_min": 12, "rank2_min": 6})
    needs = next_rank_needs(score({"steps": {"premises": {"floor_area": 22}}}, rubric, on=ON), rubric)
    assert (needs.rank, needs.needed, gains(needs)) == (1, 6, [("c", 22, 30, 8, 6)])


def test_next_rank_skips_bands_that_pay_less():
    rubric = one("value", bands=((10, 4), (20, 2), (30, 5)), source="premises.floor_area",
                 thresholds={"rank1_min": 5, "rank2_min": 4})
    needs = next_rank_needs(score({"steps": {"premises": {"floor_area": 12}}}, rubric, on=ON), rubric)
    assert gains(needs) == [("c", 12, 30, 18, 1)]


def test_next_rank_at_the_top_band_offers_nothing():
    rubric = parse_rubric({"version": "t", "title_fa": "آزمون", "title_en": "Test",
                           "thresholds": {"rank1_min": 2, "rank2_min": 1}, "criteria": [
                               _criterion("area", "مساحت", "Area", "value", 1, [(10, 1)], source="premises.floor_area"),
                               _criterion("counters", "باجه", "Counters", "value", 1, [(2, 1)],
                                          source="premises.counters")]})
    breakdown = score({"steps": {"premises": {"floor_area": 10, "counters": 1}}}, rubric, on=ON)
    needs = next_rank_needs(breakdown, rubric)
    assert (breakdown.total, needs.rank, needs.needed) == (1, 1, 1)
    assert gains(needs) == [("counters", 1, 2, 1, 1)]  # the area is already in its top band


def test_next_rank_refuses_a_breakdown_of_another_rubric():
    breakdown = score(example_snapshot(), DEFAULT, on=ON)
    with pytest.raises(ValueError, match="another rubric"):
        next_rank_needs(breakdown, one("value", source="premises.floor_area",
                                       thresholds={"rank1_min": 6, "rank2_min": 1}))


# ---------------------------------------------------------------- validation

def mutated(change):
    data = copy.deepcopy(DEFAULT_RUBRIC)
    change(data)
    return data


def _set(path, value):
    def change(data):
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        target[last] = value
    return change


def _drop(path):
    def change(data):
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        del target[last]
    return change


INSURED = ("criteria", 5)  # the sixth [[criteria]], staff_insured
INVALID = [
    (_drop(("thresholds",)), "rubric: missing key 'thresholds'"),
    (_drop(("version",)), "rubric: missing key 'version'"),
    (_set(("versoin",), "x"), "rubric: unknown key 'versoin'; did you mean 'version'?"),
    (_set(("format",), 3), "format: must be one of 1, 2, not 3 (an integer)"),
    (_set(("format",), True), "format: must be one of 1, 2, not True (a true/false value)"),
    (_set(("version",), 3), "version: must be non-empty text in quotes, not 3 (an integer)"),
    (_set(("title_fa",), "  "), "title_fa: must be non-empty text in quotes, not '  ' (text)"),
    (_set(("thresholds",), 65), "thresholds: must be a table, not 65 (an integer)"),
    (_drop(("thresholds", "rank2_min")), "thresholds: missing key 'rank2_min'"),
    (_set(("thresholds", "rank3_min"), 0), "thresholds: unknown key 'rank3_min'; did you mean 'rank2_min'?"),
    (_set(("thresholds", "rank1_min"), 40), "thresholds.rank1_min: must be greater than rank2_min (40), not 40"),
    (_set(("thresholds", "rank1_min"), 30), "thresholds.rank1_min: must be greater than rank2_min (40), not 30"),
    (_set(("thresholds", "rank1_min"), 65.5), "thresholds.rank1_min: must be an integer, not 65.5 (a decimal number)"),
    (_set(("thresholds", "rank1_min"), 101),
     "thresholds.rank1_min: 101 is more than the highest possible total (100)"),
    (_set(("criteria",), []), "criteria: must be a non-empty array of [[criteria]] tables"),
    (_set(("criteria",), {"key": "x"}), "criteria: must be a non-empty array of [[criteria]] tables"),
    (_set(("criteria", 2), "equipment"), "criteria[3]: must be a table, not 'equipment' (text)"),
    (_drop(INSURED + ("measure",)), "criteria[6] (staff_insured): missing key 'measure'"),
    (_drop(INSURED + ("key",)), "criteria[6]: missing key 'key'"),
    (_drop(INSURED + ("weight",)), "criteria[6] (staff_insured): missing key 'weight'"),
    (_drop(INSURED + ("values",)), "criteria[6] (staff_insured): missing key 'values'"),
    (_set(INSURED + ("wieght",), 2), "criteria[6] (staff_insured): unknown key 'wieght'; did you mean 'weight'?"),
    (_set(INSURED + ("default",), 2), "criteria[6] (staff_insured): measure 'share_where' takes no key 'default'"),
    (_set(INSURED + ("colour",), 2), "criteria[6] (staff_insured): unknown key 'colour'; expected one of: "
                                     "bands, field, key, label_en, label_fa, measure, office_types, placeholder, "
                                     "source, unit_en, unit_fa, values, weight"),
    (_set(INSURED + ("measure",), "share"),
     "criteria[6] (staff_insured).measure: unknown measure 'share'; did you mean 'share_where'?"),
    (_set(INSURED + ("measure",), "median"),
     "criteria[6] (staff_insured).measure: unknown measure 'median'; expected one of: count, count_where, "
     "matches, reviewer, score, share_where, sum, value, violations, weekly_hours, years_since"),
    (_set(INSURED + ("key",), "Staff Insured"),
     "criteria[6] (Staff Insured).key: must be lowercase letters, digits and _ starting with a letter, "
     "not 'Staff Insured' (text)"),
    (_set(INSURED + ("key",), "floor_area"), "criteria[6] (floor_area).key: duplicate of criteria[1]"),
    (_set(INSURED + ("weight",), 1.5),
     "criteria[6] (staff_insured).weight: must be an integer, not 1.5 (a decimal number)"),
    (_set(INSURED + ("weight",), "3"), "criteria[6] (staff_insured).weight: must be an integer, not '3' (text)"),
    (_set(INSURED + ("weight",), True),
     "criteria[6] (staff_insured).weight: must be an integer, not True (a true/false value)"),
    (_set(INSURED + ("weight",), 0), "criteria[6] (staff_insured).weight: must be at least 1, not 0"),
    (_set(INSURED + ("bands",), []),
     "criteria[6] (staff_insured).bands: must be a non-empty array of { min = …, points = … } tables"),
    (_set(INSURED + ("bands", 1), {"min": 50, "points": 3}),
     "criteria[6] (staff_insured).bands[2].min: must be greater than the previous band's min (50)"),
    (_set(INSURED + ("bands", 2), {"min": 60, "points": 5}),
     "criteria[6] (staff_insured).bands[3].min: must be greater than the previous band's min (75)"),
    (_set(INSURED + ("bands", 1), {"min": 75}), "criteria[6] (staff_insured).bands[2]: missing key 'points'"),
    (_set(INSURED + ("bands", 1), {"min": 75, "points": 3, "max": 99}),
     "criteria[6] (staff_insured).bands[2]: unknown key 'max'; expected one of: min, points"),
    (_set(INSURED + ("bands", 0), {"min": 50, "points": 1.5}),
     "criteria[6] (staff_insured).bands[1].points: must be an integer, not 1.5 (a decimal number)"),
    (_set(INSURED + ("bands", 0), [50, 1]),
     "criteria[6] (staff_insured).bands[1]: must be a table, not [50, 1] (an array)"),
    (_set(INSURED + ("bands", 2), {"min": 120, "points": 5}),
     "criteria[6] (staff_insured).bands[3].min: a share is a percentage from 0 to 100, so 120 is never reached"),
    (_set(INSURED + ("source",), "staff.members"),
     "criteria[6] (staff_insured).source: unknown list 'staff.members'; expected one of: staff.staff"),
    (_set(INSURED + ("field",), "insurance"),
     "criteria[6] (staff_insured).field: unknown field of staff.staff 'insurance'; did you mean 'insured'?"),
    (_set(INSURED + ("values",), ["yes", "yess"]),
     "criteria[6] (staff_insured).values[2]: unknown value 'yess'; did you mean 'yes'?"),
    (_set(INSURED + ("values",), ["yes", "yes"]), "criteria[6] (staff_insured).values[2]: 'yes' is listed twice"),
    (_set(INSURED + ("values",), "yes"), "criteria[6] (staff_insured).values: must be a non-empty array of values"),
    (_set(INSURED + ("label_en",), ""),
     "criteria[6] (staff_insured).label_en: must be non-empty text in quotes, not '' (text)"),
    (_set(INSURED + ("unit_en",), 5), "criteria[6] (staff_insured).unit_en: must be text, not 5 (an integer)"),
    (_set(("criteria", 0, "source"), "premises.floor"),
     "criteria[1] (floor_area).source: unknown numeric field 'premises.floor'; did you mean 'premises.floor_area'?"),
    (_set(("criteria", 0, "source"), "premises.accessible"),
     "criteria[1] (floor_area).source: 'premises.accessible' is a choice field, not a numeric field"),
    (_set(("criteria", 3, "source"), "premises.counters"),
     "criteria[4] (staff_count).source: 'premises.counters' is a numeric field, not a list"),
    (_set(("criteria", 2, "sources"), ["premises.computers", "premises.computers"]),
     "criteria[3] (equipment).sources[2]: 'premises.computers' is listed twice"),
    (_set(("criteria", 2, "sources"), ["premises.computers", "premises.mice"]),
     "criteria[3] (equipment).sources[2]: unknown numeric field 'premises.mice'; did you mean 'premises.scanners'?"),
    (_set(("criteria", 2, "sources"), "premises.computers"),
     "criteria[3] (equipment).sources: must be a non-empty array of numeric fields"),
    (_set(("criteria", 7, "source"), "hours"),
     "criteria[8] (weekly_hours): measure 'weekly_hours' takes no key 'source'"),
    (_set(("criteria", 7, "sorce"), "hours"), "criteria[8] (weekly_hours): unknown key 'sorce'; expected one of: "
                                              "bands, key, label_en, label_fa, measure, office_types, placeholder, "
                                              "unit_en, unit_fa, weight"),
    (_set(("criteria", 8, "source"), "staff.start_date"),
     "criteria[9] (years_active).source: unknown date field 'staff.start_date'; expected one of: "
     "license.activity_start"),
    (_set(("criteria", 11, "source"), "Violations!"),
     "criteria[12] (violations).source: must name a score in lowercase letters, digits and _, "
     "not 'Violations!' (text)"),
    (_set(("criteria", 11, "default"), "0"), "criteria[12] (violations).default: must be an integer, not '0' (text)"),
]


@pytest.mark.parametrize(("change", "message"), INVALID)
def test_invalid_rubric_is_refused_with_a_precise_message(change, message):
    with pytest.raises(RubricError) as caught:
        parse_rubric(mutated(change))
    assert str(caught.value) == message


@pytest.mark.parametrize("data", [None, [], "rubric", 3])
def test_rubric_must_be_a_table(data):
    with pytest.raises(RubricError, match="^rubric: must be a table"):
        parse_rubric(data)


def test_rubric_error_is_a_value_error():
    assert issubclass(RubricError, ValueError)


def test_parsed_rubric_is_typed():
    insured = DEFAULT.criteria[5]
    assert insured == Criterion(key="staff_insured", label_fa="کارکنان بیمه‌شده", label_en="Insured staff",
                                measure="share_where", weight=3, bands=(Band(50, 1), Band(75, 3), Band(100, 5)),
                                sources=("staff.staff",), field="insured", values=("yes",), unit_fa="درصد",
                                unit_en="%")
    assert DEFAULT.criteria[2].sources == ("premises.computers", "premises.printers", "premises.scanners",
                                           "premises.card_readers")


def test_format_is_optional_and_labels_are_trimmed():
    data = mutated(_drop(("format",)))
    data["criteria"][0]["label_en"] = "  Floor area "
    assert parse_rubric(data) == DEFAULT


def test_stored_form_round_trips_through_json():
    stored = rubric_to_dict(DEFAULT)
    assert parse_rubric(json.loads(json.dumps(stored, ensure_ascii=False))) == DEFAULT
    assert stored["format"] == 2 and stored["criteria"][9]["default"] == 0  # defaults spelled out


@pytest.mark.parametrize("measure_args", [
    {"measure": "matches", "source": "premises.accessible", "values": ["yes"]},
    {"measure": "weekly_hours"},
    {"measure": "reviewer", "source": "inspection", "default": 50},
    {"measure": "count_where", "source": "staff.staff", "field": "role", "values": ["manager"]},
])
def test_every_measure_round_trips(measure_args):
    rubric = one(bands=((1, 1),), **measure_args)
    assert parse_rubric(rubric_to_dict(rubric)) == rubric


# ---------------------------------------------------------------- properties

STAFF_ROWS = st.lists(st.builds(person, education=st.sampled_from(
    ["below_diploma", "diploma", "associate", "bachelor", "master", "doctorate"]),
    insured=st.sampled_from(["yes", "no"]), disability=st.sampled_from(["yes", "no"])), max_size=12)
TIMES = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
SNAPSHOTS = st.builds(
    lambda premises, staff, days, opens, closes, year: {"steps": {
        "license": {"activity_start": {"year": year, "month": 7, "day": 1}},
        "premises": premises, "staff": {"staff": staff},
        "hours": {"working_days": days, "opens_at": opens, "closes_at": closes}}},
    st.fixed_dictionaries({name: st.integers(0, 300) for name in (
        "floor_area", "counters", "computers", "printers", "scanners", "card_readers")}),
    STAFF_ROWS, st.integers(1, 7), TIMES, TIMES, st.integers(1380, 1410))
REVIEWERS = st.fixed_dictionaries({}, optional={
    "violations": st.integers(0, 10), "inspection": st.integers(0, 100), "agency_rating": st.integers(0, 5)})


@PROPERTY
@given(SNAPSHOTS, REVIEWERS)
def test_total_is_the_sum_of_contributions(snapshot, reviewer):
    breakdown = score(snapshot, DEFAULT, Outside(reviewer), on=ON)
    assert isinstance(breakdown.total, int)
    assert breakdown.total == sum(item.contribution for item in breakdown.items)
    for item, criterion in zip(breakdown.items, DEFAULT.criteria, strict=True):
        assert item.contribution == item.points * item.weight
        assert item.points in {0} | {band.points for band in criterion.bands}
        assert item.contribution <= item.max_contribution
    assert -20 <= breakdown.total <= DEFAULT.max_total


@PROPERTY
@given(SNAPSHOTS, REVIEWERS)
def test_next_rank_advice_is_consistent(snapshot, reviewer):
    breakdown = score(snapshot, DEFAULT, Outside(reviewer), on=ON)
    needs = next_rank_needs(breakdown, DEFAULT)
    current = rank(breakdown.total, DEFAULT)
    if current == 1:
        assert needs is None
        return
    threshold = DEFAULT.rank1_min if current == 2 else DEFAULT.rank2_min
    assert (needs.rank, needs.needed) == (current - 1, threshold - breakdown.total) and needs.needed > 0
    points = [gain.points for gain in needs.gains]
    assert points == sorted(points, reverse=True) and all(p > 0 for p in points)
    assert all(gain.more == gain.target - gain.value > 0 for gain in needs.gains)


@PROPERTY
@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(-10**6, 10**6), st.integers(-10**6, 10**6))
def test_rank_is_monotone_in_total(rank2_min, gap, a, b):
    rubric = one("value", bands=((0, 10**7),), source="premises.floor_area",
                 thresholds={"rank1_min": rank2_min + abs(gap) + 1, "rank2_min": rank2_min})
    low, high = sorted((a, b))
    assert rank(low, rubric) >= rank(high, rubric)
    assert rank(rubric.rank1_min, rubric) == 1 and rank(rubric.rank2_min, rubric) == 2
    assert rank(rubric.rank2_min - 1, rubric) == 3 and rank(rubric.rank1_min - 1, rubric) == 2


@PROPERTY
@given(st.lists(st.tuples(st.integers(-100, 100), st.integers(-10, 10)), min_size=1, max_size=8,
                unique_by=lambda band: band[0]), st.integers(-200, 200))
def test_points_are_those_of_the_highest_band_reached(pairs, value):
    bands = sorted(pairs)
    criterion = Criterion(key="c", label_fa="م", label_en="C", measure="value", weight=1,
                          bands=tuple(Band(low, points) for low, points in bands), sources=("premises.floor_area",))
    reached = [points for low, points in bands if low <= value]
    assert points_for(criterion, value) == (reached[-1] if reached else 0)


def test_measured_agrees_with_score():
    from wizard.rules.scoring import measured

    rubric = parse_rubric(DEFAULT_RUBRIC)
    breakdown = score(example_snapshot(), rubric, Outside({"violations": 1}), on=date(2026, 12, 17))
    values, total = measured(example_snapshot(), rubric, Outside({"violations": 1}), on=date(2026, 12, 17))
    assert total == breakdown.total
    assert values == {item.key: item.value for item in breakdown.items}
