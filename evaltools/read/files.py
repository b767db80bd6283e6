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

import numpy as np
import pandas as pd

from ..errors import EvalToolsError

HEADER_ROW = 1  # rows are reported as Excel shows them: the header is row 1
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip")  # .zip: Google Forms' download
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


def _quote_error(name: str, row: int):
    raise EvalToolsError(
        'tanda kutip (") dibuka tetapi tidak ditutup; baris-baris berikutnya akan terbaca '
        "sebagai satu sel", file=name, row=row,
        fix='tutup tanda kutip pada baris itu (atau hapus), lalu simpan lagi; '
            "atau simpan ulang dari Excel sebagai CSV",
        problem_en="a quote is opened and not closed where it should be; the following rows "
                   "would be read as one cell",
        fix_en="close (or remove) the quote on that row, or save the sheet again as CSV") from None


def map_unique(values, func, *, pair: bool = False):
    """``func`` applied once per distinct value, spread back to every row:
    an answer column of 4 million cells holds a handful of distinct answers.
    With ``pair=True`` ``func`` returns two things; two arrays come back.

    Example:
        >>> map_unique(pd.Series(["a", "b", "a"]), str.upper).tolist()
        ['A', 'B', 'A']
    """
    codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=False)
    done = [func(u) for u in np.asarray(uniques, dtype=object)]  # plain objects iterate fastest
    if pair:
        first = np.array([d[0] for d in done], dtype=object)
        second = np.array([d[1] for d in done], dtype=object)
        return first[codes], second[codes]
    return np.array(done, dtype=object)[codes]


def _strip(v) -> str:
    return "" if v is None or v != v else str(v).strip()  # a missing cell is an empty one


def strip_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell without its surrounding spaces; each column is stripped
    once per distinct value (``map_unique``), not once per cell.

    Example:
        >>> strip_cells(pd.DataFrame({"a": [" x", "x ", ""]}))["a"].tolist()
        ['x', 'x', '']
    """
    return pd.DataFrame({c: pd.Series(map_unique(frame[c], _strip), index=frame.index, dtype="str")
                         for c in frame.columns}, index=frame.index, columns=frame.columns)


def _read_csv(path: Path, raw: bytes | None = None) -> list[list[str]]:
    """Rows of a CSV file (or of ``raw`` bytes, e.g. a CSV inside a zip)."""
    text = _decode(path.read_bytes() if raw is None else raw)
    sep, text = _sniff_separator(text)
    rows: list = []
    try:
        # strict: a stray quote must not silently glue rows together
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error:
        _quote_error(path.name, len(rows) + 1)
    # a quote opened on one row and closed by a later quoted field parses
    # "fine": the rows in between sit in one cell, line breaks and separators
    # included; real multi-line answers (saran) do not hold half a record
    width = max((len(r) for r in rows[:20]), default=0)
    # no line break inside any cell (one per row at most, no lone CR): nothing to look for
    breaks = text.count("\n")
    if breaks > len(rows) or "\r" in text.replace("\r\n", ""):
        for i, r in enumerate(rows):
            if any("\n" in v and v.count(sep) >= max(2, width // 2) for v in r):
                _quote_error(path.name, i + 1)
    return rows


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
    """A Table from rows of text: header found (or given), names made unique.

    ``meta["overflow"]`` / ``meta["short"]`` mark data rows with filled cells
    beyond the header's last title (a comma inside an unquoted name shifts
    the row) or with fewer cells than titles (a cut line)."""
    lengths = [len(r) for r in rows]
    width = max(lengths, default=0)
    if min(lengths, default=width) < width:  # ragged: pad the short rows
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    h = _header_index(rows) if header_index is None else header_index
    first = h + 1 if first_index is None else first_index
    if not rows:
        return Table(pd.DataFrame(), path.name, path, HEADER_ROW + 1, dict(meta or {}))
    titled = max((k + 1 for k, v in enumerate(rows[h]) if str(v).strip()), default=0)
    meta = dict(meta or {})
    meta["overflow"] = [any(str(v).strip() for v in r[titled:]) for r in rows[first:]] \
        if titled < width else [False] * len(rows[first:])
    meta["short"] = [0 < n < titled for n in lengths[first:]]
    names, seen = [], {}
    for k, v in enumerate(rows[h]):
        v = str(v).strip() or f"kolom_{k + 1}"
        # identical titles: name, name.1, name.2 (as pandas does)
        names.append(v if v not in seen else f"{v}.{seen[v]}")
        seen[v] = seen.get(v, 0) + 1
    df = pd.DataFrame(rows[first:], columns=names, dtype=str) if rows[first:] else \
        pd.DataFrame({c: pd.Series(dtype=str) for c in names})
    return Table(df, path.name, path, first + 1, meta, header_row=h + 1)


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
            table = _frame(_sheet_rows(wb[DATA_SHEET]), path, 0, FIRST_DATA_ROW - 1, meta)
        else:
            # only the first sheet is read; its name and the others are reported
            # when it holds no answers
            table = _frame(_sheet_rows(wb.worksheets[0]), path,
                           meta={"sheet": wb.sheetnames[0], "sheets": list(wb.sheetnames)})
        # cells right of the last title are notes in a workbook, not a shifted row
        table.meta.pop("overflow")
        table.meta.pop("short")
        return table
    finally:
        wb.close()


def _read_zip(path: Path) -> Table:
    """A workbook (a zip with [Content_Types].xml), or Google Forms' download:
    a .zip holding one CSV."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "[Content_Types].xml" in names:
                return _read_xlsx(path)
            csvs = [n for n in names if n.lower().endswith((".csv", ".tsv", ".txt"))]
            if len(csvs) == 1:  # the member's name keeps the form's stamp
                return _frame(_read_csv(Path(csvs[0]), z.read(csvs[0])), path,
                              meta={"member": csvs[0]})
    except zipfile.BadZipFile:
        return _read_xlsx(path)  # a damaged workbook: openpyxl's error, with our fix
    _refuse(path, f"arsip zip berisi {len(csvs)} berkas CSV" if csvs else
            "arsip zip tanpa berkas CSV atau Excel",
            "ekstrak arsip dan baca berkas CSV-nya satu per satu",
            "a zip archive with several CSV files" if csvs else "a zip archive with no CSV or Excel file",
            "extract the archive and read its CSV files")


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
    if suffix not in (*SUFFIXES, *REFUSED_SUFFIXES, ".pdf", ".zip"):
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
        table = _read_zip(path)
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
    filled = (strip_cells(df) != "").any(axis=1)
    last = filled[filled].index.max() if filled.any() else -1
    table.df = df.iloc[: last + 1].reset_index(drop=True)
    for key in ("overflow", "short"):
        if key in table.meta:
            table.meta[key] = table.meta[key][: last + 1]
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
