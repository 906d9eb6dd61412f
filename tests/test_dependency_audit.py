"""The offline dependency audit (scripts/audit_dependencies.py, run by make lint) finds what it must."""

from packaging.requirements import Requirement
from packaging.version import Version

from scripts import audit_dependencies as audit


def test_this_environment_has_no_known_vulnerability():
    assert audit.vulnerable(audit.installed_versions(), audit.load_advisories()["advisory"]) == []


def test_a_vulnerable_version_is_reported_and_a_fixed_one_is_not():
    advisories = audit.load_advisories()["advisory"]
    found = audit.vulnerable({"setuptools": Version("66.1.1"), "werkzeug": Version("3.1.3"),
                              "jinja2": Version("3.1.6")}, advisories)
    assert any(line.startswith("setuptools 66.1.1: CVE-2024-6345") for line in found)
    assert any(line.startswith("werkzeug 3.1.3: CVE-2025-66221") for line in found)
    assert not any(line.startswith("jinja2") for line in found)


def test_names_are_compared_as_pypi_normalises_them():
    advisory = {"id": "X-1", "package": "Flask_Login", "affected": "<1", "summary": "s"}
    assert audit.vulnerable({"flask-login": Version("0.6.3")}, [advisory])


def test_every_advisory_is_complete_and_its_range_parses():
    from packaging.specifiers import SpecifierSet

    data = audit.load_advisories()
    assert data["advisory"]
    for advisory in data["advisory"]:
        assert set(advisory) == {"id", "package", "affected", "summary"}, advisory
        assert SpecifierSet(advisory["affected"]), advisory


def test_every_requirement_is_pinned():
    assert audit.unpinned(audit.requirements()) == []
    assert audit.unpinned([Requirement("SQLAlchemy>=2.0,<2.2"), Requirement("x==1")]) == ["SQLAlchemy<2.2,>=2.0"]
