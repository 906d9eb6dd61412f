"""How many SMS parts a text takes: GSM-7 (160, 153 per part) or UCS-2 (70, 67 per part) as the network counts."""

# GSM 03.38's default alphabet; the extension characters take two septets each (an escape, then the character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM7_SINGLE, GSM7_PART = 160, 153  # a multi-part message spends 7 septets of each part on its header
UCS2_SINGLE, UCS2_PART = 70, 67  # 16-bit units; a multi-part one spends 3 of them on its header
MAX_PARTS = 2  # the templates' budget: every message fits in two parts


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 alphabet (Persian letters and digits never are)."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def units(text: str) -> tuple[str, int]:
    """The encoding the text needs and its length in that encoding's units (septets or UTF-16 code units)."""
    if is_gsm7(text):
        return "gsm7", sum(2 if char in GSM7_EXTENDED else 1 for char in text)
    return "ucs2", len(text.encode("utf-16-le")) // 2


def parts(text: str) -> int:
    """The number of SMS parts the text is sent as: 0 for an empty text."""
    encoding, length = units(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if encoding == "gsm7" else (UCS2_SINGLE, UCS2_PART)
    if length == 0:
        return 0
    if length <= single:
        return 1
    return -(-length // part)


def fits(text: str, max_parts: int = MAX_PARTS) -> bool:
    return 0 < parts(text) <= max_parts
