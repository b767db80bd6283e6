"""File level: bytes to a table of text, whatever the encoding, separator or
workbook layout. Every value is text from here on, so identifiers never
become numbers."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EvalToolsError

HEADER_ROW = 1  # rows are reported as Excel shows them: the header is row 1
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
# spreadsheets we cannot read: listed from a folder so that they fail loudly
# instead of being skipped (a PDF beside the exports is a scan, not data)
REFUSED_SUFFIXES = (".xls", ".ods")
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls, and any password-protected workbook


@dataclass
class Table:
    """A file's rows as text. ``first_row`` is the Excel row number of
    ``df``'s first row, ``header_row`` that of the header; ``meta`` holds what the file says about itself
    (e.g. the entry template's instrument id)."""
    df: pd.DataFrame
    name: str
    path: Path
    first_row: int = HEADER_ROW + 1
    meta: dict = field(default_factory=dict)
    header_row: int = HEADER_ROW


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" (tab-separated)
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Older Windows tools (and Excel's plain "CSV") write cp1252.
        return raw.decode("cp1252", errors="replace")


def _sniff_separator(text: str) -> tuple[str, str]:
    """Separator from a leading 'sep=X' line, else the candidate that splits
    the first lines into the most fields (csv.Sniffer misreads 1-column
    files, and title rows above the header may hold no separator at all)."""
    first, _, rest = text.partition("\n")
    m = re.fullmatch(r'"?sep=(.)"?\r?', first)
    if m:
        return m.group(1), rest
    head = "\n".join(text.splitlines()[:20])
    counts = {sep: max((len(r) for r in csv.reader(io.StringIO(head), delimiter=sep)), default=0)
              for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda s: (counts[s], s == ",")), text


def _read_csv(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    sep, text = _sniff_separator(text)
    rows: list = []
    try:
        # strict: an opening quote that is never closed would otherwise swallow
        # every later line into one cell, silently losing rows
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise EvalToolsError(
                'tanda kutip (") dibuka tetapi tidak ditutup; sisa berkas terbaca sebagai satu sel',
                file=path.name, row=len(rows) + 1,
                fix='tutup tanda kutip pada baris itu, atau simpan ulang dari Excel sebagai CSV',
                problem_en="a quote is opened and never closed; the rest of the file would be one cell",
                fix_en="close the quote on that row, or save the sheet again as CSV") from None
        # other irregular quoting ('"5" monitor'): read leniently, as Excel does
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return [list(r) for r in rows]


def _header_index(rows: list[list[str]]) -> int:
    """Index of the header row: people put title rows ("DAFTAR HADIR ...")
    above it. The header is the first of the first 20 rows that fills at
    least two cells and half as many cells as the fullest of those rows."""
    filled = [sum(1 for v in r if str(v).strip()) for r in rows[:20]]
    most = max(filled, default=0)
    for i, k in enumerate(filled):
        if k >= 2 and 2 * k >= most:
            return i
    return 0


def _frame(rows: list[list[str]], path: Path, header_index: int | None = None,
           first_index: int | None = None, meta: dict | None = None) -> Table:
    """A Table from rows of text: header found (or given), names made unique."""
    width = max((len(r) for r in rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    h = _header_index(rows) if header_index is None else header_index
    first = h + 1 if first_index is None else first_index
    if not rows:
        return Table(pd.DataFrame(), path.name, path, HEADER_ROW + 1, dict(meta or {}))
    names, seen = [], {}
    for k, v in enumerate(rows[h]):
        v = str(v).strip() or f"kolom_{k + 1}"
        # identical titles: name, name.1, name.2 (as pandas does)
        names.append(v if v not in seen else f"{v}.{seen[v]}")
        seen[v] = seen.get(v, 0) + 1
    df = pd.DataFrame(rows[first:], columns=names, dtype=str) if rows[first:] else \
        pd.DataFrame({c: pd.Series(dtype=str) for c in names})
    return Table(df, path.name, path, first + 1, dict(meta or {}), header_row=h + 1)


def cell_text(v) -> str:
    """A spreadsheet cell as text: whole numbers without '.0'; numbers past
    15 digits keep their scientific form so a mangled NIP is recognised."""
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
    rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook  # lazy: keeps `import evaltools` fast
    from ..instrument import (TEMPLATE_DATA_SHEET as DATA_SHEET, TEMPLATE_FIRST_DATA_ROW as FIRST_DATA_ROW,
                              TEMPLATE_INFO_KEYS as INFO_KEYS, TEMPLATE_INFO_SHEET as INFO_SHEET)
    try:
        # data_only=False: a formula is read as its text, never evaluated.
        # from bytes: openpyxl judges by the name and refuses a workbook called .csv
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise EvalToolsError(f"berkas Excel tidak dapat dibuka ({type(exc).__name__})",
                             file=path.name, fix="buka di Excel lalu simpan ulang sebagai .xlsx",
                             problem_en=f"Excel file cannot be opened ({type(exc).__name__})",
                             fix_en="open it in Excel and save again as .xlsx") from None
    try:
        meta = {}
        if DATA_SHEET in wb.sheetnames and INFO_SHEET in wb.sheetnames:
            # the evaltools entry template: ids in row 1, typist labels in row 2
            for r in _sheet_rows(wb[INFO_SHEET]):
                if len(r) > 1 and r[0].strip() in INFO_KEYS:
                    meta[r[0].strip()] = r[1].strip()
            meta["format"] = "template"
            return _frame(_sheet_rows(wb[DATA_SHEET]), path, 0, FIRST_DATA_ROW - 1, meta)
        return _frame(_sheet_rows(wb.worksheets[0]), path)
    finally:
        wb.close()


def _refuse(path: Path, problem: str, fix: str, problem_en: str, fix_en: str):
    raise EvalToolsError(problem, file=path.name, fix=fix, problem_en=problem_en, fix_en=fix_en)


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text, trailing blank rows dropped.

    The content decides, not the name: a workbook saved as "x.csv" is read as
    a workbook, a CSV named "x.xlsx" as text; old .xls, password-protected
    workbooks, PDFs and other binary files are refused with the fix.

    Example:
        >>> read_table(Path("data/sample/kaltim-2024-11-25/pre.csv")).df.shape  # doctest: +SKIP
    """
    suffix = path.suffix.lower()
    if suffix not in (*SUFFIXES, *REFUSED_SUFFIXES, ".pdf"):
        _refuse(path, f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung",
                "simpan sebagai .csv atau .xlsx",
                f"file type {suffix or '(none)'} is not supported", "save as .csv or .xlsx")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        _refuse(path, "berkas kosong (0 byte)", "ekspor ulang jawaban dari alat pengumpul data",
                "empty file (0 bytes)", "export the responses again")
    if head.startswith(_OLE):
        _refuse(path, "buku kerja Excel 97-2003 (.xls) atau buku kerja berkata sandi",
                "buka di Excel, hapus kata sandi bila ada, lalu Simpan Sebagai .xlsx",
                "an Excel 97-2003 (.xls) or password-protected workbook",
                "open it in Excel, remove any password and Save As .xlsx")
    if head.startswith(b"%PDF"):
        _refuse(path, "berkas PDF, bukan data jawaban",
                "ketik jawaban lembar kertas ke templat entri (.xlsx) dari survey/forms",
                "a PDF file, not response data",
                "type the paper answers into the entry template (.xlsx) from survey/forms")
    if head.startswith(b"PK\x03\x04"):
        table = _read_xlsx(path)
    elif b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        _refuse(path, "berkas biner, bukan CSV atau Excel", "ekspor ulang sebagai .csv atau .xlsx",
                "a binary file, not CSV or Excel", "export again as .csv or .xlsx")
    elif suffix in REFUSED_SUFFIXES:
        _refuse(path, f"jenis berkas {suffix} tidak didukung", "simpan sebagai .csv atau .xlsx",
                f"file type {suffix} is not supported", "save as .csv or .xlsx")
    else:
        table = _frame(_read_csv(path), path)
    df = table.df
    if df.shape[1] == 0:
        raise EvalToolsError("berkas kosong: tidak ada baris judul kolom", file=path.name,
                             row=table.header_row, fix="ekspor ulang dari alat pengumpul data",
                             problem_en="empty file: no header row",
                             fix_en="export the responses again")
    df = df.fillna("").astype(str)
    # Trailing blank rows are spreadsheet formatting, not input rows.
    filled = (df.apply(lambda s: s.str.strip()) != "").any(axis=1)
    last = filled[filled].index.max() if filled.any() else -1
    table.df = df.iloc[: last + 1].reset_index(drop=True)
    return table


def list_files(source) -> list[Path]:
    """The files behind a path, a list of paths or a folder (its .csv/.xlsx files)."""
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES + REFUSED_SUFFIXES
                           and not f.name.startswith((".", "~$")))
            if not files:
                raise EvalToolsError("folder tidak berisi berkas .csv atau .xlsx", file=str(p),
                                     fix="taruh berkas ekspor di folder itu",
                                     problem_en="folder holds no .csv or .xlsx file",
                                     fix_en="put the exported files in that folder")
            return files
        return [p]
    return [Path(s) for s in source]
