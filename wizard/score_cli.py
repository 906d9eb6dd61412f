"""`flask scores import`: the scoring phase's scores from a file, with the web import's checks (SPEC §6)."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from . import score_import
from . import scores as service
from .cli import _fail
from .cli import _results_round
from .cli import _say
from .extensions import db


def register(app):
    app.cli.add_command(scores_group)


@click.group("scores", cls=AppGroup)
def scores_group():
    """The scoring phase's scores (reviewer indicators and external scores)."""


@scores_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--round", "round_id", type=int, help="round id (default: the latest round)")
@click.option("--dry-run", is_flag=True, help="check the file and say what would change; write nothing")
def scores_import(path, round_id, dry_run):
    """Import office_code,score,value rows (CSV in UTF-8, UTF-16 or Windows-1256, or .xlsx) as entered scores
    of every province, all or nothing; the regions confirm them."""
    target = _results_round(round_id)
    report = score_import.check(target, Path(path).read_bytes(), "admin", None)
    if not report.ok:
        for line, column, message in report.problems:
            _say(_("line %(line)d, %(column)s: %(message)s", line=line, column=column or "-", message=message),
                 err=True)
        _fail(_("Nothing was imported: %(count)d problems.", count=len(report.problems)))
    if report.skipped:
        _say(_("%(count)d rows without a value were skipped.", count=report.skipped))
    if dry_run:
        _say(_("Dry run: %(changed)d scores would be entered or changed, %(unchanged)d are unchanged; nothing was "
               "written.", changed=len(report.changes), unchanged=report.unchanged))
        return
    if not report.changes:
        _say(_("Nothing changed: every score in the file was already stored with the same value."))
        return
    try:
        changed = score_import.apply(target, report, None, Path(path).name)
    except service.ScoringClosed as problem:
        db.session.rollback()
        _fail(str(problem))
    db.session.commit()
    _say(_("Imported: %(changed)d scores entered or changed, %(unchanged)d unchanged; the regions confirm them.",
           changed=changed, unchanged=report.unchanged))
