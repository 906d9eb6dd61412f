"""Rubric files (wizard.rounds.load_rubric, wizard.rules.rubric): the shipped default, malformed files, the stored form."""

import json
import tomllib

import pytest

from tests.rules.test_rules_scoring import DEFAULT_RUBRIC
from wizard.rounds import DEFAULT_RUBRIC_PATH
from wizard.rounds import load_rubric
from wizard.rules.rubric import Rubric
from wizard.rules.rubric import RubricError
from wizard.rules.rubric import parse_rubric
from wizard.rules.rubric import rubric_from_stored
from wizard.rules.rubric import to_stored

GOOD = DEFAULT_RUBRIC_PATH.read_text(encoding="utf-8")


def write(tmp_path, text, name="rubric.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> str:
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    return str(caught.value)


def test_default_rubric_loads_and_validates():
    rubric = load_rubric(DEFAULT_RUBRIC_PATH)
    assert isinstance(rubric, Rubric)
    assert DEFAULT_RUBRIC_PATH.name == "default.toml" and DEFAULT_RUBRIC_PATH.parent.name == "rubrics"
    assert rubric.max_total == 110 and (rubric.rank1_min, rubric.rank2_min) == (65, 40)
    rural = rubric.for_office_type("rural_ict")
    assert rural.max_total == 105 and (rural.rank1_min, rural.rank2_min) == (62, 38)
    assert rubric.for_office_type("public_nongov").max_total == 110


def test_format_1_files_are_still_read():
    """The pure tests' literal is the format-1 default of earlier rounds: it still parses, unchanged."""
    assert DEFAULT_RUBRIC["format"] == 1
    old = parse_rubric(DEFAULT_RUBRIC)
    assert old.version == "default-1" and old.max_total == 100 and not old.placeholders
    assert rubric_from_stored(to_stored(old)) == old and to_stored(old)["format"] == 2


def test_default_rubric_has_the_spec_criteria_and_names_its_sources():
    rubric = load_rubric(DEFAULT_RUBRIC_PATH)
    assert tomllib.loads(GOOD)["format"] == 2 and rubric.version == "default-2"
    assert {kind: [c.key for c in criteria] for kind, criteria in rubric.sources().items()} == {
        "declaration": ["floor_area", "counters", "equipment", "staff_count", "staff_education", "staff_insured",
                        "staff_disability", "weekly_hours", "years_active"],
        "reviewer": ["inspection"],
        "external": ["agency_opinion", "association", "satisfaction"],
        "violations": ["violations"]}
    assert [(s.name, s.entered_by, s.low, s.high, s.required, s.office_types) for s in rubric.scores] == [
        ("inspection", "region", 0, 100, False, ()), ("agency_opinion", "region", 0, 5, False, ()),
        ("association", "association", 0, 100, False, ("pishkhan", "public_nongov")),
        ("satisfaction", "region", 0, 100, False, ())]
    assert [s.name for s in rubric.for_office_type("rural_ict").scores] == ["inspection", "agency_opinion",
                                                                             "satisfaction"]


def test_the_default_says_its_weights_are_placeholders():
    rubric = load_rubric(DEFAULT_RUBRIC_PATH)
    assert rubric.placeholders == rubric.criteria  # every weight is a stand-in until tables 5-1/5-2
    assert "PLACEHOLDER WEIGHTS" in GOOD and "5-1" in GOOD and "5-2" in GOOD
    readme = (DEFAULT_RUBRIC_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert "placeholder" in readme and "format = 2" in readme


def test_stored_form_is_json_and_independent_of_the_file(tmp_path):
    path = write(tmp_path, GOOD)
    stored = json.loads(json.dumps(to_stored(load_rubric(path)), ensure_ascii=False))
    path.write_text(GOOD.replace("rank1_min = 65", "rank1_min = 90"), encoding="utf-8")
    assert load_rubric(path).rank1_min == 90
    assert rubric_from_stored(stored).rank1_min == 65  # the round keeps what it stored
    assert rubric_from_stored(stored) == load_rubric(DEFAULT_RUBRIC_PATH)


def test_corrupt_stored_rubric_fails_loudly():
    stored = to_stored(load_rubric(DEFAULT_RUBRIC_PATH))
    stored["criteria"][0]["measure"] = "median"
    with pytest.raises(RubricError, match=r"^criteria\[1\] \(floor_area\)\.measure: unknown measure 'median'"):
        rubric_from_stored(stored)


# Each: (how the good file is broken, the exact message after "<path>: ").
MALFORMED = [
    ("syntax error", lambda t: t.replace("rank2_min = 40", "rank2_min 40"),
     "not valid TOML: Expected '=' after a key in a key/value pair (at line {line}, column 11)"),
    ("unknown measure", lambda t: t.replace('measure = "sum"', 'measure = "summ"'),
     "criteria[3] (equipment).measure: unknown measure 'summ'; did you mean 'sum'?"),
    ("bands out of order", lambda t: t.replace("{ min = 75, points = 3 },\n  { min = 100",
                                               "{ min = 75, points = 3 },\n  { min = 70"),
     "criteria[6] (staff_insured).bands[3].min: must be greater than the previous band's min (75)"),
    ("duplicate key", lambda t: t.replace('key = "counters"', 'key = "floor_area"'),
     "criteria[2] (floor_area).key: duplicate of criteria[1]"),
    ("missing thresholds", lambda t: t.replace("[thresholds]\nrank1_min = 65", "[limits]\nrank1_min = 65"),
     "rubric: unknown key 'limits'; expected one of: criteria, format, thresholds, title_en, title_fa, version"),
    ("missing threshold", lambda t: t.replace("rank2_min = 40", ""), "thresholds: missing key 'rank2_min'"),
    ("thresholds reversed", lambda t: t.replace("rank1_min = 65", "rank1_min = 30"),
     "thresholds.rank1_min: must be greater than rank2_min (40), not 30"),
    ("non-integer weight", lambda t: t.replace("weight = 3                                    # up to 15",
                                               "weight = 2.5", 1),
     "criteria[1] (floor_area).weight: must be an integer, not 2.5 (a decimal number)"),
    ("weight in quotes", lambda t: t.replace("weight = 5 ", 'weight = "5" '),
     "criteria[7] (staff_disability).weight: must be an integer, not '5' (text)"),
    ("unknown source", lambda t: t.replace('source = "premises.counters"', 'source = "premises.counter"'),
     "criteria[2] (counters).source: unknown numeric field 'premises.counter'; did you mean 'premises.counters'?"),
    ("empty bands", lambda t: t.replace("bands = [\n  { min = 1, points = 1 },\n]", "bands = []"),
     "criteria[7] (staff_disability).bands: must be a non-empty array of { min = …, points = … } tables"),
]


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in MALFORMED], ids=[n for n, _, _ in MALFORMED])
def test_malformed_file_is_refused_with_a_precise_message(tmp_path, change, message):
    text = change(GOOD)
    assert text != GOOD
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("rank2_min 40")]
    path = write(tmp_path, text)
    assert refused(path) == f"{path}: " + message.replace("{line}", str(lines[0]) if lines else "")


def test_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, 'version = "1"\ntitle_fa = "x"\ntitle_en = \n')
    assert refused(path) == f"{path}: not valid TOML: Invalid value (at line 3, column 12)"


def test_truncated_file_is_refused(tmp_path):
    path = write(tmp_path, GOOD.rstrip().removesuffix("]"))
    assert refused(path) == f"{path}: not valid TOML: Invalid value (at end of document)"


def test_empty_file_is_refused(tmp_path):
    assert refused(write(tmp_path, "")).endswith(": rubric: missing key 'version'")


def test_toml_date_is_not_text(tmp_path):
    path = write(tmp_path, GOOD.replace('version = "default-2"', "version = 1404-01-01"))
    assert refused(path) == f"{path}: version: must be non-empty text in quotes, not datetime.date(1404, 1, 1) (a date)"


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "nowhere.toml"
    assert refused(path) == f"{path}: cannot read the file (No such file or directory)"


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "cp1256.toml"
    path.write_bytes(GOOD.encode("utf-8").replace("مساحت".encode("utf-8"), "مساحت".encode("cp1256")))
    assert refused(path) == f"{path}: not UTF-8 text; save the file as UTF-8"
