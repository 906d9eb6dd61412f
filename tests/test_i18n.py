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


def test_lazy_text_outside_any_app_is_the_text_as_written():
    from flask_babel import lazy_gettext

    assert str(lazy_gettext("Sign in")) == "Sign in"
    assert str(lazy_gettext("%(n)s offices", n=3)) == "3 offices"
