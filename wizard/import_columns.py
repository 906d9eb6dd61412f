"""The columns of the import files: each cell's converter, which refuses a bad value with a message for the row."""

from flask_babel import gettext as _

from .models import AREA_KINDS
from .models import OFFICE_TYPES
from .rules import jalali
from .rules import national_code
from .rules.contact import normalize_mobile
from .rules.provinces import PROVINCE_NAMES
from .rules.text import has_letter_or_digit
from .rules.text import is_person_name
from .rules.text import normalize_identifier
from .rules.text import normalize_persian
from .rules.text import numeric_text
from .rules.text import parse_int

KIND_ALIASES = {"شهر": "city", "روستا": "village"}
MAX_SERVICES = 10_000
LICENSE_YEARS = (1300, 1500)  # Jalali; a Gregorian year typed by mistake falls outside


def _text(max_length: int):
    """Free text, normalised as the wizard normalises it (rules.text.normalize_persian); it must have a letter
    or a digit."""
    def convert(raw: str) -> str:
        value = normalize_persian(raw)
        if not value:
            raise ValueError(_("This field is empty."))
        if not has_letter_or_digit(value):
            raise ValueError(_("This field has no letter or digit."))
        if len(value) > max_length:
            raise ValueError(_("This field is longer than %(n)d characters.", n=max_length))
        return value
    return convert


def _person_name(raw: str) -> str:
    value = _text(200)(raw)
    if not is_person_name(value):
        raise ValueError(_("A name has only letters, without digits or symbols."))
    return value


def _identifier(max_length: int = 30):
    def convert(raw: str) -> str:
        value = normalize_identifier(raw).replace(" ", "")  # as usernames and codes typed on the site
        if not value:
            raise ValueError(_("This field is empty."))
        if len(value) > max_length:
            raise ValueError(_("This field is longer than %(n)d characters.", n=max_length))
        if not value.isascii() or not value.replace("-", "").replace("/", "").isalnum():
            raise ValueError(_("Only Latin letters, digits, '-' and '/' are allowed."))
        return value
    return convert


def _province(raw: str) -> str:
    value = _text(40)(raw)
    if value not in PROVINCE_NAMES:
        raise ValueError(_("Unknown province «%(name)s».", name=value))
    return value


def _kind(raw: str) -> str:
    kind = normalize_persian(normalize_identifier(raw)).lower()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in AREA_KINDS:
        raise ValueError(_("The kind must be city or village."))
    return kind


def _service_count(raw: str) -> int:
    try:
        services = parse_int(raw)
    except ValueError:
        raise ValueError(_("The number of services must be a whole number.")) from None
    if not 0 <= services <= MAX_SERVICES:
        raise ValueError(_("The number of services must be between 0 and %(n)d.", n=MAX_SERVICES))
    return services


def _national_code(raw: str) -> str:
    try:
        return national_code.validate(raw)
    except ValueError:
        raise ValueError(_("The national code is not valid.")) from None


def _mobile(raw: str) -> str | None:
    try:
        return normalize_mobile(raw) if numeric_text(raw) else None  # invisible marks only: no mobile
    except ValueError:
        raise ValueError(_("The mobile number must look like 09121234567.")) from None


def _office_type(raw: str) -> str:
    raw = normalize_identifier(raw)
    if raw not in OFFICE_TYPES:
        raise ValueError(_("The office type must be pishkhan, public_nongov or rural_ict."))
    return raw


def _license_date(raw: str):
    try:
        day = jalali.parse_date(raw)
    except ValueError:
        day = None
    if day is None or not LICENSE_YEARS[0] <= jalali.to_jalali(day)[0] <= LICENSE_YEARS[1]:
        raise ValueError(_("The license date must be a Jalali date like 1399/07/01."))
    return day


AREA_CONVERTERS = {
    "area_code": _identifier(20), "province": _province, "county": _text(100), "name": _text(100),
    "kind": _kind, "available_services": _service_count,
}
OFFICE_CONVERTERS = {
    "national_code": _national_code, "full_name": _person_name, "mobile": _mobile,
    "license_number": _identifier(), "office_code": _identifier(), "office_type": _office_type,
    "province": _province, "area_code": _identifier(20), "license_date": _license_date,
}
