"""Streamed CSV downloads that Excel opens as written: a BOM, text cells kept text, rows sent in batches."""

import csv

from flask import Response
from flask import stream_with_context

BOM = "\ufeff"  # without it Excel reads UTF-8 as the ANSI code page and garbles Persian
BATCH = 1000  # rows fetched from the database and sent to the client at a time
# A cell starting with one of these is a formula to Excel (CSV injection); a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file whose write() hands the text back, so csv.writer formats one line without a buffer."""

    def write(self, text: str) -> str:
        return text


def _cell(value):
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header, rows) -> Response:
    """A streamed CSV download: BOM and header first, then the rows in batches as the query yields them."""
    writer = csv.writer(_Echo())

    def generate():
        yield BOM + writer.writerow([str(name) for name in header])
        batch = []
        for row in rows:
            batch.append(writer.writerow([_cell(value) for value in row]))
            if len(batch) == BATCH:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a cache
    return response
