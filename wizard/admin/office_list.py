"""The office list's query: search, filters and sorting from the URL, each checked against what it may be.

Nothing from the URL reaches SQL but as a bound value: sorting picks one of SORTS by name."""

import sqlalchemy as sa

from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..models import Area
from ..models import Office
from ..models import User
from ..rules import national_code
from ..rules.persian_order import MATCH_DROPPED
from ..rules.persian_order import MATCH_REPLACEMENTS
from ..rules.persian_order import SORT_REPLACEMENTS
from ..rules.persian_order import match_key
from ..rules.provinces import PROVINCE_NAMES
from ..rules.text import normalize_persian
from ..rules.text import parse_id
from ..rules.text import to_ascii_digits
from . import progress

SEARCH_LENGTH = 100
SORTS = ("license", "holder", "area", "status")
ORDERS = ("asc", "desc")
DEFAULT_SORT = "license"


def _replaced(expression, pairs):
    for old, new in pairs:
        expression = sa.func.replace(expression, old, new)
    return expression


def persian_order(column):
    """The column in Persian alphabetical order (rules/persian_order.py), compared code point by code point."""
    key = _replaced(column, SORT_REPLACEMENTS)
    return key.collate("C") if db.session.get_bind().dialect.name == "postgresql" else key


def _name_matches(column, text: str):
    """The column, compared as rules.persian_order.match_key compares names, contains the typed text."""
    key = _replaced(column, [(dropped, "") for dropped in MATCH_DROPPED] + list(MATCH_REPLACEMENTS))
    return key.contains(match_key(text), autoescape=True)


def search(query, typed: str):
    """Holder name, license number, office code or national code, typed in any digit script.

    Only the first SEARCH_LENGTH characters count: no name or code is longer, and SQLite refuses a LIKE
    pattern of 50,000 bytes ("pattern too complex")."""
    text = normalize_persian(typed)[:SEARCH_LENGTH]
    latin = to_ascii_digits(text)
    code = latin.replace(" ", "").upper()
    compact = code.replace("-", "")
    conditions = [sa.func.upper(Office.license_number).contains(code, autoescape=True),
                  sa.func.upper(Office.office_code).contains(code, autoescape=True)]
    if match_key(text):
        conditions.append(_name_matches(User.full_name, text))
    if national_code.is_valid(compact):
        conditions.append(User.national_code == national_code.normalize(compact))
    elif compact.isascii() and compact.isdigit():
        conditions.append(User.national_code.contains(compact))
    return query.where(sa.or_(*conditions))


def chosen(args, round_) -> dict:
    """The list's arguments that mean something, normalised: what links to other pages and sorts keep."""
    found = {}
    if args.get("q", "").strip():
        found["q"] = args["q"].strip()[:SEARCH_LENGTH]
    if args.get("type") in OFFICE_TYPES:
        found["type"] = args["type"]
    if parse_id(args.get("area")) is not None:
        found["area"] = str(parse_id(args["area"]))
    if args.get("province") in PROVINCE_NAMES:
        found["province"] = args["province"]
    if round_ is not None and args.get("status") in progress.STATUSES:
        found["status"] = args["status"]
    sort = args.get("sort")
    if sort in SORTS and (sort != "status" or round_ is not None):
        found["sort"] = sort
    if args.get("order") in ORDERS:
        found["order"] = args["order"]
    return found


def filtered(query, chosen_: dict, round_):
    if "q" in chosen_:
        query = search(query, chosen_["q"])
    if "type" in chosen_:
        query = query.where(Office.office_type == chosen_["type"])
    if "area" in chosen_:
        query = query.where(Office.area_id == int(chosen_["area"]))
    if "province" in chosen_:
        query = query.where(Office.province == chosen_["province"])
    if "status" in chosen_:
        query = query.where(progress.status_filter(chosen_["status"], round_.id))
    return query


def sorted_by(query, chosen_: dict, round_):
    """Ordered by the chosen column, then by license number (unique), so pages never overlap."""
    sort = chosen_.get("sort", DEFAULT_SORT)
    keys = {
        "license": [Office.license_number],
        "holder": [persian_order(User.full_name)],
        "area": [Office.province, persian_order(Area.county), persian_order(Area.name)],
        "status": [progress.status_rank(round_.id) if round_ is not None else Office.id],
    }[sort]
    if chosen_.get("order") == "desc":
        keys = [key.desc() for key in keys]
    return query.order_by(*keys, Office.license_number, Office.id)
