"""Correction requests for locked license fields: staff accept them (the record changes) or reject them with a reason.

Only an admin may accept a change of province: moving an office between provinces takes it out of one
region's scope into another's and needs an area of the new province, which only the regulator sees.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from ..declaration.forms import options
from ..declaration.labels import LOCKED_LABELS
from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..fields import CleanForm
from ..filters import digits
from ..filters import jalali_date
from ..filters import province
from ..importing import OFFICE_CONVERTERS
from ..models import Area
from ..models import CorrectionRequest
from ..models import Office
from ..models import User
from ..models import audit
from ..rules.provinces import ENGLISH_NAMES
from ..rules.text import normalize_persian
from ..rules.text import parse_id
from .blueprint import bp
from .scope import offices_in_scope
from .scope import staff

OPEN_SHOWN = 100  # a long queue is worked from the oldest; the count says how many more wait
ANSWERED_SHOWN = 20
STATUS_LABELS = {"open": _l("waiting"), "accepted": _l("accepted"), "rejected": _l("rejected")}
PROVINCE_BY_ENGLISH = {english.lower(): persian for persian, english in ENGLISH_NAMES.items()}


class RejectForm(CleanForm):
    answer = TextAreaField(_l("Reason for the holder"), validators=[
        DataRequired(_l("Write the reason the holder will see.")),
        Length(5, 500, _l("The reason has %(min)d to %(max)d characters."))])


class AcceptForm(CleanForm):
    # Only used for a change of province: the office needs an area of its new province.
    area = SelectField(_l("Area in the new province"), coerce=str)


@dataclass
class Change:
    """What accepting a request does: shown on the confirmation page, applied on accept, audited.

    old and new are the stored forms (a type's key, an ISO date, ASCII digits), so the audit log
    reads the same whatever language the staff member used; shown() makes them readable."""

    old: str
    new: str
    apply: Callable[[], None]


def _corrections_in_scope(query=None):
    query = sa.select(CorrectionRequest) if query is None else query
    return offices_in_scope(query.join(Office, Office.id == CorrectionRequest.office_id))


def _correction_or_404(correction_id: int) -> tuple[CorrectionRequest, Office]:
    found = db.session.execute(_corrections_in_scope(sa.select(CorrectionRequest, Office))
                               .where(CorrectionRequest.id == correction_id)).first()
    if found is None:
        abort(404)  # another province's request is as invisible as a missing one
    return found[0], found[1]


@bp.get("/corrections")
@staff
def corrections():
    waiting = _corrections_in_scope(sa.select(CorrectionRequest, Office)).where(CorrectionRequest.status == "open")
    answered = _corrections_in_scope(sa.select(CorrectionRequest, Office)).where(CorrectionRequest.status != "open")
    waiting_count = db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery()))
    return render_template(
        "admin/corrections.html", labels=LOCKED_LABELS, status_labels=STATUS_LABELS, waiting_count=waiting_count,
        waiting=db.session.execute(waiting.order_by(CorrectionRequest.id).limit(OPEN_SHOWN)).all(),
        answered=db.session.execute(answered.order_by(CorrectionRequest.id.desc()).limit(ANSWERED_SHOWN)).all())


@bp.get("/corrections/<int:correction_id>")
@staff
def correction(correction_id: int):
    """The confirmation page: what accepting would change (or why it cannot), and the reject form."""
    correction_, office = _correction_or_404(correction_id)
    return _answer_page(correction_, office, RejectForm(formdata=None))


def _answer_page(correction_, office, reject_form, status=200):
    change = problem = None
    accept_form = _accept_form(correction_, posted=False)
    if correction_.status == "open":
        try:
            change = _change(correction_, office, accept_form, checking=True)
        except ValueError as error:
            problem = str(error)
    return render_template("admin/correction_answer.html", correction=correction_, office=office, change=change,
                           problem=problem, accept_form=accept_form, reject_form=reject_form,
                           label=LOCKED_LABELS[correction_.field], status_labels=STATUS_LABELS, shown=shown,
                           current=_current(correction_, office)), status


def _current(correction_, office) -> str:
    """The field's value in the record now (it may have changed since the holder asked)."""
    holder = office.holder
    stored = {"holder_name": holder.full_name, "national_code": holder.national_code or "",
              "license_date": office.license_date.isoformat()}
    return stored[correction_.field] if correction_.field in stored else getattr(office, correction_.field)


@bp.post("/corrections/<int:correction_id>/accept")
@staff
def accept_correction(correction_id: int):
    correction_, office = _correction_or_404(correction_id)
    back = url_for("admin.correction", correction_id=correction_.id)
    if correction_.status != "open":
        return _already_answered(correction_)
    try:
        change = _change(correction_, office, _accept_form(correction_))
    except ValueError as error:
        flash(_("The correction was not applied: %(problem)s", problem=error), "error")
        return redirect(back, 303)
    if not _close(correction_, "accepted", None):
        return _already_answered(correction_)
    change.apply()
    audit("correction-accept", actor=current_user, target=f"office:{office.id}", address=request.remote_addr,
          request=correction_.id, field=correction_.field, old=change.old, new=change.new)
    try:
        db.session.commit()
    except IntegrityError:  # another office took the same license number or code a moment ago
        db.session.rollback()
        flash(_("The correction was not applied: %(problem)s", problem=_("another record took this value just now.")),
              "error")
        return redirect(back, 303)
    flash(_("The correction was applied: %(field)s is now %(value)s.", field=LOCKED_LABELS[correction_.field],
            value=shown(correction_.field, change.new)), "success")
    return redirect(url_for("admin.corrections"), 303)


@bp.post("/corrections/<int:correction_id>/reject")
@staff
def reject_correction(correction_id: int):
    correction_, office = _correction_or_404(correction_id)
    if correction_.status != "open":
        return _already_answered(correction_)
    form = RejectForm()
    if not form.validate():
        return _answer_page(correction_, office, form, status=400)
    if not _close(correction_, "rejected", form.answer.data):
        return _already_answered(correction_)
    audit("correction-reject", actor=current_user, target=f"office:{office.id}", address=request.remote_addr,
          request=correction_.id, field=correction_.field, answer=form.answer.data)
    db.session.commit()
    flash(_("The request was rejected; the holder sees your reason on their correction page."), "success")
    return redirect(url_for("admin.corrections"), 303)


def _already_answered(correction_):
    flash(_("This request has already been answered (%(status)s); nothing was changed.",
            status=STATUS_LABELS[correction_.status]), "info")
    return redirect(url_for("admin.correction", correction_id=correction_.id), 303)


def _close(correction_, status: str, answer: str | None) -> bool:
    """Answer the request only if it is still open: of two staff answering at once, exactly one wins."""
    done = db.session.execute(sa.update(CorrectionRequest)
                              .where(CorrectionRequest.id == correction_.id, CorrectionRequest.status == "open")
                              .values(status=status, answer=answer))
    if done.rowcount != 1:
        db.session.rollback()
        return False
    return True


# ---------------------------------------------------------------- checking and applying one field


def _accept_form(correction_, posted: bool = True) -> AcceptForm:
    form = AcceptForm() if posted else AcceptForm(formdata=None)
    wanted = _known(_province, correction_.requested_value) if correction_.field == "province" else None
    areas = db.session.scalars(sa.select(Area).where(Area.province == wanted).order_by(Area.county, Area.name)
                               ).all() if wanted else []
    form.area.choices = options(("", _("Choose…")), *((str(a.id), f"{a.county} — {a.name}") for a in areas))
    return form


def _known(convert, raw):
    try:
        return convert(raw)
    except ValueError:
        return None


def _change(correction_, office: Office, form: AcceptForm, checking: bool = False) -> Change:
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
