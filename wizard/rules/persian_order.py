"""Persian alphabetical order and forgiving name matching, as plain string keys a database can compare too."""

from .text import normalize_persian

# Unicode puts پ چ ژ ک گ after the Arabic letters and ه before و, so ordering by code point (what SQLite and
# PostgreSQL's "C" collation do) misplaces them. Each is replaced by the letter it follows in the Persian
# alphabet plus AFTER, which sorts after anything that can follow a letter in a name; گ follows ک.
AFTER = "\ufffd"
SORT_REPLACEMENTS = (
    ("پ", "ب" + AFTER),
    ("چ", "ج" + AFTER),
    ("ژ", "ز" + AFTER),
    ("ک", "ق" + AFTER),
    ("گ", "ق" + AFTER + AFTER),
    ("ه", "و" + AFTER),
)
# Matching ignores what people type differently for the same name: spaces and ZWNJ between its parts
# (محمدرضا, محمد رضا, محمد‌رضا), tatweel (stretching), and Arabic ي ى ك for Persian ی ک.
MATCH_DROPPED = (" ", "\u200c", "\u0640")
MATCH_REPLACEMENTS = (("ي", "ی"), ("ى", "ی"), ("ك", "ک"))


def sort_key(name: str) -> str:
    """A key whose code-point order is Persian alphabetical order: sorted(names, key=sort_key)."""
    for letter, replacement in SORT_REPLACEMENTS:
        name = name.replace(letter, replacement)
    return name


def match_key(text: str) -> str:
    """The comparable form of a name or of a search for one: the same for every way of typing it."""
    text = normalize_persian(text)
    for dropped in MATCH_DROPPED:
        text = text.replace(dropped, "")
    for letter, replacement in MATCH_REPLACEMENTS:
        text = text.replace(letter, replacement)
    return text
