"""`flask results approve`: make a round's published results final (issue 21, item 6); cli.py adds it to `results`."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from . import ranking
from .extensions import db
from .filters import digits
from .models import Round
from .rounds import current_round


@click.command("approve")
@with_appcontext
@click.option("--round", "round_id", type=int, help="round id (default: the latest round)")
def results_approve(round_id):
    """Make the published results final: no more objections or versions; the agencies' export and API serve them."""
    target = db.session.get(Round, round_id) if round_id else current_round()
    if target is None:
        raise click.ClickException(digits(_("No such round.")))
    try:
        version = ranking.approve(target)
    except ranking.RankingError as problem:
        raise click.ClickException(digits(str(problem))) from None
    click.echo(digits(_("Version %(version)d of the results is final; the agencies' export and API now serve it.",
                        version=version)))
