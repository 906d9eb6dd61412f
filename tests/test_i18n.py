"""Every user-facing string is translated: complete fa and en catalogs, none fuzzy, none stale."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "wizard" / "translations"
PERSIAN_LETTER = "\u0600-\u06ff"


def catalog(lang: str):
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        return read_po(stream, locale=lang)


def source_msgids(tmp_path) -> set[str]:
    """Extract the strings from the code now, so a string added without a translation fails here."""
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "-o", str(pot), "--no-location", str(ROOT)])
    with pot.open("rb") as stream:
        return {m.id for m in read_po(stream) if m.id}


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_catalog_is_complete_and_not_fuzzy(lang, tmp_path):
    messages = {m.id: m for m in catalog(lang) if m.id}
    missing = source_msgids(tmp_path) - set(messages)
    assert not missing, f"run 'make extract-messages' and translate: {sorted(missing)}"
    untranslated = [m.id for m in messages.values() if not m.string]
    fuzzy = [m.id for m in messages.values() if m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_persian_catalog_is_persian_and_keeps_placeholders():
    for message in catalog("fa"):
        if not message.id:
            continue
        assert re.search(f"[{PERSIAN_LETTER}]", message.string), message.id
        assert sorted(re.findall(r"%\(\w+\)\w", message.id)) == sorted(re.findall(r"%\(\w+\)\w", message.string))


def test_english_catalog_has_no_persian_left_in_it():
    leaked = [m.id for m in catalog("en") if m.id and re.search(f"[{PERSIAN_LETTER}]", m.string)]
    assert leaked == []


def test_force_locale_switches_the_cached_catalog_and_restores_it(app):
    from wizard import i18n

    with app.test_request_context("/"):
        assert i18n.locale_name() == "fa"
        persian = i18n.gettext("Sign in")
        with i18n.force_locale("en"):
            assert i18n.locale_name() == "en"
            assert i18n.gettext("Sign in") == "Sign in"
        assert i18n.locale_name() == "fa"
        assert i18n.gettext("Sign in") == persian != "Sign in"


def test_lazy_text_outside_any_app_is_the_text_as_written():
    from wizard.i18n import lazy_gettext

    assert str(lazy_gettext("Sign in")) == "Sign in"
    assert str(lazy_gettext("%(n)s offices", n=3)) == "3 offices"


def test_constant_texts_are_compiled_into_each_language(app):
    from wizard.i18n import force_locale
    from wizard.i18n import gettext

    source = '{{ _("Sign in") }}|{{ gettext("Sign out") }}|{{ _("100%%") }}|{{ _("%(n)s offices", n=2) }}'
    with app.test_request_context("/"):
        for language in ("fa", "en"):
            overlay = app.jinja_env._overlay_for(language)
            compiled = overlay.compile(source, raw=True)
            assert "'Sign in'" not in compiled and "'Sign out'" not in compiled
            assert compiled.count("context.call(") == 1  # only the text with a variable is translated when shown
            with force_locale(language):
                expected = f'{gettext("Sign in")}|{gettext("Sign out")}|100%|{gettext("%(n)s offices", n=2)}'
            assert overlay.from_string(source).render() == expected
        assert "خروج" in app.jinja_env._overlay_for("fa").from_string(source).render()


def test_texts_are_not_folded_where_they_are_not_plain_calls(app):
    source = '{{ _("Sign in") ~ x._("Sign in") }}|{{ _("Sign in" ~ "") }}'

    class Other:
        @staticmethod
        def _(text):
            return "other"

    with app.test_request_context("/"):
        overlay = app.jinja_env._overlay_for("fa")
        first, second = overlay.from_string(source).render(x=Other()).split("|")
        assert first.endswith("other") and first != "other"
        assert second == first.removesuffix("other")
        # A text template (no autoescape) keeps translating when shown.
        assert "context.call(" in overlay.compile('{{ _("Sign in") }}', name="mail.txt", raw=True)


PAGES = ["/", "/login", "/no-such-page", "/declaration/{office}/", "/declaration/{office}/license",
         "/declaration/{office}/premises", "/declaration/{office}/staff", "/declaration/{office}/review"]
TOKEN = re.compile(r'(name="csrf_token" type="hidden" value=|name="csrf-token" content=|value=)"[^"]*\.[^"]*"')


@pytest.mark.usefixtures("in_the_window")
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_pages_with_texts_compiled_in_equal_pages_translated_when_shown(holder_client, office, lang, monkeypatch):
    from wizard.i18n import FoldConstantTexts

    holder_client.post("/language", data={"lang": lang, "next": "/"})
    environment = holder_client.application.jinja_env

    def pages():
        environment.language_overlays.clear()
        return [TOKEN.sub(r'\1"token"', holder_client.get(page.format(office=office)).get_data(as_text=True))
                for page in PAGES]

    folded = pages()
    monkeypatch.setattr(FoldConstantTexts, "filter_stream", lambda self, stream: stream)
    assert folded == pages()
    assert ('lang="fa"' if lang == "fa" else 'lang="en"') in folded[0]
