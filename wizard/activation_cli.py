"""Activation codes for holders (INITIAL_CREDENTIAL = "activation_code"): `flask activation-codes`, and the file
`import-offices` writes for new holders; cli.py registers them."""

import csv
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from . import clock
from .auth.credentials import issue_activation_code
from .extensions import db
from .filters import digits
from .models import Office
from .models import User
from .models import audit
from .rules import jalali
from .rules.text import normalize_persian


def default_codes_path() -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / f"activation-codes-{stamp}.csv"


def export_activation_codes(holders: list[User], path: Path) -> None:
    """Give each holder a fresh code and write them for the regions (the only copy in plain text)."""
    rows = [(holder, issue_activation_code(holder)) for holder in holders]
    for holder, _code in rows:
        audit("activation-code", target=f"user:{holder.id}")
    db.session.commit()
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["national_code", "full_name", "mobile", "provinces", "activation_code", "expires"])
        for holder, code in rows:
            provinces = "، ".join(sorted({office.province for office in holder.offices}))
            expires = jalali.format_date(holder.activation_expires_at, locale="en", style="short")
            writer.writerow([holder.national_code, holder.full_name, holder.mobile or "", provinces, code, expires])
    path.chmod(0o600)
    click.echo(digits(_("Activation codes for %(count)d holders were written to %(path)s.", count=len(rows), path=path)))


@click.command("activation-codes")
@with_appcontext
@click.option("--province", help="only holders with an office in this province")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="CSV file to write")
def activation_codes(province, output):
    """New activation codes for holders who have not set a password yet (earlier codes stop working)."""
    if current_app.config["INITIAL_CREDENTIAL"] != "activation_code":
        raise click.ClickException(digits(_(
            "INITIAL_CREDENTIAL is not activation_code; holders sign in with their national code.")))
    query = sa.select(User).where(User.role == "holder", User.password_hash.is_(None))
    if province:
        query = query.where(User.offices.any(Office.province == normalize_persian(province)))
    holders = db.session.scalars(query.order_by(User.national_code)).all()
    export_activation_codes(holders, Path(output) if output else default_codes_path())
