"""Blank rows in every format are input rows, each ledgered "empty_row"
(issue 20, point 7): a line of separators (";;;;", what a spreadsheet leaves
of a deleted response) in the middle or at the end of a CSV, read row by
row, through Arrow (large files), or from a .csv.zip; an empty sheet row
between answers in a workbook or the entry template. What is no row: empty
lines at the very end of a CSV, valueless (formatted) rows at the end of a sheet."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from conftest import ROOT

import evaltools as et
from evaltools.read import columnar, files
from evaltools.read.table import decoded
from evaltools.read.files import read_table
from evaltools.read.ledger import Ledger
from evaltools.read.opd import resolver_for
from evaltools.read.options import ReadOptions
from evaltools.read.rows import ReadContext, read_one

SESSION = "loa-janan-2024-11-22"


def _csv(inst, end: str) -> bytes:
    """A canonical ';' CSV: Ani (row 2), a deleted response (row 3), Budi
    (row 4), two more deleted responses (rows 5-6), then ``end``."""
    head = ["nama", "nip", *inst.item_ids]
    blank = ";" * (len(head) - 1)

    def row(nama, nip):
        return ";".join([nama, nip, "b", *[""] * (len(head) - 3)])
    lines = [";".join(head), row("Ani Lestari", "198609262015052001"), blank,
             row("Budi Santoso", "198703152010012003"), blank, blank]
    return ("\r\n".join(lines) + end).encode("utf-8")


def _check(r, rows=5):
    assert r.n_input_rows == rows == len(r.data) + r.n_excluded
    assert r.data["row"].tolist() == [2, 4]
    assert r.ledger[["row", "reason", "action"]].values.tolist() == [
        [3, "empty_row", "excluded"], [5, "empty_row", "excluded"], [6, "empty_row", "excluded"]]


# the last line's break, then empty lines (CRLF or LF): none of them is a row
@pytest.mark.parametrize("end", ["", "\r\n", "\r\n\r\n\r\n", "\r\n\n\n"])
def test_separator_rows_of_a_csv_are_ledgered_empty_lines_at_its_end_are_not(inst, tmp_path, end):
    path = tmp_path / "pre.csv"
    path.write_bytes(_csv(inst, end))
    _check(et.read_responses(path, inst, session=SESSION))


@pytest.mark.parametrize("end", ["\r\n", "\r\n\r\n\r\n", "\n\n"])
def test_the_columnar_reader_counts_the_same_rows(inst, tmp_path, monkeypatch, end):
    """The large-file reader (Arrow reads an empty line as a row of empty
    cells) gives the row-by-row reader's table; forced here on a small file."""
    path = tmp_path / "pre.csv"
    path.write_bytes(_csv(inst, end))
    arrow = columnar.read_csv_columnar(path)
    assert arrow is not None and len(arrow.df) == 5  # rows 2-6
    assert decoded(arrow.df).equals(files._read_text(path, path.read_bytes()).df)
    # the file's rows through read_one (read_responses would draw a progress bar for a "large" file)
    monkeypatch.setattr(files, "COLUMNAR_FROM_BYTES", 0)
    table = read_table(path)
    assert table.meta == {"overflow": [], "short": []}  # the columnar reader's (row by row: one per row)
    ctx = ReadContext(inst, ReadOptions(session=SESSION), resolver_for(None, inst.path), Ledger())
    kept, info = read_one(table, ctx)
    assert (info["rows"], info["kept"], info["excluded"]) == (5, 2, 3)
    assert kept["row"].tolist() == [2, 4]
    assert ctx.ledger.frame()[["row", "reason"]].values.tolist() == [
        [3, "empty_row"], [5, "empty_row"], [6, "empty_row"]]


def test_a_zipped_csv_counts_its_separator_rows(inst, tmp_path):
    path = tmp_path / "pre.csv.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pre.csv", _csv(inst, "\r\n\r\n"))
    _check(et.read_responses(path, inst, session=SESSION))


def test_a_line_of_spaces_at_the_end_is_a_row(inst, tmp_path):
    path = tmp_path / "pre.csv"
    path.write_bytes(_csv(inst, "\r\n   \r\n"))
    r = et.read_responses(path, inst, session=SESSION)
    assert r.n_input_rows == 6
    assert r.ledger["row"].tolist() == [3, 5, 6, 7]


def test_workbook_blank_rows_between_answers_count_formatted_rows_below_do_not(inst, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nama", "nip", *inst.item_ids])
    ws.append(["Ani Lestari", "198609262015052001", "b"])
    ws.append([None, None, None])  # a deleted response: row 3
    ws.append(["Budi Santoso", "198703152010012003", "b"])
    ws.append([None])
    ws.append(["  ", None])  # spaces typed: row 6, a row
    for r in range(7, 12):  # formatted, never filled: sheet formatting, no rows
        ws.cell(r, 1).fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    path = tmp_path / "pre.xlsx"
    wb.save(path)
    assert len(read_table(path).df) == 5
    r = et.read_responses(path, inst, session=SESSION)
    assert r.n_input_rows == 5 == len(r.data) + r.n_excluded
    assert r.data["row"].tolist() == [2, 4]
    assert r.ledger.loc[r.ledger["reason"] == "empty_row", "row"].tolist() == [3, 5, 6]


def test_entry_template_blank_row_between_answers_is_ledgered(inst, tmp_path):
    """The template's 500 formatted rows with drop-downs are no rows; a row
    left empty between typed ones is."""
    wb = openpyxl.load_workbook(ROOT / "survey" / "forms" / "netralitas-asn-pilkada-2024-pre-entri.xlsx")
    ws = wb["Jawaban"]
    ids = [c.value for c in ws[1]]
    for row, nama, nip in ((3, "Ani Lestari", "198609262015052001"), (5, "Budi Santoso", "198703152010012003")):
        ws.cell(row, ids.index("nama") + 1, nama)
        ws.cell(row, ids.index("nip") + 1, nip)
        ws.cell(row, ids.index("q01") + 1, "b")
    path = tmp_path / "pre-entri.xlsx"
    wb.save(path)
    r = et.read_responses(path, inst, session=SESSION)
    assert r.n_input_rows == 3 == len(r.data) + r.n_excluded
    assert r.data["row"].tolist() == [3, 5]
    assert r.ledger[["row", "reason"]].values.tolist() == [[4, "empty_row"]]


def test_blank_rows_are_those_without_a_filled_cell_whichever_column_fills_them():
    """``files._mark_blanks`` looks at the coded columns (answers) first and stops once every
    row has a filled cell (a text column of a million cells costs 20-30 ms a pass): a row
    filled only in a text column, or only with spaces, is marked as before."""
    import pandas as pd

    from evaltools.read.table import Table
    coded = pd.Series(pd.Categorical(["b", "", "", " ", "c"]))
    text = pd.Series(["", "Ani", "", "  ", "\t"], dtype="str")
    table = files._mark_blanks(Table(pd.DataFrame({"nama": text, "q01": coded}), "x.csv", ROOT / "x.csv"))
    assert table.blank.tolist() == [False, False, True, True, False]
    # every row answered: no text column needed, none is blank
    full = pd.Series(pd.Categorical(["a", "b", "c", "d", "b"]))
    table = files._mark_blanks(Table(pd.DataFrame({"nama": text, "q01": full}), "x.csv", ROOT / "x.csv"))
    assert table.blank.tolist() == [False] * 5
