"""Reading an import file, for the command line and the web alike: its encoding and delimiter found, or what
it seems to be and how to save it as CSV UTF-8 from Excel.

The messages name encodings and file types through placeholders (CODES), so a page can set them as code
(Latin digits and all) and the command line as plain text."""

import io

from flask_babel import lazy_gettext as _l

from .rules.encodings import Decoded
from .rules.encodings import UnknownEncoding
from .rules.encodings import decode

CODES = {"utf8": "UTF-8", "utf16": "UTF-16", "utf32": "UTF-32", "cp1256": "Windows-1256", "cp1252": "Windows-1252",
         "xlsx": ".xlsx", "xls": ".xls", "csv_utf8": "CSV UTF-8 (Comma delimited) (*.csv)"}
ENCODING_CODES = {"utf-8": "UTF-8", "utf-8-bom": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "windows-1256": "Windows-1256"}
DELIMITER_NAMES = {",": _l("commas"), "\t": _l("tabs"), ";": _l("semicolons")}
SEEMS = {
    "xlsx": _l("This is an Excel workbook (%(xlsx)s), not a CSV file."),
    "xls": _l("This is an old Excel workbook (%(xls)s), not a CSV file."),
    "utf-32": _l("The file is in %(utf32)s, which this system does not read."),
    "utf-8-damaged": _l("The file is %(utf8)s but line %(line)s holds bytes that are not %(utf8)s (part of it "
                        "was saved in another encoding)."),
    "windows-1252": _l("The file seems to be in %(cp1252)s (Western European), which has no Persian letters: its "
                       "Persian text was lost when it was saved."),
    "binary": _l("The file is not text: it may be a document or a picture rather than a CSV file."),
    "unknown": _l("The file's encoding is none of %(utf8)s, %(utf16)s or %(cp1256)s."),
}
HOW_TO_SAVE = _l("In Excel, choose File › Save As, set “Save as type” to “%(csv_utf8)s”, save, and upload that file.")


class UnreadableFile(ValueError):
    """The file is in no encoding the importers read: kind and line say what it seems to be (rules.encodings)."""

    def __init__(self, problem: UnknownEncoding):
        super().__init__(problem.kind)
        self.kind = problem.kind if problem.kind in SEEMS else "unknown"
        self.line = problem.line

    @property
    def seems(self):
        """What the file seems to be (with placeholders: CODES and line)."""
        return SEEMS[self.kind]

    def explained(self) -> tuple[str, str]:
        """What the file seems to be, and how to save it right, as plain text (the command line's)."""
        return str(self.seems) % {**CODES, "line": self.line}, str(HOW_TO_SAVE) % CODES


def read_import(data: bytes) -> tuple[io.StringIO, Decoded]:
    """The file's text as a stream for the importers, and how it was read; UnreadableFile if it cannot be."""
    try:
        decoded = decode(data)
    except UnknownEncoding as problem:
        raise UnreadableFile(problem) from None
    return io.StringIO(decoded.text, newline=""), decoded
