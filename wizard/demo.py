"""flask demo: demo areas, offices, staff accounts and an open round, for trying the product locally."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _
from flask.cli import with_appcontext

from . import clock
from .cli import add_staff
from .cli import run_import
from .cli import round_open
from .extensions import db
from .importing import import_areas
from .importing import import_offices
from .models import User
from .rounds import open_round
from .rules import jalali
from .rules.deadline import TEHRAN

DEMO_DIR = Path(__file__).parent / "demo"


def register(app):
    app.cli.add_command(demo)


@click.command("demo")
@with_appcontext
def demo():
    """Load demo areas, offices, staff accounts and an open round (safe to run twice)."""
    for importer, name in ((import_areas, "areas.csv"), (import_offices, "offices.csv")):
        run_import(importer, str(DEMO_DIR / name))
    for username, role, full_name, province in DEMO_STAFF:
        if not db.session.scalar(sa.select(User.id).where(User.username == username)):
            add_staff(role, username, full_name, province, DEMO_PASSWORD, must_change=False)
    if open_round() is None:
        year, month, _day = jalali.to_jalali(clock.now().astimezone(TEHRAN))
        title = _("Evaluation round of %(half)s", half=jalali.half_year_label(year, 1 if month <= 6 else 2))
        today = jalali.format_date(clock.now(), locale="en", style="short")
        click.get_current_context().invoke(round_open, title=title, opens_text=today, days=None, deadline_text=None)
    click.echo(_("Demo data is ready."))


DEMO_PASSWORD = "demo-password-1404"  # demo database only; README lists it
DEMO_STAFF = (
    ("admin", "admin", "ستاد سازمان تنظیم مقررات", None),
    ("tehran", "region", "کارشناس استان تهران", "تهران"),
    ("isfahan", "region", "کارشناس استان اصفهان", "اصفهان"),
    ("tehran-association", "association", "انجمن صنفی دفاتر پیشخوان استان تهران", "تهران"),
    ("isfahan-association", "association", "انجمن صنفی دفاتر پیشخوان استان اصفهان", "اصفهان"),
)
