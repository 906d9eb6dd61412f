"""wizard.rules.score_entry and the rubric's score sources (format 2): table-driven."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from wizard.rules import score_entry
from wizard.rules.rubric import ScoreSpec
from wizard.rules.rubric import parse_rubric
from wizard.rules.score_entry import Office
from wizard.rules.score_entry import Problem
from wizard.rules.score_entry import Row

SPEC = ScoreSpec("association", "association", 0, 100, True, 0, office_types=("pishkhan", "public_nongov"))
REGIONS = ScoreSpec("satisfaction", "region", 0, 100, False, 0)
END = datetime(2026, 12, 17, 20, 29, 59, tzinfo=UTC)
SCORING = END + timedelta(days=10)


@pytest.mark.parametrize(("role", "spec", "expected"), [
    ("association", SPEC, True), ("region", SPEC, False), ("admin", SPEC, True),
    ("association", REGIONS, False), ("region", REGIONS, True), ("holder", REGIONS, False),
])
def test_who_enters_which_score(role, spec, expected):
    assert score_entry.may_enter(role, spec) is expected


@pytest.mark.parametrize(("role", "expected"), [("region", True), ("admin", True), ("association", False),
                                                ("holder", False)])
def test_only_regions_and_admins_confirm(role, expected):
    assert score_entry.may_confirm(role) is expected


@pytest.mark.parametrize(("now", "deadline", "final", "expected"), [
    (END, SCORING, False, "before"),  # the window's last second is still the holders'
    (END + timedelta(seconds=1), SCORING, False, "open"),
    (SCORING, SCORING, False, "open"),  # the scoring deadline's second is inside
    (SCORING + timedelta(seconds=1), SCORING, False, "closed"),
    (SCORING + timedelta(days=300), None, False, "open"),  # no deadline: open until final
    (END + timedelta(days=1), SCORING, True, "closed"),
])
def test_the_scoring_phase(now, deadline, final, expected):
    assert score_entry.phase(now, END, deadline, final) == expected


@pytest.mark.parametrize(("old", "status", "value", "expected"), [
    (None, None, 5, "entered"), (5, "entered", 5, None), (5, "confirmed", 5, None),
    (5, "confirmed", 6, "entered"), (5, "entered", 0, "entered"),
])
def test_what_an_entry_does_to_the_status(old, status, value, expected):
    assert score_entry.after_entry(old, status, value) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("85", 85), ("۸۵", 85), ("٨٥", 85), (" \u200f۸۵\u200e ", 85), ("0", 0), ("100", 100), ("۱۰۰", 100),
])
def test_a_value_in_any_digits(typed, expected):
    assert score_entry.read_value(typed, SPEC) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("", "empty"), ("  ", "empty"), ("101", "out_of_range"), ("-1", "out_of_range"), ("12.5", "decimal"),
    ("۱۲٫۵", "decimal"), ("هشتاد", "not_a_number"), ("8O", "not_a_number"), ("1,00", "grouping"),
])
def test_a_bad_value_names_its_reason(typed, reason):
    with pytest.raises(Problem) as caught:
        score_entry.read_value(typed, SPEC)
    assert caught.value.reason == reason


@pytest.mark.parametrize(("header", "missing"), [
    (["office_code", "score", "value"], []), (["Value", " SCORE ", "office_code", "note"], []),
    (["office_code", "score"], ["value"]), (["code", "score", "value"], ["office_code"]),
])
def test_the_header(header, missing):
    assert [p.column for p in score_entry.header_problems(header)] == missing


def test_no_header():
    assert [p.reason for p in score_entry.header_problems(None)] == ["no_header"]


OFFICES = {"TEH1": Office(1, "pishkhan"), "TEH2": Office(2, "rural_ict")}
ALL = {"association": SPEC, "satisfaction": REGIONS}


@pytest.mark.parametrize(("cells", "problems"), [
    ({"office_code": "teh1", "score": "Association", "value": "۹۰"}, []),
    ({"office_code": "TEH9", "score": "association", "value": "90"}, [("office_code", "unknown_office")]),
    ({"office_code": "", "score": "association", "value": "90"}, [("office_code", "empty")]),
    ({"office_code": "TEH1", "score": "satisfaction", "value": "90"}, [("score", "not_yours")]),
    ({"office_code": "TEH1", "score": "colour", "value": "90"}, [("score", "unknown_score")]),
    ({"office_code": "TEH2", "score": "association", "value": "90"}, [("score", "not_for_type")]),
    ({"office_code": "TEH1", "score": "association", "value": "900"}, [("value", "out_of_range")]),
    ({"office_code": "TEH9", "score": "", "value": ""}, [("office_code", "unknown_office"), ("score", "empty")]),
    ({"office_code": "TEH9", "score": "association", "value": " "}, [("office_code", "unknown_office")]),
])
def test_each_row_is_checked(cells, problems):
    good, found, skipped = score_entry.check_rows([(2, cells)], OFFICES, {"association": SPEC}, "association", ALL)
    assert [(p.column, p.reason) for p in found] == problems
    assert len(good) == (0 if problems else 1) and skipped == 0


@pytest.mark.parametrize("value", ["", "  ", "\u200f"])
def test_a_row_without_a_value_is_skipped(value):
    rows = [(2, {"office_code": "TEH1", "score": "association", "value": value}),
            (3, {"office_code": "TEH1", "score": "association", "value": "70"})]
    good, found, skipped = score_entry.check_rows(rows, OFFICES, {"association": SPEC}, "association", ALL)
    assert (good, found, skipped) == ([Row(3, "TEH1", 1, "association", 70)], [], 1)


def test_a_repeated_row_is_a_problem_and_good_rows_are_rows():
    rows = [(2, {"office_code": "TEH1", "score": "association", "value": "90"}),
            (3, {"office_code": "teh1", "score": "association", "value": "80"})]
    good, found, _skipped = score_entry.check_rows(rows, OFFICES, {"association": SPEC}, "association", ALL)
    assert good == [Row(2, "TEH1", 1, "association", 90)]
    assert [(p.line, p.reason, p.params) for p in found] == [(3, "duplicate", {"line": 2})]


def test_the_plan_leaves_unchanged_scores_alone():
    rows = [Row(2, "TEH1", 1, "association", 90), Row(3, "TEH2", 2, "satisfaction", 70),
            Row(4, "TEH1", 1, "satisfaction", 60)]
    changes, unchanged = score_entry.plan(rows, {(1, "association"): 90, (2, "satisfaction"): 50})
    assert [row.line for row in changes] == [3, 4] and unchanged == 1
    assert score_entry.plan(rows, {(1, "association"): 90, (2, "satisfaction"): 70, (1, "satisfaction"): 60}) == (
        [], 3)


@pytest.mark.parametrize(("stored", "expected"), [(None, "missing"), ("entered", "entered"),
                                                  ("confirmed", "confirmed"), ("other", "missing")])
def test_state(stored, expected):
    assert score_entry.state(stored) == expected


# ---------------------------------------------------------------- the rubric's sources (format 2)


def criterion(key, measure, **own):
    return {"key": key, "label_fa": key, "label_en": key, "measure": measure, "weight": 1,
            "bands": [{"min": 1, "points": 1}], **own}


def rubric(*criteria, **thresholds):
    return parse_rubric({"format": 2, "version": "t", "title_fa": "t", "title_en": "t",
                         "thresholds": {"rank1_min": 2, "rank2_min": 1, **thresholds}, "criteria": list(criteria)})


SOURCES = [
    (criterion("area", "value", source="premises.floor_area"), "declaration"),
    (criterion("inspection", "reviewer", source="inspection"), "reviewer"),
    (criterion("association", "score", source="association", range=[0, 100]), "external"),
    (criterion("penalty", "violations"), "violations"),
]


@pytest.mark.parametrize(("item", "kind"), SOURCES, ids=[kind for _item, kind in SOURCES])
def test_each_measure_has_its_source(item, kind):
    found = rubric(item, criterion("x", "value", source="premises.counters")).sources()
    assert [c.key for c in found[kind]] == [item["key"]] + (["x"] if kind == "declaration" else [])
    assert sum(len(group) for group in found.values()) == 2


@pytest.mark.parametrize(("own", "expected"), [
    ({"range": [0, 100]}, ("association", 0, 100, True, 0)),  # the association's by default; required
    ({"range": [1, 5], "required": False, "default": 3}, ("association", 1, 5, False, 3)),
    ({"range": [0, 10], "entered_by": "region"}, ("region", 0, 10, True, 0)),
])
def test_an_external_score_spec(own, expected):
    [spec] = rubric(criterion("association", "score", source="association", **own),
                    criterion("x", "value", source="premises.counters")).scores
    assert (spec.entered_by, spec.low, spec.high, spec.required, spec.default) == expected


@pytest.mark.parametrize(("unit", "bands", "expected"), [
    ("out of 100", [{"min": 50, "points": 1}], (0, 100)), ("out of 5", [{"min": 1, "points": 1}], (0, 5)),
    ("", [{"min": 1, "points": 1}], (0, 1000)), ("out of 5", [{"min": 9, "points": 1}], (0, 9)),
    ("", [{"min": -3, "points": 1}], (-3, 1000)),
])
def test_a_reviewer_indicator_range(unit, bands, expected):
    item = dict(criterion("inspection", "reviewer", source="inspection", unit_en=unit), bands=bands)
    [spec] = rubric(item, criterion("x", "value", source="premises.counters")).scores
    assert (spec.low, spec.high) == expected and spec.entered_by == "region"


def test_a_score_read_by_several_criteria_is_asked_wherever_one_applies():
    found = rubric(criterion("a1", "score", source="association", range=[0, 9], office_types=["pishkhan"]),
                   criterion("a2", "score", source="association", range=[0, 9], office_types=["rural_ict"]),
                   criterion("s", "score", source="satisfaction", range=[0, 9], office_types=["pishkhan"]),
                   criterion("s2", "score", source="satisfaction", range=[0, 9]),
                   criterion("x", "value", source="premises.counters"))
    assert {spec.name: spec.office_types for spec in found.scores} == {"association": ("pishkhan", "rural_ict"),
                                                                       "satisfaction": ()}
    assert [s.applies_to("public_nongov") for s in found.scores] == [False, True]


def test_placeholders_are_listed():
    found = rubric(criterion("a", "value", source="premises.counters", placeholder=True),
                   criterion("b", "value", source="premises.floor_area"))
    assert [c.key for c in found.placeholders] == ["a"]
