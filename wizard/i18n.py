"""Catalog lookups done once per request rather than once per string.

Flask-Babel walks its context for every gettext call and every lazy string (some 50 a page), and
Flask-WTF reads WTForms' own .mo file from disk again on every request. Here the language and
catalog are looked up once per request and kept on g; force_locale() below swaps them too."""

import contextlib
import functools

import flask_babel
from babel import support
from flask import g
from flask import has_request_context
from flask import templating
from flask_babel import get_locale
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.ext import Extension
from jinja2.lexer import Token
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


class LanguageEnvironment(templating.Environment):
    """Flask's template environment, with one overlay per language that compiles constant texts in.

    A page calls _("…") some 30 times, and each call goes through Jinja's Context.call, the catalog and
    Markup: 6 % of a step page's instructions. The overlay for a language compiles each _("literal") as its translation
    (FoldConstantTexts), so a page in that language prints it as static text. Outside a request (the CLI,
    tests that render directly) the base environment translates at render time, as before."""

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.language = None  # an overlay's language
        self.language_overlays = {}

    def get_or_select_template(self, template_name_or_list, parent=None, globals=None):
        if self.language is None and has_request_context():
            return self._overlay_for(locale_name()).get_or_select_template(template_name_or_list, parent, globals)
        return super().get_or_select_template(template_name_or_list, parent, globals)

    def _overlay_for(self, language: str):
        if language not in self.language_overlays:
            overlay = self.overlay()
            overlay.language = language
            self.language_overlays[language] = overlay
        return self.language_overlays[language]


class FoldConstantTexts(Extension):
    """In a language overlay's HTML templates, _("literal") and gettext("literal") become
    ("translation"|safe): the Markup template_gettext() would return, which Jinja then compiles as
    static text. Calls with variables, and every other template, are left to template_gettext()."""

    CALLS = ("_", "gettext")

    def filter_stream(self, stream):
        language = self.environment.language
        autoescape = self.environment.autoescape
        if language is None or not (autoescape(stream.name) if callable(autoescape) else autoescape):
            return stream
        with force_locale(language):
            translations = catalog()
        return self._folded(list(stream), translations)

    def _folded(self, tokens: list[Token], translations):
        folded, index = [], 0
        while index < len(tokens):
            token = tokens[index]
            call = tokens[index:index + 4]
            if (token.type == "name" and token.value in self.CALLS
                    and [t.type for t in call] == ["name", "lparen", "string", "rparen"]
                    and not (folded and folded[-1].type == "dot")):
                text = _formatted(translations.ugettext(call[2].value), {})
                line = token.lineno
                folded += [Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                           Token(line, "name", "safe"), Token(line, "rparen", ")")]
                index += 4
            else:
                folded.append(token)
                index += 1
        return folded


def register(app):
    app.jinja_env.add_extension(FoldConstantTexts)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
