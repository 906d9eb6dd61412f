"""Shared WTForms field types: any digit script in, clean values out, Persian messages on error.

Each type adapts a pure rule from wizard.rules; the rules decide, the fields only translate.
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import FieldList
from wtforms import FormField
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Regexp
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from . import clock
from .i18n import WTFormsMessages
from .i18n import locale_name
from .rules import jalali
from .rules import national_code
from .rules.contact import normalize_email
from .rules.contact import normalize_insurance_number
from .rules.contact import normalize_mobile
from .rules.contact import normalize_phone
from .rules.contact import normalize_postal_code
from .rules.text import localize_digits
from .rules.text import normalize_persian
from .rules.text import numeric_text
from .rules.text import parse_int
from .rules.text import strip_invisible
from .rules.text import to_ascii_digits
from .rules.times import parse_time_of_day
from .validators import Answered

# NUL and other controls are refused (PostgreSQL rejects NUL; SQLite would store it silently); so are bidi
# embeddings and isolates in free text. In a number, date or code they are only invisible marks, dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_NUMBERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REQUIRED = _l("This field is required.")
NOT_ALLOWED = _l("This field contains characters that are not allowed.")


class CleanForm(FlaskForm):
    """Every text field is checked for control characters, then normalised (ی/ک, spaces, bidi marks).

    CSRF is checked once for every POST by CSRFProtect, so the forms themselves skip it;
    that also lets a step page re-validate stored input on GET (Post/Redirect/Get)."""

    class Meta:
        csrf = False

        def get_translations(self, form):
            return WTFormsMessages()

        def bind_field(self, form, unbound_field, options):
            """Text fields normalise what was typed first (WTForms' documented hook for adding filters)."""
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                # The field's own filters live in unbound_field.kwargs; options would replace them.
                options["filters"] = [_normalize_text, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, (FieldList, FormField)):
                continue  # their rows are forms of their own, checked by their own validate()
            control = _CONTROL_IN_NUMBERS if isinstance(field, ParsedField) else _CONTROL
            if any(control.search(raw) for raw in (field.raw_data or []) if isinstance(raw, str)):
                field.errors = [NOT_ALLOWED]  # the field's one message: what it holds cannot be read
                valid = False
        return valid


class WholeMatch(Regexp):
    """A pattern the whole value must match: WTForms' Regexp uses re.match, which checks only the start
    ("xss<script>" passes "[a-z]+"), and its "$" also matches before a final newline."""

    def __init__(self, pattern: str, message=None):
        super().__init__(rf"\A(?:{pattern})\Z", re.ASCII, message)


def _in_page_digits(text: str) -> str:
    return localize_digits(text) if locale_name() == "fa" else to_ascii_digits(text)


def _normalize_text(value):
    return normalize_persian(value) if isinstance(value, str) else value


class ParsedField:
    """A field that reads what was typed as a number, date, time or code, in any digit script, with any
    invisible marks pasted along.

    When the reading fails, its message is the field's only one: no validator runs after it (a range check on
    nothing would only contradict it). Input of nothing but spaces and invisible marks is nothing typed: the
    field's required message, or no message when it is optional."""

    def _value(self):
        """Shown in the page's digits, what was typed as much as what the wizard holds (README, digits and codes):
        every digit script is read alike, so nothing typed changes its meaning."""
        shown = super()._value()
        return _in_page_digits(shown) if isinstance(shown, str) else shown

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None or self.data == "":
            required = next((v for v in self.validators if isinstance(v, (Answered, DataRequired))), None)
            raise StopValidation((required.message or REQUIRED) if required else None)


INT_MESSAGES = {
    "decimal": _l("Enter a whole number, without a decimal point."),
    "grouping": _l("Write the number without separators, or with a comma after every three digits, like 2,500."),
    "too_long": _l("This number is too large."),
}


class LocalizedIntegerField(ParsedField, IntegerField):
    """A whole number typed in Persian, Arabic-Indic or Latin digits, thousands grouped or not (rules.text.parse_int).

    Rendered as a text box: a browser's number box refuses Persian digits."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not isinstance(valuelist[0], str) or not numeric_text(valuelist[0]):
            self.data = None
            return
        try:
            self.data = parse_int(valuelist[0])
        except ValueError as problem:
            self.data = None
            raise ValueError(INT_MESSAGES.get(getattr(problem, "reason", ""),
                                              _l("Enter a whole number, e.g. 12."))) from None


class _NormalizedField(ParsedField, StringField):
    """Text read by a rule into its canonical form ('۰۹۱۲ ۱۲۳ ۴۵۶۷' → '09121234567'). What was typed stays in the
    box when the rule refuses it, with the message for the rule's reason (`messages`, else `message`)."""

    normalizer = staticmethod(lambda value: value)
    message = ""
    messages: dict = {}

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or self.message

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data and not strip_invisible(self.data).strip():
            self.data = ""  # only invisible marks: nothing typed
        if self.data:
            try:
                self.data = self.normalizer(self.data)
            except ValueError as problem:
                raise ValueError(self.messages.get(getattr(problem, "reason", ""), self.message)) from None


class NationalCodeField(_NormalizedField):
    normalizer = staticmethod(national_code.validate)
    message = _l("The national code is not valid.")
    messages = {"digits": _l("A national code has only digits."), "length": _l("A national code has 10 digits.")}


class MobileField(_NormalizedField):
    normalizer = staticmethod(normalize_mobile)
    message = _l("Enter a mobile number like 09121234567.")


class PostalCodeField(_NormalizedField):
    normalizer = staticmethod(normalize_postal_code)
    message = _l("The postal code has 10 digits.")
    messages = {"district": _l("No postal code is like this: its first five digits never include 0 or 2."),
                "repeated": _l("No postal code is like this: its first four digits are never all the same.")}


class PhoneField(_NormalizedField):
    normalizer = staticmethod(normalize_phone)
    message = _l("Enter the phone number with its area code, like 02112345678.")


class InsuranceNumberField(_NormalizedField):
    normalizer = staticmethod(normalize_insurance_number)
    message = _l("The insurance number has 5 to 15 digits.")


class EmailField(_NormalizedField):
    normalizer = staticmethod(normalize_email)
    message = _l("Enter an email address like name@example.ir.")


class TimeOfDayField(_NormalizedField):
    """A time of day, stored as HH:MM (rules.times.parse_time_of_day: '8:00', '۸٫۰۰' and the like)."""

    normalizer = staticmethod(parse_time_of_day)
    message = _l("Enter a time like 07:30.")
    messages = {"range": _l("There is no such time: the hour is 0 to 23 and the minute 0 to 59.")}


class JalaliDateField(ParsedField, Field):
    """A Jalali date typed as day, month and year (three boxes), in any digit script.

    The value is a dict {"year", "month", "day"} of ints: what the user typed, Jalali,
    so it round-trips through drafts unchanged. With past=True the date may not be after
    today in Tehran (a start date that has not come yet is a mistake)."""

    parts = ("day", "month", "year")

    def __init__(self, label=None, validators=None, min_year=1300, max_year=1500, past=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min_year, self.max_year, self.past = min_year, max_year, past
        self.typed = {part: "" for part in self.parts}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        self.data = data if isinstance(data, dict) else None
        if self.data:
            self.typed = {part: str(self.data.get(part, "")) for part in self.parts}
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.parts):
            self.typed = {part: formdata.get(f"{self.name}-{part}", "") for part in self.parts}
            self.raw_data = list(self.typed.values())
            self.data = self._parse()

    def _parse(self):
        if not any(numeric_text(value) for value in self.typed.values()):
            return None
        try:
            values = {part: parse_int(self.typed[part]) for part in self.parts}
            jalali.to_gregorian(values["year"], values["month"], values["day"])
        except ValueError:
            self.process_errors.append(_l("Enter a real date, e.g. day 1, month 7, year 1399."))
            return None
        if not self.min_year <= values["year"] <= self.max_year:
            self.process_errors.append(_l("Enter the year in the Persian calendar, e.g. 1399."))
            return None
        if self.past:
            try:
                jalali.not_in_future(values["year"], values["month"], values["day"], clock.now())
            except ValueError:
                today = jalali.format_date(clock.now(), locale_name(), style="long")
                self.process_errors.append(_l("This date has not come yet: today is %(today)s.", today=today))
                return None
        return {"year": values["year"], "month": values["month"], "day": values["day"]}

    def _value(self):
        """The three boxes' values, in the page's digits."""
        return {part: _in_page_digits(text) for part, text in self.typed.items()}


def jalali_text(value: dict | None, locale: str = "fa") -> str:
    """A stored Jalali date dict as text: '۱ مهر ۱۳۹۹'."""
    if not value:
        return ""
    day = jalali.to_gregorian(value["year"], value["month"], value["day"])
    return jalali.format_date(day, locale=locale, style="long")


def error_links(form) -> list[tuple[str, str]]:
    """(element id, message) for every error in the form, nested staff rows included, in page order."""
    links = []
    for field in form:
        if field.type == "FieldList":
            links += [(f"{field.id}", str(error)) for error in field.errors if isinstance(error, str)]
            for entry in field.entries:
                links += error_links(entry.form)
            continue
        target = f"{field.id}-day" if field.type == "JalaliDateField" else (
            f"{field.id}-0" if field.type == "RadioField" else field.id)
        links += [(target, str(error)) for error in field.errors]
    return links
