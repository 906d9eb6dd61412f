"""Jinja filters: Persian digits, Jalali dates and Tehran times in the page's language."""

from .i18n import locale_name
from .rules import jalali
from .rules.provinces import ENGLISH_NAMES
from .rules.text import to_persian_digits


def digits(value) -> str:
    """Numbers in Persian digits on Persian pages, Latin digits otherwise."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if locale_name() == "fa" else text


def jalali_date(value, style="long") -> str:
    return "" if value is None else jalali.format_date(value, locale=locale_name(), style=style)


def jalali_datetime(value) -> str:
    return "" if value is None else jalali.format_datetime(value, locale=locale_name())


def percent(value) -> str:
    """40 → '۴۰٪' on Persian pages, '40%' on English ones."""
    return f"{digits(value)}٪" if locale_name() == "fa" else f"{value}%"


def province(value) -> str:
    return ENGLISH_NAMES.get(value, value) if locale_name() == "en" else value


def page_language():
    language = locale_name()
    return {"lang": language, "text_dir": "rtl" if language == "fa" else "ltr"}


def register(app):
    from .fields import error_links
    from .qr import qr_path

    app.context_processor(page_language)
    app.add_template_global(error_links)
    app.add_template_global(qr_path)
    app.add_template_filter(digits)
    app.add_template_filter(jalali_date)
    app.add_template_filter(jalali_datetime)
    app.add_template_filter(province)
    app.add_template_filter(percent)
