"""What accepting a correction request changes, field by field: checked first, applied on accept, audited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..filters import digits
from ..filters import jalali_date
from ..filters import province
from ..import_columns import OFFICE_CONVERTERS
from ..models import Area
from ..models import Office
from ..models import User
from ..rules.provinces import ENGLISH_NAMES
from ..rules.text import normalize_persian
from ..rules.text import parse_id
from .forms import AcceptForm

PROVINCE_BY_ENGLISH = {english.lower(): persian for persian, english in ENGLISH_NAMES.items()}


@dataclass
class Change:
    """What accepting a request does: shown on the confirmation page, applied on accept, audited.

    old and new are the stored forms (a type's key, an ISO date, ASCII digits), so the audit log
    reads the same whatever language the staff member used; shown() makes them readable."""

    old: str
    new: str
    apply: Callable[[], None]


def _known(convert, raw):
    try:
        return convert(raw)
    except ValueError:
        return None


def change_for(correction_, office: Office, form: AcceptForm, checking: bool = False) -> Change:
    """The change accepting this request makes; ValueError (with a message for staff) if it may not be made."""
    raw = correction_.requested_value
    change = CHANGES[correction_.field](raw, office, form, checking)
    if change.old == change.new:
        raise ValueError(_("the record already has this value; reject the request with an explanation."))
    return change


def _holder_name(raw, office, form, checking) -> Change:
    value = OFFICE_CONVERTERS["full_name"](raw)
    return Change(office.holder.full_name, value, lambda: setattr(office.holder, "full_name", value))


def _national_code(raw, office, form, checking) -> Change:
    value = OFFICE_CONVERTERS["national_code"](raw)
    holder = office.holder
    taken = db.session.scalar(sa.select(User.id).where(
        User.id != holder.id, sa.or_(User.national_code == value, User.username == value)))
    if taken is not None:
        raise ValueError(_("another account already uses this national code."))

    def apply():
        if holder.username == holder.national_code:
            holder.username = value  # holders sign in with their national code, so the username follows it
        holder.national_code = value
    return Change(holder.national_code or "", value, apply)


def _unique_office_value(column, message):
    def check(raw, office, form, checking) -> Change:
        # Registry identifiers are upper case; a holder typing "p-1039" on a phone means "P-1039",
        # and a near-duplicate differing only in case must not slip past the uniqueness check.
        value = OFFICE_CONVERTERS[column.key](raw).upper()
        taken = sa.select(Office.id).where(sa.func.upper(column) == value, Office.id != office.id)
        if db.session.scalar(taken) is not None:
            raise ValueError(message)
        return Change(getattr(office, column.key), value, lambda: setattr(office, column.key, value))
    return check


def _office_type_key(raw: str) -> str:
    """The stored key of an office type typed as its key or its Persian or English name."""
    text = normalize_persian(raw)
    for key, label in OFFICE_TYPES.items():
        for language in ("fa", "en"):
            with force_locale(language):
                if text.lower() in (key, str(label).lower()):
                    return key
    return OFFICE_CONVERTERS["office_type"](text)


def _office_type(raw, office, form, checking) -> Change:
    value = _office_type_key(raw)
    return Change(office.office_type, value, lambda: setattr(office, "office_type", value))


def _province(raw: str) -> str:
    text = normalize_persian(raw)
    return OFFICE_CONVERTERS["province"](PROVINCE_BY_ENGLISH.get(text.lower(), text))


def province_named(raw: str) -> str | None:
    """The province a request names (in Persian or English), or None."""
    return _known(_province, raw)


def _province_change(raw, office, form, checking) -> Change:
    value = _province(raw)
    if current_user.role != "admin":
        raise ValueError(_("only the regulator (an admin account) can move an office to another province."))
    area = None if checking else _chosen_area(form, value)

    def apply():
        office.province, office.area_id = value, area.id
    return Change(office.province, value, apply)


def _chosen_area(form: AcceptForm, new_province: str) -> Area:
    area_id = parse_id(form.area.data)
    area = db.session.get(Area, area_id) if area_id is not None else None
    if area is None or area.province != new_province:
        raise ValueError(_("choose the office's area in its new province."))
    return area


def _license_date(raw, office, form, checking) -> Change:
    value = OFFICE_CONVERTERS["license_date"](raw)
    return Change(office.license_date.isoformat(), value.isoformat(), lambda: setattr(office, "license_date", value))


def shown(field: str, value: str) -> str:
    """A stored value as staff read it: a type's name, a Jalali date, Persian digits on Persian pages."""
    if field == "office_type":
        return str(OFFICE_TYPES.get(value, value))
    if field == "license_date":
        return jalali_date(date.fromisoformat(value), style="short")
    if field == "province":
        return province(value)
    return digits(value)


CHANGES = {
    "holder_name": _holder_name,
    "national_code": _national_code,
    "license_number": _unique_office_value(Office.license_number,
                                          _l("another office already has this license number.")),
    "office_code": _unique_office_value(Office.office_code, _l("another office already has this office code.")),
    "office_type": _office_type,
    "province": _province_change,
    "license_date": _license_date,
}
