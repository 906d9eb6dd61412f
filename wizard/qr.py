"""QR codes as inline SVG (no image files, nothing inline that the CSP would block)."""

import functools

import qrcode
import qrcode.image.svg
from markupsafe import Markup


@functools.lru_cache(maxsize=256)  # drawing one takes ~15 ms; a holder reopens and prints the same page
def qr_svg(data: str, label: str) -> Markup:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # Accessible name for screen readers; the caller passes a translated label.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" class="qr" ', 1)
    # qrcode drew it from our own link; the label is escaped.
    return Markup(svg)  # nosec B704
