"""Labels of the locked license fields and of stored choices, for pages and the correction form."""

from flask_babel import lazy_gettext as _l

LOCKED_LABELS = {
    "holder_name": _l("License holder"),
    "national_code": _l("National code"),
    "license_number": _l("License number"),
    "office_code": _l("Office code"),
    "office_type": _l("Office type"),
    "province": _l("Province"),
    "license_date": _l("License date"),
}
OFFICE_TYPES = {
    "pishkhan": _l("Government service counter office"),
    "public_nongov": _l("Public non-governmental office"),
    "rural_ict": _l("Rural ICT office"),
}
STATES = {
    None: _l("Not started"),
    "in_progress": _l("In progress"),
    "errors": _l("Has errors"),
    "complete": _l("Complete"),
    "carried": _l("Confirmed unless changed"),
}
