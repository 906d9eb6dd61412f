"""Catalog lookups done once per request rather than once per string.

Flask-Babel walks its context for every gettext call and every lazy string (some 50 a page), and
Flask-WTF reads WTForms' own .mo file from disk again on every request. Here the language and
catalog are looked up once per request and kept on g; force_locale() below swaps them too."""

import contextlib
import functools

import flask_babel
from babel import support
from flask import g
from flask_babel import get_locale
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup
from wtforms.i18n import messages_path


def _current() -> tuple[str, support.NullTranslations]:
    """(language, catalog) of this request or app context, looked up once."""
    try:
        found = g.get("_wizard_language")
    except RuntimeError:  # no app context: the text as written, as Flask-Babel does
        return "fa", support.NullTranslations()
    if found is None:
        found = g._wizard_language = (str(get_locale() or "fa"), get_translations())
    return found


def locale_name() -> str:
    """This request's language: "fa" or "en"."""
    return _current()[0]


def catalog():
    """This request's catalog, for gettext in templates and Python."""
    return _current()[1]


@contextlib.contextmanager
def force_locale(language: str):
    """Flask-Babel's force_locale, also for the language and catalog cached here: use this one."""
    saved = g.pop("_wizard_language", None)
    try:
        with flask_babel.force_locale(language):
            yield
    finally:
        g.pop("_wizard_language", None)
        if saved is not None:
            g._wizard_language = saved


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext through this request's cached catalog."""
    text = catalog().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """A string translated when it is shown, in the language of the request showing it."""
    return LazyString(gettext, string, **variables)


@functools.cache
def _wtforms_catalog(locale: str):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' built-in messages in the page's language, each catalog read once per process."""

    def gettext(self, string):
        return _wtforms_catalog(locale_name()).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalog(locale_name()).ungettext(singular, plural, n)


def markup_gettext(string: str, **variables) -> Markup:
    """The text as the templates' _() gives it on an HTML page: markup, with the variables escaped into it."""
    return _formatted(Markup(catalog().ugettext(string)), variables)  # nosec B704: the catalog's own text


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    """The templates' _() and gettext(): Jinja's newstyle gettext in one call instead of three
    (its _ alias and its wrapper each go through Context.call again)."""
    if eval_ctx.autoescape:
        return markup_gettext(string, **variables)
    return _formatted(catalog().ugettext(string), variables)


def _formatted(text, variables: dict):
    # Always a format string, as in newstyle gettext ("%%" is "%"); most texts have no "%" to format.
    return text % variables if "%" in text else text


def register(app):
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
