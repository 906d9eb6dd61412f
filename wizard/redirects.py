"""Where a form may send the user next: only paths on this site."""

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "public.home") -> str:
    """Only same-site paths; '//host' and '/\\host' would leave the site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for(default_endpoint)
