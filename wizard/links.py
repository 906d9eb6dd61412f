"""Links that leave the page (printed, scanned, sent) point at the configured public address."""

from flask import current_app
from flask import url_for


def public_url(endpoint: str, **values) -> str:
    """An absolute URL under PUBLIC_BASE_URL, never under the Host a request claims; in development
    without that setting, under the address this page was asked for."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
