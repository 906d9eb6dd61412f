"""QR codes as inline SVG (no image files, nothing inline that the CSP would block)."""

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(data: str, label: str) -> Markup:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # Accessible name for screen readers; the caller passes a translated label.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" class="qr" ', 1)
    return Markup(svg)
