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
    chunks = list(csv_chunks(["n", "text"], rows))
    assert len(chunks) == 3
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeffn,text\r\n0,'=row 0\r\n")


def test_xlsx_keeps_text_as_text():
    data = b"".join(xlsx_chunks("Опитування", ["A", "B"], [["=1+2", 3], [None, "Ї"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Опитування"
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B3"].value == "Ї" and sheet["A3"].value is None
