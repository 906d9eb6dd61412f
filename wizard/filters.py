"""Jinja filters: Persian digits, Jalali dates and Tehran times in the page's language."""

import functools

from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup

from .i18n import locale_name
from .rules import jalali
from .rules.provinces import ENGLISH_NAMES
from .rules.text import localize_digits


def digits(value) -> str:
    """Numbers in Persian digits on Persian pages, Latin digits otherwise; codes with Latin letters stay whole."""
    if locale_name() != "fa":
        return "" if value is None else value
    if isinstance(value, Markup):  # a translated sentence, already escaped: it stays escaped
        return Markup(localize_digits(value))  # nosec B704: value is Markup already; only its digits change
    return localize_digits("" if value is None else str(value))


def jalali_date(value, style="long") -> str:
    return "" if value is None else jalali.format_date(value, locale=locale_name(), style=style)


def jalali_datetime(value) -> str:
    return "" if value is None else jalali.format_datetime(value, locale=locale_name())


def round_name(round_) -> str:
    """A round as holders read it: its title on Persian pages; on English ones its Jalali half-year (the title is
    Persian text an admin typed)."""
    if locale_name() == "fa":
        return round_.title
    return str(_("Evaluation round %(half)s", half=jalali.half_year_label(round_.jalali_year, round_.half, "en")))


def percent(value) -> str:
    """40 → '۴۰٪' on Persian pages, '40%' on English ones."""
    return f"{digits(value)}٪" if locale_name() == "fa" else f"{value}%"


def province(value) -> str:
    return ENGLISH_NAMES.get(value, value) if locale_name() == "en" else value


def latin_code(text) -> bool:
    """A Jinja test: text that still has Latin digits after |digits (a code with letters, an IP address)."""
    return any("0" <= c <= "9" for c in str(text))


def page_language():
    language = locale_name()
    return {"lang": language, "text_dir": "rtl" if language == "fa" else "ltr"}


def register(app):
    from .fields import error_links
    from .qr import qr_path

    app.context_processor(page_language)
    app.add_template_global(error_links)
    app.add_template_global(qr_path)
    for language_dependent in (digits, jalali_date, jalali_datetime, province, percent, round_name):
        app.add_template_filter(_each_request(language_dependent), language_dependent.__name__)
    app.add_template_test(latin_code)


def _each_request(text_filter):
    """The filter as Jinja should call it: on every render. Jinja's compiler runs a plain filter on a constant
    ({{ "2:00"|digits }}) once, in whatever language the first page had, and keeps that text."""
    @functools.wraps(text_filter)
    @pass_context
    def in_this_page(_context, value, *args):
        return text_filter(value, *args)
    return in_this_page
