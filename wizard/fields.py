"""Shared WTForms field types: any digit script in, clean values out, Persian messages on error.

Each type adapts a pure rule from wizard.rules; the rules decide, the fields only translate.
"""

import re

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import FieldList
from wtforms import FormField
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.core import Flags
from wtforms.fields.core import Label
from wtforms.validators import Regexp
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from .i18n import WTFormsMessages
from .i18n import lazy_gettext as _l
from .rules import jalali
from .rules import national_code
from .rules.contact import normalize_mobile
from .rules.contact import normalize_postal_code
from .rules.text import normalize_persian
from .rules.text import parse_int
from .rules.text import to_ascii_digits

# NUL and other controls are refused (PostgreSQL rejects NUL; SQLite would store it silently).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class CleanForm(FlaskForm):
    """Every text field is checked for control characters, then normalised (ی/ک, spaces, bidi marks).

    CSRF is checked once for every POST by CSRFProtect, so the forms themselves skip it;
    that also lets a step page re-validate stored input on GET (Post/Redirect/Get)."""

    class Meta:
        csrf = False

        def get_translations(self, form):
            return WTFormsMessages()

        def bind_field(self, form, unbound_field, options):
            """WTForms binds every field of every form afresh (some 7 µs a field, the larger part of building a
            step's form); here each field is bound once per form class, and copied after that."""
            bound = vars(type(form)).get("_bound_fields")
            if bound is None:  # kept on the class: a form class made at run time takes its fields with it
                bound = type(form)._bound_fields = {}
            key = (unbound_field, options["name"])
            if key not in bound:
                bound[key] = BoundOnce.of(unbound_field, _bind(unbound_field, form, {**options, "prefix": ""}))
            once = bound[key]
            if once is None:
                return _bind(unbound_field, form, options)
            return once.copy(form, options.get("prefix", ""), options.get("translations"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if any(_CONTROL.search(raw) for raw in (field.raw_data or []) if isinstance(raw, str)):
                field.errors = [*field.errors, _l("This field contains characters that are not allowed.")]
                valid = False
        return valid


def _bind(unbound_field, form, options):
    if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
        # The field's own filters live in unbound_field.kwargs; options would replace them.
        options["filters"] = [_normalize_text, *unbound_field.kwargs.get("filters", ())]
    return unbound_field.bind(form=form, **options)


class BoundOnce:
    """A field as WTForms binds it (without a prefix); copy() makes the same field for another form.

    A copy shares the objects no field changes (validators, widget, texts) and gets its own lists and
    dicts (choices, filters, a date's typed parts), flags, label, form, name and id, as a fresh binding
    would; tests/test_fields.py checks that every field of every form equals a fresh binding."""

    SKIPPED = ("_form", "meta", "_translations")  # the form's own: set on each copy

    def __init__(self, unbound_field, field: Field):
        self.field_class = type(field)
        self.attributes = {name: value for name, value in vars(field).items() if name not in self.SKIPPED}
        self.containers = [name for name, value in self.attributes.items() if isinstance(value, (list, dict, set))]
        self.flags = dict(vars(field.flags))
        # Without a label WTForms makes one of the name through its own catalog, which has no such entries:
        # the same text in every language (the test builds every form in both).
        self.label_text = field.label.text
        self.label_for = None if field.label.field_id == field.id else field.label.field_id  # radios: False
        self.fixed_id = bool(unbound_field.kwargs.get("id"))  # an id from the definition stays under a prefix

    @classmethod
    def of(cls, unbound_field, field: Field):
        """None for fields that bind parts of their own (staff rows, a datalist with its id): bound every time."""
        datalist = getattr(field, "_datalist", None)
        if isinstance(field, (FieldList, FormField)) or not isinstance(datalist, (str, type(None))):
            return None
        return cls(unbound_field, field)

    def copy(self, form, prefix: str, translations) -> Field:
        field = object.__new__(self.field_class)
        field.__dict__ = attributes = self.attributes.copy()
        for name in self.containers:
            attributes[name] = attributes[name].copy()
        attributes["flags"] = flags = Flags()
        flags.__dict__ = self.flags.copy()
        attributes["_form"], attributes["meta"] = form, form.meta
        if translations is not None:
            attributes["_translations"] = translations
        if prefix:
            attributes["name"] = prefix + field.short_name
            if not self.fixed_id:
                attributes["id"] = attributes["name"]
        attributes["label"] = Label(attributes["id"] if self.label_for is None else self.label_for, self.label_text)
        return field


class WholeMatch(Regexp):
    """A pattern the whole value must match: WTForms' Regexp uses re.match, which checks only the start
    ("xss<script>" passes "[a-z]+"), and its "$" also matches before a final newline."""

    def __init__(self, pattern: str, message=None):
        super().__init__(rf"\A(?:{pattern})\Z", re.ASCII, message)


def _normalize_text(value):
    return normalize_persian(value) if isinstance(value, str) else value


class LocalizedIntegerField(IntegerField):
    """A whole number typed in Persian, Arabic-Indic or Latin digits.

    Rendered as a text box: a browser's number box refuses Persian digits."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_int(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number, e.g. 12.")) from None


class NationalCodeField(StringField):
    def pre_validate(self, form):
        if self.data and not national_code.is_valid(self.data):
            raise ValidationError(_l("The national code is not valid."))

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data and national_code.is_valid(self.data):
            self.data = national_code.normalize(self.data)


class _NormalizedField(StringField):
    normalizer = staticmethod(lambda value: value)
    message = ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.invalid = False
        if self.data:
            try:
                self.data = self.normalizer(self.data)
            except ValueError:
                self.invalid = True

    def pre_validate(self, form):
        if getattr(self, "invalid", False):
            raise ValidationError(self.message)


class MobileField(_NormalizedField):
    normalizer = staticmethod(normalize_mobile)
    message = _l("Enter a mobile number like 09121234567.")


class PostalCodeField(_NormalizedField):
    normalizer = staticmethod(normalize_postal_code)
    message = _l("The postal code has 10 digits.")


def _phone(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", to_ascii_digits(text))
    if not re.fullmatch(r"0[0-9]{10}", digits, re.ASCII):
        raise ValueError(text)
    return digits


class PhoneField(_NormalizedField):
    normalizer = staticmethod(_phone)
    message = _l("Enter the phone number with its area code, like 02112345678.")


def _email(text: str) -> str:
    if not re.fullmatch(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}", text) or len(text) > 254:
        raise ValueError(text)
    return text.lower()


class EmailField(_NormalizedField):
    normalizer = staticmethod(_email)
    message = _l("Enter an email address like name@example.ir.")


class JalaliDateField(Field):
    """A Jalali date typed as day, month and year (three boxes), in any digit script.

    The value is a dict {"year", "month", "day"} of ints: what the user typed, Jalali,
    so it round-trips through drafts unchanged."""

    parts = ("day", "month", "year")

    def __init__(self, label=None, validators=None, min_year=1300, max_year=1500, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min_year, self.max_year = min_year, max_year
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
        if not any(value.strip() for value in self.typed.values()):
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
        return {"year": values["year"], "month": values["month"], "day": values["day"]}

    def _value(self):
        return self.typed


def jalali_text(value: dict | None, locale: str = "fa") -> str:
    """A stored Jalali date dict as text: '۱ مهر ۱۳۹۹'."""
    if not value:
        return ""
    day = jalali.to_gregorian(value["year"], value["month"], value["day"])
    return jalali.format_date(day, locale=locale, style="long")
