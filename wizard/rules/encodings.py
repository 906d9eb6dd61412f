"""The text encoding and delimiter of an uploaded CSV: UTF-8, UTF-16 (Excel's Unicode text) or Windows-1256."""

from dataclasses import dataclass

# Names as staff know them from Excel and Notepad; the codec is Python's.
CODECS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be",
          "windows-1256": "cp1256"}
DELIMITERS = (",", "\t", ";")  # Excel's CSV, its "Unicode text" and CSV on Windows set to Persian (list separator ;)
# Windows-1256 puts a letter on almost every byte, so any bytes decode: the text is taken as Windows-1256
# only if its non-ASCII characters are (almost all) Arabic-script letters and Persian punctuation.
PERSIAN_SHARE = 0.9
ARABIC_SCRIPT = range(0x0600, 0x0700)
PERSIAN_EXTRAS = set("\u200c\u200d«»\u00a0")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a key of CODECS
    delimiter: str


class UnknownEncoding(ValueError):
    """The bytes are no text this app reads. kind says what they seem to be: xlsx, xls, utf-32, utf-8-damaged
    (mostly UTF-8 with bad bytes on `line`), windows-1252, binary or unknown."""

    def __init__(self, kind: str, line: int | None = None):
        super().__init__(kind)
        self.kind = kind
        self.line = line


def _persian_looking(text: str) -> bool:
    foreign = [char for char in text if not char.isascii()]
    if not foreign:
        return True
    persian = sum(1 for char in foreign if ord(char) in ARABIC_SCRIPT or char in PERSIAN_EXTRAS)
    return persian >= PERSIAN_SHARE * len(foreign)


def _latin_looking(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    foreign = [char for char in text if not char.isascii()]
    return sum(1 for char in foreign if char.isalpha()) >= PERSIAN_SHARE * len(foreign)


def _plain(text: str) -> bool:
    """No control character but tab and line breaks: what a CSV holds."""
    return not any(ord(char) < 32 and char not in "\t\n\x0b\x0c\r\x1a" for char in text)


def _readable_share(text: str) -> float:
    readable = sum(1 for char in text if char.isascii() or ord(char) in ARABIC_SCRIPT or char in PERSIAN_EXTRAS)
    return readable / len(text) if text else 1


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without its byte-order mark: the byte order whose text reads as Persian or ASCII, if one does."""
    if not data or len(data) % 2:
        return None
    found = {}
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plain(text):
            found[codec] = _readable_share(text)
    best = max(found, key=found.get, default=None)
    return best if best and found[best] >= PERSIAN_SHARE else None


def _encoding(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise UnknownEncoding("xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnknownEncoding("xls")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise UnknownEncoding("utf-32")
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-bom"
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    try:
        if _plain(data.decode("utf-8")):
            return "utf-8"
        broken_at = len(data)  # UTF-8, but with control characters no CSV has: UTF-16 without its mark?
    except UnicodeDecodeError as problem:
        broken_at = problem.start
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if broken_at == len(data):
        return "utf-8"  # valid UTF-8 all the same: the importers drop stray control characters
    if b"\x00" in data:
        raise UnknownEncoding("binary")
    if not data[:broken_at].isascii():  # real UTF-8 before the bad byte: a damaged UTF-8 file, not another encoding
        raise UnknownEncoding("utf-8-damaged", line=data.count(b"\n", 0, broken_at) + 1)
    if _persian_looking(data.decode("cp1256")):
        return "windows-1256"
    raise UnknownEncoding("windows-1252" if _latin_looking(data) else "unknown")


def delimiter(text: str) -> str:
    """The delimiter the header line uses most: comma, tab or semicolon (comma if none)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
    best = max(DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def decode(data: bytes) -> Decoded:
    """The text of an uploaded CSV, its encoding and delimiter; UnknownEncoding when it is none this app reads."""
    encoding = _encoding(data)
    codec = CODECS[encoding]
    start = {"utf-16-le": 2, "utf-16-be": 2}.get(encoding, 0) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else 0
    try:
        text = data[start:].decode(codec)
    except UnicodeDecodeError as problem:
        raise UnknownEncoding("unknown" if encoding.startswith("utf-16") else "utf-8-damaged",
                              line=data.count(b"\n", 0, problem.start) + 1) from None
    return Decoded(text=text, encoding=encoding, delimiter=delimiter(text))
