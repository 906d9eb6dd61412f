"""A printed result keeps verifying while it holds; a replaced one says so, by which version and when."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import office_id
from tests.cycle import decided_violation
from tests.conftest import AFTER
from tests.results.test_results import page
from tests.results.test_results import results
from tests.results.test_results import run
from wizard.extensions import db
from wizard.models import Result
from wizard.models import Violation

pytestmark = pytest.mark.usefixtures("in_the_window")


def publish_at(app, frozen_clock, moment):
    frozen_clock(moment)
    assert run(app, "results", "compute").exit_code == 0
    assert run(app, "results", "publish").exit_code == 0


def code_of(app, office, version):
    return next(r for r in results(app, version) if r.office_id == office).verification_code


def penalise(app, office, value):
    decided_violation(app, office, value, replace=True)  # the rubric's violations measure: their points


def verify_page(app, code):
    return page(app.test_client().get(f"/verify/{code}"))


def test_an_unchanged_result_keeps_its_code_and_first_date_across_republications(submitted, demo_data,
                                                                                frozen_clock):
    publish_at(demo_data, frozen_clock, AFTER)
    printed = code_of(demo_data, submitted, 1)
    penalise(demo_data, office_id(demo_data, "P-1153"), 3)  # another office changes; this one does not
    publish_at(demo_data, frozen_clock, AFTER + timedelta(days=9))
    assert code_of(demo_data, submitted, 2) == printed
    shown = verify_page(demo_data, printed)
    assert shown.select_one("#verified-title").get_text() == "این نتیجه معتبر است"
    assert "۲۷ آذر ۱۴۰۵" in shown.get_text()  # published with version 1, and in force since
    assert "جای آن را گرفته" not in shown.get_text()


def test_a_replaced_code_names_the_version_its_date_and_the_current_code(submitted, demo_data, frozen_clock):
    publish_at(demo_data, frozen_clock, AFTER)
    printed = code_of(demo_data, submitted, 1)
    penalise(demo_data, submitted, 5)
    publish_at(demo_data, frozen_clock, AFTER + timedelta(days=9))
    current = code_of(demo_data, submitted, 2)
    assert current != printed
    shown = verify_page(demo_data, printed)
    text = shown.get_text(" ", strip=True)
    assert shown.select_one("#verified-title").get_text() == "این نتیجه معتبر بوده اما نتیجهٔ تازه‌تری جای آن را گرفته است"
    assert "۶ دی ۱۴۰۵" in text and "نسخهٔ ۲" in text  # when, and by which version
    link = shown.select_one(f'a[href="/verify/{current}"]')
    assert link is not None and link.get_text() == current
    assert "هیچ نتیجهٔ منتشرشده‌ای" not in text  # never reads as a forgery
    assert verify_page(demo_data, current).select_one("#verified-title").get_text() == "این نتیجه معتبر است"


def test_a_code_only_computed_and_never_published_is_unknown(submitted, demo_data, frozen_clock):
    publish_at(demo_data, frozen_clock, AFTER)
    penalise(demo_data, submitted, 5)
    assert run(demo_data, "results", "compute").exit_code == 0  # version 2 waits for publication
    unpublished = code_of(demo_data, submitted, 2)
    assert verify_page(demo_data, unpublished).select_one("#verified-title") is None
    # The printed version 1 is still the one in force.
    shown = verify_page(demo_data, code_of(demo_data, submitted, 1))
    assert shown.select_one("#verified-title").get_text() == "این نتیجه معتبر است"


def test_a_code_returning_after_a_change_back_is_not_reused(submitted, demo_data, frozen_clock):
    """v1 → v2 changed → v3 back as in v1: v3 gets a new code (it follows v2), and v1's says it was replaced."""
    publish_at(demo_data, frozen_clock, AFTER)
    first = code_of(demo_data, submitted, 1)
    penalise(demo_data, submitted, 5)
    publish_at(demo_data, frozen_clock, AFTER + timedelta(days=1))
    with demo_data.app_context():
        db.session.execute(sa.delete(Violation))
        db.session.commit()
    publish_at(demo_data, frozen_clock, AFTER + timedelta(days=2))
    codes = {code_of(demo_data, submitted, version) for version in (1, 2, 3)}
    assert len(codes) == 3
    assert "جای آن را گرفته" in verify_page(demo_data, first).get_text()


def test_no_two_offices_ever_share_a_code(submitted, demo_data, frozen_clock):
    for day in range(3):
        if day:
            penalise(demo_data, submitted, day)
        publish_at(demo_data, frozen_clock, AFTER + timedelta(days=day))
    with demo_data.app_context():
        pairs = db.session.execute(sa.select(Result.verification_code, Result.office_id).distinct()).all()
    codes = [code for code, _office in pairs]
    assert len(codes) == len(set(codes))  # each code belongs to one office
    assert len(codes) < 3 * 13  # and unchanged results kept theirs
