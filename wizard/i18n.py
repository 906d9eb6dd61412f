"""Catalog lookups done once per request rather than once per string.

Flask-Babel walks its context for every gettext call (about 7 µs, some 50 calls a page), and
Flask-WTF reads WTForms' own .mo file from disk again on every request. The locale itself is
cached per request by Flask-Babel, so what follows from it is cached alongside."""

import functools

from babel import support
from flask import g
from flask_babel import get_locale
from flask_babel import get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup
from wtforms.i18n import messages_path


def _per_locale(name: str, build):
    """build(locale), kept on g for as long as Flask-Babel's locale stays the same object
    (it is cached per request, and force_locale swaps it)."""
    locale = get_locale()
    found = g.get(name)
    if found is None or found[0] is not locale:
        found = (locale, build(locale))
        setattr(g, name, found)
    return found[1]


def locale_name() -> str:
    """This request's language: "fa" or "en"."""
    return _per_locale("_locale_name", lambda locale: str(locale or "fa"))


def catalog():
    """This request's catalog, for the templates' _() and ngettext()."""
    return _per_locale("_catalog", lambda _locale: get_translations())


@functools.cache
def _wtforms_catalog(locale: str):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' built-in messages in the page's language, each catalog read once per process."""

    def gettext(self, string):
        return _wtforms_catalog(locale_name()).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalog(locale_name()).ungettext(singular, plural, n)


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    """The templates' _() and gettext(): Jinja's newstyle gettext in one call instead of three
    (its _ alias and its wrapper each go through Context.call again)."""
    text = catalog().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # nosec B704: the catalog's own text; the variables below are escaped
    return text % variables  # always a format string, as in newstyle gettext: "%%" is "%"


def register(app):
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
