"""Command-line administration: `flask --app wizard COMMAND` (SPEC §6)."""

import secrets
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask.cli import AppGroup
from flask.cli import with_appcontext

from . import clock
from . import ranking
from .activation_cli import activation_codes
from .activation_cli import default_codes_path
from .activation_cli import export_activation_codes
from .approval_cli import results_approve
from .auth.credentials import hash_password
from .backup import backup_command
from .backup import content_hash_command
from .extensions import db
from .filters import digits
from .import_files import UnreadableFile
from .import_files import read_import
from .importing import format_errors
from .importing import import_areas
from .importing import import_offices
from .models import Round
from .models import User
from .models import audit
from .rounds import RoundError
from .rounds import close_round
from .rounds import current_round
from .rounds import create_round
from .rounds import extend_deadline
from .rounds import open_round
from .rounds import DEFAULT_RUBRIC_PATH
from .rounds import load_rubric
from .rules.rubric import to_stored
from .rules import jalali
from .rules.deadline import default_deadline
from .rules.provinces import PROVINCE_NAMES
from .rules import provinces
from .rules.rubric import RubricError
from .rules.text import normalize_persian

def register(app):
    from .notify.cli import messages_group

    for command in (init_db, import_areas_command, import_offices_command, round_group, results_group,
                    create_user, activation_codes, backup_command, content_hash_command, messages_group):
        app.cli.add_command(command)


def _say(message: str, err: bool = False) -> None:
    """A message for the operator, its numbers in the language's digits (Persian by default)."""
    click.echo(digits(message), err=err)


def _fail(message: str):
    raise click.ClickException(digits(message))


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (Alembic migrations)."""
    from flask_migrate import upgrade

    upgrade()
    _say(_("The database is ready."))


def run_import(importer, path: str):
    """Import a CSV in any encoding the web import reads (UTF-8, UTF-16, Windows-1256), or say why it cannot."""
    try:
        stream, decoded = read_import(Path(path).read_bytes())
    except UnreadableFile as problem:
        _fail(" ".join(str(part) for part in problem.explained()))
    report = importer(stream, decoded.delimiter)
    if not report.ok:
        db.session.rollback()
        for line in format_errors(report.errors):
            _say(line, err=True)
        _fail(_("Nothing was imported: %(count)d problems.", count=len(report.errors)))
    _say(_("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d.",
           created=report.created, updated=report.updated, unchanged=report.unchanged))
    if report.new_holders and current_app.config["INITIAL_CREDENTIAL"] == "activation_code":
        export_activation_codes(report.new_holders, default_codes_path())


@click.command("import-areas")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_areas_command(path):
    """Import areas.csv (area_code,province,county,name,kind,available_services)."""
    run_import(import_areas, path)


@click.command("import-offices")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_offices_command(path):
    """Import offices.csv and create the holders' accounts."""
    run_import(import_offices, path)


@click.group("round", cls=AppGroup)
def round_group():
    """Open, extend and close evaluation rounds."""


def _parse_moment(text: str, end_of_day: bool) -> datetime:
    try:
        return jalali.parse_datetime(text, end_of_day=end_of_day)
    except ValueError as problem:
        _fail(str(problem))


@round_group.command("open")
@click.option("--title", required=True, help="e.g. «مرحله دوم — نیمسال دوم ۱۳۹۹»")
@click.option("--opens", "opens_text", required=True, help="Jalali opening day YYYY/MM/DD (Tehran)")
@click.option("--days", type=click.IntRange(1, 365), help="window length, the opening day counting as day 1")
@click.option("--deadline", "deadline_text", help='explicit deadline "YYYY/MM/DD[ HH:MM]" (Tehran)')
@click.option("--rubric", "rubric_path", type=click.Path(exists=True, dir_okay=False),
              help="scoring rubric (TOML); default wizard/rubrics/default.toml")
@click.option("--carry-forward/--no-carry-forward", default=True,
              help="score offices that submit nothing on their latest earlier submission (default), or rank them 3")
@click.option("--objection-days", type=click.IntRange(0, 60), default=7,
              help="days for objections after the first publication (0: none)")
