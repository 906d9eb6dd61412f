"""English msgids are the English text: copy each new msgid into the en catalog's msgstr."""

from pathlib import Path

from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

PATH = Path(__file__).resolve().parents[1] / "wizard/translations/en/LC_MESSAGES/messages.po"

with PATH.open("rb") as stream:
    catalog = read_po(stream, locale="en")
for message in catalog:
    if message.id and not message.string:
        message.string = message.id
    message.flags.discard("fuzzy")
with PATH.open("wb") as stream:
    write_po(stream, catalog, no_location=True, sort_output=True, width=0)
