"""The page's language, and WTForms' own messages in it. Everything else is Flask-Babel as documented:
modules use flask_babel's gettext / lazy_gettext, templates its _()."""

import functools

from babel import support
from flask_babel import get_locale
from wtforms.i18n import messages_path


def locale_name() -> str:
    """This request's language: "fa" or "en" ("fa" outside a request, as the app's default)."""
    return str(get_locale() or "fa")


@functools.cache
def _wtforms_catalog(locale: str):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' built-in messages in the page's language, each catalog read once per process
    (Flask-WTF's own translations read WTForms' .mo file from disk on every request)."""

    def gettext(self, string):
        return _wtforms_catalog(locale_name()).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalog(locale_name()).ungettext(singular, plural, n)
