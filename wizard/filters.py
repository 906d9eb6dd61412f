"""Jinja filters: Persian digits, Jalali dates and Tehran times in the page's language."""

from flask_babel import get_locale

from .rules import jalali
from .rules.provinces import ENGLISH_NAMES
from .rules.text import to_persian_digits


def _locale() -> str:
    return str(get_locale() or "fa")


def digits(value) -> str:
    """Numbers in Persian digits on Persian pages, Latin digits otherwise."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if _locale() == "fa" else text


def jalali_date(value, style="long") -> str:
    return "" if value is None else jalali.format_date(value, locale=_locale(), style=style)


def jalali_datetime(value) -> str:
    return "" if value is None else jalali.format_datetime(value, locale=_locale())


def percent(value) -> str:
    """40 → '۴۰٪' on Persian pages, '40%' on English ones."""
    return f"{digits(value)}٪" if _locale() == "fa" else f"{value}%"


def province(value) -> str:
    return ENGLISH_NAMES.get(value, value) if _locale() == "en" else value


def page_language():
    language = _locale()
    return {"lang": language, "text_dir": "rtl" if language == "fa" else "ltr"}


def register(app):
    from .fields import error_links

    app.context_processor(page_language)
    app.add_template_global(error_links)
    app.add_template_filter(digits)
    app.add_template_filter(jalali_date)
    app.add_template_filter(jalali_datetime)
    app.add_template_filter(province)
    app.add_template_filter(percent)
