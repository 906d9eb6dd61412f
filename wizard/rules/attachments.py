"""An objection's attachment (SPEC §5): PDF, PNG or JPEG told by its first bytes, and the name it is offered under."""

import re
import unicodedata

from .text import strip_bidi

# Content type -> (the extension its downloads get, the signatures a file of that type starts with).
KINDS = {
    "application/pdf": (".pdf", (b"%PDF-",)),
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
}
SNIFF_BYTES = 8  # the longest signature
NAME_MAX = 120
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f-\x9f"*:<>?|;]')
_SPACES = re.compile(r"\s+")


def sniff(head: bytes) -> str | None:
    """The content type of a file by its first bytes: PDF, PNG or JPEG; None for anything else (an HTML page
    renamed .pdf, an executable, an empty file)."""
    for content_type, (_extension, signatures) in KINDS.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def extension(content_type: str) -> str:
    return KINDS[content_type][0]


def safe_name(typed: str | None, content_type: str) -> str:
    """The name a file is shown and offered under: the last part of what the browser sent (no folders), without
    control or bidi characters or characters Windows refuses, at most NAME_MAX characters, ending in the
    extension of its real type ('../../report.html' that is a PDF becomes 'report.pdf')."""
    name = unicodedata.normalize("NFC", strip_bidi(typed or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _SPACES.sub(" ", _UNSAFE_IN_NAMES.sub("", name)).strip(" .")
    stem, dot, old_extension = name.rpartition(".")
    if not dot:
        stem = name
    wanted = extension(content_type)
    stem = stem.strip(" .")[: NAME_MAX - len(wanted)] or "attachment"
    return stem + wanted
