"""CSV and XLSX writers: formula-looking text made inert, numbers left alone, rows streamed."""
import io

import openpyxl
import pytest

from survey_app.spreadsheets import ROWS_PER_CHUNK, csv_chunks, neutralised, xlsx_chunks


@pytest.mark.parametrize("typed, written", [
    ("=1+2", "'=1+2"), ("+380501234567", "+380501234567"), ("+1+2", "'+1+2"), ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-5", "-5"), ("+3,5", "+3,5"), ("Так", "Так"), ("a=b", "a=b"), (7, 7), (None, None),
])
def test_formula_looking_text_is_made_inert(typed, written):
    assert neutralised(typed) == written


def test_csv_comes_in_chunks_of_rows():
    rows = ([n, f"=row {n}"] for n in range(ROWS_PER_CHUNK * 2 + 1))
    chunks = list(csv_chunks(["n", "=text"], rows))  # a question's text heads a column
    assert len(chunks) == 3
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeffn,'=text\r\n0,'=row 0\r\n")


def test_xlsx_keeps_text_as_text():
    data = b"".join(xlsx_chunks("Опитування", ["A", "B"], [["=1+2", 3], [None, "Ї"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Опитування"
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B3"].value == "Ї" and sheet["A3"].value is None


def test_xlsx_rows_past_a_sheets_limit_go_on_to_the_next_sheet_under_the_header():
    """A sheet holds 1,048,576 rows; XlsxWriter drops the rest silently (here a limit of 3
    stands for it: a million rows would take a minute)."""
    rows = ([n, f"row {n}"] for n in range(7))
    data = b"".join(xlsx_chunks("Answers", ["n", "text"], rows, rows_per_sheet=3))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Answers", "Answers 2", "Answers 3"]
    cells = [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in book]
    assert cells[0] == [["n", "text"], [0, "row 0"], [1, "row 1"], [2, "row 2"]]
    assert cells[2] == [["n", "text"], [6, "row 6"]]


def test_xlsx_of_no_rows_has_the_header():
    data = b"".join(xlsx_chunks("Answers", ["n", "text"], iter(())))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["n", "text"]]
