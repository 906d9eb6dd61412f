"""Answers as readable text for the check-answers page, conflicts and receipts."""

from flask_babel import gettext as _

from ..fields import jalali_text
from ..i18n import locale_name
from ..rules import jalali
from ..rules.provinces import ENGLISH_NAMES
from ..rules.tracking import grouped
from .labels import LOCKED_LABELS
from .labels import OFFICE_TYPES
from .steps import TOTAL


def value_text(field) -> str:
    if field.type == "JalaliDateField":
        return jalali_text(field.data, locale_name())
    if field.type in ("RadioField", "SelectField"):
        labels = {value: label for value, label, *_rest in field.choices}
        return str(labels.get(field.data, field.data or ""))
    return "" if field.data is None else str(field.data)


def answer_rows(form) -> list[tuple[str, str]]:
    """(label, text) for every answer of a step form; staff people are numbered."""
    rows = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField"):
            continue
        if field.type == "FieldList":
            for number, entry in enumerate(field.entries, start=1):
                for label, text in answer_rows(entry.form):
                    rows.append((_("Person %(number)s", number=number) + " — " + label, text))
            continue
        rows.append((str(field.label.text), value_text(field)))
    return rows


def locked_values(office) -> dict[str, str]:
    """The license fields the holder cannot change, as stored (for the correction form): digits are Latin here,
    and pages show them in their own digits."""
    return {"holder_name": office.holder.full_name, "national_code": office.holder.national_code or "",
            "license_number": office.license_number, "office_code": office.office_code,
            "office_type": office.office_type, "province": office.province,
            "license_date": jalali.format_date(office.license_date, locale="en", style="short")}  # |digits shows it


CODE_FIELDS = ("license_number", "office_code")  # shown as written, marked as codes (macros/text.html)


def locked(office) -> list[tuple[str, str, bool]]:
    """(label, value, is a code) of the license fields as shown on the step page, in the page's language."""
    values = locked_values(office)
    values["office_type"] = str(OFFICE_TYPES.get(office.office_type, office.office_type))
    if locale_name() == "en":
        values["province"] = ENGLISH_NAMES.get(office.province, office.province)
    return [(str(LOCKED_LABELS[name]), value, name in CODE_FIELDS) for name, value in values.items()]


def register(app):
    app.add_template_global(answer_rows)
    app.add_template_global(locked)
    app.add_template_filter(lambda code: grouped(code), "tracking_code")
    app.add_template_global(TOTAL, "steps_total")
