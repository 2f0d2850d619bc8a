"""Exports as spreadsheets, streamed a row at a time so memory stays flat whatever the count.

CSV is UTF-8 with a byte order mark: without it Excel reads the file in the machine's ANSI
code page and Cyrillic turns to mojibake. A text cell beginning with = + - @ (or a tab or
carriage return) would be run as a formula by a spreadsheet (CSV injection, OWASP), so it
gets a leading apostrophe; numbers written as numbers are left alone. XLSX is written by
XlsxWriter in constant_memory mode (each row flushed to a temporary file) with every text
cell written as a string, never as a formula, then sent in blocks.
"""
import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")  # "-5" is an answer, not a formula
ROWS_PER_CHUNK = 500
BLOCK = 64 * 1024
XLSX_TEXT_LIMIT = 32_767  # characters a cell holds
XLSX_ROWS = 1_048_576  # rows a sheet holds, its header's included


def neutralised(value):
    """The value, with a formula-looking text made inert."""
    if (isinstance(value, str) and value.startswith(FORMULA_START)
            and not PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return neutralised(value)


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The CSV file in chunks of a few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralised(name) for name in header])  # a question's text may be one
    for count, row in enumerate(rows, 1):
        writer.writerow([_cell(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_chunks(sheet_name: str, header: list[str], rows: Iterable[list],
                rows_per_sheet: int = XLSX_ROWS - 1) -> Iterator[bytes]:
    """The XLSX file, written to a temporary folder in constant memory, in blocks. Rows past
    a sheet's limit go on to a next sheet ("Name 2", ...) under the same header: XlsxWriter
    would drop them without a word."""
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / "export.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "tmpdir": folder, "strings_to_formulas": False,
            "strings_to_urls": False, "strings_to_numbers": False})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        bold = workbook.add_format({"bold": True})
        sheet = None
        for count, row in enumerate(rows):
            number = count % rows_per_sheet + 1
            if number == 1:
                sheet = _sheet(workbook, sheet_name, count // rows_per_sheet + 1, header, bold)
            _write_row(sheet, number, row, when)
        if sheet is None:  # no rows: the header alone
            _sheet(workbook, sheet_name, 1, header, bold)
        workbook.close()
        with path.open("rb") as written:
            while block := written.read(BLOCK):
                yield block


def _sheet(workbook, name: str, ordinal: int, header: list[str], bold):
    suffix = f" {ordinal}" if ordinal > 1 else ""
    sheet = workbook.add_worksheet(name[:31 - len(suffix)] + suffix)
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 0)
    return sheet


def _write_row(sheet, number: int, row: list, when) -> None:
    for column, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, str):
            sheet.write_string(number, column, value[:XLSX_TEXT_LIMIT])
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(number, column, value, when)
        else:
            sheet.write_number(number, column, value)
