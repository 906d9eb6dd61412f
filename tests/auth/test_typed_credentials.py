"""Usernames, codes and numbers on the sign-in, account and staff pages as people paste them (issue 20, item 9),
and dependent checks that never pile onto a field already wrong (item 8)."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from tests.conftest import HOLDER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import login
from tests.conftest import totp_code
from wizard.extensions import db
from wizard.models import User
from wizard.rules.deadline import TEHRAN
from wizard.rules.text import to_persian_digits

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)
RLM, LRM, NBSP, ZWNJ = "\u200f", "\u200e", "\u00a0", "\u200c"


@pytest.fixture(autouse=True)
def steady_clock(frozen_clock):
    return frozen_clock(NOW)


def errors_of(response, name) -> list[str]:
    control = BeautifulSoup(response.data, "html.parser").select_one(f"[name='{name}']")
    return [" ".join(p.get_text().split()) for p in control.find_parent("div", class_="field").select(".error-message")]


@pytest.mark.parametrize("typed", [f"{RLM}tehran{LRM}", " Tehran ", "ｔｅｈｒａｎ", f"te{ZWNJ}hran", f"{NBSP}TEHRAN"])
def test_a_username_pasted_with_marks_or_in_fullwidth_signs_in(demo_data, typed):
    response = login(demo_data.test_client(), typed, STAFF_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor")


@pytest.mark.parametrize("render", [
    lambda code: f"{RLM}{code}{LRM}", lambda code: to_persian_digits(code), lambda code: f"{code[:3]}{NBSP}{code[3:]}",
    lambda code: f"{to_persian_digits(code[:3])} {code[3:]}\u200b", lambda code: f"\u2066{code}\u2069\n",
])
def test_a_second_factor_code_pasted_with_marks_is_accepted(demo_data, render):
    enroll_staff(demo_data, "tehran")
    client = demo_data.test_client()
    login(client, "tehran", STAFF_PASSWORD)
    assert client.post("/account/two-factor", data={"code": render(totp_code(NOW))}).status_code == 302


def test_an_empty_new_password_is_not_also_called_different_from_its_confirmation(holder_client):
    response = holder_client.post("/account/password", data={
        "current_password": "a sturdy passphrase", "new_password": "", "confirm_password": "گل‌های بهاری ۱۴۰۵",
        "new_username": ""})
    assert response.status_code == 200
    assert errors_of(response, "new_password") == ["رمز عبور تازه را وارد کنید."]
    assert errors_of(response, "confirm_password") == []


def test_a_new_username_pasted_with_marks_is_stored_clean(holder_client, demo_data):
    response = holder_client.post("/account/password", data={
        "current_password": "a sturdy passphrase", "new_password": "گل‌های بهاری ۱۴۰۵",
        "confirm_password": "گل‌های بهاری ۱۴۰۵", "new_username": f"{RLM}Maryam.Ahmadi{LRM} "})
    assert response.status_code == 302, errors_of(response, "new_username")
    with demo_data.app_context():
        assert db.session.scalar(sa.select(User.username).where(User.national_code == HOLDER)) == "maryam.ahmadi"


@pytest.mark.parametrize("typed", [f"{RLM}۰۰۱۲۳۴۵۶۷۹{LRM}", f"۰۰۱{NBSP}۲۳۴{NBSP}۵۶۷۹", f"0012345679{ZWNJ} "])
def test_staff_find_a_holder_by_a_pasted_national_code(admin, typed):
    page = BeautifulSoup(admin.post("/admin/holders", data={"q": typed}).data, "html.parser")
    assert "مریم احمدی" in page.get_text()


@pytest.mark.parametrize(("typed", "days"), [("۲۰", 20), (f"{RLM}۳۰{LRM}", 30), ("1,0", None), ("", None)])
def test_the_round_form_reads_days_as_typed(app, typed, days):
    from wizard.admin.forms import OpenRoundForm

    with app.test_request_context(method="POST"):
        form = OpenRoundForm(formdata=MultiDict({"title": "مرحله", "opens": "1405/09/07", "days": typed}))
        form.validate()
        assert form.days.data == days
        assert len(form.days.errors) == (1 if days is None and typed else 0)


@pytest.mark.parametrize("typed", ["1.5", "۱٫۵", "0", "367", "twenty"])
def test_a_wrong_number_of_days_gets_one_message(app, typed):
    from wizard.admin.forms import OpenRoundForm

    with app.test_request_context(method="POST"):
        form = OpenRoundForm(formdata=MultiDict({"title": "مرحله", "opens": "1405/09/07", "days": typed}))
        assert not form.validate()
        assert len(form.days.errors) == 1, form.days.errors
