"""Excel workbooks (.xlsx) for the exports: each column has a kind, so identifiers stay text and keep their
leading zeros, numbers are numbers, and dates are Jalali text; the sheet reads right to left.

The workbook is written with openpyxl's write-only mode: rows go to a temporary file as they come (strings
inline, nothing kept per row), and the finished file is sent from disk, so 20,000 offices never sit in memory."""

import re
import tempfile

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a column holds. An identifier (national code, mobile, postal code, license number, tracking code) is
# text: as a number, Excel would drop 0012345679's leading zeros. A date is Jalali text, which Excel has no type for.
ID, TEXT, NUMBER, DATE = "id", "text", "number", "date"
WIDTHS = {ID: 14, TEXT: 18, NUMBER: 10, DATE: 17}  # in characters; a wider header widens its column
MAX_WIDTH = 60
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot hold
CHUNK = 64 * 1024
SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _text(value):
    return None if value is None or value == "" else ILLEGAL.sub("", str(value))


def _number(value):
    """Numbers as numbers; what is not a number (an answer typed oddly) is kept as its text."""
    if isinstance(value, bool):
        return _text(value)
    if isinstance(value, int | float):
        return value
    text = _text(value)
    if text is not None and text.isascii() and text.lstrip("-").isdigit():
        return int(text)
    return text


def _cell(sheet, kind: str, value):
    value = _number(value) if kind == NUMBER else _text(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula Excel would run
        return cell
    return value


def _sheet(workbook: Workbook, title: str, columns):
    sheet = workbook.create_sheet(SHEET_TITLE_UNSAFE.sub(" ", title)[:31] or "Sheet")
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"  # the header row stays in view
    for index, (header, kind) in enumerate(columns, start=1):
        width = max(WIDTHS[kind], len(header) + 4)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    bold = Font(bold=True)
    header_cells = []
    for header, _kind in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.data_type, cell.font = "s", bold
        header_cells.append(cell)
    sheet.append(header_cells)
    return sheet


def write_workbook(stream, title: str, columns, rows) -> None:
    """Write an .xlsx of one sheet to a binary stream: a bold header row, then the rows.

    columns: (header text, kind) pairs; rows: iterables of values in column order."""
    columns = [(str(header), kind) for header, kind in columns]
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, title, columns)
    kinds = [kind for _header, kind in columns]
    for row in rows:
        sheet.append([_cell(sheet, kind, value) for kind, value in zip(kinds, row, strict=True)])
    workbook.save(stream)


def xlsx_response(filename: str, title: str, columns, rows):
    """The workbook as a download, written to a temporary file first and sent from it in chunks."""
    spool = tempfile.TemporaryFile()  # removed from the disk when closed
    try:
        write_workbook(spool, title, columns, rows)
    except BaseException:
        spool.close()
        raise
    size = spool.seek(0, 2)
    spool.seek(0)

    def chunks():
        try:
            while block := spool.read(CHUNK):
                yield block
        finally:
            spool.close()  # at the end, or when the client goes away (the server closes the response)

    response = Response(chunks(), mimetype=MIMETYPE)
    response.call_on_close(spool.close)  # also if the body is never read
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Length"] = str(size)
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a cache
    return response
