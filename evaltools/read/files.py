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
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]
    except csv.Error as exc:
        raise EvalToolsError(f"berkas CSV tidak dapat dibaca ({exc})", file=path.name,
                             fix="buka berkas di Excel dan simpan ulang sebagai CSV UTF-8",
                             problem_en=f"CSV file cannot be read ({exc})",
                             fix_en="open it in Excel and save again as CSV UTF-8") from None


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
        wb = load_workbook(path, read_only=True, data_only=False)
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


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text, trailing blank rows dropped."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = _frame(_read_csv(path), path)
    else:
        raise EvalToolsError(f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung",
                             file=path.name, fix="simpan sebagai .csv atau .xlsx",
                             problem_en=f"file type {suffix or '(none)'} is not supported",
                             fix_en="save as .csv or .xlsx")
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
            files = sorted(f for f in p.iterdir()
                           if f.suffix.lower() in SUFFIXES and not f.name.startswith((".", "~$")))
            if not files:
                raise EvalToolsError("folder tidak berisi berkas .csv atau .xlsx", file=str(p),
                                     fix="taruh berkas ekspor di folder itu",
                                     problem_en="folder holds no .csv or .xlsx file")
            return files
        return [p]
    return [Path(s) for s in source]
