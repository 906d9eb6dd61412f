"""The model's own guarantees: aware UTC times, one draft per office and round, the window edges."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wizard.extensions import db
from wizard.models import Round
from wizard.rules.deadline import TEHRAN

OPENS = datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN)
DEADLINE = datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def make_round(**values) -> Round:
    found = Round(title="T", jalali_year=1399, half=2, status="open", opens_at=OPENS, deadline=DEADLINE)
    for key, value in values.items():
        setattr(found, key, value)
    db.session.add(found)
    db.session.commit()
    return found


def test_times_come_back_aware_in_utc(ctx):
    made = make_round()
    db.session.expire_all()
    loaded = db.session.get(Round, made.id)
    assert loaded.deadline.tzinfo is UTC
    assert loaded.deadline == DEADLINE
    assert loaded.deadline.isoformat() == "2020-10-11T20:29:59+00:00"


def test_naive_times_are_refused(ctx):
    db.session.add(Round(title="T", jalali_year=1399, half=2, opens_at=datetime(2020, 9, 22), deadline=DEADLINE))
    with pytest.raises(sa.exc.StatementError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(("offset", "accepts"), [
    (timedelta(seconds=-1), True),
    (timedelta(0), True),  # the deadline second itself is inside the window
    (timedelta(seconds=1), False),
])
def test_the_window_edges_at_the_deadline(ctx, offset, accepts):
    assert make_round().accepts_declarations(DEADLINE + offset) is accepts


def test_a_round_that_is_not_open_accepts_nothing(ctx):
    assert not make_round(status="closed").accepts_declarations(OPENS + timedelta(days=1))
    assert not make_round(status="open").accepts_declarations(OPENS - timedelta(seconds=1))


def test_round_status_is_checked_by_the_database(ctx):
    with pytest.raises(IntegrityError):
        make_round(status="paused")
    db.session.rollback()


@pytest.mark.parametrize(("status", "moment", "phase"), [
    ("draft", OPENS + timedelta(days=1), "draft"),
    ("open", OPENS - timedelta(seconds=1), "upcoming"),
    ("open", OPENS, "open"),
    ("open", DEADLINE, "open"),
    ("open", DEADLINE + timedelta(seconds=1), "closed"),  # closes by itself: no cron
    ("closed", OPENS + timedelta(days=1), "closed"),
    ("published", DEADLINE + timedelta(days=9), "published"),
])
def test_the_phase_follows_the_server_clock(ctx, status, moment, phase):
    assert make_round(status=status).phase(moment) == phase
