"""Jinja filters: Persian digits, Jalali dates and Tehran times in the page's language; the templates' url_for."""

from flask import has_request_context
from flask import request
from flask import url_for as build_url

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


def fixed_url_builder():
    """Flask's url_for for an app's templates, where a link without values, or to a static file, is built
    once and kept for the app's life.

    The layout links to ten such URLs (stylesheet, scripts, menu), and each build walks werkzeug's
    URL map: 3–4 µs apiece, some 2 % of a step page. Only the script root (the path the app is
    mounted at) can change them, so it is part of the key; the keys are the templates' own literals."""
    built: dict[tuple[str, str, str | None], str] = {}

    def url_for(endpoint: str, **values) -> str:
        if not has_request_context() or (values and values.keys() != {"filename"}):
            return build_url(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"))
        if key not in built:
            built[key] = build_url(endpoint, **values)
        return built[key]

    return url_for


def page_language():
    language = locale_name()
    return {"lang": language, "text_dir": "rtl" if language == "fa" else "ltr"}


def register(app):
    from .field_html import control
    from .field_html import error_summary
    from .field_html import field

    app.context_processor(page_language)
    app.jinja_env.globals["url_for"] = fixed_url_builder()
    app.add_template_global(control)
    app.add_template_global(error_summary)
    app.add_template_global(field)
    app.add_template_filter(digits)
    app.add_template_filter(jalali_date)
    app.add_template_filter(jalali_datetime)
    app.add_template_filter(province)
    app.add_template_filter(percent)
