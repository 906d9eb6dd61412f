"""The agencies' read-only JSON API (/api/v1/): approved rounds, their ranks page by page, one office's rank.

Every request but the OpenAPI document carries an agency's bearer token (api.tokens); no cookie or session is read
or set (access.bearer_token). Requests are limited per token (API_RATE_LIMIT, Flask-Limiter; per address before a
token is known). Only a round's approved (final) version is ever served: a round that is not approved is a 404,
like a missing one."""

import json
import math
from datetime import UTC
from importlib import resources

import sqlalchemy as sa
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask_limiter.util import get_remote_address

from .. import clock
from ..access import bearer_token
from ..database import end_transaction
from ..extensions import db
from ..extensions import limiter
from ..final_results import approved_round
from ..final_results import approved_rounds
from ..final_results import final_results
from ..models import Area
from ..models import Office
from ..models import Round
from . import errors
from . import tokens

bp = Blueprint("api", __name__)
OPENAPI = "openapi.json"
DEFAULT_PER_PAGE = 100


def _checked() -> tokens.Checked:
    """The request's token, checked once (the rate limit's key and the guard below both need it)."""
    if "api_token" not in g:
        g.api_token = tokens.check(request.headers.get("Authorization"))
    return g.api_token


def rate_key() -> str:
    """A valid token's requests count against the token, whatever address they come from; anything else against
    the address (so guessing tokens is limited too)."""
    checked = _checked() if request.endpoint != "api.openapi" else tokens.Checked(None, "missing")
    return f"agency-token:{checked.token.id}" if checked.token else f"api-address:{get_remote_address()}"


limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=rate_key)(bp)


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    checked = _checked()
    if checked.token is None:
        return errors.unauthorized(checked.problem)
    end_transaction()  # a reading request: the stamp below starts a transaction of its own
    tokens.stamp_use(checked.token, clock.now())
    return None


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _moment(value) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _round(round_: Round) -> dict:
    return {"id": round_.id, "title": round_.title, "jalali_year": round_.jalali_year, "half": round_.half,
            "version": round_.approved_version, "approved_at": _moment(round_.approved_at),
            "percents": list(round_.percents)}


def _office(row) -> dict:
    return {"office_code": row.office_code, "office_type": row.office_type, "province": row.province,
            "county": row.county, "area_code": row.area_code, "area_name": row.area, "rank": row.rank,
            "allowed_services": row.allowed_services, "available_services": row.available_services,
            "verification_code": row.verification_code}


def _round_or_404(round_id: int) -> Round:
    found = approved_round(round_id)
    if found is None:
        raise _NotFound("round_not_found", "No round with this id has final results.")
    return found


class _NotFound(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class _BadParameter(Exception):
    pass


@bp.errorhandler(_NotFound)
def _not_found(problem: _NotFound):
    return errors.json_error(404, problem.code, problem.message)


@bp.errorhandler(_BadParameter)
def _bad_parameter(problem: _BadParameter):
    return errors.json_error(400, "invalid_parameter", str(problem))


def _whole(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise _BadParameter(f"'{name}' must be a whole number from {low} to {high}.")
    return int(text)


@bp.get("/openapi.json")
@bearer_token
def openapi():
    """This API's OpenAPI 3 document (no token needed)."""
    return Response(resources.files("wizard.api").joinpath(OPENAPI).read_bytes(), mimetype="application/json")


@bp.get("/rounds")
@bearer_token
def rounds():
    return _json({"rounds": [_round(found) for found in approved_rounds()]})


@bp.get("/rounds/<int:round_id>")
@bearer_token
def round_(round_id: int):
    return _json(_round(_round_or_404(round_id)))


@bp.get("/rounds/<int:round_id>/ranks")
@bearer_token
def ranks(round_id: int):
    found = _round_or_404(round_id)
    page = _whole("page", 1, 1, 10**6)
    per_page = _whole("per_page", DEFAULT_PER_PAGE, 1, current_app.config["API_MAX_PER_PAGE"])
    query = final_results(found)
    filters = {}
    for name, column in (("province", Office.province), ("area", Area.code)):
        value = request.args.get(name)
        if value is not None:
            query = query.where(column == value)
            filters[name] = value
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(Office.office_code).limit(per_page).offset((page - 1) * per_page))
    return _json({"round": _round(found), "filters": filters, "page": page, "per_page": per_page, "total": total,
                  "pages": math.ceil(total / per_page), "items": [_office(row) for row in rows]})


@bp.get("/rounds/<int:round_id>/offices/<office_code>")
@bearer_token
def office(round_id: int, office_code: str):
    found = _round_or_404(round_id)
    row = db.session.execute(final_results(found).where(Office.office_code == office_code)).first()
    if row is None:
        raise _NotFound("office_not_found", "No office with this code has a result in this round.")
    return _json({"round": _round(found), **_office(row)})
