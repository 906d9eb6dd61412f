"""A round closed early shows the moment it closed, never its old future deadline; when two rounds opened the
same day, holders see the open one."""

from datetime import timedelta

import pytest

from tests.conftest import DEMO_DAY
from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import office_id
from bs4 import BeautifulSoup

pytestmark = pytest.mark.usefixtures("in_the_window")

CLOSED = DEMO_DAY + timedelta(days=2, hours=3)  # 1405/09/09 13:00 Tehran; the deadline is 1405/09/26


def card_text(response) -> str:
    return " ".join(BeautifulSoup(response.data, "html.parser").select_one("[data-countdown]").get_text().split())


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def closed_early(demo_data, frozen_clock):
    frozen_clock(CLOSED)
    run(demo_data, "round", "close")
    return demo_data


def test_the_countdown_names_the_moment_the_round_was_closed(closed_early, holder_client):
    office = office_id(closed_early, "P-1038")
    text = card_text(holder_client.get(f"/declaration/{office}/"))
    assert "بسته شد: ۹ آذر ۱۴۰۵، ساعت ۱۳:۰۰" in text
    assert "۲۶ آذر" not in text and "مهلت:" not in text


def test_the_pending_results_page_says_when_the_window_closed(closed_early, holder_client):
    office = office_id(closed_early, "P-1038")
    text = holder_client.get(f"/results/{office}").get_data(as_text=True)
    assert "مهلت خوداظهاری در ۹ آذر ۱۴۰۵، ساعت ۱۳:۰۰ (به وقت تهران) بسته شد" in text
    assert "۲۶ آذر" not in text


def test_a_round_not_closed_early_shows_its_deadline_as_the_closing_moment(demo_data, holder_client, frozen_clock):
    frozen_clock(DEMO_DAY + timedelta(days=30))
    holder_client.get("/")  # the idle session ends here
    login(holder_client, HOLDER, "a sturdy passphrase")
    text = card_text(holder_client.get(f"/declaration/{office_id(demo_data, 'P-1038')}/"))
    assert "بسته شد: ۲۶ آذر ۱۴۰۵، ساعت ۲۳:۵۹" in text


def test_two_rounds_opening_the_same_day_holders_see_the_open_one(closed_early, holder_client):
    run(closed_early, "round", "open", "--title", "دور تکمیلی", "--opens", "1405/09/07")  # the closed one opened this day too
    text = card_text(holder_client.get(f"/declaration/{office_id(closed_early, 'P-1038')}/"))
    assert "دور تکمیلی" in text and "مهلت:" in text
