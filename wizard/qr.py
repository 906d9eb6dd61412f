"""QR codes as data for an inline SVG (templates/macros/qr.html): no image files, nothing the CSP blocks."""

import functools

import qrcode


@functools.lru_cache(maxsize=256)  # drawing one takes milliseconds; a holder reopens and prints the same page
def qr_path(data: str) -> tuple[int, str]:
    """(size in modules, SVG path data) of the QR code for `data`, with a two-module quiet zone."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    matrix = code.get_matrix()
    dark = (f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, on in enumerate(row) if on)
    return len(matrix), "".join(dark)