@click.option("--scoring-days", type=click.IntRange(1, 90), help="days of the scoring phase after the deadline's (10)")
def round_open(title, opens_text, days, deadline_text, rubric_path=None, carry_forward=True, objection_days=7,
               scoring_days=None):
    """Open a round; the default deadline is the end of day 20 (Tehran time)."""
    if days and deadline_text:
        _fail(_("Give either --days or --deadline, not both."))
    try:  # validated now and stored with the round: a later edit of the file changes no past round
        rubric = to_stored(load_rubric(rubric_path or DEFAULT_RUBRIC_PATH))
    except RubricError as problem:
        _fail(str(problem))
    opens_at = _parse_moment(opens_text, end_of_day=False)
    if deadline_text:
        deadline = _parse_moment(deadline_text, end_of_day=True)
    else:
        deadline = default_deadline(opens_at, days or current_app.config["DECLARATION_WINDOW_DAYS"])
    try:
        new_round = create_round(title, opens_at, deadline, rubric, current_app.config["SERVICE_PERCENTS"],
                                 carry_forward=carry_forward, objection_days=objection_days, scoring_days=scoring_days)
    except RoundError as problem:
        _fail(str(problem))
    _say(_("Round %(id)d is open until %(deadline)s (Tehran time).",
           id=new_round.id, deadline=jalali.format_datetime(deadline)))
    _say(_("Scores are entered until %(deadline)s (Tehran time).", deadline=jalali.format_datetime(new_round.scoring_deadline)))


def _target_round(round_id: int | None) -> Round:
    found = db.session.get(Round, round_id) if round_id else open_round()
    if found is None:
        _fail(_("No such round is open."))
    return found


@round_group.command("extend")
@click.option("--round", "round_id", type=int, help="round id (default: the open round)")
@click.option("--deadline", "deadline_text", help='new deadline "YYYY/MM/DD[ HH:MM]" (Tehran)')
@click.option("--days", type=click.IntRange(1, 365), help="add this many days to the deadline")
def round_extend(round_id, deadline_text, days):
    """Move a round's deadline later; audited."""
    target = _target_round(round_id)
    if bool(days) == bool(deadline_text):
        _fail(_("Give either --days or --deadline."))
    new = _parse_moment(deadline_text, end_of_day=True) if deadline_text else target.deadline + timedelta(days=days)
    try:
        extend_deadline(target, new)
    except RoundError as problem:
        _fail(str(problem))
    _say(_("The deadline of round %(id)d is now %(deadline)s (Tehran time).",
           id=target.id, deadline=jalali.format_datetime(new)))


@round_group.command("close")
@click.option("--round", "round_id", type=int, help="round id (default: the open round)")
def round_close(round_id):
    """Close a round for every write now."""
    target = _target_round(round_id)
    try:
        close_round(target, clock.now())
    except RoundError as problem:
        _fail(str(problem))
    _say(_("Round %(id)d is closed.", id=target.id))


@click.group("results", cls=AppGroup)
def results_group():
    """Compute, publish and approve a round's ranks."""


results_group.add_command(results_approve)


def _results_round(round_id: int | None) -> Round:
    found = db.session.get(Round, round_id) if round_id else current_round()
    if found is None:
        _fail(_("No such round."))
    return found


@results_group.command("compute")
@click.option("--round", "round_id", type=int, help="round id (default: the latest round)")
def results_compute(round_id):
    """Score every office after the deadline (a new provisional version) and print the ranks per province."""
    target = _results_round(round_id)
    try:
        distribution = ranking.compute(target)
    except ranking.RankingError as problem:
        _fail(str(problem))
    for province in sorted(distribution, key=provinces.province_order):
        counts = distribution[province]
        _say(_("%(province)s: rank 1: %(one)d, rank 2: %(two)d, rank 3: %(three)d",
               province=province, one=counts[1], two=counts[2], three=counts[3]))
    _say(_("Version %(version)d computed; holders see it only after 'results publish'.",
           version=target.results_version))


@results_group.command("publish")
@click.option("--round", "round_id", type=int, help="round id (default: the latest round)")
def results_publish(round_id):
    """Make the latest computed results visible to every holder at once."""
    target = _results_round(round_id)
    try:
        version = ranking.publish(target)
    except ranking.RankingError as problem:
        _fail(str(problem))
    _say(_("Version %(version)d of the results is published.", version=version))


@click.command("create-user")
@with_appcontext
@click.option("--role", type=click.Choice(["admin", "region", "association"]), required=True)
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--province", help="the province of a region or association (Persian name)")
def create_user(role, username, full_name, province):
    """Create a staff account with a random one-time password (changed at first login)."""
    password = secrets.token_urlsafe(12)
    add_staff(role, username, full_name, province, password, must_change=True)
    click.echo(_("One-time password (shown once): %(password)s", password=password))


def add_staff(role, username, full_name, province, password, must_change):
    province = normalize_persian(province) if province else None
    if role in ("region", "association") and province not in PROVINCE_NAMES:
        _fail(_("A region account needs a known province (its Persian name).") if role == "region"
              else _("An association account needs a known province (its Persian name)."))
    if role == "admin" and province:
        _fail(_("An admin account covers every province; give no province."))
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        _fail(_("This username is taken."))
    user = User(username=username, role=role, full_name=normalize_persian(full_name), province=province,
                password_hash=hash_password(password), must_change_password=must_change)
    db.session.add(user)
    db.session.flush()
    audit("user-create", target=f"user:{user.id}", role=role)
    db.session.commit()
    return user
