"""Workbooks (.xlsx, .xlsm) to a table of text: the first sheet, or the
evaltools entry template's sheet Jawaban with the facts of its sheet
Petunjuk. The workbook is checked by ``guard`` (sizes) and ``xmlguard`` (no
XML entities) before openpyxl parses a byte, and no formula is ever evaluated."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import EvalToolsError
from ..layout import (TEMPLATE_DATA_SHEET, TEMPLATE_FIRST_DATA_ROW, TEMPLATE_INFO_KEYS,
                      TEMPLATE_INFO_SHEET)
from .xmlguard import check_workbook, refuse_xml_attack
from .table import Table, frame


def cell_text(v) -> str:
    """A spreadsheet cell as text: whole numbers without '.0'; numbers past
    15 digits keep their scientific form so a mangled NIP is recognised.

    Example:
        >>> cell_text(12.0), cell_text(1.98609262015051e17), cell_text(None)
        ('12', '1.98609262015051e+17', '')
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return str(v)


def _sheet_rows(ws) -> list[list[str]]:
    """The sheet's rows as text, as wide as the widest; the rows at its end
    that hold no value at all (cells only formatted, a sheet's used range
    left long) are sheet formatting, no input rows: left out. An empty row
    between answers, or one holding only spaces, is a row (ledgered "empty_row")."""
    rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def read_xlsx(path: Path) -> Table:
    """A workbook's answers as a :class:`Table` of text: the entry
    template's sheet Jawaban (ids in row 1, the typists' labels in row 2,
    kept aside), else the first sheet.

    Example:
        >>> t = read_xlsx(Path(folder) / "post-entri-kertas-sintetis.xlsx")
        >>> t.meta["format"], t.first_row, t.df.columns[:2].tolist()
        ('template', 3, ['nama', 'nip'])
    """
    wb = _open(path)
    try:
        if TEMPLATE_DATA_SHEET in wb.sheetnames and TEMPLATE_INFO_SHEET in wb.sheetnames:
            table = _template_table(wb, path)
        else:
            table = _first_sheet_table(wb, path)
        # cells right of the last title are notes in a workbook, not a shifted row
        table.meta.pop("overflow")
        table.meta.pop("short")
        return table
    finally:
        wb.close()


def _open(path: Path):
    """The workbook, read-only, once ``guard`` has passed it; a file openpyxl
    cannot open is refused with the fix."""
    from openpyxl import load_workbook  # lazy: keeps `import evaltools` fast
    try:
        raw = path.read_bytes()
        # sizes, and no XML entity declarations in any part, before openpyxl parses a byte
        check_workbook(io.BytesIO(raw), path.name)
        # data_only=False: a formula is read as its text, never evaluated.
        # from bytes: openpyxl judges by the name and refuses a workbook called .csv
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except EvalToolsError:
        raise
    except Exception as exc:  # openpyxl raises many types for a bad file
        refuse_xml_attack(exc, path.name)  # defusedxml's refusal, said plainly
        raise EvalToolsError(f"berkas Excel tidak dapat dibuka ({type(exc).__name__})",
                             file=path.name, fix="buka di Excel lalu simpan ulang sebagai .xlsx",
                             problem_en=f"Excel file cannot be opened ({type(exc).__name__})",
                             fix_en="open it in Excel and save again as .xlsx") from None


def _template_table(wb, path: Path) -> Table:
    """The evaltools entry template: ids in row 1, typist labels in row 2,
    the instrument, version, wave and session on the sheet Petunjuk."""
    meta = {}
    for r in _sheet_rows(wb[TEMPLATE_INFO_SHEET]):
        if len(r) > 1 and r[0].strip() in TEMPLATE_INFO_KEYS:
            meta[r[0].strip()] = r[1].strip()
    meta["format"] = "template"
    return frame(_sheet_rows(wb[TEMPLATE_DATA_SHEET]), path, 0, TEMPLATE_FIRST_DATA_ROW - 1, meta)


def _first_sheet_table(wb, path: Path) -> Table:
    """Only the first sheet is read; its name and the others are reported
    when it holds no answers."""
    table = frame(_sheet_rows(wb.worksheets[0]), path,
                  meta={"sheet": wb.sheetnames[0], "sheets": list(wb.sheetnames)})
    if table.df.shape[1] == 0 and len(wb.sheetnames) > 1:  # the answers may be behind it
        first, others = wb.sheetnames[0], ", ".join(wb.sheetnames[1:])
        raise EvalToolsError(
            f"lembar pertama '{first}' kosong", file=path.name,
            fix=f"pindahkan lembar jawaban (lembar lain: {others}) ke urutan pertama, "
                "atau simpan lembar itu sendiri sebagai .xlsx/.csv",
            problem_en=f"the first sheet '{first}' is empty",
            fix_en=f"move the answer sheet (others: {others}) to the front, "
                   "or save it alone")
    return table
