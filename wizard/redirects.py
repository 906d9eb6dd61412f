"""Where a form may send the user next: only paths on this site."""

import re
from urllib.parse import urlsplit

from flask import url_for

# Browsers drop tabs and newlines anywhere in a URL and trim controls and spaces at its ends, and read '\'
# as '/': "/\t/evil.example" becomes "//evil.example". A path with any of these, or any other control or
# space character, is refused rather than cleaned.
_REFUSED = re.compile(r"[\x00-\x20\x7f-\x9f\\\s]")


def is_same_site_path(target: str | None) -> bool:
    """'/path?query' on this site; anything that could leave the site or be rewritten by a browser is not."""
    if not target or not target.startswith("/") or target.startswith("//") or _REFUSED.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default_endpoint: str = "public.home") -> str:
    """The target when it is a same-site path, else the default page."""
    return target if is_same_site_path(target) else url_for(default_endpoint)
