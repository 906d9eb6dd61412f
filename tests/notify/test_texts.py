"""The SMS texts: Persian, Persian digits, and each within two SMS parts with a realistic (long) context."""

import pytest

from wizard.notify.texts import TEMPLATES
from wizard.notify.texts import render
from wizard.rules import jalali
from wizard.rules.deadline import TEHRAN
from wizard.rules.sms import fits
from wizard.rules.sms import parts

from datetime import datetime

LONG_TITLE = "مرحله دوم ارزیابی — نیمسال دوم ۱۴۰۵"
DEADLINE = jalali.format_datetime(datetime(2026, 12, 17, 23, 59, 59, tzinfo=TEHRAN), locale="fa")
CONTEXTS = {
    "round_opened": {"round": LONG_TITLE, "deadline": DEADLINE},
    "reminder": {"days": 30, "deadline": DEADLINE, "count": 12},
    "deadline_extended": {"round": LONG_TITLE, "deadline": DEADLINE},
    "correction_accepted": {"office": "TEH21059999"},
    "correction_rejected": {"office": "TEH21059999"},
    "objection_accepted": {"code": "1234567890"},
    "objection_rejected": {"code": "1234567890"},
    "results_published": {"round": LONG_TITLE},
    "receipt": {"office": "TEH21059999", "code": "1234567890"},
    "bulk_reminder": {"province": "کهگیلویه و بویراحمد", "count": 12, "deadline": DEADLINE,
                      "note": "با اداره تماس بگیرید."},
    "recovery_code": {"code": "123456", "minutes": 10},
}


def test_every_template_has_a_realistic_context():
    assert set(CONTEXTS) == set(TEMPLATES)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_fits_in_two_parts_in_persian_digits(app, template):
    with app.app_context():
        text = render(template, CONTEXTS[template])
    assert fits(text), (parts(text), len(text), text)
    assert text.startswith("پیشخوان")
    assert not any(char in "0123456789" for char in text.replace("TEH21059999", "")), text


def test_english_rendering_keeps_latin_digits(app):
    with app.app_context():
        assert render("receipt", {"office": "X1", "code": "42"}, locale="en").endswith("Tracking code: 42")


def test_an_empty_note_leaves_no_gap(app):
    with app.app_context():
        text = render("bulk_reminder", {**CONTEXTS["bulk_reminder"], "note": ""})
    assert text.endswith(".") and "  " not in text
